/**
 * Reading a scenario file: YAML (`.yaml`, `.yml`) or JSON (`.json`; YAML otherwise, which
 * reads JSON too). Every way a file can be unusable — missing, a directory, empty, not
 * YAML, not a mapping — becomes a ScenarioError that says what to do.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ScenarioError } from './errors.js';
import { parseScenario, type Scenario } from './parse.js';

const exampleHint = 'see scenarios/docs-audit.yaml for a complete example';

function fail(file: string, message: string): never {
  throw new ScenarioError(file, [{ path: '', message }]);
}

/** The file's content as plain data (not yet checked against the schema). */
export function readScenarioData(file: string): unknown {
  let text: string;
  try {
    if (statSync(file).isDirectory())
      fail(file, `is a directory; give a scenario file inside it (${exampleHint}).`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(file, `no such file (looked in ${resolve(file)}); check the path.`);
    if (code === 'EACCES') fail(file, 'cannot be read (permission denied).');
    fail(file, `cannot be read: ${(err as Error).message}`);
  }
  if (text.trim() === '') {
    fail(
      file,
      `is empty; a scenario needs at least name, description, tasks, subagents and strategies (${exampleHint}).`,
    );
  }
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      fail(file, `is not valid JSON: ${(err as Error).message}.`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    // The first line of a pretty error already says where: "... at line 2, column 3:".
    fail(file, `is not valid YAML: ${error.message.split('\n')[0]!.replace(/:$/, '')}.`);
  }
  return doc.toJS();
}

/** Reads, checks and builds a scenario from a file. */
export function loadScenario(file: string): Scenario {
  const data = readScenarioData(file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got = Array.isArray(data) ? 'a list' : data === null ? 'nothing' : `a ${typeof data}`;
    fail(
      file,
      `the top level must be a mapping of fields (name, description, tasks, subagents, strategies), got ${got}.`,
    );
  }
  return parseScenario(data, { source: file, baseDir: dirname(resolve(file)) });
}
