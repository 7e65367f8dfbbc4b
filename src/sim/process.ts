/**
 * Processes: generator functions that model an actor over simulated time (SimPy style).
 *
 * A process yields what it waits for:
 *   - a number: hold for that many seconds (the fast path: no event object is created);
 *   - an event (a timeout, a plain event, a condition, or another process): resume when it
 *     is processed, with its value, or with its error thrown at the `yield`.
 * `const v = yield* event` does the same with the value typed. A process is itself an
 * event: it succeeds with the generator's return value, or fails with a ProcessError
 * naming it, which is thrown into every process waiting on it.
 *
 * A process is also its own queue entry for holds, its start and interrupt deliveries
 * (no wake object): the queue cancels by slot, so a withdrawn hold can stay in the heap
 * while the process is queued again. `_fire` tells the two roles apart by status: only a
 * finished process is queued as an event, and a finished process has no wake queued
 * (finishing happens while it runs, or after `cancel` withdrew its wake).
 */
import {
  formatTime,
  Interrupt,
  ProcessCancelled,
  ProcessError,
  SimulationError,
} from './errors.js';
import { PROCESSED, SimEvent, SPARE_FLAG } from './event.js';
import type { Simulation } from './simulation.js';

/** What a process may yield. */
export type Yieldable = number | SimEvent<unknown>;

/** The generator a process runs; `R` is the process's result. */
export type ProcessGenerator<R = void> = Generator<Yieldable, R, unknown>;

/** Something that can name a process when asked (see ProcessOptions.name). */
export interface NameSource {
  processName(): string;
}

export interface ProcessOptions {
  /**
   * Shown in errors, deadlock reports and traces. A function or a `NameSource` is asked
   * only when the name is needed: a model that starts 10^6 processes need not build 10^6
   * strings (and an object it already has, unlike a closure, costs no allocation).
   */
  name?: string | (() => string) | NameSource;
  /**
   * A daemon may wait forever (a server loop, a monitor) without that counting as a
   * deadlock when the rest of the world has finished.
   */
  daemon?: boolean;
}

/** Flag in the event bits. */
const DAEMON = SPARE_FLAG;

// Statuses. A wake (start, hold end, interrupt delivery) is queued exactly when the status
// is STARTING, HOLDING or INTERRUPTING.
const STARTING = 0;
const HOLDING = 1;
const WAITING = 2;
const INTERRUPTING = 3;
const RUNNING = 4;
const DONE = 5;
type ProcessStatus =
  | typeof STARTING
  | typeof HOLDING
  | typeof WAITING
  | typeof INTERRUPTING
  | typeof RUNNING
  | typeof DONE;

function describeYielded(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  if (typeof value === 'number') return String(value);
  return `a ${typeof value} (${String(value)})`;
}

export class Process<R = unknown> extends SimEvent<R> {
  readonly id: number;
  private status: ProcessStatus = STARTING;
  /** The event this process waits for, when WAITING. */
  private target: SimEvent<unknown> | null = null;
  /** Interrupts not yet delivered, oldest first; null when there are none. */
  private interrupts: Interrupt[] | null = null;
  private readonly generator: ProcessGenerator<R>;
  private readonly nameOf: (() => string) | NameSource | undefined;
  /** @internal The simulation's list of live processes (see Simulation). */
  _previousLive: Process<unknown> | null = null;
  /** @internal */
  _nextLive: Process<unknown> | null = null;

  constructor(
    sim: Simulation,
    generator: ProcessGenerator<R>,
    id: number,
    options?: ProcessOptions,
  ) {
    // The default name is built when asked for (see `name`): most never are.
    const name = options?.name;
    super(sim, typeof name === 'string' ? name : undefined);
    this.nameOf = typeof name === 'string' ? undefined : name;
    this.id = id;
    this.generator = generator;
    if (options?.daemon === true) this.bits |= DAEMON;
    // Start at the current instant, after whatever is already scheduled for it (FIFO).
    this._slot = sim._schedule(sim.now, this);
  }

