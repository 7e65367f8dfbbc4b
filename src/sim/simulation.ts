/**
 * The simulation: a virtual clock, the event queue, and the loop that runs it.
 *
 * Semantics that everything above relies on:
 * - Time only moves forward, to the time of the next live queue entry.
 * - Entries at the same time run in the order they were scheduled (FIFO), always.
 * - `run()` never returns silently while work is stuck: if processes still wait and
 *   nothing is scheduled that could wake them, it reports a deadlock naming each process
 *   and what it waits for. Guards on the number of events, on events at one instant and
 *   on simulated time stop a runaway run with a message that says which guard tripped.
 *   The event a run stops at (a guard, or `until` a time) stays queued: a later run fires it.
 */
import { AllOf, AnyOf, type AnyOfResult, type ValuesOf } from './conditions.js';
import {
  DeadlockError,
  type DeadlockReport,
  formatTime,
  RunawayError,
  SimulationError,
  StalledError,
} from './errors.js';
import { type Firable, PROCESSED, SimEvent, Timeout } from './event.js';
import { EventQueue } from './event-queue.js';
import { Process, type ProcessGenerator, type ProcessOptions } from './process.js';
import { noTrace, type TraceFields, type TraceSink } from './trace.js';

export interface SimulationOptions {
  /** Where `record()` writes; off by default. */
  trace?: TraceSink;
}

export interface RunOptions {
  /** Stop at this simulated time (events at exactly this time still run), or once this event is processed. */
  until?: number | SimEvent<unknown>;
  /** Guard: stop with a RunawayError after this many events. Default 1e9. */
  maxEvents?: number;
  /** Guard: stop with a RunawayError if simulated time would pass this. Default: none. */
  maxTime?: number;
  /** Guard: stop with a RunawayError after this many events without time advancing (zero-delay loops). Default 1e7. */
  maxEventsPerInstant?: number;
  /** On deadlock: throw a DeadlockError (default) or return a result carrying the report. */
  onDeadlock?: 'throw' | 'report';
}

export type StopReason = 'empty' | 'until-time' | 'until-event' | 'deadlock';

export interface RunResult {
  readonly reason: StopReason;
  /** The clock when the run stopped. */
  readonly now: number;
  /** Events processed during this call. */
  readonly events: number;
  readonly deadlock?: DeadlockReport;
}

function checkDelay(delay: number, what: string): void {
  if (!(delay >= 0) || delay === Number.POSITIVE_INFINITY) {
    throw new SimulationError(`${what} must be a finite number of seconds >= 0, got ${delay}`);
  }
}

export class Simulation {
  /** The current simulated time, in seconds. */
  now = 0;
  /** The process whose generator is executing, if any. */
  activeProcess: Process<unknown> | null = null;
  /** Total events processed over the simulation's life. */
  eventsProcessed = 0;
  readonly trace: TraceSink;
  private readonly queue: EventQueue<Firable>;
  /**
   * Live processes in creation order (deadlock reports are deterministic): a list threaded
   * through the processes (`_previousLive`, `_nextLive`), because a model may start and end
   * 10^6 of them, and a Set's hashing cost more than the rest of a process's bookkeeping.
   */
  private firstLive: Process<unknown> | null = null;
  private lastLive: Process<unknown> | null = null;
  private nextProcessId = 0;
  private eventsThisInstant = 0;
  /** The running call's guard, shared with immediate resumes (which bypass the queue). */
  private maxPerInstant = 1e7;
  private running = false;

  constructor(options: SimulationOptions = {}) {
    this.trace = options.trace ?? noTrace;
    this.queue = new EventQueue<Firable>();
  }

  /** Starts a process at the current time. */
  process<R>(generator: ProcessGenerator<R>, options?: ProcessOptions): Process<R> {
    const process = new Process<R>(this, generator, this.nextProcessId++, options);
    const p = process as Process<unknown>;
    p._previousLive = this.lastLive;
    if (this.lastLive === null) this.firstLive = p;
    else this.lastLive._nextLive = p;
    this.lastLive = p;
    return process;
  }

