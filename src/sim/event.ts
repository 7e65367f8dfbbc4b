/**
 * Events: things that happen at a simulated instant and that processes wait for.
 *
 * Life cycle (as in SimPy): pending → triggered (it has an outcome, value or error, and
 * sits in the event queue) → processed (its waiters were resumed, in the order they
 * started waiting). A triggered event that is still in the queue can be cancelled.
 *
 * Events are the kernel's most numerous objects (one per `sim.timeout`), so they are kept
 * small: state and flags share one small integer, nearly every event has at most one
 * waiter (held as is, without an array), and nothing is stored that can be looked up
 * (a timeout finds its time through its queue slot).
 */
import { formatTime, SimulationError } from './errors.js';
import type { Simulation } from './simulation.js';

export const PENDING = 0;
export const TRIGGERED = 1;
export const PROCESSED = 2;
export const CANCELLED = 3;
export type EventState = typeof PENDING | typeof TRIGGERED | typeof PROCESSED | typeof CANCELLED;

/** `bits`: the state in the low two bits, then flags. */
const STATE = 3;
/** The event failed (its outcome is an error). */
const FAILED = 4;
/** A failure was handed to someone (or deliberately ignored). */
const DEFUSED = 8;
/** @internal The first bit free for subclasses (Process keeps `daemon` there). */
export const SPARE_FLAG = 16;

/** A process (resumed with the event's outcome) or a plain callback. */
export interface ResumableWaiter {
  _resumeFrom(event: SimEvent<unknown>): void;
}
export type EventCallback = (event: SimEvent<unknown>) => void;
export type Waiter = ResumableWaiter | EventCallback;

/** Something the kernel can find in the queue and fire. */
export interface Firable {
  _fire(): void;
}

export class SimEvent<T = unknown> implements Firable {
  /** @internal State and flags (see STATE, FAILED, DEFUSED). */
  protected bits: number = PENDING;
  /** @internal The value or error; for the kernel, which has checked the state. */
  _outcome: unknown = undefined;
  /** No waiter, one (the common case: no array), or several in the order they came. */
  private waiters: Waiter | Waiter[] | null = null;
  /** @internal While triggered: the event's slot in the queue (to cancel it, or find its time). */
  _slot = -1;
  protected readonly label: string | undefined;

  constructor(
    readonly sim: Simulation,
    name?: string,
  ) {
    this.label = name;
  }

  get name(): string | undefined {
    return this.label;
  }

  get state(): EventState {
    return (this.bits & STATE) as EventState;
  }

  /** True unless the event failed. Meaningful once triggered. */
  get ok(): boolean {
    return (this.bits & FAILED) === 0;
  }

  /** Set when a failure has been handed to someone (or deliberately ignored). */
  get defused(): boolean {
    return (this.bits & DEFUSED) !== 0;
  }

  set defused(value: boolean) {
    this.bits = value ? this.bits | DEFUSED : this.bits & ~DEFUSED;
  }

  get triggered(): boolean {
    const state = this.bits & STATE;
    return state === TRIGGERED || state === PROCESSED;
  }

  get processed(): boolean {
    return (this.bits & STATE) === PROCESSED;
  }

  /** The value of a processed, successful event. */
  get value(): T {
    if ((this.bits & (STATE | FAILED)) !== PROCESSED) {
      throw new SimulationError(
        `${this.describe()} has no value yet${this.ok ? '' : ' (it failed)'}`,
      );
    }
    return this._outcome as T;
  }

  /** The error of a failed event, undefined otherwise. */
  get error(): unknown {
    return this.ok ? undefined : this._outcome;
  }

  /** Triggers the event with a value; waiters resume at the current time, in FIFO order. */
  succeed(value: T): this {
    this.ensurePending('succeed');
    this._outcome = value;
    this.scheduleAt(this.sim.now, 0);
    return this;
  }

  /** Triggers the event with an error; it is thrown into every waiting process. */
  fail(error: unknown): this {
    this.ensurePending('fail');
    this._outcome = error;
    this.scheduleAt(this.sim.now, FAILED);
    return this;
  }

