/**
 * Model benchmark: how fast does the full agent model (orchestrator, subagents, WIP limit,
 * retries, metrics, a strategy's program) run, next to the bare kernel in the same process?
 *
 * 1. Runs per second of a small scenario, per strategy: 50 tasks in waves of 10,
 *    lognormal latencies (median 90 s, p95 600 s), 5% errors retried once, orchestrator
 *    costs dispatch 2 s, process 10 s, plan 20 s, synthesize 60 s. Each round runs seeds
 *    0..N-1 of one strategy back to back, N calibrated after a warm-up for about
 *    `--seconds` (default 1) per strategy; events/run is exact (the runs are deterministic).
 * 2. Events per second of one large run: 100,000 tasks, async (WIP 100, events), 5%
 *    errors retried twice, dispatch 1 s, process 2 s; with tasks/s, wall time, the live
 *    heap the model holds at the end of the run (after a full GC, measured inside the run
 *    in a separate, untimed run) and the process's peak RSS.
 * 3. The kernel's events per second on bench/kernel.ts's workload (1,000 processes × 1,000
 *    holds, plus their start and finish events; lib/kernel-workload.ts), timed in the same
 *    rounds, and the ratio model events/s ÷ kernel events/s for every model figure, against
 *    the target: the full model runs at no less than a third of the bare kernel's rate.
 *    (bench:kernel reports waits/s; events/s here counts the 2,000 start and finish events
 *    too, because the model's `events` counts every kernel event: a 0.2% difference.)
 *
 * Every run is checked (completed, no deadlock, every task succeeded or given up, the same
 * number of events every round) so the benchmark cannot silently measure a broken run.
 *
 * Method: one warm-up per measurement, then N rounds (default 5) in which all measurements
 * run interleaved, in an order rotated each round, with a full GC before each timed run;
 * medians are reported (machines are shared and noisy; min/max only show the spread). GC
 * share: main-thread GC pauses during a timed run (perf_hooks 'gc' entries) over its wall
 * time. The GC before a timed run is a regular major GC, not a plain `gc()`, which would
 * deoptimize the model's code and make the next ~0.5 s of runs measure V8 warming up
 * again (lib/memory.ts, getMajorGc). Events/s of a 50-task run includes everything a run
 * costs: building the task graph, the orchestrator and the simulation, and the metrics.
 *
 * Usage: npm run bench:model -- [--rounds N] [--seconds S] [--json] [--only KEY] [--help]
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  type OrchestratorCosts,
  type RunReport,
  runStrategy,
  type Strategy,
  type TokenConfig,
  type WorldConfig,
  world,
} from '../src/model/index.js';
import { alignColumns } from '../src/report/format.js';
import { LognormalDistribution } from '../src/sim/distributions/lognormal.js';
import type { ProcessGenerator } from '../src/sim/index.js';
import { asyncDispatch, batch, blocking } from '../src/strategies/index.js';
import {
  checkOutcome,
  makeWorkload,
  PROCESSES,
  runKernelHold,
  runKernelTimeout,
  WAITS_PER_PROCESS,
  type Workload,
} from './lib/kernel-workload.js';
import { getGc, getMajorGc, snapshot } from './lib/memory.js';
import { benchOptions } from './lib/options.js';
import { environment, mega, progress } from './lib/report.js';
import { ratio, type Summary, summarize } from './lib/stats.js';

const LATENCY = { median: 90, p95: 600 } as const;
const ERROR_RATE = 0.05;

const SMALL_TASKS = 50;
const WAVE = 10;
const SMALL_RETRIES = 1;
const SMALL_COSTS: Partial<OrchestratorCosts> = {
  dispatch: 2,
  process: 10,
  plan: 20,
  synthesize: 60,
};
const POLL_INTERVAL = 30;
/** Seconds per orchestrator turn in the turns-on measurement (asyncEventsTurns). */
const TURN = 5;
/** Token rates in the turns-on measurement. */
const TOKENS: TokenConfig = {
  output: {
    dispatch: 150,
    plan: 900,
    process: 400,
    poll: 30,
    answer: 60,
    synthesize: 2000,
    compaction: 700,
  },
  subagentPerSecond: 25,
};
/** Turns on must keep the model's events/s within 10% of turns off (asyncEvents). */
const TARGET_TURNS_ON = 0.9;

