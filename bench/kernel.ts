/**
 * Kernel benchmark: how fast does the dispatchlab kernel process events, measured against
 * the practical speed limit (a bare typed-array heap) and the best-known JS DES (simjs)?
 *
 * Workload: P = 1,000 processes, each waiting on W = 1,000 random timeouts one after the
 * other (P × W = 10^6 waits, with about P events pending at any time). The delays
 * (exponential, mean 1 s) are drawn once, before anything is timed, from seeded streams,
 * so every engine sees exactly the same delays and no engine pays for random numbers.
 *
 * Engines, each in one function (the kernel's two in lib/kernel-workload.ts, shared with
 * bench/model.ts):
 *   - kernel, hold:    generator processes yielding numbers (the kernel's fast path);
 *   - kernel, timeout: generator processes yielding `sim.timeout(d)` (an event per wait);
 *   - bare heap:       pop the min (time, id), push time + next delay of that id; no
 *                      processes, no tie-breaking: the floor for any event queue;
 *   - simjs:           1,000 entities each chaining 1,000 `setTimer(d).done(...)`.
 * Every run is checked (number of waits/events, final simulated time = the largest sum of
 * one process's delays, which every engine must reproduce exactly) so the benchmark cannot
 * silently measure the wrong thing. Rates are waits per second for all engines (the kernel
 * also processes P start and P finish events; their cost is included, not counted).
 *
 * Method: one warm-up run per engine, then N rounds (default 7) in which the engines run
 * interleaved, in an order rotated each round, with a full GC before each timed run; the
 * median is reported (machines are shared and noisy; min/max only show the spread).
 * Then memory per pending event, with 10^6 pending: retained V8 heap plus ArrayBuffers.
 *
 * Usage: npm run bench:kernel -- [--rounds N] [--json] [--only ENGINE] [--help]
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { alignColumns } from '../src/report/format.js';
import { Simulation } from '../src/sim/index.js';
import {
  checkOutcome,
  holds,
  makeWorkload,
  type Outcome,
  PROCESSES,
  runKernelHold,
  runKernelTimeout,
  SEED,
  WAITS_PER_PROCESS,
  type Workload,
} from './lib/kernel-workload.js';
import { getGc, measureRetained, type Retained } from './lib/memory.js';
import { benchOptions } from './lib/options.js';
import { environment, mega, progress } from './lib/report.js';
import { type Ratio, ratio, summarize } from './lib/stats.js';
import { TypedHeap } from './lib/typed-heap.js';

const PENDING_FOR_MEMORY = 1_000_000;
const TARGET_VS_BARE = 0.5;
const TARGET_VS_SIMJS = 2;

// ---------------------------------------------------------------------------------------
// Engines (the workload and the kernel's two engines are in lib/kernel-workload.ts)

/** Bare typed-array heap: the same pushes and pops with nothing around them. */
function runBareHeap(w: Workload): Outcome {
  const heap = new TypedHeap(w.processes);
  const next = new Int32Array(w.processes); // index of each id's next wait
  const delays = w.delays;
  const perProcess = w.waitsPerProcess;
  for (let i = 0; i < w.processes; i++) heap.push(delays[i * perProcess]!, i);
  let pops = 0;
  for (;;) {
    const id = heap.pop();
    if (id < 0) break;
    pops++;
    const j = ++next[id]!;
    if (j < perProcess) heap.push(heap.poppedTime + delays[id * perProcess + j]!, id);
  }
  return {
    waits: sum(next),
    events: pops,
    expectedEvents: w.processes * perProcess,
    endTime: heap.poppedTime,
  };
}

/** simjs: entities chaining timers, each timer's callback setting the next one. */
function runSimjs(w: Workload): Outcome {
  const { Sim, Chain } = loadSimjs();
  const sim = new Sim();
  const entities: SimjsChain[] = [];
  for (let i = 0; i < w.processes; i++) {
    entities.push(
      sim.addEntity(Chain, undefined, w.delays, i * w.waitsPerProcess, w.waitsPerProcess),
    );
  }
  sim.simulate(Number.POSITIVE_INFINITY);
  let waits = 0;
  for (const e of entities) waits += e.completed;
  return {
    waits,
    events: waits,
    expectedEvents: w.processes * w.waitsPerProcess,
    endTime: sim.time(),
  };
}

