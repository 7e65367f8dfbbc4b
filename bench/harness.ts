/**
 * Harness benchmark: how many simulated subagent completions per second of wall time does
 * the real-code harness run (a user's async orchestrator under fake timers), next to the
 * model running the equivalent built-in strategy on the same world and seeds, in the same
 * process?
 *
 * Workload: 1,000 tasks, lognormal latencies (median 90 s, p95 600 s), 5% errors retried
 * twice, orchestrator costs dispatch 1 s, poll 0.1 s per check, process 2 s, synthesize
 * 10 s; WIP 50, a poll round every 30 s, no timeout. One timed pass runs seeds 0..N-1
 * (default 5) of one side:
 *   - harness: `runOrchestrator` on examples/harness/async-wip-polling.ts
 *              (`asyncWipPolling`), its trace and the model's metrics built as it goes;
 *   - model:   `runStrategy` with `asyncDispatch` (the same WIP, polling interval, timeout
 *              and retries), no trace.
 * A completion is a subagent that ended by itself: an `end` record of the harness's trace;
 * in the model, a spawn (the world has no hangs and no timeout, so every spawn ends, which
 * the check below confirms against the harness's count). Target: the harness runs at least
 * 50,000 completions per second.
 *
 * Both sides must do the same work, checked outside the timed region: every run completed
 * with every task resolved; on each seed the harness ended exactly as many subagents as the
 * model spawned, and both succeeded and gave up the same tasks (attempt k of task t draws
 * its fate from the same stream on both sides); every pass repeats the first pass of its
 * side (makespans and completions), so a timed pass cannot measure different runs.
 *
 * Method (as bench:check): warm-up passes of both, alternating, then N rounds (default 7)
 * of one harness and one model pass, the order swapped each round, with a regular major GC
 * before each timed pass (lib/memory.ts, getMajorGc). Medians (min, max); the ratio is the
 * median of the rounds' paired ratios, beside the ratio of medians.
 *
 * Usage: npm run bench:harness -- [--rounds N] [--seeds N] [--json] [--only KEY] [--help]
 */
import { performance } from 'node:perf_hooks';
import {
  type AsyncWipPollingOptions,
  asyncWipPolling,
  settings as harnessSettings,
} from '../examples/harness/async-wip-polling.js';
import { runOrchestrator } from '../src/harness/index.js';
import { type WorldConfig, world } from '../src/model/config.js';
import type { RunMetrics } from '../src/model/metrics.js';
import { runStrategy } from '../src/model/run.js';
import type { ModelTraceRecord } from '../src/model/trace-records.js';
import { alignColumns } from '../src/report/format.js';
import { LognormalDistribution } from '../src/sim/distributions/lognormal.js';
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
 * Seconds per check, by default: a check is a call the orchestrator makes and pays for.
 * Under the harness each costly check is a timer of its own, most of a run's timers.
 */
const DEFAULT_POLL = 0.1;
const OPTIONS: AsyncWipPollingOptions = {
  wip: 50,
  pollInterval: 30,
  timeout: Number.POSITIVE_INFINITY,
  retries: 2,
};
/** Harness completions per second of wall time, at least. */
const TARGET = 50_000;
const DEFAULT_ROUNDS = 7;
/** 5 seeds: about 5,300 completions per pass, long enough to time, short enough to repeat. */
const DEFAULT_SEEDS = 5;
/** A model run takes milliseconds: its pass runs the seeds this many times over. */
const MODEL_REPEATS = 10;
/** Warm-up: passes of both sides, alternating, until this much wall time has gone by. */
const WARM_UP_SECONDS = 3;
const MIN_WARM_UP_PASSES = 2;

const SIDE_KEYS = ['harness', 'model'] as const;
type Side = (typeof SIDE_KEYS)[number];

/** The world, with `poll` seconds per check. */
function benchWorld(poll: number): WorldConfig {
  return world({
    tasks: TASKS,
    latency: new LognormalDistribution(LATENCY),
    failures: { error: ERROR_RATE },
    orchestrator: { ...COSTS, poll },
  });
}

const strategy = asyncDispatch({
  wip: OPTIONS.wip,
  continuation: 'polling',
  pollInterval: OPTIONS.pollInterval,
  timeout: OPTIONS.timeout,
  retries: OPTIONS.retries,
});

// ---------------------------------------------------------------------------------------
// One pass: one side on every seed

