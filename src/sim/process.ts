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
 */
import { Interrupt, ProcessCancelled, ProcessError, SimulationError } from './errors.js';
import { type Firable, PENDING, PROCESSED, SimEvent } from './event.js';
import type { Simulation } from './simulation.js';

/** What a process may yield. */
export type Yieldable = number | SimEvent<unknown>;

/** The generator a process runs; `R` is the process's result. */
export type ProcessGenerator<R = void> = Generator<Yieldable, R, unknown>;

export interface ProcessOptions {
  /** Shown in errors, deadlock reports and traces. */
  name?: string;
  /**
   * A daemon may wait forever (a server loop, a monitor) without that counting as a
   * deadlock when the rest of the world has finished.
   */
  daemon?: boolean;
}

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

/**
 * The queue entry that resumes a process after a hold, a start, or to deliver an
 * interrupt. It is a separate object because the process itself is queued, as an event,
 * when it finishes. A process reuses its wake for every hold (no allocation on the hot
 * path) and replaces it only when a scheduled wake is withdrawn (made stale).
 */
class ProcessWake implements Firable {
  stale = false;
  scheduled = false;
  constructor(private readonly process: Process<unknown>) {}
  _fire(): void {
    this.scheduled = false;
    this.process._wake();
  }
}

function describeYielded(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  if (typeof value === 'number') return String(value);
  return `a ${typeof value} (${String(value)})`;
}

export class Process<R = unknown> extends SimEvent<R> {
  readonly id: number;
  readonly daemon: boolean;
  private status: ProcessStatus = STARTING;
  private wake: ProcessWake;
  /** The event this process waits for, when WAITING. */
  private target: SimEvent<unknown> | null = null;
  /** When HOLDING: the time it resumes. */
  private holdUntil = Number.NaN;
  /** Interrupts not yet delivered, oldest first. */
  private interrupts: Interrupt[] | null = null;

  constructor(
    sim: Simulation,
    private readonly generator: ProcessGenerator<R>,
    id: number,
    options: ProcessOptions = {},
  ) {
    super(sim, options.name ?? `process#${id}`);
    this.id = id;
    this.daemon = options.daemon ?? false;
    this.wake = new ProcessWake(this as Process<unknown>);
    // Start at the current instant, after whatever is already scheduled for it (FIFO).
    this.scheduleWake(sim.now);
  }

  /** True until the generator has returned, thrown, or been cancelled. */
  get isAlive(): boolean {
    return this.status !== DONE;
  }

  override describe(): string {
    return `process '${this.name!}'`;
  }

  /** What the process is waiting for, in words, for deadlock reports. */
  describeWait(): string {
    switch (this.status) {
      case STARTING:
        return 'its start';
      case HOLDING:
        return `the end of a hold at t=${this.holdUntil}`;
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
    if (this.interrupts === null) this.interrupts = [];
    this.interrupts.push(new Interrupt(reason));
    if (this.status !== INTERRUPTING) {
      this.detach();
      this.status = INTERRUPTING;
      this.scheduleWake(this.sim.now);
    }
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
    this.detach();
    this.interrupts = null;
    this.status = RUNNING;
    const previous = this.sim.activeProcess;
    this.sim.activeProcess = this as Process<unknown>;
    let cleanupError: unknown;
    let yieldedInFinally = false;
    try {
      yieldedInFinally = !this.generator.return(undefined as R).done;
    } catch (err) {
      cleanupError = err;
    } finally {
      this.sim.activeProcess = previous;
    }
    if (yieldedInFinally || cleanupError !== undefined) {
      const why = yieldedInFinally
        ? new SimulationError(
            'it yielded inside a finally block while being cancelled; cleanup must not wait',
          )
        : cleanupError;
      this.finish(false, new ProcessError(this.name!, this.sim.now, why));
      return true;
    }
    this.defused = true;
    this.finish(false, new ProcessCancelled(this.name!, this.sim.now, reason));
    return true;
  }

  /** Resumes after a hold, a start, or to deliver an interrupt. Called by the queue entry. */
  _wake(): void {
    const interrupts = this.interrupts;
    if (interrupts !== null && interrupts.length > 0) {
      const next = interrupts.shift()!;
      this.step(true, next);
    } else {
      this.step(false, undefined);
    }
  }

  /** Resumes with the outcome of the event it waited for. */
  _resumeFrom(event: SimEvent<unknown>): void {
    this.target = null;
    if (event.ok) this.step(false, event.processed ? event.value : undefined);
    else this.step(true, event.error);
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
        this.finish(false, new ProcessError(this.name!, sim.now, err));
        return;
      }
      sim.activeProcess = null;
      if (result.done) {
        this.finish(true, result.value);
        return;
      }
      const yielded = result.value;
      if (typeof yielded === 'number') {
        if (yielded >= 0 && yielded !== Number.POSITIVE_INFINITY) {
          this.status = HOLDING;
          this.holdUntil = sim.now + yielded;
          this.scheduleWake(this.holdUntil);
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
          input = yielded.ok ? yielded.value : yielded.error;
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
    if (this.interrupts !== null && this.interrupts.length > 0) {
      this.detach();
      this.status = INTERRUPTING;
      this.scheduleWake(sim.now);
    }
  }

  private scheduleWake(time: number): void {
    this.wake.scheduled = true;
    this.sim._schedule(time, this.wake);
  }

  /** Withdraws whatever the process is currently waiting for. */
  private detach(): void {
    if (this.wake.scheduled) {
      this.wake.stale = true;
      this.wake = new ProcessWake(this as Process<unknown>);
      this.sim._noteStale();
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
    if (this.state !== PENDING) return;
    if (ok) this.succeed(outcome as R);
    else this.fail(outcome);
  }
}
