/**
 * A counterexample as a scenario file of its own: the shrunk world, the one strategy that
 * broke, its seed as the only one. `dispatchlab check FILE --runs 0` on it breaks the same
 * invariant, and so does `dispatchlab run FILE` with `--trace`. Comments mark the fields
 * the generator changed (with the scenario's value) and those that did not matter (the
 * run breaks the same without them), so that a reader sees at once what the failure needs.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import YAML, { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { AnyScenario } from '../scenario/parse.js';
import type { NormalizedScenarioInput } from '../scenario/schema.js';
import { dispatchlabVersion as version } from '../version.js';
import type { Counterexample } from './generated-check.js';

export interface CounterexampleFileOptions {
  readonly scenario: AnyScenario;
  readonly counterexample: Counterexample;
  readonly label: string;
  /** The folder the file goes to: relative paths in it (a strategy module, a latency file) are rewritten from there. */
  readonly dir: string;
  /** The command that replays it, for the header comment. */
  readonly replay: string;
}

/** The YAML text of the counterexample's scenario. */
export function counterexampleYaml(options: CounterexampleFileOptions): string {
  const { scenario, counterexample: c, label } = options;
  const broken = c.breaches.map((b) => b.invariant).join(', ');
  const input = rebasedPaths(c.input, scenario.baseDir, options.dir);
  // The schema link is relative to the scenario's folder, not this file's.
  const { $schema: _schema, ...rest } = input;
  const named = {
    ...rest,
    name: `${scenario.name}-counterexample`,
    description: `Found by dispatchlab check ${version} from ${scenario.name}: on this workload and seed ${c.seed}, strategy "${label}" breaks ${broken}.`,
  };
  const doc = new YAML.Document(named);
  doc.commentBefore = [
    ` A counterexample found by dispatchlab check ${version} (the workload fast-check shrank to).`,
    ` Check it again: dispatchlab check THIS-FILE --runs 0`,
    ` Replay it from the scenario: ${options.replay}`,
    ' "changed": where the generator changed the scenario. "did not matter": the run breaks',
    ' the same without the field (each was left out alone).',
  ].join('\n');
  // One comment a field: a changed field that did not matter says both.
  const notes = new Map<string, string[]>();
  const note = (path: string, text: string) => notes.set(path, [...(notes.get(path) ?? []), text]);
  for (const path of c.changed) {
    const before = valueAt(scenario.input, path);
    note(path, `changed${before === undefined ? '' : ` (the scenario's: ${inline(before)})`}`);
  }
  for (const path of c.irrelevant) note(path, 'did not matter');
  for (const [path, texts] of notes) mark(doc, path, texts.join('; '));
  return doc.toString({ lineWidth: 100 });
}

/** A value on one line, as YAML's flow style writes it: `{ dist: lognormal, median: 90s }`. */
export function inline(value: unknown): string {
  const doc = new YAML.Document(value);
  doc.contents = doc.createNode(value, { flow: true });
  return doc.toString({ lineWidth: 0 }).trim();
}

/** The value at a dotted path of mappings, or undefined. */
export function valueAt(input: unknown, path: string): unknown {
  let node = input;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Puts a comment on the field at `path`: after a scalar, before a mapping or a list. */
function mark(doc: YAML.Document, path: string, text: string): void {
  const parts = path.split('.');
  const node = doc.getIn(parts, true) as Node | undefined;
  if (node === undefined) return;
  if (isScalar(node)) node.comment = ` ${text}`;
  else if (isMap(node) || isSeq(node)) {
    // A comment before the field's key: put it on the parent's pair.
    const parent = parts.length === 1 ? doc.contents : doc.getIn(parts.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === parts.at(-1));
      if (pair !== undefined && isScalar(pair.key)) pair.key.commentBefore = ` ${text}`;
    }
  }
}

/**
 * Relative paths the scenario resolved from its own folder (a strategy or orchestrator
 * module, an empirical latency file), rewritten relative to `dir`, where the
 * counterexample goes.
 */
function rebasedPaths(
  input: NormalizedScenarioInput,
  baseDir: string,
  dir: string,
): NormalizedScenarioInput {
  // An absolute path too (a --strategy-module, an --orchestrator-module): relative, the
  // folder moves with its files.
  const rebase = (p: string) => {
    const r = relative(resolve(dir), isAbsolute(p) ? p : resolve(baseDir, p));
    return r.startsWith('.') ? r : `./${r}`;
  };
  const strategies = input.strategies.map((entry) => {
    const e = entry as unknown as Record<string, unknown>;
    if (typeof e.module === 'string') return { ...e, module: rebase(e.module) };
    if (typeof e.orchestrator === 'string') return { ...e, orchestrator: rebase(e.orchestrator) };
    return entry;
  });
  const latency = input.subagents.latency as Record<string, unknown> | undefined;
  const subagents =
    latency !== null && typeof latency === 'object' && typeof latency.file === 'string'
      ? { ...input.subagents, latency: { ...latency, file: rebase(latency.file) } }
      : input.subagents;
  // The input's own type: only paths changed.
  return { ...input, strategies, subagents } as NormalizedScenarioInput;
}
