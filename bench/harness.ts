/**
 * Harness benchmark: how many simulated subagent completions per second of wall time does
 * the real-code harness run (a user's async orchestrator under fake timers), next to the
 * model running the equivalent built-in strategy on the same world and seeds, in the same
 * process? Two async examples, each its own pair (`--example polling|events|both`):
 *   - polling: examples/harness/async-wip-polling.ts (`asyncWipPolling`) against
 *              `asyncDispatch` with `continuation: 'polling'`, the same WIP, poll interval,
 *              timeout (none) and retries;
 *   - events:  examples/harness/async-events.ts (`asyncEvents`) against `asyncDispatch`
 *              with `continuation: 'events'`, the same WIP, timeout and retries.
 *
 * Workload: 1,000 tasks, lognormal latencies (median 90 s, p95 600 s), 5% errors retried
 * twice, orchestrator costs dispatch 1 s, poll 0.1 s per check, process 2 s, synthesize
 * 10 s; WIP 50; polling: a poll round every 30 s. No timeout in either pair. One timed
 * pass runs seeds 0..N-1 (default 5) of
 * one side of one pair:
 *   - harness: `runOrchestrator` on the example, its trace and the model's metrics built
 *              as it goes;
 *   - model:   `runStrategy` with the equivalent strategy, no trace.
 * A completion is a subagent that ended by itself: an `end` record of the harness's trace;
 * in the model, a spawn (the world has no hangs and no subagent reaches its timeout, so
 * every spawn ends, which the check below confirms on a traced run). Target: the harness
 * runs at least 50,000 completions per second, for each example.
 *
 * Both sides of a pair must do the same work, checked outside the timed region on the
 * first pass of each side, per seed: every run completed with every task resolved; on both
 * sides every spawned subagent ended by itself (none cancelled, none past a deadline); both
 * spawned as many subagents, each task as many times, and the same tasks succeeded and the
 * same were given up (attempt k of task t draws its fate and its work from the same stream
 * on both sides, so when they happen does not change what happens). Makespans are not
 * compared: in the events pair the code dispatches a task only once a slot is free, while
 * the model dispatches every task up front into the platform's queue, so the dispatches'
 * cost falls at other times; in the polling pair the example's poll rounds are its own,
 * not timed as the model's, and the makespans are seconds apart.
 * The model's side is checked on a run with a trace, which must repeat its untraced
 * reference (makespan, spawns). Every pass repeats the first pass of its side (makespans
 * and completions), so a timed pass cannot measure different runs.
 *
 * Method (as bench:check), per example: warm-up passes of both sides, alternating, then N
 * rounds (default 7) of one harness and one model pass, the order swapped each round, with
 * a regular major GC before each timed pass (lib/memory.ts, getMajorGc). Medians (min,
 * max); the ratio is the median of the rounds' paired ratios, beside the ratio of medians.
 *
 * Usage: npm run bench:harness -- [--example polling|events|both] [--rounds N] [--seeds N]
 *        [--poll S] [--json] [--only KEY] [--help]
 */
import { performance } from 'node:perf_hooks';
import {
  type AsyncEventsOptions,
  asyncEvents,
  asyncEventsSettings,
} from '../examples/harness/async-events.js';
import {
  type AsyncWipPollingOptions,
  asyncWipPolling,
  settings as asyncWipPollingSettings,
} from '../examples/harness/async-wip-polling.js';
import { runOrchestrator } from '../src/harness/index.js';
import { type WorldConfig, world } from '../src/model/config.js';
import type { RunMetrics } from '../src/model/metrics.js';
import { runStrategy } from '../src/model/run.js';
import type { Strategy } from '../src/model/strategy.js';
import type { ModelTraceRecord } from '../src/model/trace-records.js';
import { alignColumns } from '../src/report/format.js';
import { LognormalDistribution } from '../src/sim/distributions/lognormal.js';
import { MemoryTrace } from '../src/sim/trace.js';
import { asyncDispatch } from '../src/strategies/index.js';
import { getMajorGc } from './lib/memory.js';
import { benchOptions } from './lib/options.js';
import { environment, progress } from './lib/report.js';
import { median, type Summary, summarize } from './lib/stats.js';

