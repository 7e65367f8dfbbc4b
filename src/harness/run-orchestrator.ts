/**
 * Runs a user's async orchestrator — plain TypeScript with async/await, setTimeout,
 * Date.now, Promise.all — on simulated time, against the simulated subagents of a
 * scenario's world (simulated-run.ts), and returns the trace of the run in format v1.
 *
 * Time is @sinonjs/fake-timers' clock, installed on the global object for the run so that
 * the code's own timers (setTimeout, setInterval, setImmediate) and Date are simulated
 * too, and uninstalled however the run ends. Promises and process.nextTick stay real. The
 * harness drives the clock: one due timer at a time, then every promise continuation it
 * caused, before time moves on. Same seed, same trace: timers that fall due at the same
 * millisecond fire in the order they were set.
 *
 * The clock counts whole milliseconds. The world's instants (a subagent's start and end)
 * are kept unrounded, and each timer is placed on the first millisecond at or after its
 * instant (less than 0.001 s late); the orchestrator's own durations (work, turns) are
 * rounded to the nearest millisecond. test/harness/cross-validation.test.ts bounds what
 * that does to a makespan.
 */
import FakeTimers from '@sinonjs/fake-timers';
import type { Scheduler } from 'fast-check';
import type { WorldConfig } from '../model/config.js';
import type { RunMetrics, RunOutcome } from '../model/metrics.js';
import type { StrategyDescription } from '../model/strategy.js';
import type { TraceSource } from '../model/trace-recorder.js';
import type { ModelTraceRecord } from '../model/trace-records.js';
import type { Seed } from '../sim/random.js';
import { serializeTraceRecord } from '../sim/trace.js';
import { OrchestratorMemory } from './context-store.js';
import { HarnessRuntime, type OrchestratorRuntime } from './runtime.js';
import { type HarnessSettings, SimulatedRun } from './simulated-run.js';

export interface RunOrchestratorOptions<R> {
  readonly world: WorldConfig;
  readonly seed: Seed;
  readonly orchestrator: (rt: OrchestratorRuntime) => Promise<R>;
  /** How many tasks; the world's count by default. */
  readonly tasks?: number;
  /** What the code declares about how it dispatches, for the header's `settings`. */
  readonly settings?: HarnessSettings;
  /** The name the header gives the orchestrator (its `strategy.label`). */
  readonly label?: string;
  /** The orchestrator's whole configuration, for the header's `strategy.description`. */
  readonly description?: StrategyDescription;
  /** The scenario the world comes from, named in the header. */
  readonly source?: TraceSource;
  /** Timers fired before the run is called a runaway. */
  readonly maxSteps?: number;
  /**
   * fast-check's scheduler (`fc.scheduler()`), to explore the order in which subagents
   * that end at the same instant reach the code: inside `fc.asyncProperty`, fast-check
   * picks an order per run and shrinks a failing one. Without it they reach the code in
   * the order they started.
   */
  readonly scheduler?: Scheduler;
}

export interface HarnessRun<R> {
  readonly records: readonly ModelTraceRecord[];
  /** Seconds from the start until the orchestrator's promise settled (or the deadlock). */
  readonly makespan: number;
  readonly outcome: RunOutcome;
  /** The model's metrics of the run, as compare reports them. */
  readonly metrics: RunMetrics;
  /** With a deadlock: what was pending. */
  readonly deadlock?: string;
  /** What the orchestrator returned, when it did. */
  readonly value?: R;
}

/** The run went on past `maxSteps` timers without the orchestrator returning. */
export class HarnessRunawayError extends Error {
  override name = 'HarnessRunawayError';
}

const defaultMaxSteps = 1_000_000;

/** The trace as JSON Lines, byte-stable (src/sim/trace.ts). */
export function harnessJsonl(records: readonly ModelTraceRecord[]): string {
  return records.map((r) => `${serializeTraceRecord(r)}\n`).join('');
}

/**
 * Waits until every pending promise continuation has run, and those they queue: a tick
 * queued from a microtask runs only once the microtask queue is empty. Far cheaper than a
 * turn of the event loop, which each fired timer would otherwise cost (most of a run's
 * time, measured by `npm run bench:harness`).
 */
const settle = async (): Promise<void> => {
  await null;
  await new Promise<void>((resolve) => process.nextTick(resolve));
};

