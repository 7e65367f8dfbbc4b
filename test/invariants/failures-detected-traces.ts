/**
 * Small helpers for the failuresDetected tests: a header and records written by hand (as a
 * tool other than dispatchlab would write them), the checker run over a whole trace, and
 * the simulator's runs of the bundled scenarios as records.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runOnce } from '../../src/experiment/run-seeds.js';
import { checkRecords, type InvariantCheck } from '../../src/invariants/check-trace.js';
import { failuresDetected } from '../../src/invariants/failures-detected.js';
import type { RunMetrics } from '../../src/model/metrics.js';
import type { ModelTraceRecord, TraceHeader } from '../../src/model/trace-records.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/parse.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { header as validHeader } from './traces.js';

type Rec = ModelTraceRecord;
type Settings = TraceHeader['settings'];
type Fate = 'ok' | 'error' | 'hang' | 'needs-permission';

/** A header: background, events, no WIP limit, no timeout, no retries, unless `settings` says. */
export function header(tasks: number, settings: Partial<Settings> = {}): TraceHeader {
  // traces.ts's header, with costs that let a busy orchestrator be told from an idle one.
  const base = validHeader({ tasks, settings });
  return { ...base, costs: { ...base.costs, dispatch: 1, process: 5, synthesize: 5 } };
}

// ---- records, one function per type, arguments in the order a reader says them ----

export const spawn = (
  t: number,
  agent: number,
  task: number,
  attempt = 0,
  reason: 'first' | 'retry' | 'redispatch' = 'first',
): Rec => ({ t, type: 'spawn', agent, task, attempt, reason });

/** A start with the simulation's `world`: `work` null for a hang. */
export const start = (t: number, agent: number, fate: Fate, work: number | null): Rec => ({
  t,
  type: 'start',
  agent,
  world: { fate, work },
});

export const end = (t: number, agent: number, fate: 'ok' | 'error'): Rec => ({
  t,
  type: 'end',
  agent,
  fate,
});
export const deadline = (t: number, agent: number): Rec => ({ t, type: 'deadline', agent });
export const cancel = (
  t: number,
  agent: number,
  reason: 'timeout' | 'watchdog' = 'timeout',
): Rec => ({
  t,
  type: 'cancel',
  agent,
  reason,
});
export const poll = (t: number, agent: number, status: 'running' | 'overdue' | 'ended'): Rec => ({
  t,
  type: 'poll',
  agent,
  status,
});
export const pollRound = (t: number, start: number): Rec => ({ t, type: 'poll.round', start });
export const deliver = (t: number, agent: number): Rec => ({ t, type: 'deliver', agent });
export const detect = (
  t: number,
  agent: number,
  task: number,
  failure: 'error' | 'timeout',
): Rec => ({ t, type: 'detect', agent, task, failure });
export const drop = (t: number, agent: number): Rec => ({ t, type: 'drop', agent });
export const forget = (t: number, agent: number, task: number): Rec => ({
  t,
  type: 'forget',
  agent,
  task,
});
export const compaction = (t: number, before: number, after: number): Rec => ({
  t,
  type: 'compaction',
  before,
  after,
});
export const turn = (t: number): Rec => ({ t, type: 'turn', context: 0 });
export const busy = (
  t: number,
  kind: 'dispatch' | 'plan' | 'process' | 'poll' | 'synthesize' | 'compaction' | 'turn',
  start: number,
): Rec => ({ t, type: 'busy', kind, start });
export const idle = (t: number, start: number): Rec => ({ t, type: 'idle', start });

/** Processing a result from `from` to `to`, and the task's success with it. */
export const processed = (from: number, to: number, agent: number, task: number): Rec[] => [
  { t: from, type: 'process.start', agent, task },
  busy(to, 'process', from),
  { t: to, type: 'process.end', agent, task, caught: false, world: { correct: true } },
  { t: to, type: 'resolve', task, outcome: 'succeeded', agent, world: { correct: true } },
];

export const givenUp = (t: number, task: number, attempts: number): Rec => ({
  t,
  type: 'resolve',
  task,
  outcome: 'given-up',
  reason: 'retries-exhausted',
  attempts,
});

/** Synthesis from `from` to `to`, and the end of the run. */
export const synthesized = (from: number, to: number): Rec[] => [
  busy(to, 'synthesize', from),
  { t: to, type: 'synthesize' },
  runEnd(to, 'completed'),
];

export const runEnd = (
  t: number,
  outcome: 'completed' | 'deadlock' | 'incomplete',
  unresolved = 0,
): Rec => ({
  t,
  type: 'run.end',
  outcome,
  makespan: t,
  deadlock: outcome === 'deadlock' ? 'the orchestrator waits for a subagent' : null,
  unresolved,
});

// ---- traces ----

/** The trace as another tool may write it: `start` records without `world`. */
export function withoutWorld(records: readonly Rec[]): Rec[] {
  return records.map((r) => {
    if (r.type !== 'start') return r;
    const { world: _world, ...rest } = r;
    // The model's type requires `world`; the format makes it optional (trace-format.md).
    return rest as unknown as Rec;
  });
}

/** The trace without the records of these types. */
export function without(records: readonly Rec[], ...types: readonly Rec['type'][]): Rec[] {
  return records.filter((r) => !types.includes(r.type));
}

/** failuresDetected's verdict on a whole trace (header first). */
export function check(records: readonly Rec[]): InvariantCheck {
  return checkRecords(records, [failuresDetected]).results[0]!;
}

// ---- the simulator's runs ----

const scenarioDir = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Every bundled scenario (scenarios/*.yaml), with its file's name. */
export async function bundledScenarios(): Promise<{ file: string; scenario: Scenario }[]> {
  const files = readdirSync(scenarioDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return Promise.all(
    files.map(async (file) => ({ file, scenario: await loadScenario(scenarioDir + file) })),
  );
}

/** One run of one of the scenario's strategies, as its trace's records and its metrics. */
export function runRecords(
  scenario: Scenario,
  config: Scenario['strategies'][number],
  seed: number,
): { records: Rec[]; metrics: RunMetrics } {
  const trace = new MemoryTrace<Rec>();
  const { metrics } = runOnce(scenario, config, seed, trace);
  return { records: trace.records, metrics };
}