const TASKS = 1000;
const LATENCY = { median: 90, p95: 600 } as const;
const ERROR_RATE = 0.05;
const COSTS = { dispatch: 1, process: 2, synthesize: 10 } as const;
/**
 * Seconds per check, by default: a check is a call the polling orchestrator makes and pays
 * for. Under the harness each costly check is a timer of its own, most of a run's timers.
 */
const DEFAULT_POLL = 0.1;
const WIP = 50;
const RETRIES = 2;
const POLLING_OPTIONS: AsyncWipPollingOptions = {
  wip: WIP,
  pollInterval: 30,
  timeout: Number.POSITIVE_INFINITY,
  retries: RETRIES,
};
const EVENTS_OPTIONS: AsyncEventsOptions = {
  wip: WIP,
  timeout: Number.POSITIVE_INFINITY,
  retries: RETRIES,
};
/** Harness completions per second of wall time, at least. */
const TARGET = 50_000;
const DEFAULT_ROUNDS = 7;
/** 5 seeds: about 5,300 completions per pass, long enough to time, short enough to repeat. */
const DEFAULT_SEEDS = 5;
/** A model run takes milliseconds: its pass runs the seeds this many times over. */
const MODEL_REPEATS = 10;
/** Warm-up of each example: passes of both sides, alternating, until this much wall time has gone by. */
const WARM_UP_SECONDS = 3;
const MIN_WARM_UP_PASSES = 2;

const SIDE_KEYS = ['harness', 'model'] as const;
type Side = (typeof SIDE_KEYS)[number];

const EXAMPLE_KEYS = ['polling', 'events'] as const;
type ExampleKey = (typeof EXAMPLE_KEYS)[number];

/** One pair: an example run under the harness, and the built-in strategy it is measured against. */
interface Example {
  readonly key: ExampleKey;
  readonly file: string;
  /** How the code dispatches, for the section's heading. */
  readonly shape: string;
  /** Its options as the JSON summary gives them: null for none. */
  readonly options: Readonly<Record<string, number | null>>;
  readonly strategy: Strategy;
  run(w: WorldConfig, seed: number): Promise<HarnessOutput>;
  /** Why the makespans of the two sides differ, when they do. */
  readonly makespans: string;
}

/** What the benchmark reads of a harness run. */
interface HarnessOutput {
  readonly metrics: RunMetrics;
  readonly records: readonly ModelTraceRecord[];
}

const jsonLimit = (x: number): number | null => (Number.isFinite(x) ? x : null);

const EXAMPLES: Readonly<Record<ExampleKey, Example>> = {
  polling: {
    key: 'polling',
    file: 'examples/harness/async-wip-polling.ts',
    shape: `dispatches every task up front into the platform's queue, WIP ${WIP}, a poll round every ${POLLING_OPTIONS.pollInterval} s, no timeout, ${RETRIES} retries`,
    options: { ...POLLING_OPTIONS, timeout: jsonLimit(POLLING_OPTIONS.timeout) },
    strategy: asyncDispatch({
      wip: POLLING_OPTIONS.wip,
      continuation: 'polling',
      pollInterval: POLLING_OPTIONS.pollInterval,
      timeout: POLLING_OPTIONS.timeout,
      retries: POLLING_OPTIONS.retries,
    }),
    run: (w, seed) =>
      runOrchestrator({
        world: w,
        seed,
        orchestrator: asyncWipPolling(POLLING_OPTIONS),
        settings: asyncWipPollingSettings(POLLING_OPTIONS),
        label: 'async-wip-polling',
      }),
    makespans: 'the example’s poll rounds are its own, not timed as the model’s (seconds apart)',
  },
  events: {
    key: 'events',
    file: 'examples/harness/async-events.ts',
    shape: `dispatches a task when a slot is free, WIP ${WIP}, learns of ends by events, no timeout, ${RETRIES} retries`,
    options: { ...EVENTS_OPTIONS },
    strategy: asyncDispatch({
      wip: EVENTS_OPTIONS.wip,
      continuation: 'events',
      timeout: EVENTS_OPTIONS.timeout,
      retries: EVENTS_OPTIONS.retries,
    }),
    run: (w, seed) =>
      runOrchestrator({
        world: w,
        seed,
        orchestrator: asyncEvents(EVENTS_OPTIONS),
        settings: asyncEventsSettings(EVENTS_OPTIONS),
        label: 'async-events',
      }),
    makespans:
      'the code dispatches a task only once a slot is free, the model every task up front into the platform’s queue',
  },
};