  /** A pending event, triggered later with `succeed` or `fail`. */
  event<T = undefined>(name?: string): SimEvent<T> {
    return new SimEvent<T>(this, name);
  }

  /** An event that fires `delay` seconds from now, with `value`. */
  timeout(delay: number, name?: string): Timeout<undefined>;
  timeout<T>(delay: number, name: string | undefined, value: T): Timeout<T>;
  timeout<T>(delay: number, name?: string, value?: T): Timeout<T | undefined> {
    checkDelay(delay, 'a timeout delay');
    return new Timeout<T | undefined>(this, delay, value, name);
  }

  /** Calls `callback` `delay` seconds from now; cancel the returned event to withdraw it. */
  schedule(delay: number, callback: () => void, name?: string): Timeout<undefined> {
    const timeout = this.timeout(delay, name);
    timeout.onProcessed(callback);
    return timeout;
  }

  /** Succeeds with the first of `events` to happen. */
  anyOf<T>(events: readonly SimEvent<T>[]): SimEvent<AnyOfResult<T>> {
    return new AnyOf<T>(this, events);
  }

  /** Succeeds when all of `events` have happened, with their values in order. */
  allOf<const E extends readonly SimEvent<unknown>[]>(events: E): SimEvent<ValuesOf<E>> {
    return new AllOf<E>(this, events);
  }

  /** Writes a trace record stamped with the current time. */
  record(type: string, fields?: TraceFields): void {
    if (this.trace.enabled) this.trace.write({ t: this.now, type, ...fields });
  }

  /** Live (non-finished) processes, in creation order. */
  liveProcesses(): Process<unknown>[] {
    const out: Process<unknown>[] = [];
    for (let p = this.firstLive; p !== null; p = p._nextLive) out.push(p);
    return out;
  }

  /** Number of scheduled events that will still fire. */
  get pendingEvents(): number {
    return this.queue.liveSize;
  }

  /** Time of the next scheduled event, or Infinity. */
  peek(): number {
    this.queue.pruneTop();
    return this.queue.peekTime();
  }

