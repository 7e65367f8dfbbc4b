/**
 * Strategy modules: a scenario entry `{ module: ./my-strategy.ts, options: {...} }` names a
 * TypeScript or JavaScript file of the user's whose default export is a Strategy, or a
 * function from the entry's options to one (module-strategy.ts turns the entry into a
 * strategy). An entry `{ orchestrator: ./my-orchestrator.ts, options: {...} }` names one
 * whose default export is an async orchestrator for the real-code harness
 * (orchestrator-module.ts). This file finds, compiles and imports both kinds of file, the
 * same way; only what a message calls the module depends on its role.
 *
 * How a module is loaded, and why:
 *
 * - It is compiled once, in the thread that reads the scenario, by esbuild: the file and
 *   every file it imports by a relative path are bundled into one ES module (TypeScript
 *   types stripped, not checked). Bare imports (`dispatchlab`, another package) are
 *   resolved from the module's folder, as Node would resolve them there, and written as
 *   absolute `file:` URLs; Node's built-in modules are left as they are. An import of
 *   `dispatchlab` that does not resolve there (a dispatchlab installed globally, say) is
 *   the running copy's.
 * - The compiled code is imported from a `data:` URL, in this thread and in every worker
 *   thread, which receive the code as a string (job.ts): no loader hook, no temporary file,
 *   and every thread runs the very same code, so the results do not depend on `--workers`.
 * - Its `digest` hashes the bytes of the sources compiled (the file and its relative
 *   imports, by their path relative to the scenario's folder), so that a results
 *   document's `inputHash` changes when the strategy's source does (and shards of
 *   different sources do not merge).
 *
 * Loading never throws for a problem of the user's: a file that is missing, not a module,
 * does not compile, throws when imported or exports nothing usable is a ModuleProblem,
 * which parse.ts reports at each entry naming it, with the scenario's other problems.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isBuiltin, SourceMap } from 'node:module';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { shownValue } from '../strategies/check.js';

/** The extensions of the files a module entry may name. */
export const moduleExtensions = ['.ts', '.mts', '.js', '.mjs'] as const;

/** A strategy module compiled: plain data, which can be sent to a worker thread. */
export interface CompiledModule {
  /** The module's absolute path. */
  readonly file: string;
  /** One ES module: the file and its relative imports; bare imports as absolute URLs. */
  readonly code: string;
  /** `sha256:<hex>` of the sources compiled (see the file's comment). */
  readonly digest: string;
  /** The code's source map (JSON), its sources relative to the scenario's folder. */
  readonly sourceMap: string;
}

/** A strategy module compiled and imported: its default export, as the module gives it. */
export interface StrategyModule extends CompiledModule {
  readonly exported: unknown;
}

/** A module that could not be loaded: what the user should be told (a sentence, its fix). */
export interface ModuleProblem {
  readonly file: string;
  readonly problem: string;
}

/** The modules a scenario's entries name, by absolute path: loaded, or why not. */
export type LoadedModules = ReadonlyMap<string, StrategyModule | ModuleProblem>;

export function isModuleProblem(m: StrategyModule | ModuleProblem): m is ModuleProblem {
  return 'problem' in m;
}

/** A strategy entry that names a module (the mapping form with `module:`). */
export function isModuleEntry(value: unknown): value is { readonly module: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'module' in value;
}

/** A strategy entry that names an orchestrator module (the mapping form with `orchestrator:`). */
export function isOrchestratorEntry(value: unknown): value is { readonly orchestrator: unknown } {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && 'orchestrator' in value
  );
}

/**
 * What a module is to the entry that names it: a Strategy's (`module:`) or an async
 * orchestrator's (`orchestrator:`). Loading is the same; messages name the role.
 */
export type ModuleRole = 'strategy' | 'orchestrator';

/** The path an entry names, and the role it gives the file; undefined for an entry of a kind. */
export function entryModule(
  entry: unknown,
): { readonly written: unknown; readonly role: ModuleRole } | undefined {
  if (isOrchestratorEntry(entry)) return { written: entry.orchestrator, role: 'orchestrator' };
  if (isModuleEntry(entry)) return { written: entry.module, role: 'strategy' };
  return undefined;
}