/** The world, with `poll` seconds per check. */
function benchWorld(poll: number): WorldConfig {
  return world({
    tasks: TASKS,
    latency: new LognormalDistribution(LATENCY),
    failures: { error: ERROR_RATE },
    orchestrator: { ...COSTS, poll },
  });
}

// ---------------------------------------------------------------------------------------
// One pass: one side on every seed

/** What a run did, per seed, compared across passes of a side (outside the timed region). */
interface Work {
  readonly makespans: Float64Array;
  /** Subagents that ended by themselves. */
  readonly completions: Int32Array;
  readonly spawns: Int32Array;
  /** Trace records per run (0 for the model, which writes none). */
  readonly records: Int32Array;
}

interface Pass extends Work {
  readonly seconds: number;
  readonly totalCompletions: number;
}

function emptyWork(seeds: number): Work {
  return {
    makespans: new Float64Array(seeds),
    completions: new Int32Array(seeds),
    spawns: new Int32Array(seeds),
    records: new Int32Array(seeds),
  };
}

/** Throws unless the run completed and resolved every task. */
function checkRun(what: string, seed: number, m: RunMetrics): void {
  const problems: string[] = [];
  if (m.outcome !== 'completed') problems.push(`outcome ${m.outcome}`);
  if (m.unresolved !== 0) problems.push(`${m.unresolved} tasks unresolved`);
  if (m.succeeded + m.givenUp !== TASKS)
    problems.push(`succeeded ${m.succeeded} + given up ${m.givenUp} != ${TASKS} tasks`);
  if (!(m.makespan > 0)) problems.push(`makespan ${m.makespan}`);
  if (problems.length > 0)
    throw new Error(`${what}, seed ${seed}: not a sane run: ${problems.join('; ')}`);
}

function note(work: Work, k: number, m: RunMetrics, completions: number, records: number): void {
  work.makespans[k] = m.makespan;
  work.completions[k] = completions;
  work.spawns[k] = m.spawns;
  work.records[k] = records;
}

const ends = (records: readonly ModelTraceRecord[]): number => {
  let n = 0;
  for (const r of records) if (r.type === 'end') n++;
  return n;
};

/** A harness pass, with its runs: the reference pass reads their traces for the same-work check. */
async function harnessPass(
  example: Example,
  w: WorldConfig,
  seeds: readonly number[],
  gc: () => void,
): Promise<{ pass: Pass; runs: readonly HarnessOutput[] }> {
  const runs: HarnessOutput[] = [];
  gc(); // garbage of the previous pass is not this pass's cost
  const start = performance.now();
  for (const seed of seeds) runs.push(await example.run(w, seed));
  const seconds = (performance.now() - start) / 1000;
  // Counted after the clock stopped: reading the trace is the benchmark's, not the run's.
  const work = emptyWork(seeds.length);
  let total = 0;
  for (const [k, run] of runs.entries()) {
    checkRun(`${example.key} harness`, seeds[k]!, run.metrics);
    const n = ends(run.records);
    note(work, k, run.metrics, n, run.records.length);
    total += n;
  }
  return { pass: { ...work, seconds, totalCompletions: total }, runs };
}