/** What a run did, per seed, compared across passes and sides (outside the timed region). */
interface Work {
  readonly makespans: Float64Array;
  /** Subagents that ended by themselves. */
  readonly completions: Int32Array;
  readonly spawns: Int32Array;
  readonly succeeded: Int32Array;
  readonly givenUp: Int32Array;
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
    succeeded: new Int32Array(seeds),
    givenUp: new Int32Array(seeds),
    records: new Int32Array(seeds),
  };
}

/** Throws unless the run completed and resolved every task. */
function checkRun(side: Side, seed: number, m: RunMetrics): void {
  const problems: string[] = [];
  if (m.outcome !== 'completed') problems.push(`outcome ${m.outcome}`);
  if (m.unresolved !== 0) problems.push(`${m.unresolved} tasks unresolved`);
  if (m.succeeded + m.givenUp !== TASKS)
    problems.push(`succeeded ${m.succeeded} + given up ${m.givenUp} != ${TASKS} tasks`);
  if (!(m.makespan > 0)) problems.push(`makespan ${m.makespan}`);
  if (problems.length > 0)
    throw new Error(`${side}, seed ${seed}: not a sane run: ${problems.join('; ')}`);
}

function note(work: Work, k: number, m: RunMetrics, completions: number, records: number): void {
  work.makespans[k] = m.makespan;
  work.completions[k] = completions;
  work.spawns[k] = m.spawns;
  work.succeeded[k] = m.succeeded;
  work.givenUp[k] = m.givenUp;
  work.records[k] = records;
}

const ends = (records: readonly ModelTraceRecord[]): number => {
  let n = 0;
  for (const r of records) if (r.type === 'end') n++;
  return n;
};

async function harnessPass(
  w: WorldConfig,
  seeds: readonly number[],
  gc: () => void,
): Promise<Pass> {
  const runs: { metrics: RunMetrics; records: readonly ModelTraceRecord[] }[] = [];
  const declared = harnessSettings(OPTIONS);
  gc(); // garbage of the previous pass is not this pass's cost
  const start = performance.now();
  for (const seed of seeds) {
    runs.push(
      await runOrchestrator({
        world: w,
        seed,
        orchestrator: asyncWipPolling(OPTIONS),
        settings: declared,
        label: 'async-wip-polling',
      }),
    );
  }
  const seconds = (performance.now() - start) / 1000;
  // Counted after the clock stopped: reading the trace is the benchmark's, not the run's.
  const work = emptyWork(seeds.length);
  let total = 0;
  for (const [k, run] of runs.entries()) {
    checkRun('harness', seeds[k]!, run.metrics);
    const n = ends(run.records);
    note(work, k, run.metrics, n, run.records.length);
    total += n;
  }
  return { ...work, seconds, totalCompletions: total };
}

/**
 * The model's pass runs the seeds MODEL_REPEATS times over: a pass of a few runs of a few
 * milliseconds each would be timed mostly in noise.
 */
function modelPass(w: WorldConfig, seeds: readonly number[], gc: () => void): Pass {
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
    checkRun('model', seeds[k]!, m);
    if (i >= seeds.length && !Object.is(m.makespan, work.makespans[k])) {
      throw new Error(
        `model, seed ${seeds[k]}: makespan ${m.makespan}, ${work.makespans[k]} earlier in the same pass: the runs are not deterministic`,
      );
    }
    // No hangs and no timeout: every spawn ends by itself (checked against the harness).
    note(work, k, m, m.spawns, 0);
    total += m.spawns;
  }
  return { ...work, seconds, totalCompletions: total };
}

const runPass = (
  side: Side,
  w: WorldConfig,
  seeds: readonly number[],
  gc: () => void,
): Promise<Pass> =>
  side === 'harness' ? harnessPass(w, seeds, gc) : Promise.resolve(modelPass(w, seeds, gc));

/** Throws unless `pass` repeats `reference`, the first pass of its side, run for run. */
function checkRepeats(side: Side, pass: Work, reference: Work, seeds: readonly number[]): void {
  for (const [k, seed] of seeds.entries()) {
    const same =
      Object.is(pass.makespans[k], reference.makespans[k]) &&
      pass.completions[k] === reference.completions[k] &&
      pass.records[k] === reference.records[k];
    if (!same) {
      throw new Error(
        `${side}, seed ${seed}: makespan ${pass.makespans[k]} and ${pass.completions[k]} completions, ${reference.makespans[k]} and ${reference.completions[k]} in its first pass: the runs are not deterministic`,
      );
    }
  }
}