function sum(xs: Int32Array): number {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}

// ---------------------------------------------------------------------------------------
// simjs: an old browserify bundle. It exports nothing to CommonJS; it only assigns
// `window.Sim`, so it is loaded once with `window` aliased to the global object.

interface SimjsRequest {
  done(callback: () => void): SimjsRequest;
}
interface SimjsEntity {
  time(): number;
  setTimer(duration: number): SimjsRequest;
}
interface SimjsSim {
  addEntity<E>(
    klass: new (sim: SimjsSim, name?: string) => E,
    name?: string,
    ...args: unknown[]
  ): E;
  simulate(endTime: number): boolean;
  time(): number;
}
interface SimjsModule {
  Sim: new () => SimjsSim;
  Entity: new (sim: SimjsSim, name?: string) => SimjsEntity;
}
interface SimjsChain extends SimjsEntity {
  completed: number;
}
interface LoadedSimjs {
  readonly Sim: new () => SimjsSim;
  readonly Chain: new (sim: SimjsSim, name?: string) => SimjsChain;
  /** An entity that does nothing: timers are set on it from outside. */
  readonly Idle: new (
    sim: SimjsSim,
    name?: string,
  ) => SimjsEntity;
  readonly version: string;
}

let simjs: LoadedSimjs | undefined;

function loadSimjs(): LoadedSimjs {
  if (simjs !== undefined) return simjs;
  const require = createRequire(import.meta.url);
  const g = globalThis as { window?: unknown; Sim?: SimjsModule };
  const hadWindow = 'window' in g;
  g.window ??= globalThis;
  require('simjs');
  const lib = g.Sim;
  if (!hadWindow) delete g.window;
  delete g.Sim;
  if (lib === undefined)
    throw new Error('simjs did not define window.Sim; the shim no longer fits');

  class Chain extends lib.Entity implements SimjsChain {
    completed = 0;
    private delays: Float64Array = new Float64Array(0);
    private base = 0;
    private count = 0;
    start(delays: Float64Array, base: number, count: number): void {
      this.delays = delays;
      this.base = base;
      this.count = count;
      this.setTimer(delays[base]!).done(this.step);
    }
    step(): void {
      if (++this.completed < this.count) {
        this.setTimer(this.delays[this.base + this.completed]!).done(this.step);
      }
    }
  }
  class Idle extends lib.Entity {
    start(): void {}
  }
  const version = (require('simjs/package.json') as { version: string }).version;
  simjs = { Sim: lib.Sim, Chain, Idle, version };
  return simjs;
}

// ---------------------------------------------------------------------------------------
// Timing

interface Engine {
  readonly key: (typeof ENGINE_KEYS)[number];
  readonly label: string;
  readonly run: (w: Workload) => Outcome;
}

const ENGINE_KEYS = ['kernelHold', 'kernelTimeout', 'bareHeap', 'simjs'] as const;

function engines(): Engine[] {
  return [
    { key: 'kernelHold', label: 'dispatchlab kernel, yield d', run: runKernelHold },
    {
      key: 'kernelTimeout',
      label: 'dispatchlab kernel, yield sim.timeout(d)',
      run: runKernelTimeout,
    },
    { key: 'bareHeap', label: 'bare typed-array heap', run: runBareHeap },
    { key: 'simjs', label: `simjs ${loadSimjs().version}`, run: runSimjs },
  ];
}

/** Runs an engine once, checks what it did, and returns waits per second. */
function timeOnce(engine: Engine, w: Workload, gc: () => void): number {
  gc(); // garbage of the previous run is not this run's cost
  const start = performance.now();
  const outcome = engine.run(w);
  const seconds = (performance.now() - start) / 1000;
  checkOutcome(engine.label, w, outcome);
  return outcome.waits / seconds;
}

// ---------------------------------------------------------------------------------------
// Memory

interface MemoryRow {
  readonly key: string;
  readonly label: string;
  readonly retained: Retained;
  readonly bytesPerPending: number;
}

