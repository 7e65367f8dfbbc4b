/**
 * The little runtime under the recorded orchestrators: a seeded random source for
 * latencies and a clock driven by a list of timed events, so that each program runs the
 * same way every time and in no time at all. It is what a user writes to replay their
 * orchestrator's logic offline, not dispatchlab's simulator, which these programs must not
 * use: they stand for orchestrators written elsewhere.
 *
 * The orchestrator is single-threaded: it does one thing at a time (`work`), and the world
 * (subagents ending, timers firing) goes on meanwhile, its handlers run at their own
 * times. When it has nothing to do it waits for the next event (`wait`).
 *
 * Every program also shares the plumbing around its bug (a `Recording` to open the trace
 * and report the routine facts, a `Platform` that runs subagents up to a limit), so that
 * each program's own file holds what makes it that orchestrator: its loop and its bug.
 */
import { type Activity, type Reason, TraceWriter } from './trace-writer.js';

/** mulberry32: a seeded uniform source in [0, 1), the same numbers on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seconds rounded to the microsecond: what a clock that reads microseconds reports. */
export function micros(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

interface Timed<E> {
  readonly t: number;
  readonly seq: number;
  readonly event: E;
}

/**
 * The orchestrator's clock and the world's events. Events at the same time happen in the
 * order they were scheduled.
 */
export class Clock<E> {
  now = 0;
  private readonly events: Timed<E>[] = [];
  private seq = 0;
  /** The world's handler; set by the program before the run starts. */
  handle: (t: number, event: E) => void = () => {};

  constructor(private readonly trace: TraceWriter) {}

  /** Schedules `event` at time `t`. */
  at(t: number, event: E): void {
    const item = { t: micros(t), seq: this.seq++, event };
    let i = this.events.length;
    while (i > 0 && this.events[i - 1]!.t > item.t) i--;
    this.events.splice(i, 0, item);
  }

  /** The orchestrator spends `cost` seconds on `kind`; the world goes on meanwhile. */
  work(kind: Activity, cost: number): void {
    const start = this.now;
    const end = micros(start + cost);
    this.happen(end);
    this.now = end;
    this.trace.busy(kind, start, end);
  }

  /** Runs the world's handlers of every event due by `t`, those they schedule included. */
  happen(t: number): void {
    for (;;) {
      const next = this.events[0];
      if (next === undefined || next.t > t) return;
      this.events.shift();
      this.handle(next.t, next.event);
    }
  }

  /** The orchestrator waits for the next event; false when there is none left to wait for. */
  wait(): boolean {
    const next = this.events[0];
    if (next === undefined) return false;
    const start = this.now;
    this.happen(next.t);
    this.now = Math.max(start, next.t);
    this.trace.idle(start, this.now);
    return true;
  }
}

/** What a program declares about itself in its trace's header. */
export interface Declared {
  readonly program: string;
  readonly seed: number;
  readonly tasks: number;
  readonly wip: number;
  readonly timeout?: number | null;
  readonly retries?: number;
}

/**
 * One recorded run: the trace, the clock and the seeded random source, and the facts every
 * orchestrator here reports the same way. All of them run their subagents in the
 * background and wake on events; the settings they differ in are those of `Declared`.
 */
export class Recording<E> {
  readonly trace: TraceWriter;
  readonly clock: Clock<E>;
  readonly random: () => number;

  constructor({ program, seed, tasks, wip, timeout = null, retries = 0 }: Declared) {
    this.trace = new TraceWriter({
      program,
      seed,
      tasks,
      settings: {
        mode: 'background',
        wip,
        timeout,
        retries,
        continuation: 'events',
        pollInterval: null,
      },
    });
    this.random = prng(seed);
    this.clock = new Clock<E>(this.trace);
  }

  /** The orchestrator's tool call that spawns a subagent for `task`; returns its number. */
  spawn(task: number, reason: Reason): number {
    this.clock.work('dispatch', 1);
    return this.trace.spawn(this.clock.now, task, reason);
  }

  /** The orchestrator reads `agent`'s result, taking `cost` seconds, and counts its task done. */
  consume(agent: number, task: number, cost: number): void {
    const { trace, clock } = this;
    trace.deliver(clock.now, agent);
    trace.processStart(clock.now, agent, task);
    clock.work('process', cost);
    trace.processEnd(clock.now, agent, task);
    trace.succeeded(clock.now, task, agent);
  }

  /**
   * Waits for the next event. A program that waits with nothing left to happen would hang
   * for ever: that is a bug in the program, not a run to record.
   */
  awaitNotice(): void {
    if (!this.clock.wait()) throw new Error('the orchestrator waits for a notice that cannot come');
  }

  /** The final answer, taking `cost` seconds; the run is over. Returns the trace. */
  answer(cost: number): string {
    this.clock.work('synthesize', cost);
    this.trace.synthesize(this.clock.now);
    return this.stop('completed');
  }

  /** Closes the run as it stands (`incomplete` when the harness stops it). Returns the trace. */
  stop(outcome: 'completed' | 'incomplete'): string {
    this.trace.runEnd(this.clock.now, outcome);
    return this.trace.text();
  }
}

/**
 * The platform: at most `wip` subagents at once, the others wait for a slot in the order
 * they were submitted. `launch` is the world's part of a subagent that starts: it decides
 * (from the seeded source) when it ends, and schedules that.
 */
export class Platform {
  readonly running = new Set<number>();
  private readonly queued: number[] = [];

  constructor(
    private readonly trace: TraceWriter,
    private readonly wip: number,
    private readonly launch: (t: number, agent: number) => void,
  ) {}

  /** `agent` was spawned at `t`: it starts now if a slot is free, or waits for one. */
  submit(t: number, agent: number): void {
    if (this.running.size < this.wip) this.begin(t, agent);
    else this.queued.push(agent);
  }

  /** `agent` ended at `t`; its slot goes to the next in line. */
  end(t: number, agent: number, fate: 'ok' | 'error'): void {
    this.trace.end(t, agent, fate);
    this.free(t, agent);
  }

  /** The orchestrator cancels `agent`: it stops one still running, and is a no-op for one that has finished. */
  cancel(t: number, agent: number, reason: 'timeout' | 'watchdog'): void {
    this.trace.cancel(t, agent, reason);
    if (this.running.has(agent)) this.free(t, agent);
  }

  /** Nothing running, nothing waiting for a slot. */
  get quiet(): boolean {
    return this.running.size === 0 && this.queued.length === 0;
  }

  private begin(t: number, agent: number): void {
    this.running.add(agent);
    this.trace.start(t, agent);
    this.launch(t, agent);
  }

  private free(t: number, agent: number): void {
    this.running.delete(agent);
    const next = this.queued.shift();
    if (next !== undefined) this.begin(t, next);
  }
}