/** The absolute path of a module entry's file: written relative to the scenario's folder. */
export function modulePath(written: string, baseDir: string): string {
  return resolve(baseDir, written);
}

/**
 * The module paths a scenario's raw data names (strings only: anything else is the schema's
 * to refuse), each with the role of the first entry that names it.
 */
function moduleFilesOf(
  value: unknown,
  baseDir: string,
): { readonly file: string; readonly role: ModuleRole }[] {
  const strategies = (value as { strategies?: unknown } | null)?.strategies;
  if (!Array.isArray(strategies)) return [];
  const files: { file: string; role: ModuleRole }[] = [];
  for (const entry of strategies) {
    const named = entryModule(entry);
    if (named === undefined || typeof named.written !== 'string') continue;
    if (named.written.trim() === '') continue;
    const file = modulePath(named.written, baseDir);
    if (!files.some((f) => f.file === file)) files.push({ file, role: named.role });
  }
  return files;
}

/**
 * Compiles and imports every module a scenario's data names (before its schema is checked, so
 * that one pass reports every problem), except those already in `loaded` (a sweep's grid
 * points share their modules). Never throws for the user's problems: see ModuleProblem.
 */
export async function loadStrategyModules(
  value: unknown,
  options: { readonly baseDir: string; readonly loaded?: LoadedModules | undefined },
): Promise<Map<string, StrategyModule | ModuleProblem>> {
  const out = new Map(options.loaded ?? []);
  for (const { file, role } of moduleFilesOf(value, options.baseDir)) {
    if (out.has(file)) continue;
    const compiled = await compileStrategyModule(file, options.baseDir, role);
    out.set(
      file,
      'problem' in compiled
        ? compiled
        : await importStrategyModule(compiled, resolve(compiled.file, '..'), role),
    );
  }
  return out;
}

/** `./x.ts` as messages show a module: relative to the scenario's folder, as written there. */
function shownFile(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  return JSON.stringify(
    rel.startsWith('..') || isAbsolute(rel) ? file : `./${rel.split(sep).join('/')}`,
  );
}

/** What messages call a module of this role. */
function moduleNoun(role: ModuleRole): string {
  return role === 'orchestrator' ? 'an orchestrator module' : 'a strategy module';
}

/** Why `file` cannot be a module, or undefined when it is a file with a module's extension. */
function fileProblem(file: string, baseDir: string, role: ModuleRole): string | undefined {
  const shown = shownFile(file, baseDir);
  const extensions = moduleExtensions.join(', ');
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return `no such file: ${shown} (looked for ${file}); the path is relative to the scenario file's folder, so check it from there.`;
    }
    return `${shown} cannot be read: ${(err as Error).message}.`;
  }
  if (stat.isDirectory()) {
    return `${shown} is a folder; name the module file itself (${extensions}).`;
  }
  if (!stat.isFile()) {
    return `${shown} is not a regular file; ${moduleNoun(role)} is a ${extensions} file.`;
  }
  if (!(moduleExtensions as readonly string[]).includes(extname(file))) {
    return `${shown} is not a module dispatchlab can load: ${moduleNoun(role)} is a TypeScript or JavaScript file (${extensions}).`;
  }
  return undefined;
}

/** The running dispatchlab's own entry points, for a module where `dispatchlab` does not resolve. */
function ownEntryPoints(): Record<string, string> {
  // From dist/scenario/ (or src/scenario/ when run from the sources: the build in dist/).
  const here = fileURLToPath(import.meta.url);
  const dist = here.endsWith('.ts') ? resolve(here, '../../../dist') : resolve(here, '../..');
  return {
    dispatchlab: pathToFileURL(resolve(dist, 'index.js')).href,
    'dispatchlab/sim': pathToFileURL(resolve(dist, 'sim/index.js')).href,
    // An orchestrator module's defineOrchestrator and runtime types.
    'dispatchlab/harness': pathToFileURL(resolve(dist, 'harness/index.js')).href,
  };
}

