/**
 * The layering of src/ (docs/architecture.md), enforced. Every import in src/**\/*.ts —
 * `import … from`, `export … from`, `import('…')`, `import x = require('…')` and the type
 * form `import('…').T` — is read with the TypeScript parser and checked against the rule:
 *
 *   cli → report → experiment → harness → invariants → scenario → strategies → model → sim
 *
 * A file may import from its own layer and from any layer below it, never from one above.
 * The invariants are checked on traces only, so that they judge a simulated run and a
 * trace recorded from any orchestrator alike: src/invariants imports nothing below it at
 * run time, and only the types of the trace's records (src/model/trace-records.ts).
 * src/index.ts (the package's entry point) sits above every layer, imports any of them but
 * cli, and nothing imports it; src/version.ts sits below every layer, anything may import
 * it, and it imports nothing of src. Relative imports must stay inside src; a package's
 * own name (`dispatchlab`, `dispatchlab/sim`) must not be used from inside it; node: and
 * other packages' imports are free.
 *
 * Import cycles between files are refused too, counting only the imports that exist at
 * run time: `import type` and `export type` are erased (verbatimModuleSyntax), so a cycle
 * through them costs nothing when modules load. (`import { type A }` is not erased: it
 * still loads the module.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The layers, top to bottom. */
const layers = [
  'cli',
  'report',
  'experiment',
  'harness',
  'invariants',
  'scenario',
  'strategies',
  'model',
  'sim',
] as const;
type Layer = (typeof layers)[number];

const entryPoint = 'src/index.ts';
const versionModule = 'src/version.ts';
/** The one module the invariants may read, for its types: the trace format's records. */
const traceRecords = 'src/model/trace-records.ts';
const order = layers.join(' → ');

/** One import as written: what it names, where, and whether it vanishes at run time. */
interface ImportRef {
  /**
   * The module specifier; null for a dynamic import of a computed name; `data:` for a
   * dynamic import of a `data:` URL, which names no file (a strategy module's compiled
   * code: src/scenario/strategy-modules.ts).
   */
  readonly specifier: string | null;
  readonly line: number;
  readonly typeOnly: boolean;
}