  /** Shown in errors, deadlock reports and traces: the given name, or `process#<id>`. */
  override get name(): string {
    const source = this.nameOf;
    if (this.label !== undefined) return this.label;
    if (source === undefined) return `process#${this.id}`;
    return typeof source === 'function' ? source() : source.processName();
  }

  /** A daemon may wait forever without that counting as a deadlock. */
  get daemon(): boolean {
    return (this.bits & DAEMON) !== 0;
  }

  /** True until the generator has returned, thrown, or been cancelled. */
  get isAlive(): boolean {
    return this.status !== DONE;
  }

  override describe(): string {
    return `process '${this.name}'`;
  }

  /** What the process is waiting for, in words, for deadlock reports. */
  describeWait(): string {
    switch (this.status) {
      case STARTING:
        return 'its start';
      case HOLDING:
        return `the end of a hold at ${formatTime(this.sim._timeOf(this._slot, this))}`;
      case WAITING:
        return this.target!.describe();
      case INTERRUPTING:
        return 'delivery of an interrupt';
      case RUNNING:
        return 'nothing (it is running)';
      default:
        return 'nothing (it has finished)';
    }
  }

  /**
   * Throws an Interrupt at the process's current `yield`, at the current instant. What it
   * was waiting for is withdrawn (a pending hold becomes a stale queue entry).
   */
  interrupt(reason?: unknown): void {
    if (this.status === DONE) {
      throw new SimulationError(`cannot interrupt ${this.describe()}: it has already finished`);
    }
    if (this.sim.activeProcess === this) {
      throw new SimulationError(`${this.describe()} cannot interrupt itself; throw instead`);
    }
    const interrupt = new Interrupt(reason);
    if (this.interrupts === null) this.interrupts = [interrupt];
    else this.interrupts.push(interrupt);
    // INTERRUPTING: a delivery is already queued. RUNNING but not active: the process is
    // further up the call stack (its own code led here); `step` queues the delivery when
    // the process next yields.
    if (this.status === INTERRUPTING || this.status === RUNNING) return;
    this.detach();
    this.status = INTERRUPTING;
    this._slot = this.sim._schedule(this.sim.now, this);
  }

  /**
   * Ends the process now: it stops waiting, its `finally` blocks run, and its waiters get a
   * ProcessCancelled error. Returns false if it had already finished.
   */
  override cancel(reason?: unknown): boolean {
    if (this.status === DONE) return false;
    if (this.sim.activeProcess === this) {
      throw new SimulationError(`${this.describe()} cannot cancel itself; return instead`);
    }
    if (this.status === RUNNING) {
      // Its generator is executing further up the call stack and cannot be closed there.
      throw new SimulationError(
        `cannot cancel ${this.describe()} while it runs (its own code led to this call); interrupt it instead`,
      );
    }
    this.detach();
    this.interrupts = null;
    this.status = RUNNING;
    const sim = this.sim;
    const previous = sim.activeProcess;
    sim.activeProcess = this as Process<unknown>;
    let cleanupError: unknown;
    let yieldedInFinally = false;
    try {
      yieldedInFinally = !this.generator.return(undefined as R).done;
    } catch (err) {
      cleanupError = err;
    } finally {
      sim.activeProcess = previous;
    }
    if (yieldedInFinally || cleanupError !== undefined) {
      const why = yieldedInFinally
        ? new SimulationError(
            'it yielded inside a finally block while being cancelled; cleanup must not wait',
          )
        : cleanupError;
      this.finish(false, new ProcessError(this.name, sim.now, why));
      return true;
    }
    this.defused = true;
    this.finish(false, new ProcessCancelled(this.name, sim.now, reason));
    return true;
  }