// The real one, taken before any clock is installed (the clock fakes setImmediate).
const realSetImmediate = globalThis.setImmediate;
/** Timers fired between two real turns of the event loop (some tens of milliseconds), so that I/O, a test runner's, is not starved; more often measurably slows a run. */
const stepsPerRealTurn = 16_384;
const realTurn = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/**
 * When the clock's next timer is due, in its milliseconds; undefined when none is set.
 * fake-timers keeps its timers in a heap since 15.2 and offers no public peek: read it,
 * and should a later version hide it, say "unknown" (undefined), which releases the news
 * before the instant's other timers: a different order, still a deterministic one.
 */
function nextTimerAt(clock: object): number | undefined {
  const heap = (clock as { timerHeap?: { peek(): { callAt: number } | undefined } }).timerHeap;
  return heap?.peek()?.callAt;
}

export async function runOrchestrator<R>(
  options: RunOrchestratorOptions<R>,
): Promise<HarnessRun<R>> {
  const { world, seed } = options;
  if (world.tasks.dependencies.shape !== 'none') {
    throw new Error(
      `the harness runs independent tasks only; this world's tasks form a ${world.tasks.dependencies.shape} graph`,
    );
  }
  const tasks = options.tasks ?? world.tasks.count;
  const settings = options.settings ?? {};
  const maxSteps = options.maxSteps ?? defaultMaxSteps;
  // setImmediate and the microtask queue stay real: the harness turns the event loop with them.
  const clock = FakeTimers.withGlobal(globalThis).install({
    now: 0,
    toFake: [
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'setImmediate',
      'clearImmediate',
      'Date',
    ],
  });
  try {
    const sim = new SimulatedRun(
      clock,
      world,
      seed,
      tasks,
      settings,
      options.label ?? 'orchestrator',
      options.description,
      options.source ?? null,
    );
    const scheduler = options.scheduler;
    if (scheduler !== undefined) sim.orderNewsBy(scheduler);
    const memory = new OrchestratorMemory(seed, world.context.forgetProbability);
    sim.onCompaction((count) => memory.compacted(count, sim.now));
    const rt = new HarnessRuntime(sim, clock, memory);
    // A holder: the callback below sets it, which a plain `let` would hide from narrowing.
    const run: { settled: { value: R } | { error: unknown } | null } = { settled: null };
    let ended: ReturnType<SimulatedRun['close']> | null = null;
    // The run ends the instant the orchestrator's promise settles: what its leftover
    // continuations do afterwards, at the same instant, is no longer the run's.
    const done = (s: { value: R } | { error: unknown }) => {
      run.settled = s;
      if (!('value' in s)) return;
      ended = sim.close(sim.unresolved > 0 ? 'incomplete' : 'completed', null);
    };
    // The run's first turn, then the code; a synchronous throw settles the run like a rejection.
    sim
      .begin()
      .then(() => options.orchestrator(rt))
      .then(
        (value) => done({ value }),
        (error: unknown) => done({ error }),
      );
    let steps = 0;
    for (;;) {
      await settle();
      if (run.settled !== null) break;
      // News of this instant is held by the scheduler: released one at a time, in its
      // order, once every timer of the instant has fired (so that all of it is there).
      if (scheduler !== undefined && scheduler.count() > 0 && nextTimerAt(clock) !== clock.now) {
        await scheduler.waitOne();
        continue;
      }
      if (clock.countTimers() === 0) {
        const pending = sim.pending();
        const deadlock = `the orchestrator is still waiting, no timer is pending and no subagent will end${pending.length > 0 ? `; pending: ${pending.join('; ')}` : ''}`;
        const end = sim.close('deadlock', deadlock);
        return {
          records: sim.records,
          makespan: end.makespan,
          outcome: 'deadlock',
          metrics: end.metrics,
          deadlock,
        };
      }
      if (++steps > maxSteps) {
        const pending = sim.pending();
        throw new HarnessRunawayError(
          `runaway: ${maxSteps} timers fired by ${clock.now / 1000} s and the orchestrator has not returned (${clock.countTimers()} timers pending${pending.length > 0 ? `; ${pending.join('; ')}` : ''})`,
        );
      }
      if (steps % stepsPerRealTurn === 0) await realTurn();
      clock.next();
    }
    const result = run.settled as { value: R } | { error: unknown };
    if ('error' in result) throw result.error;
    const end = ended as ReturnType<SimulatedRun['close']> | null;
    if (end === null) throw new Error('unreachable: a returned run is closed');
    return {
      records: sim.records,
      makespan: end.makespan,
      outcome: end.outcome,
      metrics: end.metrics,
      value: result.value,
    };
  } finally {
    clock.uninstall();
  }
}