/**
 * The model's pass runs the seeds MODEL_REPEATS times over: a pass of a few runs of a few
 * milliseconds each would be timed mostly in noise.
 */
function modelPass(
  example: Example,
  w: WorldConfig,
  seeds: readonly number[],
  gc: () => void,
): Pass {
  const { strategy } = example;
  const metrics: RunMetrics[] = [];
  gc();
  const start = performance.now();
  for (let r = 0; r < MODEL_REPEATS; r++) {
    for (const seed of seeds) metrics.push(runStrategy({ world: w, strategy, seed }).metrics);
  }
  const seconds = (performance.now() - start) / 1000;
  const work = emptyWork(seeds.length);
  let total = 0;
  for (const [i, m] of metrics.entries()) {
    const k = i % seeds.length;
    checkRun(`${example.key} model`, seeds[k]!, m);
    if (i >= seeds.length && !Object.is(m.makespan, work.makespans[k])) {
      throw new Error(
        `${example.key} model, seed ${seeds[k]}: makespan ${m.makespan}, ${work.makespans[k]} earlier in the same pass: the runs are not deterministic`,
      );
    }
    // Every spawn ends by itself: checked on the traced run (modelOutcomes).
    note(work, k, m, m.spawns, 0);
    total += m.spawns;
  }
  return { ...work, seconds, totalCompletions: total };
}

const runPass = async (
  side: Side,
  example: Example,
  w: WorldConfig,
  seeds: readonly number[],
  gc: () => void,
): Promise<Pass> =>
  side === 'harness'
    ? (await harnessPass(example, w, seeds, gc)).pass
    : modelPass(example, w, seeds, gc);

