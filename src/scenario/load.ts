/**
 * Reading a scenario file: YAML (`.yaml`, `.yml`) or JSON (`.json`; YAML otherwise, which
 * reads JSON too). Every way a file can be unusable — missing, a directory, a pipe or a
 * device, too large, empty, not YAML or JSON, nested absurdly deep, an alias bomb, a
 * repeated key, not a mapping — becomes a ScenarioError that names the file and says what
 * to do; no input makes the reader hang, exhaust the memory or overflow the stack. The
 * strategy modules a file names are loaded with it (strategy-modules.ts).
 */
import { dirname, extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ScenarioError } from './errors.js';
import { BoundedReadError, formatBytes, readBoundedText } from './files/bounded-read.js';
import { scanJson } from './files/json-scan.js';
import { limits } from './limits.js';
import { parseScenario, type Scenario } from './parse.js';
import { loadStrategyModules } from './strategy-modules.js';
import { yamlNestingDepth } from './yaml-depth.js';

const exampleHint = 'see scenarios/docs-audit.yaml for a complete example';

function fail(file: string, message: string): never {
  throw new ScenarioError(file, [{ path: '', message }]);
}

function tooDeep(file: string, line?: number): never {
  const where = line === undefined ? '' : ` (by line ${line})`;
  fail(
    file,
    `nests lists and mappings more than ${limits.nesting} levels deep${where}; a scenario needs a few, a mixture nested 16 deep about 70, so look for a runaway structure.`,
  );
}

/** The file's text, read within the limits; a ScenarioError for anything unreadable. */
function readText(file: string): string {
  try {
    return readBoundedText(file, limits.scenarioFileBytes);
  } catch (err) {
    if (err instanceof BoundedReadError) {
      if (err.reason === 'directory')
        fail(file, `is a directory; give a scenario file inside it (${exampleHint}).`);
      if (err.reason === 'too-large')
        fail(
          file,
          `is larger than ${formatBytes(limits.scenarioFileBytes)}, the most read from a scenario file; a scenario is a few dozen lines (put observed latencies in a separate file: { dist: empirical, file: ... }).`,
        );
      fail(file, `${err.detail}.`);
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(file, `no such file (looked in ${resolve(file)}); check the path.`);
    if (code === 'EACCES') fail(file, 'cannot be read (permission denied).');
    fail(file, `cannot be read: ${(err as Error).message}`);
  }
}

function readJson(file: string, text: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    fail(file, `is not valid JSON: ${(err as Error).message}.`);
  }
  // JSON.parse keeps the last of two equal keys without a word; YAML refuses them, and so
  // must JSON: one of the two values is a mistake the user should see.
  const shape = scanJson(text);
  if (shape.duplicate !== undefined) {
    const { key, line, column, firstLine } = shape.duplicate;
    fail(
      file,
      `the key "${key}" appears twice in one object (line ${firstLine}, and again at line ${line}, column ${column}); keep one.`,
    );
  }
  if (shape.depth > limits.nesting) tooDeep(file);
  return data;
}

function readYaml(file: string, text: string): unknown {
  const depth = yamlNestingDepth(text, limits.nesting);
  if (depth.depth > limits.nesting) tooDeep(file, depth.line);
  try {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const error = doc.errors[0];
    if (error !== undefined) {
      // The first line of a pretty error already says where: "... at line 2, column 3:".
      fail(file, `is not valid YAML: ${error.message.split('\n')[0]!.replace(/:$/, '')}.`);
    }
    return doc.toJS({ maxAliasCount: limits.yamlAliases });
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    // An alias bomb ("billion laughs") and an alias to no anchor are thrown by toJS.
    if (/alias count/i.test(message)) {
      fail(
        file,
        `expands its YAML aliases (*name) more than ${limits.yamlAliases} times over, as an "alias bomb" does; write the values out instead of aliasing aliases.`,
      );
    }
    if (/unresolved alias/i.test(message)) {
      fail(
        file,
        `is not valid YAML: ${message.replace(/\.?$/, '')}; define the anchor (&name) before using it.`,
      );
    }
    fail(file, `is not valid YAML: ${message.split('\n')[0]!.replace(/\.?$/, '')}.`);
  }
}

/** The file's content as plain data (not yet checked against the schema). */
export function readScenarioData(file: string): unknown {
  let text = readText(file);
  // A byte-order mark, as some Windows editors write: YAML skips it, JSON.parse would not.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    fail(
      file,
      `is empty; a scenario needs at least name, description, tasks, subagents and strategies (${exampleHint}).`,
    );
  }
  return extname(file).toLowerCase() === '.json' ? readJson(file, text) : readYaml(file, text);
}

/**
 * Reads, checks and builds a scenario from a file, compiling and importing the strategy
 * modules it names (strategy-modules.ts: their top-level code runs): hence asynchronous.
 */
export async function loadScenario(
  file: string,
  options: {
    /** Strategy entries to check instead of the file's (`check --strategy-module`). */
    readonly strategies?: readonly unknown[];
  } = {},
): Promise<Scenario> {
  const data = readScenarioData(file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got = Array.isArray(data) ? 'a list' : data === null ? 'nothing' : `a ${typeof data}`;
    fail(
      file,
      `the top level must be a mapping of fields (name, description, tasks, subagents, strategies), got ${got}.`,
    );
  }
  const baseDir = dirname(resolve(file));
  const input =
    options.strategies === undefined ? data : { ...data, strategies: options.strategies };
  const modules = await loadStrategyModules(input, { baseDir });
  return parseScenario(input, { source: file, file, baseDir, modules });
}

/**
 * A scenario from data made in memory (`check` without a FILE): checked and built as a
 * file's would be, its relative module paths resolved from `baseDir`.
 */
export async function scenarioFromData(
  data: object,
  source: string,
  baseDir: string,
): Promise<Scenario> {
  const modules = await loadStrategyModules(data, { baseDir });
  return parseScenario(data, { source, baseDir, modules });
}
