/**
 * Traces for the invariants' tests: a header with sensible defaults, a checker fed a
 * whole trace, and the trace of a bundled scenario's run.
 *
 * Hand-written records leave out every `world` field, as a trace from real orchestrator
 * code does (docs/trace-format.md, "What only a simulation knows"): the checkers must
 * judge from the facts any trace carries.
 */
import { fileURLToPath } from 'node:url';
import { runOnce } from '../../src/experiment/run-seeds.js';
import { failuresDetected } from '../../src/invariants/failures-detected.js';
import { invariants } from '../../src/invariants/index.js';
import type { CheckResult, Invariant } from '../../src/invariants/invariant.js';
import type { ModelTraceRecord, TraceHeader } from '../../src/model/trace-records.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/parse.js';
import { MemoryTrace } from '../../src/sim/trace.js';

/** A record as real code writes it: no `world` field. */
export type RealRecord =
  Exclude<ModelTraceRecord, TraceHeader> extends infer R
    ? R extends unknown
      ? Omit<R, 'world'>
      : never
    : never;

/** A whole trace: its header first, then records as real code or the simulator writes them. */
export type Trace = readonly (TraceHeader | RealRecord | ModelTraceRecord)[];

/**
 * The invariants the hand-written traces of the per-invariant tests are judged by: every
 * one `dispatchlab check` checks (src/invariants/index.ts) but failuresDetected. That one
 * wants a `detect` after every cancel, which these traces, each written about one other
 * rule, leave out; it has hand-written traces of its own (failures-detected-traces.ts).
 */
export const exceptFailuresDetected: readonly Invariant[] = invariants.filter(
  (i) => i !== failuresDetected,
);

/** The names of the invariants `among` (all but failuresDetected unless said) that the trace breaks, in order. */
export function failing(
  trace: Trace,
  among: readonly Invariant[] = exceptFailuresDetected,
): string[] {
  return among.filter((i) => check(i, trace).status === 'fail').map((i) => i.name);
}

type HeaderOverrides = Partial<Omit<TraceHeader, 'settings'>> & {
  readonly settings?: Partial<TraceHeader['settings']>;
};

/**
 * A valid header: 3 independent tasks, background async with events, no WIP limit, no
 * timeout, no retries, a durable registry; anything overridden, `settings` field by field.
 */
export function header(overrides: HeaderOverrides = {}): TraceHeader {
  const { settings, ...rest } = overrides;
  const zero = { dispatch: 0, plan: 0, process: 0, poll: 0, answer: 0, synthesize: 0 };
  return {
    t: 0,
    type: 'run.start',
    format: 'dispatchlab-trace',
    version: 1,
    tool: { name: 'hand-written', version: '0' },
    scenario: null,
    seed: 0,
    strategy: { label: 'hand-written', description: null },
    settings: {
      mode: 'background',
      wip: null,
      timeout: null,
      retries: 0,
      continuation: 'events',
      pollInterval: null,
      registry: 'durable',
      resume: false,
      forgottenTimeout: 'runtime',
      ...settings,
    },
    tasks: 3,
    dependencies: [],
    costs: { ...zero, compaction: 0, turn: 0 },
    context: {
      base: 0,
      perHandle: 0,
      perResult: 0,
      perSummary: 0,
      budget: null,
      compactionKeeps: 0.25,
      forgetProbability: 0,
    },
    tokens: { output: { ...zero, compaction: 0 }, subagentPerSecond: 0 },
    world: {
      quality: { base: 1, validation: 0, learningRate: 0, deniedPenalty: 0, propagation: 0 },
    },
    ...rest,
  };
}

/**
 * One invariant's verdict on a whole trace, header first: a checker created from the
 * header, fed every other record with its index (the header's being 0), then asked.
 */
export function check(invariant: Invariant, trace: Trace): CheckResult {
  const [first, ...rest] = trace;
  if (first?.type !== 'run.start') throw new Error('a trace begins with its header');
  const checker = invariant.create(first);
  // A record without `world` is what real code writes; the record types make `world`
  // required because the simulator always writes it, and no checker reads it.
  for (const [i, record] of rest.entries()) checker.observe(record as ModelTraceRecord, i + 1);
  return checker.result();
}

/**
 * A completed run of one subagent per task, tasks 0 to n − 1, each spawned at `t`,
 * started at once, ended ok at `t + 10` and processed: the skeleton the near-misses
 * are built on.
 */
export function cleanRun(n = 3): (TraceHeader | RealRecord)[] {
  const records: RealRecord[] = [];
  for (let i = 0; i < n; i++) {
    records.push({ t: i, type: 'spawn', agent: i, task: i, attempt: 0, reason: 'first' });
    records.push({ t: i, type: 'start', agent: i });
  }
  const t = n + 9;
  for (let i = 0; i < n; i++) {
    const t = i + 10;
    records.push({ t, type: 'end', agent: i, fate: 'ok' });
    records.push({ t, type: 'deliver', agent: i });
    records.push({ t, type: 'process.start', agent: i, task: i });
    records.push({ t, type: 'process.end', agent: i, task: i, caught: false });
    records.push({ t, type: 'resolve', task: i, outcome: 'succeeded', agent: i });
  }
  records.push({
    t,
    type: 'run.end',
    outcome: 'completed',
    makespan: t,
    deadlock: null,
    unresolved: 0,
  });
  return [header({ tasks: n }), ...records];
}

const scenariosDir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const loaded = new Map<string, Promise<Scenario>>();

/** A bundled scenario (scenarios/FILE), loaded once per test file. */
export function bundled(file: string): Promise<Scenario> {
  let scenario = loaded.get(file);
  if (scenario === undefined) {
    scenario = loadScenario(`${scenariosDir}${file}`);
    loaded.set(file, scenario);
  }
  return scenario;
}

/** The trace of one run of a bundled scenario's strategy (by its place in the file) at a seed. */
export async function simulated(
  scenarioFile: string,
  strategyIndex: number,
  seed: number,
): Promise<[TraceHeader, ...ModelTraceRecord[]]> {
  const scenario = await bundled(scenarioFile);
  const config = scenario.strategies[strategyIndex];
  if (config === undefined) {
    throw new RangeError(`${scenarioFile} has no strategy ${strategyIndex}`);
  }
  const trace = new MemoryTrace<ModelTraceRecord>();
  runOnce(scenario, config, seed, trace);
  const [first, ...rest] = trace.records;
  if (first?.type !== 'run.start') throw new Error(`${scenarioFile}: the trace has no header`);
  return [first, ...rest];
}
