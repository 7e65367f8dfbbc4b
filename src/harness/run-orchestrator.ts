/**
 * Runs a user's async orchestrator — plain TypeScript with async/await, setTimeout,
 * Date.now, Promise.all — on simulated time, against the simulated subagents of a
 * scenario's world (polling-runtime.ts), and returns the trace of the run in format v1.
 *
 * Time is @sinonjs/fake-timers' clock, installed on the global object for the run so that
 * the code's own timers and Date are simulated too, and uninstalled however the run ends.
 * The harness drives it: one due timer at a time (`nextAsync`), with the event loop turned
 * between, so that every promise continuation runs before time moves on. Same seed, same
 * trace: timers that fall due at the same millisecond fire in the order they were set.
 *
 * The clock counts whole milliseconds, so a subagent's latency is rounded to the nearest
 * millisecond: a start→end interval differs from the model's by at most 0.0005 s.
 */
import FakeTimers from '@sinonjs/fake-timers';
import type { WorldConfig } from '../model/config.js';
import type { RunOutcome } from '../model/metrics.js';
import type { ModelTraceRecord } from '../model/trace-records.js';
import { traceFormatName, traceFormatVersion } from '../model/trace-records.js';
import type { Seed } from '../sim/random.js';
import { serializeTraceRecord } from '../sim/trace.js';
import { dispatchlabVersion } from '../version.js';
import {
  type HarnessSettings,
  type PollingRuntime,
  SimulatedPollingRuntime,
} from './polling-runtime.js';

export interface RunOrchestratorOptions<R> {
  readonly world: WorldConfig;
  readonly seed: Seed;
  readonly orchestrator: (rt: PollingRuntime) => Promise<R>;
  /** How many tasks; the world's count by default. */
  readonly tasks?: number;
  /** What the code declares about how it dispatches, for the header's `settings`. */
  readonly settings?: HarnessSettings;
  /** The name the header gives the orchestrator (its `strategy.label`). */
  readonly label?: string;
  /** Timers fired before the run is called a runaway. */
  readonly maxSteps?: number;
}

export interface HarnessRun<R> {
  readonly records: readonly ModelTraceRecord[];
  /** Seconds from the start until the orchestrator's promise settled (or the deadlock). */
  readonly makespan: number;
  readonly outcome: RunOutcome;
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

/** Turns the real event loop once, so every pending promise continuation runs. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  try {
    const rt = new SimulatedPollingRuntime(clock, world, seed, tasks, settings);
    rt.records.push(header(options, tasks, settings));
    // A holder: the callback below sets it, which a plain `let` would hide from narrowing.
    const run: { settled: { value: R } | { error: unknown } | null } = { settled: null };
    let endedAt = 0;
    let outcome: RunOutcome = 'completed';
    // The run ends the instant the orchestrator's promise settles: what its leftover
    // continuations do afterwards, at the same instant, is no longer the run's.
    const done = (s: { value: R } | { error: unknown }) => {
      run.settled = s;
      endedAt = clock.now;
      if (!('value' in s)) return;
      outcome = rt.unresolved > 0 ? 'incomplete' : 'completed';
      rt.close(outcome, null);
    };
    // Started inside a function so a synchronous throw settles the run like a rejection.
    Promise.resolve()
      .then(() => options.orchestrator(rt))
      .then(
        (value) => done({ value }),
        (error: unknown) => done({ error }),
      );
    let steps = 0;
    for (;;) {
      await settle();
      if (run.settled !== null) break;
      if (clock.countTimers() === 0) {
        const pending = rt.pending();
        const deadlock = `deadlock at ${clock.now / 1000} s: the orchestrator is still waiting, no timer is pending and no subagent will end${pending.length > 0 ? `; pending: ${pending.join('; ')}` : ''}`;
        rt.close('deadlock', deadlock);
        return { records: rt.records, makespan: clock.now / 1000, outcome: 'deadlock', deadlock };
      }
      if (++steps > maxSteps) {
        const pending = rt.pending();
        throw new HarnessRunawayError(
          `runaway: ${maxSteps} timers fired by ${clock.now / 1000} s and the orchestrator has not returned (${clock.countTimers()} timers pending${pending.length > 0 ? `; ${pending.join('; ')}` : ''})`,
        );
      }
      await clock.nextAsync();
    }
    const result = run.settled;
    if (result === null) throw new Error('unreachable: the loop ends when the run settles');
    if ('error' in result) throw result.error;
    return { records: rt.records, makespan: endedAt / 1000, outcome, value: result.value };
  } finally {
    clock.uninstall();
  }
}

function header<R>(
  options: RunOrchestratorOptions<R>,
  tasks: number,
  settings: HarnessSettings,
): ModelTraceRecord {
  const record = {
    t: 0,
    type: 'run.start',
    format: traceFormatName,
    version: traceFormatVersion,
    tool: { name: 'dispatchlab-harness', version: dispatchlabVersion },
    scenario: null,
    seed: options.seed,
    strategy: { label: options.label ?? 'orchestrator', description: null },
    settings: {
      mode: 'background',
      wip: settings.wip ?? null,
      timeout: settings.timeout ?? null,
      retries: settings.retries ?? 0,
      continuation: 'polling',
      pollInterval: settings.pollInterval ?? null,
      registry: 'durable',
      resume: false,
      // The runtime times out only what the code checks: nothing cancels a lost id.
      forgottenTimeout: 'none',
    },
    tasks,
    dependencies: [],
  };
  // The header a trace from code writes: without `costs`, `context`, `tokens` and `world`,
  // which describe a model (docs/trace-format.md, "The header"); the type lists the simulator's.
  return record as unknown as ModelTraceRecord;
}
