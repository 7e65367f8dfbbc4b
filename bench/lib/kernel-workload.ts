/**
 * The kernel benchmark's workload and the kernel's two ways of running it, shared by
 * bench/kernel.ts and bench/model.ts (which measures the model against the bare kernel in
 * the same process).
 *
 * Workload: P processes, each waiting on W random timeouts one after the other (P × W
 * waits, with about P events pending at any time). The delays (exponential, mean 1 s) are
 * drawn once, before anything is timed, from seeded streams, so every engine sees exactly
 * the same delays and no engine pays for random numbers.
 */
import {
  type Process,
  type ProcessGenerator,
  RandomStream,
  type RunResult,
  Simulation,
} from '../../src/sim/index.js';

export const PROCESSES = 1_000;
export const WAITS_PER_PROCESS = 1_000;
export const SEED = 20240601;

export interface Workload {
  readonly processes: number;
  readonly waitsPerProcess: number;
  /** delays[i * waitsPerProcess + j]: the j-th wait of process i. */
  readonly delays: Float64Array;
  /** The largest sum of one process's delays, summed in order: when every engine must end. */
  readonly endTime: number;
}

export function makeWorkload(processes: number, waitsPerProcess: number): Workload {
  const delays = new Float64Array(processes * waitsPerProcess);
  let endTime = 0;
  for (let i = 0; i < processes; i++) {
    const stream = new RandomStream(SEED, 'bench', i);
    let t = 0;
    for (let j = 0; j < waitsPerProcess; j++) {
      const d = -Math.log(stream.nextPositive()); // exponential, mean 1
      if (!(d > 0)) throw new Error(`delay ${i}/${j} is ${d}; the checks below need delays > 0`);
      delays[i * waitsPerProcess + j] = d;
      t += d; // the same additions, in the same order, as every engine's clock
    }
    endTime = Math.max(endTime, t);
  }
  return { processes, waitsPerProcess, delays, endTime };
}

/** What an engine reports about a run, checked against the workload. */
export interface Outcome {
  /** Waits completed, counted by the engine's own state. */
  readonly waits: number;
  /** Events the engine says it processed (the kernel counts process starts and ends too). */
  readonly events: number;
  readonly expectedEvents: number;
  /** Simulated time at the end. */
  readonly endTime: number;
}

/** A process that holds for delays[base], ..., delays[base + count - 1]: `yield d`, no event object. */
export function* holds(
  delays: Float64Array,
  base: number,
  count: number,
): ProcessGenerator<number> {
  for (let j = 0; j < count; j++) yield delays[base + j]!;
  return count;
}

/** The same waits, each on a `sim.timeout(d)` event. */
function* timeouts(
  sim: Simulation,
  delays: Float64Array,
  base: number,
  count: number,
): ProcessGenerator<number> {
  for (let j = 0; j < count; j++) yield sim.timeout(delays[base + j]!);
  return count;
}

/** dispatchlab kernel, fast path: generator processes yielding numbers. */
export function runKernelHold(w: Workload): Outcome {
  const sim = new Simulation();
  const processes: Process<number>[] = [];
  for (let i = 0; i < w.processes; i++) {
    processes.push(sim.process(holds(w.delays, i * w.waitsPerProcess, w.waitsPerProcess)));
  }
  return kernelOutcome(w, sim.run(), processes);
}

/** dispatchlab kernel, general path: generator processes yielding `sim.timeout(d)` events. */
export function runKernelTimeout(w: Workload): Outcome {
  const sim = new Simulation();
  const processes: Process<number>[] = [];
  for (let i = 0; i < w.processes; i++) {
    processes.push(sim.process(timeouts(sim, w.delays, i * w.waitsPerProcess, w.waitsPerProcess)));
  }
  return kernelOutcome(w, sim.run(), processes);
}

function kernelOutcome(w: Workload, result: RunResult, processes: Process<number>[]): Outcome {
  if (result.reason !== 'empty') throw new Error(`kernel run stopped: ${result.reason}`);
  let waits = 0;
  for (const p of processes) waits += p.value; // a process's value: the waits it completed
  // Besides one event per wait, each process has a start and a finish event.
  const expectedEvents = w.processes * w.waitsPerProcess + 2 * w.processes;
  return { waits, events: result.events, expectedEvents, endTime: result.now };
}

/** Throws unless the engine (named by `label`) ran the whole workload: waits, events, end time. */
export function checkOutcome(label: string, w: Workload, o: Outcome): void {
  const waits = w.processes * w.waitsPerProcess;
  const problems: string[] = [];
  if (o.waits !== waits) problems.push(`completed ${o.waits} waits, expected ${waits}`);
  if (o.events !== o.expectedEvents)
    problems.push(`processed ${o.events} events, expected ${o.expectedEvents}`);
  if (o.endTime !== w.endTime) problems.push(`ended at t=${o.endTime}, expected t=${w.endTime}`);
  if (problems.length > 0) {
    throw new Error(`${label} did not run the workload: ${problems.join('; ')}`);
  }
}
