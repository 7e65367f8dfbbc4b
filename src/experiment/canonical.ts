/**
 * A fingerprint of a scenario input (and of the strategy modules it names), so that shards
 * run on different machines can prove they simulated the same thing before they are merged.
 */
import { createHash } from 'node:crypto';
import { isModuleStrategy } from '../scenario/module-strategy.js';
import { isOrchestratorModule } from '../scenario/orchestrator-module.js';
import type { AnyScenario } from '../scenario/parse.js';
import type { ScenarioInput } from '../scenario/schema.js';

/**
 * JSON with object keys sorted at every level (arrays keep their order) and undefined
 * properties left out: equal data gives equal text, however its keys were ordered in the
 * file it came from.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new RangeError(`canonicalJson: ${value} has no JSON form`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * `sha256:` and the hex SHA-256 of the canonical JSON of the input — the normalized input,
 * shorthands expanded (`tasks: 200` and `tasks: { count: 200 }` are one experiment) —
 * without `$schema` (an
 * editor hint), `seeds` (documents record their seeds themselves, and a command line
 * may override them) and each strategy entry's `expect:` (what `check` is told to find). Data files the input refers to (empirical latencies) are not
 * hashed: they must be the same wherever shards run.
 *
 * Strategy and orchestrator modules are code, which changes more often than data and
 * changes what a run does: `modules` maps each module entry's path, as written, to the digest of its sources
 * (the file and its relative imports: src/scenario/strategy-modules.ts), and is hashed
 * beside the input under the key `modules` (no scenario field has that name). Without
 * modules the hash is the input's alone, as it always was.
 */
export function inputHash(
  input: ScenarioInput,
  modules: Readonly<Record<string, string>> = {},
): string {
  const { $schema: _schema, seeds: _seeds, ...rest } = input;
  // What a strategy is declared to break (`expect:`) is a claim about the runs, not part
  // of them: adding one does not make earlier documents another experiment's.
  const world = Array.isArray(rest.strategies)
    ? { ...rest, strategies: rest.strategies.map(withoutExpect) }
    : rest;
  const hashed = Object.keys(modules).length === 0 ? world : { ...world, modules };
  return `sha256:${createHash('sha256').update(canonicalJson(hashed)).digest('hex')}`;
}

function withoutExpect(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null || !('expect' in entry)) return entry;
  const { expect: _expect, ...rest } = entry as Record<string, unknown>;
  return rest;
}

/**
 * Hashes already computed, per scenario object. Every traced run names its scenario's hash
 * in the trace's header, and `check` traces thousands of runs of one scenario: hashing the
 * canonical JSON each time cost about as much as a run. A scenario is read-only once
 * parsed; the input and strategies it was hashed from are kept beside the hash, so that a
 * scenario object whose fields were swapped is hashed anew rather than trusted.
 */
const hashes = new WeakMap<
  AnyScenario,
  {
    readonly input: AnyScenario['input'];
    readonly strategies: AnyScenario['strategies'];
    readonly hash: string;
  }
>();

/** A scenario's inputHash: its input, and the digests of the strategy modules it names. */
export function scenarioInputHash(scenario: AnyScenario): string {
  const cached = hashes.get(scenario);
  if (
    cached !== undefined &&
    cached.input === scenario.input &&
    cached.strategies === scenario.strategies
  ) {
    return cached.hash;
  }
  const hash = hashScenario(scenario);
  hashes.set(scenario, { input: scenario.input, strategies: scenario.strategies, hash });
  return hash;
}

function hashScenario(scenario: AnyScenario): string {
  const modules: Record<string, string> = {};
  for (const s of scenario.strategies) {
    if (isModuleStrategy(s)) modules[s.module] = s.digest;
    else if (isOrchestratorModule(s)) modules[s.orchestrator] = s.digest;
  }
  return inputHash(scenario.input, modules);
}