  /**
   * Withdraws a pending or scheduled event so it never fires (O(1): the queue drops the
   * entry lazily); its callbacks are dropped. No process may be waiting on it, since it
   * would wait forever: interrupt or cancel that process instead. Returns false if the
   * event had already fired.
   */
  cancel(): boolean {
    const state = this.bits & STATE;
    if (state === PROCESSED || state === CANCELLED) return false;
    const processes = this.processWaiters();
    if (processes > 0) {
      throw new SimulationError(
        `cannot cancel ${this.describe()}: ${processes} process(es) wait on it and would wait forever; interrupt or cancel them first`,
      );
    }
    this.waiters = null;
    if (state === TRIGGERED) this.sim._cancel(this._slot, this);
    this.bits = (this.bits & ~STATE) | CANCELLED;
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
    return this.label === undefined ? 'an unnamed event' : `event '${this.label}'`;
  }

  _addWaiter(waiter: Waiter): void {
    const state = this.bits & STATE;
    if (state === PROCESSED) {
      throw new SimulationError(`${this.describe()} was already processed; nothing can wait on it`);
    }
    if (state === CANCELLED) {
      throw new SimulationError(`${this.describe()} was cancelled; waiting on it would never end`);
    }
    const waiters = this.waiters;
    if (waiters === null) this.waiters = waiter;
    else if (Array.isArray(waiters)) waiters.push(waiter);
    else this.waiters = [waiters, waiter];
  }

  _removeWaiter(waiter: Waiter): void {
    const waiters = this.waiters;
    if (waiters === waiter) {
      this.waiters = null;
    } else if (Array.isArray(waiters)) {
      const i = waiters.indexOf(waiter);
      if (i >= 0) waiters.splice(i, 1);
      if (waiters.length === 0) this.waiters = null;
    }
  }

  get waiterCount(): number {
    const waiters = this.waiters;
    return waiters === null ? 0 : Array.isArray(waiters) ? waiters.length : 1;
  }

  /** Called by the kernel when the event reaches the head of the queue. */
  _fire(): void {
    const bits = this.bits;
    const waiters = this.waiters;
    if (waiters === null) {
      this.bits = (bits & ~STATE) | PROCESSED;
      // A failure nobody waits for must not vanish: it ends the run, as in SimPy.
      if ((bits & (FAILED | DEFUSED)) === FAILED) throw this._outcome;
      return;
    }
    this.waiters = null;
    // A failure handed to waiters is theirs to handle: defused.
    this.bits = (bits & ~STATE) | PROCESSED | ((bits & FAILED) !== 0 ? DEFUSED : 0);
    const self = this as SimEvent<unknown>;
    if (typeof waiters === 'function') waiters(self);
    else if (!Array.isArray(waiters)) waiters._resumeFrom(self);
    else {
      for (let i = 0; i < waiters.length; i++) {
        const w = waiters[i]!;
        if (typeof w === 'function') w(self);
        else w._resumeFrom(self);
      }
    }
  }

  /** Triggers: `failed` is 0 or FAILED. Flags other than FAILED (defused, subclasses') stay. */
  protected scheduleAt(time: number, failed: number): void {
    this.bits = (this.bits & ~(STATE | FAILED)) | TRIGGERED | failed;
    this._slot = this.sim._schedule(time, this);
  }

  /** Waiting processes (not callbacks), counted without copying: cancel() runs per timeout. */
  private processWaiters(): number {
    const waiters = this.waiters;
    if (waiters === null) return 0;
    if (!Array.isArray(waiters)) return typeof waiters === 'function' ? 0 : 1;
    let n = 0;
    for (const w of waiters) if (typeof w !== 'function') n++;
    return n;
  }

  private ensurePending(action: string): void {
    const state = this.bits & STATE;
    if (state !== PENDING) {
      const what = state === CANCELLED ? 'was cancelled' : 'was already triggered';
      throw new SimulationError(`cannot ${action} ${this.describe()}: it ${what}`);
    }
  }
}

/** An event that triggers itself `delay` seconds after it is created. */
export class Timeout<T = undefined> extends SimEvent<T> {
  constructor(sim: Simulation, delay: number, value: T, name?: string) {
    super(sim, name);
    this._outcome = value;
    this.scheduleAt(sim.now + delay, 0);
  }

  /** Says when it fires while it is scheduled (the time is read from the queue). */
  override describe(): string {
    const label = this.label === undefined ? 'timeout' : `timeout '${this.label}'`;
    if ((this.bits & STATE) !== TRIGGERED) return label;
    return `${label} at ${formatTime(this.sim._timeOf(this._slot, this))}`;
  }
}