/** Throws unless `pass` repeats `reference`, the first pass of its side, run for run. */
function checkRepeats(what: string, pass: Work, reference: Work, seeds: readonly number[]): void {
  for (const [k, seed] of seeds.entries()) {
    const same =
      Object.is(pass.makespans[k], reference.makespans[k]) &&
      pass.completions[k] === reference.completions[k] &&
      pass.records[k] === reference.records[k];
    if (!same) {
      throw new Error(
        `${what}, seed ${seed}: makespan ${pass.makespans[k]} and ${pass.completions[k]} completions, ${reference.makespans[k]} and ${reference.completions[k]} in its first pass: the runs are not deterministic`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------
// The same work on both sides (untimed, on the references)

const SUCCEEDED = 1;
const GIVEN_UP = 2;

/** What one run did to each task and subagent, read from its trace. */
interface RunOutcomes {
  readonly spawns: number;
  /** Subagents that ended by themselves (`end` records). */
  readonly ends: number;
  /** Subagents cancelled or past their deadline (`cancel`, `deadline` records): none expected. */
  readonly stopped: number;
  /** Per task: subagents spawned for it. */
  readonly attempts: Int32Array;
  /** Per task: SUCCEEDED, GIVEN_UP, or 0 when unresolved. */
  readonly resolved: Uint8Array;
}

function outcomesOf(records: readonly ModelTraceRecord[]): RunOutcomes {
  const attempts = new Int32Array(TASKS);
  const resolved = new Uint8Array(TASKS);
  let spawns = 0;
  let endCount = 0;
  let stopped = 0;
  for (const r of records) {
    switch (r.type) {
      case 'spawn':
        spawns++;
        attempts[r.task]!++;
        break;
      case 'end':
        endCount++;
        break;
      case 'cancel':
      case 'deadline':
        stopped++;
        break;
      case 'resolve':
        resolved[r.task] = r.outcome === 'succeeded' ? SUCCEEDED : GIVEN_UP;
        break;
    }
  }
  return { spawns, ends: endCount, stopped, attempts, resolved };
}

/**
 * The model's outcomes, from a run of each seed with a trace (untimed), which must repeat
 * the untraced reference pass: the same makespan and spawns.
 */
function modelOutcomes(
  example: Example,
  w: WorldConfig,
  seeds: readonly number[],
  reference: Work,
): RunOutcomes[] {
  return seeds.map((seed, k) => {
    const trace = new MemoryTrace<ModelTraceRecord>();
    const { metrics } = runStrategy({ world: w, strategy: example.strategy, seed, trace });
    if (
      !Object.is(metrics.makespan, reference.makespans[k]) ||
      metrics.spawns !== reference.spawns[k]
    ) {
      throw new Error(
        `${example.key} model, seed ${seed}: with a trace, makespan ${metrics.makespan} and ${metrics.spawns} spawns; without, ${reference.makespans[k]} and ${reference.spawns[k]}`,
      );
    }
    return outcomesOf(trace.records);
  });
}

/** The tasks (the first few, and how many in all) on which `a` and `b` differ. */
function differingTasks(a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  const tasks: number[] = [];
  for (let t = 0; t < TASKS; t++) if (a[t] !== b[t]) tasks.push(t);
  if (tasks.length === 0) return undefined;
  const shown = tasks.slice(0, 5).join(', ');
  return `${tasks.length} tasks (${shown}${tasks.length > 5 ? ', ...' : ''})`;
}

const countOf = (resolved: Uint8Array, outcome: number): number => {
  let n = 0;
  for (const x of resolved) if (x === outcome) n++;
  return n;
};

/**
 * Throws unless the two sides did the same work on every seed: on each, every subagent
 * ended by itself; both spawned as many subagents, each task as many times; the same tasks
 * succeeded and the same were given up.
 */
function checkSameWork(
  example: Example,
  harness: readonly RunOutcomes[],
  model: readonly RunOutcomes[],
  seeds: readonly number[],
): void {
  const problems: string[] = [];
  for (const [k, seed] of seeds.entries()) {
    const h = harness[k]!;
    const m = model[k]!;
    const mine: string[] = [];
    for (const [side, o] of [
      ['harness', h],
      ['model', m],
    ] as const) {
      if (o.ends !== o.spawns || o.stopped !== 0)
        mine.push(
          `${side}: ${o.ends} of ${o.spawns} subagents ended by themselves, ${o.stopped} cancelled or past a deadline`,
        );
    }
    if (h.spawns !== m.spawns) mine.push(`harness spawned ${h.spawns}, model ${m.spawns}`);
    const attempts = differingTasks(h.attempts, m.attempts);
    if (attempts !== undefined) mine.push(`spawned a different number of times: ${attempts}`);
    const resolved = differingTasks(h.resolved, m.resolved);
    if (resolved !== undefined) {
      const tally = (o: RunOutcomes) =>
        `${countOf(o.resolved, SUCCEEDED)} succeeded, ${countOf(o.resolved, GIVEN_UP)} given up`;
      mine.push(`resolved differently: ${resolved}; harness ${tally(h)}, model ${tally(m)}`);
    }
    if (mine.length > 0) problems.push(`seed ${seed}: ${mine.join('; ')}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `${example.key}: the harness and the model did not do the same work: ${problems.join(' | ')}`,
    );
  }
}

// ---------------------------------------------------------------------------------------
// One example's measurement

interface Figures {
  readonly completionsPerSecond: Summary;
  readonly secondsPerPass: Summary;
}

function figures(passes: readonly Pass[]): Figures {
  return {
    completionsPerSecond: summarize(passes.map((p) => p.totalCompletions / p.seconds)),
    secondsPerPass: summarize(passes.map((p) => p.seconds)),
  };
}

interface Measured {
  readonly example: Example;
  readonly references: ReadonlyMap<Side, Pass>;
  /** Succeeded and given-up tasks per run, the same on both sides (checked). */
  readonly succeeded: number;
  readonly givenUp: number;
  readonly passes: ReadonlyMap<Side, readonly Pass[]>;
  readonly stats: ReadonlyMap<Side, Figures>;
}

async function measure(
  example: Example,
  w: WorldConfig,
  seeds: readonly number[],
  sides: readonly Side[],
  rounds: number,
  gc: () => void,
): Promise<Measured> {
  const say = (message: string) => progress(`${example.key}: ${message}`);
  // The first pass of each side is its reference, and the two are compared with each other
  // (both are run even with --only, untimed).
  const h = await harnessPass(example, w, seeds, gc);
  say(
    `reference: harness, ${h.pass.totalCompletions} completions in ${h.pass.seconds.toFixed(2)} s (cold)`,
  );
  const m = modelPass(example, w, seeds, gc);
  say(`reference: model, ${m.totalCompletions} completions in ${m.seconds.toFixed(2)} s (cold)`);
  const harnessOutcomes = h.runs.map((run) => outcomesOf(run.records));
  checkSameWork(example, harnessOutcomes, modelOutcomes(example, w, seeds, m), seeds);
  const references = new Map<Side, Pass>([
    ['harness', h.pass],
    ['model', m],
  ]);
  const perRun = (outcome: number) =>
    harnessOutcomes.reduce((sum, o) => sum + countOf(o.resolved, outcome), 0) / seeds.length;

  const checked = async (side: Side): Promise<Pass> => {
    const pass = await runPass(side, example, w, seeds, gc);
    checkRepeats(`${example.key} ${side}`, pass, references.get(side)!, seeds);
    return pass;
  };

  const warm = performance.now();
  for (
    let n = 0;
    n < MIN_WARM_UP_PASSES || performance.now() - warm < WARM_UP_SECONDS * 1000;
    n++
  ) {
    for (const side of sides) {
      const pass = await checked(side);
      say(`warm-up ${n + 1}: ${side} ${rate(pass.totalCompletions / pass.seconds)}`);
    }
  }

  const passes = new Map<Side, Pass[]>(sides.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
    for (const side of order) passes.get(side)!.push(await checked(side));
    say(
      `round ${r + 1}/${rounds}: ${sides
        .map((s) => {
          const p = passes.get(s)!.at(-1)!;
          return `${s} ${rate(p.totalCompletions / p.seconds)}`;
        })
        .join(', ')}`,
    );
  }
  const stats = new Map(sides.map((s) => [s, figures(passes.get(s)!)]));
  return {
    example,
    references,
    succeeded: perRun(SUCCEEDED),
    givenUp: perRun(GIVEN_UP),
    passes,
    stats,
  };
}

/** The harness over the model: the median of the rounds' ratios, and the ratio of medians. */
function ratios(x: Measured): { paired: number; ofMedians: number } {
  const harness = x.passes.get('harness')!;
  const model = x.passes.get('model')!;
  const perSecond = (p: Pass) => p.totalCompletions / p.seconds;
  // Paired by round: both passes of a round ran back to back, under the same load.
  const paired = median(harness.map((p, i) => perSecond(p) / perSecond(model[i]!)));
  const ofMedians =
    x.stats.get('harness')!.completionsPerSecond.median /
    x.stats.get('model')!.completionsPerSecond.median;
  return { paired, ofMedians };
}

const verdictOf = (f: Figures): 'PASS' | 'MISS' =>
  f.completionsPerSecond.median >= TARGET ? 'PASS' : 'MISS';

// ---------------------------------------------------------------------------------------
// Main

const HELP = `Usage: npm run bench:harness -- [options]

Simulated subagent completions per second of wall time for the async examples run under
the real-code harness (on fake timers), each next to the model running the equivalent
built-in strategy on the same world and seeds:
  polling  examples/harness/async-wip-polling.ts against ${EXAMPLES.polling.strategy.label}
  events   examples/harness/async-events.ts against ${EXAMPLES.events.strategy.label}
World: ${TASKS.toLocaleString('en')} tasks, lognormal latencies, ${ERROR_RATE * 100}% errors retried ${RETRIES} times, WIP ${WIP}; no
timeout. For each example: both figures, their ratio, and the target:
the harness runs >= ${TARGET.toLocaleString('en')} completions/s.
Figures, not a test: the exit code is 0 even when a target is missed (it is non-zero only
if a run was not sane or the two sides of a pair did not do the same work).

Options:
  --example E  polling, events or both (default both): the pairs to measure, one after
               the other, each with its own warm-up
  --rounds N   timed rounds of one harness and one model pass per example, after a
               warm-up (default ${DEFAULT_ROUNDS}; medians need >= 5)
  --seeds N    seeds per pass (default ${DEFAULT_SEEDS}); a model pass runs them ${MODEL_REPEATS} times over
  --poll S     seconds the polling orchestrator pays per check (default ${DEFAULT_POLL}); under the
               harness each costly check is a timer, so 0 measures a run with about a third
               the timers (the events pair does not poll: S changes nothing for it)
  --json       print a machine-readable summary on stdout instead of the tables
  --only KEY   time one side alone, no ratio (for profiling with node --cpu-prof);
               KEY is one of ${SIDE_KEYS.join(', ')}
  --help       show this help
`;

async function main(): Promise<void> {
  const options = benchOptions(HELP, DEFAULT_ROUNDS, {
    example: 'both',
    seeds: String(DEFAULT_SEEDS),
    poll: String(DEFAULT_POLL),
  });
  if (options === undefined) return;
  const { rounds, json, only } = options;
  const chosen = options.own.example;
  const examples =
    chosen === 'both'
      ? EXAMPLE_KEYS.map((key) => EXAMPLES[key])
      : EXAMPLE_KEYS.filter((key) => key === chosen).map((key) => EXAMPLES[key]);
  if (examples.length === 0)
    throw new Error(
      `--example: no example '${chosen}'; choose one of ${EXAMPLE_KEYS.join(', ')}, both`,
    );
  const seedCount = Number(options.own.seeds);
  if (!Number.isInteger(seedCount) || seedCount < 1)
    throw new Error(`--seeds must be a positive integer, got ${options.own.seeds}`);
  const sides: readonly Side[] =
    only === undefined ? SIDE_KEYS : SIDE_KEYS.filter((s) => s === only);
  if (sides.length === 0)
    throw new Error(`--only: no side '${only}'; choose one of ${SIDE_KEYS.join(', ')}`);
  const poll = Number(options.own.poll);
  if (!(poll >= 0 && Number.isFinite(poll)))
    throw new Error(`--poll must be a number of seconds >= 0, got ${options.own.poll}`);

  const startedAt = performance.now();
  const env = environment();
  const gc = getMajorGc();
  const seeds = Array.from({ length: seedCount }, (_, i) => i);
  const w = benchWorld(poll);

  const measured: Measured[] = [];
  for (const example of examples)
    measured.push(await measure(example, w, seeds, sides, rounds, gc));
  const runtimeSeconds = (performance.now() - startedAt) / 1000;

  if (only !== undefined) {
    const side = sides[0]!;
    const lines = measured.map((x) => {
      const f = x.stats.get(side)!;
      const c = f.completionsPerSecond;
      return `${x.example.key} ${side}: median ${rate(c.median)}, min ${rate(c.min)}, max ${rate(c.max)}; ${f.secondsPerPass.median.toFixed(3)} s per pass of ${runsPerPass(side, seedCount)} runs (${rounds} rounds)`;
    });
    process.stdout.write(`${lines.join('\n')}\n`);
    return;
  }

  const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / seedCount;

  if (json) {
    const summary = {
      benchmark: 'harness',
      environment: env,
      rounds,
      world: {
        tasks: TASKS,
        latency: { distribution: 'lognormal', ...LATENCY },
        errorRate: ERROR_RATE,
        orchestrator: { ...COSTS, poll },
        modelRepeats: MODEL_REPEATS,
      },
      seeds: { start: 0, count: seedCount },
      examples: Object.fromEntries(
        measured.map((x) => {
          const h = x.references.get('harness')!;
          const m = x.references.get('model')!;
          const harness = x.stats.get('harness')!;
          const { paired, ofMedians } = ratios(x);
          return [
            x.example.key,
            {
              orchestrator: {
                harness: x.example.file,
                model: x.example.strategy.label,
                ...x.example.options,
              },
              completionsPerHarnessPass: h.totalCompletions,
              completionsPerModelPass: m.totalCompletions,
              perRun: {
                harnessMakespan: mean(h.makespans),
                modelMakespan: mean(m.makespans),
                harnessRecords: mean(h.records),
                succeeded: x.succeeded,
                givenUp: x.givenUp,
              },
              harness,
              model: x.stats.get('model')!,
              ratio: {
                of: 'harness completions/s / model completions/s',
                pairedMedian: paired,
                ofMedians,
              },
              target: { completionsPerSecond: TARGET, verdict: verdictOf(harness) },
            },
          ];
        }),
      ),
      runtimeSeconds,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }

  const row = (label: string, f: Figures, runs: number) => [
    label,
    rate(f.completionsPerSecond.median),
    rate(f.completionsPerSecond.min),
    rate(f.completionsPerSecond.max),
    `${((f.secondsPerPass.median / runs) * 1000).toFixed(1)} ms`,
  ];
  const section = (x: Measured): string[] => {
    const h = x.references.get('harness')!;
    const m = x.references.get('model')!;
    const harness = x.stats.get('harness')!;
    const { paired, ofMedians } = ratios(x);
    return [
      `${x.example.key}: ${x.example.file}`,
      `the code ${x.example.shape}`,
      `seeds 0..${seedCount - 1}: ${h.totalCompletions.toLocaleString('en')} completions per harness pass, ${MODEL_REPEATS} times as many per model pass; ${x.succeeded} tasks succeeded and ${x.givenUp} given up per run on average`,
      `harness: on fake timers, trace and metrics built (${Math.round(mean(h.records)).toLocaleString('en')} records/run, makespan ${mean(h.makespans).toFixed(0)} s on average)`,
      `model:   ${x.example.strategy.label}, no trace (makespan ${mean(m.makespans).toFixed(0)} s on average)`,
      `on every seed both sides spawned each task as often, every subagent ended by itself, and the same tasks succeeded and were given up; makespans are not compared: ${x.example.makespans}; every pass repeated its side’s first`,
      alignColumns([
        ['side', 'completions/s', 'min', 'max', 'time/run'],
        row('harness (real code, fake time)', harness, runsPerPass('harness', seedCount)),
        row('model (built-in strategy)', x.stats.get('model')!, runsPerPass('model', seedCount)),
      ]),
      '',
      `${x.example.key}: harness / model completions/s: ${paired.toFixed(3)} (median of ${rounds} paired rounds; ratio of medians ${ofMedians.toFixed(3)})`,
      `${x.example.key}: harness completions/s: ${rate(harness.completionsPerSecond.median)}, target >= ${rate(TARGET)}  ${verdictOf(harness)}`,
      '',
    ];
  };
  const out = [
    `dispatchlab harness benchmark, ${env.date}`,
    `node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cpus} x ${env.cpu}`,
    `per example: ${rounds} rounds after a warm-up; harness and model passes interleaved, order swapped each round, full GC before each timed pass; medians (min, max)`,
    `${TASKS.toLocaleString('en')} tasks: lognormal latency (median ${LATENCY.median} s, p95 ${LATENCY.p95} s), ${ERROR_RATE * 100}% errors, ${RETRIES} retries; orchestrator dispatch ${COSTS.dispatch} s, poll ${poll} s a check, process ${COSTS.process} s, synthesize ${COSTS.synthesize} s`,
    '',
    ...measured.flatMap(section),
    `bench runtime: ${runtimeSeconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Runs in a pass of `side`. */
function runsPerPass(side: Side, seeds: number): number {
  return side === 'model' ? seeds * MODEL_REPEATS : seeds;
}

/** Completions per second as "6,543/s". */
function rate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en')}/s`;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:harness: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