const LARGE_TASKS = 100_000;
const LARGE_WIP = 100;
const LARGE_RETRIES = 2;
const LARGE_COSTS: Partial<OrchestratorCosts> = { dispatch: 1, process: 2 };
const LARGE_SEED = 1;

const TARGET_VS_KERNEL = 1 / 3;
const DEFAULT_ROUNDS = 5;
const DEFAULT_SECONDS = 1;

// ---------------------------------------------------------------------------------------
// Scenarios

function smallWorld(turn = 0): WorldConfig {
  const w = world({
    tasks: SMALL_TASKS,
    latency: new LognormalDistribution(LATENCY),
    failures: { error: ERROR_RATE },
    orchestrator: { ...SMALL_COSTS, turn },
  });
  // Turns on come with tokens on: what the issue asks of the two together.
  return turn === 0 ? w : { ...w, tokens: TOKENS };
}

function largeWorld(): WorldConfig {
  return world({
    tasks: LARGE_TASKS,
    latency: new LognormalDistribution(LATENCY),
    failures: { error: ERROR_RATE },
    orchestrator: LARGE_COSTS,
  });
}

const STRATEGY_KEYS = [
  'blocking',
  'batch',
  'asyncEvents',
  'asyncWaves',
  'asyncPolling',
  'asyncEventsTurns',
] as const;
type StrategyKey = (typeof STRATEGY_KEYS)[number];

function smallStrategies(): { key: StrategyKey; strategy: Strategy }[] {
  const retries = SMALL_RETRIES;
  return [
    { key: 'blocking', strategy: blocking({ retries }) },
    { key: 'batch', strategy: batch({ size: WAVE, retries }) },
    {
      key: 'asyncEvents',
      strategy: asyncDispatch({ wip: WAVE, continuation: 'events', retries }),
    },
    {
      key: 'asyncWaves',
      strategy: asyncDispatch({
        wip: WAVE,
        continuation: 'events',
        waveSize: WAVE,
        gating: 0.5,
        retries,
      }),
    },
    {
      key: 'asyncPolling',
      strategy: asyncDispatch({
        wip: WAVE,
        continuation: 'polling',
        pollInterval: POLL_INTERVAL,
        retries,
      }),
    },
  ];
}

function largeStrategy(): Strategy {
  return asyncDispatch({ wip: LARGE_WIP, continuation: 'events', retries: LARGE_RETRIES });
}

/** Throws unless the run completed and resolved every task. */
function checkRun(label: string, seed: number, tasks: number, r: RunReport): void {
  const m = r.metrics;
  const problems: string[] = [];
  if (r.deadlock !== undefined) problems.push(`deadlock: ${r.deadlock}`);
  if (m.outcome !== 'completed') problems.push(`outcome ${m.outcome}`);
  if (m.tasks !== tasks) problems.push(`${m.tasks} tasks, expected ${tasks}`);
  if (m.succeeded + m.givenUp !== tasks)
    problems.push(`succeeded ${m.succeeded} + given up ${m.givenUp} != ${tasks} tasks`);
  if (m.unresolved !== 0) problems.push(`${m.unresolved} tasks unresolved`);
  if (!(m.makespan > 0)) problems.push(`makespan ${m.makespan}`);
  if (!(r.events > 0)) problems.push(`${r.events} events`);
  if (problems.length > 0) {
    throw new Error(`${label}, seed ${seed}: not a sane run: ${problems.join('; ')}`);
  }
}

// ---------------------------------------------------------------------------------------
// Timing