  /** Runs until the queue is empty, a time, or an event; see RunOptions for the guards. */
  run(options: RunOptions = {}): RunResult {
    if (this.running)
      throw new SimulationError('run() was called from inside a running simulation');
    const until = options.until;
    const untilTime = typeof until === 'number' ? until : Number.POSITIVE_INFINITY;
    const untilEvent = until instanceof SimEvent ? until : undefined;
    if (typeof until === 'number' && !(until >= this.now)) {
      throw new SimulationError(`run until ${until}: that is before the current time ${this.now}`);
    }
    const maxEvents = options.maxEvents ?? 1e9;
    const maxTime = options.maxTime ?? Number.POSITIVE_INFINITY;
    const maxPerInstant = options.maxEventsPerInstant ?? 1e7;
    this.maxPerInstant = maxPerInstant;
    let stopFlag = false;
    const stopListener = () => {
      stopFlag = true;
    };
    if (untilEvent !== undefined) {
      if (untilEvent.state === PROCESSED) return this.finishAtEvent(untilEvent, 0);
      untilEvent._addWaiter(stopListener);
    }

    const queue = this.queue;
    const start = this.eventsProcessed;
    // Hot loop: counters live in locals and are written back when the loop ends. Both time
    // bounds are checked only when the clock is about to move, with one comparison.
    const timeBound = Math.min(untilTime, maxTime);
    let processed = 0;
    let now = this.now;
    this.running = true;
    try {
      for (;;) {
        // The entry stays in the queue (at its top) until it fires and something else is
        // scheduled, or until the next pop; `unpop` puts it back if it must not fire now.
        const target = queue.popLive();
        if (target === undefined) break;
        const time = queue.poppedTime;
        if (time !== now) {
          if (time > timeBound) {
            queue.unpop();
            if (time > untilTime) {
              this.now = untilTime;
              return { reason: 'until-time', now: this.now, events: processed };
            }
            throw new RunawayError(
              `the run passed the time guard maxTime=${maxTime} (next event at ${formatTime(time)}); raise maxTime if the run is meant to be this long, or look for a process that never stops`,
            );
          }
          this.now = now = time;
          this.eventsThisInstant = 1;
        } else if (++this.eventsThisInstant > maxPerInstant) {
          queue.unpop();
          this.stalled(maxPerInstant);
        }
        if (processed >= maxEvents) {
          queue.unpop();
          throw new RunawayError(
            `the run passed the event guard maxEvents=${maxEvents} at ${formatTime(now)}; raise maxEvents if the run is meant to be this long, or look for a process that never stops`,
          );
        }
        processed++;
        target._fire();
        if (stopFlag) return this.finishAtEvent(untilEvent!, processed);
      }
    } finally {
      this.eventsProcessed = start + processed;
      this.running = false;
      this.activeProcess = null;
      if (untilEvent !== undefined && untilEvent.state !== PROCESSED) {
        untilEvent._removeWaiter(stopListener);
      }
    }

    const events = processed;
    const waiting = this.liveProcesses()
      .filter((p) => !p.daemon)
      .map((p) => ({ process: p.name, waitingFor: p.describeWait() }));
    if (untilEvent !== undefined || waiting.length > 0) {
      const report: DeadlockReport =
        untilEvent !== undefined
          ? { time: this.now, until: untilEvent.describe(), waiting }
          : { time: this.now, waiting };
      if (options.onDeadlock === 'report')
        return { reason: 'deadlock', now: this.now, events, deadlock: report };
      throw new DeadlockError(report);
    }
    if (untilTime !== Number.POSITIVE_INFINITY) {
      this.now = untilTime;
      return { reason: 'until-time', now: this.now, events };
    }
    return { reason: 'empty', now: this.now, events };
  }

  private finishAtEvent(event: SimEvent<unknown>, events: number): RunResult {
    // As in SimPy: running until a process that failed re-raises its failure.
    if (!event.ok) {
      event.defused = true;
      throw event.error;
    }
    return { reason: 'until-event', now: this.now, events };
  }

  private stalled(limit: number): never {
    const active = this.activeProcess?.name;
    throw new StalledError(
      `${limit} events ran at ${formatTime(this.now)} without simulated time advancing (guard maxEventsPerInstant)${active ? `, last in '${active}'` : ''}; a process is probably looping on zero-length waits such as \`yield 0\``,
    );
  }

  // ---- kernel-internal hooks used by events and processes ----

  /** @internal Queues `target` to fire at `time`; returns the entry's slot (for `_cancel`). */
  _schedule(time: number, target: Firable): number {
    return this.queue.push(time, target);
  }

  /** @internal Withdraws the queued entry of `target` in `slot` (a no-op if it is gone). */
  _cancel(slot: number, target: Firable): void {
    this.queue.cancel(slot, target);
  }

  /** @internal When the entry of `target` in `slot` fires (NaN if gone); O(n), for messages. */
  _timeOf(slot: number, target: Firable): number {
    return this.queue.timeOf(slot, target);
  }

  /** @internal */
  _processEnded(process: Process<unknown>): void {
    const previous = process._previousLive;
    const next = process._nextLive;
    if (previous === null && this.firstLive !== process) return; // not in the list (any more)
    if (previous === null) this.firstLive = next;
    else previous._nextLive = next;
    if (next === null) this.lastLive = previous;
    else next._previousLive = previous;
    process._previousLive = null;
    process._nextLive = null;
  }

  /** @internal A process continued at once after yielding an already-processed event. */
  _countImmediateResume(): void {
    if (++this.eventsThisInstant > this.maxPerInstant) this.stalled(this.maxPerInstant);
  }
}