  /**
   * Refused: a process's outcome is its generator's (and the process is queued as its own
   * wake, so a second, outside outcome would make it fire twice).
   */
  override succeed(_value: R): this {
    throw new SimulationError(
      `cannot succeed ${this.describe()}: a process ends when its generator returns or throws, or when it is cancelled`,
    );
  }

  /** Refused, as `succeed` is: throw inside the generator, or cancel the process. */
  override fail(_error: unknown): this {
    throw new SimulationError(
      `cannot fail ${this.describe()}: a process ends when its generator returns or throws, or when it is cancelled`,
    );
  }

  /**
   * Called by the kernel for either queue entry: as an event once finished, otherwise as
   * its wake (a start, the end of a hold, or an interrupt to deliver).
   */
  override _fire(): void {
    if (this.status === DONE) {
      super._fire();
      return;
    }
    const interrupts = this.interrupts;
    if (interrupts === null) {
      this.step(false, undefined);
    } else {
      const next = interrupts.shift()!;
      if (interrupts.length === 0) this.interrupts = null;
      this.step(true, next);
    }
  }

  /** Resumes with the outcome of the event it waited for. */
  _resumeFrom(event: SimEvent<unknown>): void {
    this.target = null;
    this.step(!event.ok, event._outcome);
  }

  /** Runs the generator until it yields something that takes time, returns or throws. */
  private step(throwing: boolean, input: unknown): void {
    const sim = this.sim;
    for (;;) {
      this.status = RUNNING;
      sim.activeProcess = this as Process<unknown>;
      let result: IteratorResult<Yieldable, R>;
      try {
        result = throwing ? this.generator.throw(input) : this.generator.next(input);
      } catch (err) {
        sim.activeProcess = null;
        this.finish(false, new ProcessError(this.name, sim.now, err));
        return;
      }
      sim.activeProcess = null;
      if (result.done === true) {
        this.finish(true, result.value);
        return;
      }
      const yielded = result.value;
      if (typeof yielded === 'number') {
        if (yielded >= 0 && yielded !== Number.POSITIVE_INFINITY) {
          // The fast path: one status write and one push (the end time stays in the queue).
          this.status = HOLDING;
          this._slot = sim._schedule(sim.now + yielded, this);
          break;
        }
        throwing = true;
        input = new SimulationError(
          `${this.describe()} yielded ${yielded}; a hold must be a finite number of seconds >= 0`,
        );
      } else if (yielded instanceof SimEvent) {
        if (yielded === this) {
          throwing = true;
          input = new SimulationError(
            `${this.describe()} waits for itself, which can never happen`,
          );
        } else if (yielded.state === PROCESSED) {
          // Already happened: continue at once with its outcome, as SimPy does.
          sim._countImmediateResume();
          throwing = !yielded.ok;
          if (throwing) yielded.defused = true;
          input = yielded._outcome;
        } else {
          this.status = WAITING;
          this.target = yielded;
          yielded._addWaiter(this);
          break;
        }
      } else {
        throwing = true;
        input = new SimulationError(
          `${this.describe()} yielded ${describeYielded(yielded)}; yield a hold in seconds (a number >= 0), an event, or a process`,
        );
      }
    }
    // Interrupts that arrived while it ran are delivered now, one per resumption.
    if (this.interrupts !== null) {
      this.detach();
      this.status = INTERRUPTING;
      this._slot = sim._schedule(sim.now, this);
    }
  }

  /** Withdraws whatever the process is currently waiting for. */
  private detach(): void {
    const status = this.status;
    if (status === HOLDING || status === STARTING || status === INTERRUPTING) {
      this.sim._cancel(this._slot, this);
    }
    if (this.target !== null) {
      this.target._removeWaiter(this as Process<unknown>);
      this.target = null;
    }
  }

  private finish(ok: boolean, outcome: unknown): void {
    this.status = DONE;
    this.interrupts = null;
    this.sim._processEnded(this as Process<unknown>);
    if (ok) super.succeed(outcome as R);
    else super.fail(outcome);
  }
}