/** Main-thread GC pause time, from perf_hooks 'gc' entries (delivered a turn later). */
class GcMeter {
  private ms = 0;
  private readonly observer = new PerformanceObserver((list) => this.absorb(list.getEntries()));

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** GC seconds since the last call; waits a turn of the event loop for the entries. */
  async take(): Promise<number> {
    await nextTurn();
    this.absorb(this.observer.takeRecords());
    const seconds = this.ms / 1000;
    this.ms = 0;
    return seconds;
  }

  disconnect(): void {
    this.observer.disconnect();
  }

  private absorb(entries: readonly { duration: number }[]): void {
    for (const e of entries) this.ms += e.duration;
  }
}

interface Timing {
  readonly seconds: number;
  /** Kernel events processed. */
  readonly events: number;
  /** Main-thread GC pauses during the run, in seconds. */
  readonly gcSeconds: number;
}

interface Meters {
  readonly gc: () => void;
  readonly gcMeter: GcMeter;
}

/** Full GC, then times `body` (which returns the events it processed). */
async function timeOnce(meters: Meters, body: () => number): Promise<Timing> {
  meters.gc();
  await meters.gcMeter.take(); // the forced GC is not the run's
  const start = performance.now();
  const events = body();
  const seconds = (performance.now() - start) / 1000;
  const gcSeconds = await meters.gcMeter.take();
  return { seconds, events, gcSeconds };
}

/** One thing timed each round. */
interface Measurement {
  readonly key: string;
  readonly label: string;
  readonly group: 'small' | 'large' | 'kernel';
  /** Warm-up (and calibration, for the small scenario); returns the events of one timed run. */
  warmUp(meters: Meters): Promise<number>;
  /** A timed run, checked: it must process exactly the warm-up's events. */
  run(meters: Meters): Promise<Timing>;
  /** Work units per timed run: runs (small), tasks (large), waits (kernel). */
  units(): number;
}

/** Seeds 0..N-1 of one strategy on the small world; N is calibrated in the warm-up. */
function smallMeasurement(
  key: StrategyKey,
  strategy: Strategy,
  w: WorldConfig,
  budgetSeconds: number,
  label = strategy.label,
): Measurement & { readonly strategy: Strategy; seeds(): number } {
  let seeds = 0;
  let expectedEvents = 0;
  const runSeeds = (n: number): number => {
    let events = 0;
    for (let seed = 0; seed < n; seed++) {
      const r = runStrategy({ world: w, strategy, seed });
      checkRun(strategy.label, seed, SMALL_TASKS, r);
      events += r.events;
    }
    return events;
  };
  return {
    key,
    label,
    group: 'small',
    strategy,
    seeds: () => seeds,
    async warmUp() {
      // Warm up for half the budget, then run seeds 0, 1, ... for the budget: that fixes N
      // for the rounds at the warm rate (a cold start would make N far too small).
      const warm = performance.now();
      for (let seed = 0; performance.now() - warm < budgetSeconds * 500; seed++) {
        checkRun(strategy.label, seed, SMALL_TASKS, runStrategy({ world: w, strategy, seed }));
      }
      const start = performance.now();
      let events = 0;
      let n = 0;
      while (n < 10 || performance.now() - start < budgetSeconds * 1000) {
        const r = runStrategy({ world: w, strategy, seed: n });
        checkRun(strategy.label, n, SMALL_TASKS, r);
        events += r.events;
        n++;
      }
      seeds = n;
      expectedEvents = events;
      return events;
    },
    async run(meters) {
      const t = await timeOnce(meters, () => runSeeds(seeds));
      if (t.events !== expectedEvents) {
        throw new Error(
          `${strategy.label}: seeds 0..${seeds - 1} processed ${t.events} events, ${expectedEvents} in the warm-up: runs are not deterministic`,
        );
      }
      return t;
    },
    units: () => seeds,
  };
}