/**
 * Throws unless the two sides did the same work on every seed: as many subagents ended in
 * the harness as the model spawned (and the harness's ended all it spawned), the same
 * tasks succeeded and the same were given up.
 */
function checkSameWork(harness: Work, model: Work, seeds: readonly number[]): void {
  const problems: string[] = [];
  for (const [k, seed] of seeds.entries()) {
    const h = `harness ${harness.completions[k]} ended of ${harness.spawns[k]} spawned, ${harness.succeeded[k]} succeeded, ${harness.givenUp[k]} given up`;
    const m = `model ${model.spawns[k]} spawned, ${model.succeeded[k]} succeeded, ${model.givenUp[k]} given up`;
    if (
      harness.completions[k] !== harness.spawns[k] ||
      harness.spawns[k] !== model.spawns[k] ||
      harness.succeeded[k] !== model.succeeded[k] ||
      harness.givenUp[k] !== model.givenUp[k]
    ) {
      problems.push(`seed ${seed}: ${h}; ${m}`);
    }
  }
  if (problems.length > 0)
    throw new Error(`the harness and the model did not do the same work: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------
// Main

const HELP = `Usage: npm run bench:harness -- [options]

Simulated subagent completions per second of wall time for the async example run under the
real-code harness (examples/harness/async-wip-polling.ts on fake timers), next to the model
running the equivalent built-in strategy (async, WIP ${OPTIONS.wip}, polling every ${OPTIONS.pollInterval} s) on the same
world and seeds: ${TASKS.toLocaleString('en')} tasks, lognormal latencies, ${ERROR_RATE * 100}% errors retried ${OPTIONS.retries} times. Both
figures, their ratio, and the target: the harness runs >= ${TARGET.toLocaleString('en')} completions/s.
Figures, not a test: the exit code is 0 even when the target is missed (it is non-zero only
if a run was not sane or the two sides did not do the same work).

Options:
  --rounds N   timed rounds of one harness and one model pass, after a warm-up
               (default ${DEFAULT_ROUNDS}; medians need >= 5)
  --seeds N    seeds per pass (default ${DEFAULT_SEEDS}); a model pass runs them ${MODEL_REPEATS} times over
  --poll S     seconds the orchestrator pays per check (default ${DEFAULT_POLL}); under the harness
               each costly check is a timer, so 0 measures a run with about a third the timers
  --json       print a machine-readable summary on stdout instead of the table
  --only KEY   time one side alone, no ratio (for profiling with node --cpu-prof);
               KEY is one of ${SIDE_KEYS.join(', ')}
  --help       show this help
`;

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

async function main(): Promise<void> {
  const options = benchOptions(HELP, DEFAULT_ROUNDS, {
    seeds: String(DEFAULT_SEEDS),
    poll: String(DEFAULT_POLL),
  });
  if (options === undefined) return;
  const { rounds, json, only } = options;
  const seedCount = Number(options.own.seeds);
  if (!Number.isInteger(seedCount) || seedCount < 1)
    throw new Error(`--seeds must be a positive integer, got ${options.own.seeds}`);
  const sides: readonly Side[] =
    only === undefined ? SIDE_KEYS : SIDE_KEYS.filter((s) => s === only);
  if (sides.length === 0)
    throw new Error(`--only: no side '${only}'; choose one of ${SIDE_KEYS.join(', ')}`);

  const startedAt = performance.now();
  const env = environment();
  const gc = getMajorGc();
  const seeds = Array.from({ length: seedCount }, (_, i) => i);
  const poll = Number(options.own.poll);
  if (!(poll >= 0 && Number.isFinite(poll)))
    throw new Error(`--poll must be a number of seconds >= 0, got ${options.own.poll}`);
  const w = benchWorld(poll);

  // The first pass of each side is its reference, and the two are compared with each other
  // (both are run even with --only, untimed).
  const references = new Map<Side, Pass>();
  for (const side of SIDE_KEYS) {
    const pass = await runPass(side, w, seeds, gc);
    references.set(side, pass);
    progress(
      `reference: ${side}, ${pass.totalCompletions} completions in ${pass.seconds.toFixed(2)} s (cold)`,
    );
  }
  checkSameWork(references.get('harness')!, references.get('model')!, seeds);
  const checked = async (side: Side): Promise<Pass> => {
    const pass = await runPass(side, w, seeds, gc);
    checkRepeats(side, pass, references.get(side)!, seeds);
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
      progress(`warm-up ${n + 1}: ${side} ${rate(pass.totalCompletions / pass.seconds)}`);
    }
  }

  const passes = new Map<Side, Pass[]>(sides.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
    for (const side of order) passes.get(side)!.push(await checked(side));
    progress(
      `round ${r + 1}/${rounds}: ${sides
        .map((s) => {
          const p = passes.get(s)!.at(-1)!;
          return `${s} ${rate(p.totalCompletions / p.seconds)}`;
        })
        .join(', ')}`,
    );
  }
  const stats = new Map(sides.map((s) => [s, figures(passes.get(s)!)]));

  if (only !== undefined) {
    const f = stats.get(sides[0]!)!;
    const c = f.completionsPerSecond;
    const runs = runsPerPass(sides[0]!, seedCount);
    process.stdout.write(
      `${sides[0]}: median ${rate(c.median)}, min ${rate(c.min)}, max ${rate(c.max)}; ${f.secondsPerPass.median.toFixed(3)} s per pass of ${runs} runs (${rounds} rounds)\n`,
    );
    return;
  }

  const harness = stats.get('harness')!;
  const model = stats.get('model')!;
  const harnessPasses = passes.get('harness')!;
  const modelPasses = passes.get('model')!;
  // Paired by round: both passes of a round ran back to back, under the same load.
  const paired = median(
    harnessPasses.map(
      (p, i) =>
        p.totalCompletions /
        p.seconds /
        (modelPasses[i]!.totalCompletions / modelPasses[i]!.seconds),
    ),
  );
  const ofMedians = harness.completionsPerSecond.median / model.completionsPerSecond.median;
  const verdict = harness.completionsPerSecond.median >= TARGET ? 'PASS' : 'MISS';
  const h = references.get('harness')!;
  const m = references.get('model')!;
  const perRun = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / seedCount;
  const runtimeSeconds = (performance.now() - startedAt) / 1000;

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
      orchestrator: {
        harness: 'examples/harness/async-wip-polling.ts',
        model: strategy.label,
        ...OPTIONS,
        timeout: null,
      },
      seeds: { start: 0, count: seedCount },
      completionsPerHarnessPass: h.totalCompletions,
      completionsPerModelPass: m.totalCompletions,
      perRun: {
        harnessMakespan: perRun(h.makespans),
        modelMakespan: perRun(m.makespans),
        harnessRecords: perRun(h.records),
      },
      harness,
      model,
      ratio: { of: 'harness completions/s / model completions/s', pairedMedian: paired, ofMedians },
      target: { completionsPerSecond: TARGET, verdict },
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
  const out = [
    `dispatchlab harness benchmark, ${env.date}`,
    `node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cpus} x ${env.cpu}`,
    `${rounds} rounds after a warm-up; harness and model passes interleaved, order swapped each round, full GC before each timed pass; medians (min, max)`,
    '',
    `${TASKS.toLocaleString('en')} tasks: lognormal latency (median ${LATENCY.median} s, p95 ${LATENCY.p95} s), ${ERROR_RATE * 100}% errors, ${OPTIONS.retries} retries; orchestrator dispatch ${COSTS.dispatch} s, poll ${poll} s a check, process ${COSTS.process} s, synthesize ${COSTS.synthesize} s`,
    `WIP ${OPTIONS.wip}, a poll round every ${OPTIONS.pollInterval} s, no timeout; seeds 0..${seedCount - 1}: ${h.totalCompletions.toLocaleString('en')} completions per harness pass, ${MODEL_REPEATS} times as many per model pass`,
    `harness: examples/harness/async-wip-polling.ts on fake timers, trace and metrics built (${Math.round(perRun(h.records)).toLocaleString('en')} records/run, makespan ${perRun(h.makespans).toFixed(0)} s on average)`,
    `model:   ${strategy.label}, no trace (makespan ${perRun(m.makespans).toFixed(0)} s on average)`,
    'on every seed both sides ended and spawned the same subagents and resolved the same tasks alike; every pass repeated its side’s first',
    alignColumns([
      ['side', 'completions/s', 'min', 'max', 'time/run'],
      row('harness (real code, fake time)', harness, runsPerPass('harness', seedCount)),
      row('model (built-in strategy)', model, runsPerPass('model', seedCount)),
    ]),
    '',
    `harness / model completions/s: ${paired.toFixed(3)} (median of ${rounds} paired rounds; ratio of medians ${ofMedians.toFixed(3)})`,
    `harness completions/s: ${rate(harness.completionsPerSecond.median)}, target >= ${rate(TARGET)}  ${verdict}`,
    '',
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
