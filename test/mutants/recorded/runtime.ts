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
 */
import type { Activity, TraceWriter } from './trace-writer.js';

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