function largeMeasurement(w: WorldConfig, strategy: Strategy): Measurement {
  let expectedEvents = 0;
  const once = (): number => {
    const r = runStrategy({ world: w, strategy, seed: LARGE_SEED });
    checkRun(strategy.label, LARGE_SEED, LARGE_TASKS, r);
    return r.events;
  };
  return {
    key: 'large',
    label: `${strategy.label}, ${LARGE_TASKS.toLocaleString('en')} tasks`,
    group: 'large',
    async warmUp() {
      expectedEvents = once();
      return expectedEvents;
    },
    async run(meters) {
      const t = await timeOnce(meters, once);
      if (t.events !== expectedEvents) {
        throw new Error(
          `${strategy.label}: the large run processed ${t.events} events, ${expectedEvents} in the warm-up: runs are not deterministic`,
        );
      }
      return t;
    },
    units: () => LARGE_TASKS,
  };
}

function kernelMeasurement(
  key: 'kernelHold' | 'kernelTimeout',
  label: string,
  engine: (w: Workload) => ReturnType<typeof runKernelHold>,
  w: Workload,
): Measurement {
  const once = (): number => {
    const o = engine(w);
    checkOutcome(label, w, o);
    return o.events;
  };
  return {
    key,
    label,
    group: 'kernel',
    async warmUp() {
      return once();
    },
    run: (meters) => timeOnce(meters, once),
    units: () => w.processes * w.waitsPerProcess,
  };
}

// ---------------------------------------------------------------------------------------
// Memory of the large run

interface LargeMemory {
  /** V8 heap + ArrayBuffers live at the end of the run (after a full GC, inside the run), over the heap before it. */
  readonly liveBytes: number;
  readonly bytesPerTask: number;
}

/**
 * The live memory the model holds for a large run at its end: the strategy is wrapped so
 * that, when its program returns (every attempt and task still referenced), a full GC runs
 * and the heap is read. Untimed: the wrapper and the GC would distort the timing.
 */
function measureLargeMemory(w: WorldConfig, strategy: Strategy, gc: () => void): LargeMemory {
  const used = () => {
    const s = snapshot(gc);
    return s.heap + s.arrayBuffers;
  };
  let atEnd = Number.NaN;
  const wrapped: Strategy = {
    label: strategy.label,
    settings: strategy.settings,
    *run(o): ProcessGenerator<void> {
      yield* strategy.run(o);
      atEnd = used();
    },
  };
  const before = used();
  const r = runStrategy({ world: w, strategy: wrapped, seed: LARGE_SEED });
  checkRun(strategy.label, LARGE_SEED, LARGE_TASKS, r);
  if (Number.isNaN(atEnd))
    throw new Error('the memory probe at the end of the large run never ran');
  const liveBytes = atEnd - before;
  return { liveBytes, bytesPerTask: liveBytes / LARGE_TASKS };
}

/** Peak resident set size of this process so far, in bytes. */
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

// ---------------------------------------------------------------------------------------
// Main

const HELP = `Usage: npm run bench:model -- [options]

Speed of the full dispatchlab model next to the bare kernel, in the same process:
  1. runs/s of a ${SMALL_TASKS}-task scenario (waves of ${WAVE}, lognormal latencies, ${ERROR_RATE * 100}% errors), per strategy;
  2. events/s of one ${LARGE_TASKS.toLocaleString('en')}-task async run (WIP ${LARGE_WIP}, events continuation);
  3. the kernel's events/s (${PROCESSES} processes x ${WAITS_PER_PROCESS} holds) and the ratio of every
     model figure to it, against the target: model >= 1/3 of the kernel's events/s.
Figures, not a test: the exit code is 0 even when the target is missed (it is non-zero
only if a run was not sane: deadlock, unresolved tasks, non-deterministic event counts).

Options:
  --rounds N    timed rounds after one warm-up (default ${DEFAULT_ROUNDS}; medians need >= 5)
  --seconds S   wall time per strategy per round in section 1 (default ${DEFAULT_SECONDS}); fixes the
                number of seeds each round runs, calibrated in the warm-up
  --json        print a machine-readable summary on stdout instead of the tables
  --only KEY    time one measurement alone, no ratios, no memory (for profiling with
                node --cpu-prof); KEY is one of ${[...STRATEGY_KEYS, 'large', 'kernelHold', 'kernelTimeout'].join(', ')}
  --help        show this help
`;

