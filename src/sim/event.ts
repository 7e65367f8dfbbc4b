/**
 * Events: things that happen at a simulated instant and that processes wait for.
 *
 * Life cycle (as in SimPy): pending → triggered (it has an outcome, value or error, and
 * sits in the event queue) → processed (its waiters were resumed, in the order they
 * started waiting). A triggered event that is still in the queue can be cancelled.
 */
import { SimulationError } from './errors.js';
import type { Simulation } from './simulation.js';

export const PENDING = 0;
export const TRIGGERED = 1;
export const PROCESSED = 2;
export const CANCELLED = 3;
export type EventState = typeof PENDING | typeof TRIGGERED | typeof PROCESSED | typeof CANCELLED;

/** A process (resumed with the event's outcome) or a plain callback. */
export interface ResumableWaiter {
  _resumeFrom(event: SimEvent<unknown>): void;
}
export type EventCallback = (event: SimEvent<unknown>) => void;
export type Waiter = ResumableWaiter | EventCallback;

/** Something the kernel can find in the queue and fire; see EventQueue on staleness. */
export interface Firable {
  stale: boolean;
  _fire(): void;
}

export class SimEvent<T = unknown> implements Firable {
  /** Lazy cancellation (see EventQueue): set when a scheduled event is cancelled. */
  stale = false;
  state: EventState = PENDING;
  /** True unless the event failed. Meaningful once triggered. */
  ok = true;
  /** Set when a failure has been handed to someone (or deliberately ignored). */
  defused = false;
  protected outcome: unknown = undefined;
  private waiters: Waiter[] | null = null;
  /** Only for `describe()`: what a timeout will fire at. */
  protected scheduledAt = Number.NaN;

  constructor(
    readonly sim: Simulation,
    readonly name?: string,
  ) {}

  get triggered(): boolean {
    return this.state === TRIGGERED || this.state === PROCESSED;
  }

  get processed(): boolean {
    return this.state === PROCESSED;
  }

  /** The value of a processed, successful event. */
  get value(): T {
    if (this.state !== PROCESSED || !this.ok) {
      throw new SimulationError(
        `${this.describe()} has no value yet${this.ok ? '' : ' (it failed)'}`,
      );
    }
    return this.outcome as T;
  }

  /** The error of a failed event, undefined otherwise. */
  get error(): unknown {
    return this.ok ? undefined : this.outcome;
  }

  /** Triggers the event with a value; waiters resume at the current time, in FIFO order. */
  succeed(value: T): this {
    this.ensurePending('succeed');
    this.ok = true;
    this.outcome = value;
    this.scheduleAt(this.sim.now);
    return this;
  }

  /** Triggers the event with an error; it is thrown into every waiting process. */
  fail(error: unknown): this {
    this.ensurePending('fail');
    this.ok = false;
    this.outcome = error;
    this.scheduleAt(this.sim.now);
    return this;
  }

  /**
   * Withdraws a pending or scheduled event so it never fires (O(1): the queue drops the
   * entry lazily); its callbacks are dropped. No process may be waiting on it, since it
   * would wait forever: interrupt or cancel that process instead. Returns false if the
   * event had already fired.
   */
  cancel(): boolean {
    if (this.state === PROCESSED || this.state === CANCELLED) return false;
    const processes = this.waiters?.filter((w) => typeof w !== 'function').length ?? 0;
    if (processes > 0) {
      throw new SimulationError(
        `cannot cancel ${this.describe()}: ${processes} process(es) wait on it and would wait forever; interrupt or cancel them first`,
      );
    }
    this.waiters = null;
    if (this.state === TRIGGERED) {
      this.stale = true;
      this.sim._noteStale();
    }
    this.state = CANCELLED;
    return true;
  }

  /** Calls `callback` when the event is processed (an error if it already was). */
  onProcessed(callback: EventCallback): this {
    this._addWaiter(callback);
    return this;
  }

  /** `const v = yield* event` waits for the event and gives its value with its type. */
  *[Symbol.iterator](): Generator<SimEvent<T>, T, unknown> {
    return (yield this) as T;
  }

  describe(): string {
    return this.name === undefined ? 'an unnamed event' : `event '${this.name}'`;
  }

  _addWaiter(waiter: Waiter): void {
    if (this.state === PROCESSED) {
      throw new SimulationError(`${this.describe()} was already processed; nothing can wait on it`);
    }
    if (this.state === CANCELLED) {
      throw new SimulationError(`${this.describe()} was cancelled; waiting on it would never end`);
    }
    if (this.waiters === null) this.waiters = [waiter];
    else this.waiters.push(waiter);
  }

  _removeWaiter(waiter: Waiter): void {
    if (this.waiters === null) return;
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  get waiterCount(): number {
    return this.waiters === null ? 0 : this.waiters.length;
  }

  /** Called by the kernel when the event reaches the head of the queue. */
  _fire(): void {
    this.state = PROCESSED;
    const waiters = this.waiters;
    this.waiters = null;
    if (waiters !== null && waiters.length > 0) {
      if (!this.ok) this.defused = true;
      for (let i = 0; i < waiters.length; i++) {
        const w = waiters[i]!;
        if (typeof w === 'function') w(this as SimEvent<unknown>);
        else w._resumeFrom(this as SimEvent<unknown>);
      }
    } else if (!this.ok && !this.defused) {
      // A failure nobody waits for must not vanish: it ends the run, as in SimPy.
      throw this.outcome;
    }
  }

  protected scheduleAt(time: number): void {
    this.state = TRIGGERED;
    this.scheduledAt = time;
    this.sim._schedule(time, this);
  }

  private ensurePending(action: string): void {
    if (this.state !== PENDING) {
      const what = this.state === CANCELLED ? 'was cancelled' : 'was already triggered';
      throw new SimulationError(`cannot ${action} ${this.describe()}: it ${what}`);
    }
  }
}

/** An event that triggers itself `delay` seconds after it is created. */
export class Timeout<T = undefined> extends SimEvent<T> {
  constructor(sim: Simulation, delay: number, value: T, name?: string) {
    super(sim, name);
    this.outcome = value;
    this.scheduleAt(sim.now + delay);
  }

  override describe(): string {
    const label = this.name === undefined ? 'timeout' : `timeout '${this.name}'`;
    return `${label} at t=${this.scheduledAt}`;
  }
}