type EsbuildMessage = {
  readonly text: string;
  readonly location: {
    readonly file: string;
    readonly line: number;
    readonly column: number;
  } | null;
};

/** esbuild's errors as one sentence: `my.ts:3:9: Expected ";" but found "x"`, the first three. */
function describeBuildErrors(errors: readonly EsbuildMessage[]): string {
  const shown = errors.slice(0, 3).map((e) => {
    const at =
      e.location === null ? '' : `${e.location.file}:${e.location.line}:${e.location.column + 1}: `;
    return `${at}${e.text}`;
  });
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** Where a resolved import lives: its own source (TypeScript) is bundled, a package's code is not. */
const typeScriptExtension = /\.[cm]?tsx?$/i;

/**
 * Compiles a strategy module into one ES module (see the file's comment), or says why it
 * cannot be. `baseDir` is the scenario's folder: messages and the digest name files from it.
 */
export async function compileStrategyModule(
  file: string,
  baseDir: string,
  role: ModuleRole = 'strategy',
): Promise<CompiledModule | ModuleProblem> {
  const problem = fileProblem(file, baseDir, role);
  if (problem !== undefined) return { file, problem };
  const esbuild = await import('esbuild');
  const own = ownEntryPoints();
  const resolving = Symbol('resolving');
  const bareImports: import('esbuild').Plugin = {
    name: 'dispatchlab-bare-imports',
    setup(build) {
      // A bare specifier: neither relative nor absolute.
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === resolving || isAbsolute(args.path)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const found = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: resolving,
        });
        if (found.errors.length === 0 && !found.external && found.path !== '') {
          // A TypeScript file reached through tsconfig paths or a workspace package is the
          // user's source, which Node could not load: bundle it with the rest.
          if (typeScriptExtension.test(found.path)) return { path: found.path };
          return { path: pathToFileURL(found.path).href, external: true };
        }
        const fallback = own[args.path];
        if (fallback !== undefined) return { path: fallback, external: true };
        return { errors: found.errors };
      });
    },
  };
  const url = pathToFileURL(file).href;
  let code: string;
  let sourceMap: string;
  let inputs: string[];
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: baseDir,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      metafile: true,
      logLevel: 'silent',
      charset: 'utf8',
      // Not written: it names the output, so that the map's sources are relative to baseDir.
      outfile: resolve(baseDir, 'strategy-module.js'),
      sourcemap: 'external',
      sourcesContent: false,
      plugins: [bareImports],
      // The code runs from a data: URL: what the entry file would see of itself.
      define: {
        'import.meta.url': JSON.stringify(url),
        'import.meta.filename': JSON.stringify(file),
        'import.meta.dirname': JSON.stringify(resolve(file, '..')),
      },
    });
    code = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
    sourceMap = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text ?? '{}';
    inputs = Object.keys(result.metafile.inputs);
  } catch (err) {
    const errors = (err as { errors?: EsbuildMessage[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) throw err;
    return {
      file,
      problem: `${shownFile(file, baseDir)} does not compile: ${describeBuildErrors(errors)}. Fix the module (\`npx tsc --noEmit\` checks its types too).`,
    };
  }
  return { file, code, digest: sourcesDigest(inputs, baseDir), sourceMap };
}

/** The URL a compiled module is imported from. */
function codeUrl(code: string): string {
  return `data:text/javascript;base64,${base64(code)}`;
}

function base64(code: string): string {
  return Buffer.from(code).toString('base64');
}

/**
 * Where in a module's sources an error was thrown: `my-strategy.ts:14:7` (relative to the
 * scenario's folder), from the first frame of its stack (or of its cause's: the kernel wraps
 * what a process throws) in the module's compiled code, through the source map; undefined
 * when no frame is the module's.
 */
export function whereInModule(err: unknown, module: CompiledModule): string | undefined {
  const url = codeUrl(module.code);
  let stack: string | undefined;
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e.stack?.includes(`${url}:`)) {
      stack = e.stack;
      break;
    }
  }
  if (stack === undefined) return undefined;
  const at = stack.indexOf(`${url}:`);
  const match = /^:(\d+):(\d+)/.exec(stack.slice(at + url.length));
  if (match === null) return undefined;
  try {
    const entry = new SourceMap(JSON.parse(module.sourceMap)).findEntry(
      Number(match[1]) - 1,
      Number(match[2]) - 1,
    ) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
    return `${entry.originalSource}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  } catch {
    return undefined;
  }
}

/**
 * `sha256:<hex>` of the compiled sources: each file's path relative to `baseDir` (the paths
 * esbuild lists, relative to its working folder) and the hash of its bytes, in path order.
 * Paths, not absolute ones, so that the same sources in another checkout hash alike.
 */
function sourcesDigest(inputs: readonly string[], baseDir: string): string {
  const lines = [...inputs]
    .sort()
    .map((input) => {
      const bytes = readFileSync(resolve(baseDir, input));
      return `${input}\0${createHash('sha256').update(bytes).digest('hex')}\n`;
    })
    .join('');
  return `sha256:${createHash('sha256').update(lines).digest('hex')}`;
}

/** Compiled modules imported so far in this thread, by their code's digest and file. */
const imported = new Map<string, Promise<StrategyModule | ModuleProblem>>();

/**
 * Imports a compiled module (from a data: URL) and takes its default export; a module that
 * throws when imported, or exports nothing by default, is a ModuleProblem. Each code is
 * imported once per thread.
 */
export function importStrategyModule(
  compiled: CompiledModule,
  baseDir = resolve(compiled.file, '..'),
  role: ModuleRole = 'strategy',
): Promise<StrategyModule | ModuleProblem> {
  // The role too: what a problem says of the module depends on it (the code is imported
  // once per role, which only a file named in both roles would notice).
  const key = `${role}\0${compiled.file}\0${createHash('sha256').update(compiled.code).digest('hex')}`;
  let done = imported.get(key);
  if (done === undefined) {
    done = importCode(compiled, baseDir, role);
    imported.set(key, done);
  }
  return done;
}

/** What a module of this role must export by default, for messages: the forms it may take. */
function wantedExport(role: ModuleRole): { readonly add: string; readonly forms: string } {
  return role === 'orchestrator'
    ? {
        add: "the orchestrator itself (export default async function (rt) { ... }), an object { label?, settings?, orchestrator }, or a function from the entry's options to such an object (defineOrchestrator types the last two)",
        forms:
          "an async function (rt) => Promise, an object { label?, settings?, orchestrator }, or a function from the entry's options to such an object",
      }
    : {
        add: "a function from the entry's options to a Strategy (export default function (options) { return { label, settings, run }; }), or a Strategy object",
        forms:
          "a function from the entry's options to a Strategy, or a Strategy object { label, settings, run }",
      };
}

async function importCode(
  compiled: CompiledModule,
  baseDir: string,
  role: ModuleRole,
): Promise<StrategyModule | ModuleProblem> {
  const shown = shownFile(compiled.file, baseDir);
  let namespace: Record<string, unknown>;
  try {
    // A data: URL names no file: the layering test lets it through (test/architecture).
    namespace = (await import(
      /* @vite-ignore */ `data:text/javascript;base64,${base64(compiled.code)}`
    )) as Record<string, unknown>;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      file: compiled.file,
      problem: `${shown} threw when imported: ${message}. Fix the module's top-level code (it runs when dispatchlab loads the scenario).`,
    };
  }
  if (!('default' in namespace) || namespace.default === undefined) {
    const named = Object.keys(namespace).filter((k) => k !== 'default');
    const has =
      named.length === 0 ? 'no export at all' : `only named exports (${named.join(', ')})`;
    return {
      file: compiled.file,
      problem: `${shown} has ${has}; give it a default export: ${wantedExport(role).add}.`,
    };
  }
  const exported = namespace.default;
  if (typeof exported !== 'function' && (exported === null || typeof exported !== 'object')) {
    return {
      file: compiled.file,
      problem: `${shown}'s default export is ${shownValue(exported)}; it must be ${wantedExport(role).forms}.`,
    };
  }
  return { ...compiled, exported };
}