function measureMemory(delays: Float64Array, n: number): MemoryRow[] {
  if (delays.length < n) throw new Error('not enough delays for the memory measurement');
  const rows: MemoryRow[] = [];
  const add = (key: string, label: string, retained: Retained) =>
    rows.push({ key, label, retained, bytesPerPending: retained.totalBytes / n });

  add(
    'kernelTimeouts',
    `dispatchlab: ${n} sim.timeout(d) pending`,
    measureRetained(
      () => {
        const sim = new Simulation();
        for (let i = 0; i < n; i++) sim.timeout(delays[i]!);
        return sim;
      },
      (sim) => expectEqual('pending timeouts', sim.pendingEvents, n),
    ),
  );
  progress('memory: kernel timeouts measured');

  add(
    'kernelHolds',
    `dispatchlab: ${n} processes holding (yield d)`,
    measureRetained(
      () => {
        const sim = new Simulation();
        for (let i = 0; i < n; i++) sim.process(holds(delays, i, 1));
        sim.run({ until: 0 }); // every process starts and yields its hold
        return sim;
      },
      (sim) => {
        expectEqual('pending holds', sim.pendingEvents, n);
        expectEqual('live processes', sim.liveProcesses().length, n);
      },
    ),
  );
  progress('memory: kernel processes measured');

  add(
    'bareHeap',
    `bare typed-array heap: ${n} entries`,
    measureRetained(
      () => {
        const heap = new TypedHeap(n);
        for (let i = 0; i < n; i++) heap.push(delays[i]!, i);
        return heap;
      },
      (heap) => expectEqual('heap entries', heap.size, n),
    ),
  );

  const { Sim, Idle } = loadSimjs();
  add(
    'simjs',
    `simjs: ${n} setTimer(d) pending`,
    measureRetained(
      () => {
        const sim = new Sim();
        const entity = sim.addEntity(Idle);
        for (let i = 0; i < n; i++) entity.setTimer(delays[i]!);
        return sim;
      },
      (sim) =>
        expectEqual(
          'simjs queue length',
          (sim as unknown as { queue: { data: unknown[] } }).queue.data.length,
          n,
        ),
    ),
  );
  progress('memory: bare heap and simjs measured');
  return rows;
}

function expectEqual(what: string, actual: number, expected: number): void {
  if (actual !== expected)
    throw new Error(`memory measurement: ${what} is ${actual}, expected ${expected}`);
}

// ---------------------------------------------------------------------------------------
// Main

const HELP = `Usage: npm run bench:kernel -- [options]

Events per second of the dispatchlab kernel against a bare typed-array heap and simjs
(${PROCESSES} processes x ${WAITS_PER_PROCESS} random timeouts), and memory per pending event
with ${PENDING_FOR_MEMORY} pending. Figures, not a test: the exit code is 0 even when a
target is missed (it is non-zero only if an engine did not run the workload correctly).

Options:
  --rounds N   timed rounds per engine, after one warm-up (default 7; medians need >= 5)
  --json       print a machine-readable summary on stdout instead of the tables
  --only KEY   time one engine alone, no ratios, no memory (for profiling with
               node --cpu-prof); KEY is one of ${ENGINE_KEYS.join(', ')}
  --help       show this help
`;