interface Figures {
  /** Kernel events per second. */
  readonly eventsPerSecond: Summary;
  /** Runs (small), tasks (large) or waits (kernel) per second. */
  readonly unitsPerSecond: Summary;
  readonly seconds: Summary;
  /** GC pauses over wall time. */
  readonly gcShare: Summary;
  /** Kernel events per timed run. */
  readonly events: number;
}

function figures(timings: readonly Timing[], units: number): Figures {
  return {
    eventsPerSecond: summarize(timings.map((t) => t.events / t.seconds)),
    unitsPerSecond: summarize(timings.map((t) => units / t.seconds)),
    seconds: summarize(timings.map((t) => t.seconds)),
    gcShare: summarize(timings.map((t) => t.gcSeconds / t.seconds)),
    events: timings[0]!.events,
  };
}

async function main(): Promise<void> {
  const options = benchOptions(HELP, DEFAULT_ROUNDS, { seconds: String(DEFAULT_SECONDS) });
  if (options === undefined) return;
  const { rounds, json, only } = options;
  const budget = Number(options.own.seconds);
  if (!(budget > 0 && Number.isFinite(budget)))
    throw new Error(`--seconds must be a number > 0, got ${options.own.seconds}`);

  const startedAt = performance.now();
  const env = environment();
  // Before timed runs, a regular major GC: a plain gc() would deoptimize the model (see
  // getMajorGc). The memory probe uses the thorough one.
  const gc = getMajorGc();
  const gcMeter = new GcMeter();
  const meters: Meters = { gc, gcMeter };

  const small = smallWorld();
  const large = largeWorld();
  const smallOnes = smallStrategies();
  const asyncEvents = smallOnes.find((s) => s.key === 'asyncEvents')!.strategy;
  const strategies = [
    ...smallOnes.map((s) => smallMeasurement(s.key, s.strategy, small, budget)),
    // The same strategy with turns on: what the orchestrator's turns cost the model's speed.
    smallMeasurement(
      'asyncEventsTurns',
      asyncEvents,
      smallWorld(TURN),
      budget,
      `${asyncEvents.label}, turn ${TURN} s, tokens`,
    ),
  ];
  const largeMeas = largeMeasurement(large, largeStrategy());
  const workload = makeWorkload(PROCESSES, WAITS_PER_PROCESS);
  const kernelHold = kernelMeasurement(
    'kernelHold',
    'dispatchlab kernel, yield d',
    runKernelHold,
    workload,
  );
  const kernelTimeout = kernelMeasurement(
    'kernelTimeout',
    'dispatchlab kernel, yield sim.timeout(d)',
    runKernelTimeout,
    workload,
  );
  const all: Measurement[] = [largeMeas, ...strategies, kernelHold, kernelTimeout];
  const list = only === undefined ? all : all.filter((m) => m.key === only);
  if (list.length === 0) {
    throw new Error(
      `--only: no measurement '${only}'; choose one of ${all.map((m) => m.key).join(', ')}`,
    );
  }

  // Warm-up. The large run goes first, so the peak RSS read after it is its own.
  const rssBeforeLarge = peakRss();
  let rssAfterLarge = Number.NaN;
  for (const m of list) {
    const start = performance.now();
    const events = await m.warmUp(meters);
    const seconds = (performance.now() - start) / 1000;
    if (m.key === 'large') rssAfterLarge = peakRss();
    const runs = m.group === 'small' ? ` (${m.units()} runs)` : '';
    progress(`warm-up: ${m.label}: ${events} events in ${seconds.toFixed(2)} s${runs}`);
  }

  const timings = new Map<string, Timing[]>(list.map((m) => [m.key, []]));
  for (let r = 0; r < rounds; r++) {
    const order = list.map((_, i) => list[(i + r) % list.length]!);
    for (const m of order) timings.get(m.key)!.push(await m.run(meters));
    progress(
      `round ${r + 1}/${rounds}: ${list
        .map((m) => {
          const t = timings.get(m.key)!.at(-1)!;
          return `${m.key} ${mega(t.events / t.seconds)}`;
        })
        .join(', ')}`,
    );
  }
  gcMeter.disconnect();
  const stats = new Map(list.map((m) => [m.key, figures(timings.get(m.key)!, m.units())]));
  const get = (key: string) => stats.get(key)!;

  if (only !== undefined) {
    const m = list[0]!;
    const f = get(m.key);
    process.stdout.write(
      `${m.label}: median ${mega(f.eventsPerSecond.median)} events, min ${mega(f.eventsPerSecond.min)}, max ${mega(f.eventsPerSecond.max)}; ${f.seconds.median.toFixed(3)} s per timed run; GC ${pct(f.gcShare.median)} (${rounds} rounds)\n`,
    );
    return;
  }

  const kernel = get('kernelHold').eventsPerSecond;
  const modelRows: { key: string; label: string }[] = [
    ...strategies.map((m) => ({ key: m.key, label: m.label })),
    { key: 'large', label: largeMeas.label },
  ];
  const ratios = Object.fromEntries(
    modelRows.map((row) => [
      row.key,
      ratio(get(row.key).eventsPerSecond, kernel, TARGET_VS_KERNEL),
    ]),
  );
  progress('memory: the large run, with a probe at its end');
  const memory = measureLargeMemory(large, largeStrategy(), getGc());
  const runtimeSeconds = (performance.now() - startedAt) / 1000;

  if (json) {
    const summary = {
      benchmark: 'model',
      environment: env,
      rounds,
      secondsPerStrategy: budget,
      small: {
        scenario: {
          tasks: SMALL_TASKS,
          wave: WAVE,
          latency: { distribution: 'lognormal', ...LATENCY },
          errorRate: ERROR_RATE,
          retries: SMALL_RETRIES,
          orchestrator: SMALL_COSTS,
          pollInterval: POLL_INTERVAL,
        },
        strategies: Object.fromEntries(
          strategies.map((m) => {
            const f = get(m.key);
            return [
              m.key,
              {
                label: m.label,
                seedsPerRound: m.seeds(),
                eventsPerRun: f.events / m.seeds(),
                runsPerSecond: f.unitsPerSecond,
                eventsPerSecond: f.eventsPerSecond,
                gcShare: f.gcShare,
              },
            ];
          }),
        ),
      },
      large: {
        scenario: {
          tasks: LARGE_TASKS,
          wip: LARGE_WIP,
          continuation: 'events',
          latency: { distribution: 'lognormal', ...LATENCY },
          errorRate: ERROR_RATE,
          retries: LARGE_RETRIES,
          orchestrator: LARGE_COSTS,
          seed: LARGE_SEED,
        },
        label: largeMeas.label,
        events: get('large').events,
        eventsPerSecond: get('large').eventsPerSecond,
        tasksPerSecond: get('large').unitsPerSecond,
        wallSeconds: get('large').seconds,
        gcShare: get('large').gcShare,
        memory: {
          ...memory,
          peakRssBytes: rssAfterLarge,
          peakRssBeforeBytes: rssBeforeLarge,
        },
      },
      kernel: {
        workload: {
          processes: PROCESSES,
          waitsPerProcess: WAITS_PER_PROCESS,
          events: get('kernelHold').events,
        },
        engines: Object.fromEntries(
          [kernelHold, kernelTimeout].map((m) => [
            m.key,
            {
              label: m.label,
              eventsPerSecond: get(m.key).eventsPerSecond,
              gcShare: get(m.key).gcShare,
            },
          ]),
        ),
      },
      ratios: { reference: 'kernelHold', target: TARGET_VS_KERNEL, ...ratios },
      runtimeSeconds,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }

  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const fmtRate = (s: Summary, unit: (x: number) => string) => [
    unit(s.median),
    unit(s.min),
    unit(s.max),
  ];
  const perSecond = (x: number) => `${Math.round(x).toLocaleString('en')}/s`;
  const lf = get('large');
  const out = [
    `dispatchlab model benchmark, ${env.date}`,
    `node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cpus} x ${env.cpu}`,
    `${rounds} rounds after a warm-up; model and kernel runs interleaved, order rotated each round, full GC before each timed run; medians (min, max)`,
    '',
    `1. ${SMALL_TASKS} tasks in waves of ${WAVE}: lognormal latency (median ${LATENCY.median} s, p95 ${LATENCY.p95} s), ${ERROR_RATE * 100}% errors, ${SMALL_RETRIES} retry;`,
    `   orchestrator dispatch ${SMALL_COSTS.dispatch} s, process ${SMALL_COSTS.process} s, plan ${SMALL_COSTS.plan} s, synthesize ${SMALL_COSTS.synthesize} s; seeds 0..N-1 per strategy per round (~${budget} s)`,
    alignColumns([
      ['strategy', 'N', 'runs/s', 'min', 'max', 'events/run', 'events/s', 'GC'],
      ...strategies.map((m) => {
        const f = get(m.key);
        return [
          m.label,
          String(m.seeds()),
          ...fmtRate(f.unitsPerSecond, perSecond),
          (f.events / m.seeds()).toFixed(1),
          mega(f.eventsPerSecond.median),
          pct(f.gcShare.median),
        ];
      }),
    ]),
    '',
    `2. ${LARGE_TASKS.toLocaleString('en')} tasks, ${largeStrategy().label}, ${ERROR_RATE * 100}% errors, ${LARGE_RETRIES} retries, dispatch ${LARGE_COSTS.dispatch} s, process ${LARGE_COSTS.process} s (seed ${LARGE_SEED}, ${lf.events.toLocaleString('en')} events)`,
    alignColumns([
      ['', 'median', 'min', 'max'],
      ['events/s', ...fmtRate(lf.eventsPerSecond, mega)],
      ['tasks/s', ...fmtRate(lf.unitsPerSecond, perSecond)],
      ['wall time', ...fmtRate(lf.seconds, (s) => `${s.toFixed(3)} s`)],
      ['GC share', ...fmtRate(lf.gcShare, pct)],
    ]),
    `live heap at the end of the run (after full GC): ${mb(memory.liveBytes)} (${memory.bytesPerTask.toFixed(0)} bytes/task); peak RSS ${mb(rssAfterLarge)} (${mb(rssBeforeLarge)} before the first large run)`,
    '',
    `3. kernel, same rounds: ${PROCESSES} processes x ${WAITS_PER_PROCESS} holds (${get('kernelHold').events.toLocaleString('en')} events, starts and finishes included)`,
    alignColumns([
      ['engine', 'events/s', 'min', 'max', 'GC'],
      ...[kernelHold, kernelTimeout].map((m) => {
        const f = get(m.key);
        return [m.label, ...fmtRate(f.eventsPerSecond, mega), pct(f.gcShare.median)];
      }),
    ]),
    '',
    `model events/s / kernel (yield d) events/s, target >= 1/3:`,
    alignColumns(
      modelRows.map((row) => {
        const r = ratios[row.key]!;
        return [
          row.label,
          mega(get(row.key).eventsPerSecond.median),
          r.value.toFixed(3),
          `(paired ${r.pairedMedian.toFixed(3)})`,
          `target >= ${r.target.toFixed(3)}`,
          r.verdict,
        ];
      }),
    ),
    '',
    (() => {
      const r = ratio(
        get('asyncEventsTurns').eventsPerSecond,
        get('asyncEvents').eventsPerSecond,
        TARGET_TURNS_ON,
      );
      return `turns and tokens on / off (${asyncEvents.label}, turn ${TURN} s vs 0): events/s ${r.value.toFixed(3)} (paired ${r.pairedMedian.toFixed(3)}), target >= ${TARGET_TURNS_ON}  ${r.verdict}`;
    })(),
    '',
    `bench runtime: ${runtimeSeconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:model: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