/** The imports of one file, found by the TypeScript parser. */
function importsOf(file: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ImportRef[] = [];
  const add = (at: ts.Node, specifier: ts.Node | undefined, typeOnly: boolean) => {
    const line = source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1;
    const literal = specifier !== undefined && ts.isStringLiteralLike(specifier);
    const dataUrl =
      specifier !== undefined &&
      ts.isTemplateExpression(specifier) &&
      specifier.head.text.startsWith('data:');
    found.push({
      specifier: literal ? specifier.text : dataUrl ? 'data:' : null,
      line,
      typeOnly,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(node, ts.isLiteralTypeNode(arg) ? arg.literal : undefined, true);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Where a file sits: a layer, one of the two entry modules, or nowhere known. */
function placeOf(file: string): Layer | 'entry' | 'version' | null {
  if (file === entryPoint) return 'entry';
  if (file === versionModule) return 'version';
  const dir = /^src\/([^/]+)\//.exec(file)?.[1];
  return layers.find((l) => l === dir) ?? null;
}

/** A relative specifier's target, `.js` read as the `.ts` it is compiled from. */
function resolve(from: string, specifier: string): string {
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  return target.replace(/\.js$/, '.ts');
}

/** Why `from` may not import `to` (both under src/), or null if it may. */
function layerRule(from: string, to: string, typeOnly: boolean): string | null {
  const a = placeOf(from);
  const b = placeOf(to);
  if (a === null) return null; // reported once, for the file
  if (b === null) return `${to} is in no layer`;
  if (b === 'entry') return `nothing imports ${entryPoint}, the package's entry point`;
  if (a === 'version') return `${versionModule} sits below every layer and imports nothing of src`;
  if (b === 'version') return null;
  if (a === 'entry') {
    return b === 'cli' ? `${entryPoint} is the library's API and leaves the CLI out` : null;
  }
  if (a === 'invariants' && b !== 'invariants') {
    if (to === traceRecords && typeOnly) return null;
    return `invariants read traces only: they import nothing below them at run time, and only the types of the trace records (${traceRecords}, \`import type\`)`;
  }
  if (layers.indexOf(b) >= layers.indexOf(a)) return null;
  return `${a} may not import from ${b}, a layer above it (${order}: imports go downwards only)`;
}

interface CheckResult {
  /** One message per bad import: the file and line, the import, the rule. */
  readonly violations: string[];
  /** Each import cycle as the files around it, the first repeated at the end. */
  readonly cycles: string[][];
}

/**
 * Checks a tree: file (a path under src/, posix) → its imports. Relative imports are
 * resolved against the importing file; a target missing from the tree is still checked
 * by its path (a missing file is the compiler's to report).
 */
function checkImports(tree: ReadonlyMap<string, readonly ImportRef[]>): CheckResult {
  const violations: string[] = [];
  const edges = new Map<string, string[]>();
  for (const [file, imports] of tree) {
    const runtime: string[] = [];
    if (placeOf(file) === null) {
      violations.push(`${file}: is in no layer: put it in one of ${layers.join(', ')}`);
    }
    for (const { specifier, line, typeOnly } of imports) {
      const at = `${file}:${line}`;
      if (specifier === null) {
        violations.push(
          `${at}: a dynamic import of a computed name cannot be checked; use a literal`,
        );
        continue;
      }
      if (specifier === 'dispatchlab' || specifier.startsWith('dispatchlab/')) {
        violations.push(
          `${at}: imports '${specifier}', the package itself: import the module by its relative path, so the layering applies`,
        );
        continue;
      }
      if (specifier.startsWith('/')) {
        violations.push(`${at}: imports '${specifier}' by an absolute path: use a relative one`);
        continue;
      }
      if (!specifier.startsWith('.')) continue; // node: and other packages
      const target = resolve(file, specifier);
      if (!target.startsWith('src/')) {
        violations.push(
          `${at}: imports '${specifier}' (${target}), outside src: relative imports stay inside src`,
        );
        continue;
      }
      const why = layerRule(file, target, typeOnly);
      if (why !== null) violations.push(`${at}: imports '${specifier}' (${target}): ${why}`);
      if (!typeOnly && tree.has(target)) runtime.push(target);
    }
    edges.set(file, runtime);
  }
  return { violations, cycles: findCycles(edges) };
}

/**
 * One cycle per strongly connected component of more than one file (or a file that
 * imports itself), by Tarjan's algorithm: the shortest way round from its first file in
 * sorted order.
 */
function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) connect(v);
  const cycles: string[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    if (component.length === 1 && !(edges.get(start) ?? []).includes(start)) continue;
    // Breadth first from start, within the component, back to start.
    const previous = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    while (queue.length > 0 && closing === undefined) {
      const v = queue.shift()!;
      for (const w of edges.get(v) ?? []) {
        if (w === start) {
          closing = v;
          break;
        }
        if (members.has(w) && !previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    const path = [start];
    for (let v = closing!; v !== start; v = previous.get(v)!) path.splice(1, 0, v);
    cycles.push([...path, start]);
  }
  return cycles.sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
}

/** src/**\/*.ts of this checkout, as paths from the repository's root. */
function sourceTree(): Map<string, ImportRef[]> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const tree = new Map<string, ImportRef[]>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(posix.join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        tree.set(path, importsOf(path, readFileSync(posix.join(root, path), 'utf8')));
      }
    }
  };
  walk('src');
  return tree;
}

/**
 * Known violations, each with its reason: `['src/sim/x.ts → ../model/y.js', 'why, and until
 * when']`. Empty: src/ keeps the rule today. An entry is a debt to pay, not a way round
 * the rule, and one that no longer matches anything fails the test.
 */
const allowed: ReadonlyMap<string, string> = new Map<string, string>([]);

const allows = (key: string, violation: string) => {
  const [file, specifier] = key.split(' → ');
  return violation.startsWith(`${file}:`) && violation.includes(`imports '${specifier}'`);
};
const isAllowed = (violation: string) => [...allowed.keys()].some((k) => allows(k, violation));

const show = (cycle: readonly string[]) => cycle.join(' → ');

describe('the layering of src/', () => {
  const tree = sourceTree();
  const { violations, cycles } = checkImports(tree);

  it('finds the sources and their imports', () => {
    expect(tree.size).toBeGreaterThan(50);
    for (const layer of layers) {
      expect(
        [...tree.keys()].some((f) => f.startsWith(`src/${layer}/`)),
        layer,
      ).toBe(true);
    }
    expect(tree.get(entryPoint)?.map((i) => i.specifier)).toContain('./model/index.js');
  });

  it('imports only downwards: cli → report → experiment → harness → invariants → scenario → strategies → model → sim', () => {
    const unexpected = violations.filter((v) => !isAllowed(v));
    expect(unexpected, `imports against the layering:\n${unexpected.join('\n')}`).toEqual([]);
  });

  it('allows no violation that no longer happens', () => {
    const stale = [...allowed.keys()].filter((k) => !violations.some((v) => allows(k, v)));
    expect(stale, 'allow-list entries to remove').toEqual([]);
  });

  it('has no import cycles between files (type-only imports aside)', () => {
    expect(cycles.map(show), 'import cycles').toEqual([]);
  });
});

describe('the layering checker', () => {
  const value = (specifier: string, line = 1): ImportRef => ({ specifier, line, typeOnly: false });
  const type = (specifier: string, line = 1): ImportRef => ({ specifier, line, typeOnly: true });

  it('catches an upward import, naming the file, the line, the import and the rule', () => {
    const { violations } = checkImports(
      new Map([
        ['src/sim/kernel.ts', [value('node:fs'), value('../model/agent.js', 3)]],
        ['src/model/agent.ts', [value('../sim/kernel.js'), value('zod')]],
      ]),
    );
    expect(violations).toEqual([
      "src/sim/kernel.ts:3: imports '../model/agent.js' (src/model/agent.ts): sim may not import from model, a layer above it (cli → report → experiment → harness → invariants → scenario → strategies → model → sim: imports go downwards only)",
    ]);
  });

  it("lets the invariants read the trace records' types only, nothing else below them", () => {
    const { violations } = checkImports(
      new Map([
        [
          'src/invariants/ghosts.ts',
          [
            type('../model/trace-records.js', 1),
            value('./words.js', 2),
            value('../model/metrics.js', 3),
            type('../scenario/parse.js', 4),
            type('../model/metrics.js', 5),
          ],
        ],
        ['src/invariants/words.ts', []],
        ['src/experiment/check.ts', [value('../invariants/ghosts.js')]],
        ['src/scenario/parse.ts', [value('../invariants/words.js', 7)]],
      ]),
    );
    const why =
      'invariants read traces only: they import nothing below them at run time, and only the types of the trace records (src/model/trace-records.ts, `import type`)';
    expect(violations).toEqual([
      `src/invariants/ghosts.ts:3: imports '../model/metrics.js' (src/model/metrics.ts): ${why}`,
      `src/invariants/ghosts.ts:4: imports '../scenario/parse.js' (src/scenario/parse.ts): ${why}`,
      `src/invariants/ghosts.ts:5: imports '../model/metrics.js' (src/model/metrics.ts): ${why}`,
      "src/scenario/parse.ts:7: imports '../invariants/words.js' (src/invariants/words.ts): scenario may not import from invariants, a layer above it (cli → report → experiment → harness → invariants → scenario → strategies → model → sim: imports go downwards only)",
    ]);
  });

  it('lets a layer skip layers below it, and counts type imports too', () => {
    const { violations } = checkImports(
      new Map([
        ['src/cli/main.ts', [value('../sim/trace.js'), value('../version.js')]],
        ['src/strategies/async.ts', [type('../experiment/results.js', 7)]],
      ]),
    );
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^src\/strategies\/async\.ts:7: .*strategies may not import/);
  });

  it('keeps the entry points in their places', () => {
    const { violations } = checkImports(
      new Map([
        ['src/index.ts', [value('./model/index.js'), value('./cli/main.js')]],
        ['src/model/run.ts', [value('../index.js'), value('../version.js')]],
        ['src/version.ts', [value('./sim/index.js')]],
      ]),
    );
    expect(violations.map((v) => v.slice(0, v.indexOf(':')))).toEqual([
      'src/index.ts',
      'src/model/run.ts',
      'src/version.ts',
    ]);
  });

  it('refuses relative imports out of src, self-references, unknown layers and computed names', () => {
    const { violations } = checkImports(
      new Map([
        ['src/model/run.ts', [value('../../test/helpers.js'), value('dispatchlab/sim')]],
        ['src/charts/chart.ts', [value('../model/run.js')]],
        ['src/cli/main.ts', [{ specifier: null, line: 9, typeOnly: false }]],
      ]),
    );
    expect(violations).toHaveLength(4);
    expect(violations[0]).toContain('outside src');
    expect(violations[1]).toContain('the package itself');
    expect(violations[2]).toBe(
      'src/charts/chart.ts: is in no layer: put it in one of cli, report, experiment, harness, invariants, scenario, strategies, model, sim',
    );
    expect(violations[3]).toBe(
      'src/cli/main.ts:9: a dynamic import of a computed name cannot be checked; use a literal',
    );
  });

  it('catches an import cycle and reports it, but not one closed by a type-only import', () => {
    const { violations, cycles } = checkImports(
      new Map([
        ['src/model/a.ts', [value('./b.js')]],
        ['src/model/b.ts', [value('./c.js')]],
        ['src/model/c.ts', [value('./a.js'), value('./d.js')]],
        ['src/model/d.ts', [value('./d.js')]],
        ['src/model/orchestrator.ts', [value('./subagent.js')]],
        ['src/model/subagent.ts', [type('./orchestrator.js')]],
      ]),
    );
    expect(violations).toEqual([]);
    expect(cycles.map(show)).toEqual([
      'src/model/a.ts → src/model/b.ts → src/model/c.ts → src/model/a.ts',
      'src/model/d.ts → src/model/d.ts',
    ]);
  });

  it('reads every form of import from source text', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import { type C } from './c.js';",
      "export * from './d.js';",
      "export type { E } from './e.js';",
      "const f = await import('./f.js');",
      "type G = import('./g.js').G;",
      'const h = await import(name);',
      "import './i.js';",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a template literal
      'const j = await import(`data:text/javascript;base64,${code}`);',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a template literal
      'const k = await import(`./${name}.js`);',
    ].join('\n');
    expect(importsOf('src/model/x.ts', text)).toEqual([
      { specifier: './a.js', line: 1, typeOnly: false },
      { specifier: './b.js', line: 2, typeOnly: true },
      { specifier: './c.js', line: 3, typeOnly: false },
      { specifier: './d.js', line: 4, typeOnly: false },
      { specifier: './e.js', line: 5, typeOnly: true },
      { specifier: './f.js', line: 6, typeOnly: false },
      { specifier: './g.js', line: 7, typeOnly: true },
      { specifier: null, line: 8, typeOnly: false },
      { specifier: './i.js', line: 9, typeOnly: false },
      { specifier: 'data:', line: 10, typeOnly: false },
      { specifier: null, line: 11, typeOnly: false },
    ]);
  });
});