function main(): void {
  const options = benchOptions(HELP, 7);
  if (options === undefined) return;
  const { rounds, json, only } = options;

  const all = engines();
  const list = only === undefined ? all : all.filter((e) => e.key === only);
  if (list.length === 0) {
    throw new Error(`--only: no engine '${only}'; choose one of ${ENGINE_KEYS.join(', ')}`);
  }

  const startedAt = performance.now();
  const env = environment();
  const gc = getGc();
  const w = makeWorkload(PROCESSES, WAITS_PER_PROCESS);

  for (const engine of list) {
    const rate = timeOnce(engine, w, gc);
    progress(`warm-up: ${engine.label}: ${mega(rate)}`);
  }
  const samples = new Map<string, number[]>(list.map((e) => [e.key, []]));
  for (let r = 0; r < rounds; r++) {
    const order = list.map((_, i) => list[(i + r) % list.length]!);
    for (const engine of order) samples.get(engine.key)!.push(timeOnce(engine, w, gc));
    progress(
      `round ${r + 1}/${rounds}: ${list.map((e) => `${e.key} ${mega(samples.get(e.key)!.at(-1)!)}`).join(', ')}`,
    );
  }
  const stats = new Map(list.map((e) => [e.key, summarize(samples.get(e.key)!)]));
  const get = (key: string) => stats.get(key as Engine['key'])!;
  if (only !== undefined) {
    const s = get(only);
    process.stdout.write(
      `${list[0]!.label}: median ${mega(s.median)}, min ${mega(s.min)}, max ${mega(s.max)} (${rounds} rounds)\n`,
    );
    return;
  }
  const ratios = {
    kernelVsBare: ratio(get('kernelHold'), get('bareHeap'), TARGET_VS_BARE),
    kernelVsSimjs: ratio(get('kernelHold'), get('simjs'), TARGET_VS_SIMJS),
    kernelTimeoutVsBare: ratio(get('kernelTimeout'), get('bareHeap'), TARGET_VS_BARE),
    kernelTimeoutVsSimjs: ratio(get('kernelTimeout'), get('simjs'), TARGET_VS_SIMJS),
  };

  const memory = measureMemory(w.delays, PENDING_FOR_MEMORY);
  const runtimeSeconds = (performance.now() - startedAt) / 1000;
  const waits = PROCESSES * WAITS_PER_PROCESS;

  if (json) {
    const summary = {
      benchmark: 'kernel',
      environment: env,
      workload: {
        processes: PROCESSES,
        waitsPerProcess: WAITS_PER_PROCESS,
        waits,
        delays: 'exponential, mean 1',
        seed: SEED,
        endTime: w.endTime,
      },
      rounds,
      unit: 'waits per second',
      engines: Object.fromEntries(list.map((e) => [e.key, { label: e.label, ...get(e.key) }])),
      ratios,
      memory: {
        pending: PENDING_FOR_MEMORY,
        rows: Object.fromEntries(
          memory.map((m) => [
            m.key,
            { label: m.label, ...m.retained, bytesPerPending: m.bytesPerPending },
          ]),
        ),
      },
      runtimeSeconds,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }

  const fmtRatio = (name: string, r: Ratio, suffix: string) => [
    name,
    `${r.value.toFixed(2)}${suffix}`,
    `(paired ${r.pairedMedian.toFixed(2)}${suffix})`,
    `target >= ${r.target}${suffix}`,
    r.verdict,
  ];
  const kb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const out = [
    `dispatchlab kernel benchmark, ${env.date}`,
    `node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cpus} x ${env.cpu}`,
    `workload: ${PROCESSES} processes x ${WAITS_PER_PROCESS} timeouts (exponential, mean 1 s) = ${waits.toLocaleString('en')} waits; every engine ended at t=${w.endTime.toFixed(6)} s`,
    `${rounds} rounds after a warm-up, engines interleaved; rates are waits per second`,
    '',
    alignColumns([
      ['engine', 'median', 'min', 'max'],
      ...list.map((e) => {
        const s = get(e.key);
        return [e.label, mega(s.median), mega(s.min), mega(s.max)];
      }),
    ]),
    '',
    'ratios of medians (kernel = yield d):',
    alignColumns([
      fmtRatio('kernel / bare heap', ratios.kernelVsBare, ''),
      fmtRatio('kernel / simjs', ratios.kernelVsSimjs, 'x'),
      fmtRatio('kernel, timeouts / bare heap', ratios.kernelTimeoutVsBare, ''),
      fmtRatio('kernel, timeouts / simjs', ratios.kernelTimeoutVsSimjs, 'x'),
    ]),
    '',
    `memory with ${PENDING_FOR_MEMORY.toLocaleString('en')} events pending (retained after full GC):`,
    alignColumns([
      ['structure', 'V8 heap', 'ArrayBuffers', 'bytes/pending'],
      ...memory.map((m) => [
        m.label,
        kb(m.retained.heapBytes),
        kb(m.retained.arrayBufferBytes),
        m.bytesPerPending.toFixed(1),
      ]),
    ]),
    '',
    `bench runtime: ${runtimeSeconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`bench:kernel: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
