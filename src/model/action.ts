/**
 * Orchestrator actions as strategies see them: `yield* o.dispatch(task)`. An action is
 * anything `yield*` can drive: its iterator yields what the orchestrator's process waits
 * for (seconds to hold, or an event) and returns the action's result.
 *
 * Most actions, most of the time, are "pay a cost, then do something" or "return at once".
 * Those run on one reusable iterator per orchestrator, an ActionStep, rather than on a
 * generator per call: a generator costs ~90 ns and ~200 bytes a call, the step about half
 * the time and no allocation, and a 10^5-task run makes 3·10^5 actions. The rest
 * (housekeeping that takes time first, waiting for a result) are generators.
 *
 * The price: an action's first part runs when it is called, not when it is first
 * iterated, and the step is shared. So an action is to be `yield*`ed where it is called,
 * the only useful way to call it anyway; the step says so if a strategy starts an action
 * before the previous one has finished, or iterates one again while the step is free.
 * (One misuse it cannot see: iterating a finished action again after a newer one was
 * started and not yet iterated runs the newer one.)
 */
import { StalledError } from '../sim/errors.js';
import type { Yieldable } from '../sim/process.js';
import type { ActivityKind } from './metrics.js';

/** What a strategy `yield*`s to act, with the action's result as the value of `yield*`. */
export interface Action<R> {
  [Symbol.iterator](): Iterator<Yieldable, R, unknown>;
}

/** What the orchestrator does once a step's cost is paid (see ActionStepOwner.afterPaid). */
export type Effect = 'nothing' | 'spawn' | 'processed' | 'planned' | 'synthesized';

/** The orchestrator, as the step needs it. */
export interface ActionStepOwner {
  /** Starts doing `kind` for `seconds`; returns the seconds to hold. */
  busy(kind: ActivityKind, seconds: number): number;
  /** Ends the activity `busy` started. */
  idleAgain(): void;
  /** Does `effect` on `subject`; returns the action's result. */
  afterPaid(effect: Effect, subject: unknown): unknown;
  /** Simulated seconds now: actions started at one instant are counted (maxActionsPerInstant). */
  now(): number;
}

/**
 * The fewest actions a strategy may start at one simulated instant before it is stopped
 * (its orchestrator allows ten per task where that is more). An action that costs
 * nothing and waits for nothing (a checkIn with nothing arrived, a dispatch of a task that
 * is not dispatchable, a free plan) never gives the kernel control, so a strategy looping
 * on one would spin forever where no kernel guard can see it. A real run starts a few
 * actions per task at an instant at most (every task dispatched at once when dispatching
 * is free); a million is far beyond any and takes a fraction of a second to reach.
 */
export const maxActionsPerInstant = 1_000_000;

const FREE = 0;
/** Handed out to pay `seconds`, then do `effect`. */
const TO_PAY = 1;
/** Holding for the cost; the next `next` ends the activity and does `effect`. */
const PAYING = 2;
/** Handed out to return `value` at once. */
const TO_RETURN = 3;

export class ActionStep implements Iterator<Yieldable, unknown, unknown> {
  private phase = FREE;
  /** The instant of the last action started, and how many were started at it. */
  private instant = Number.NaN;
  private actionsThisInstant = 0;
  /** Actions allowed at one instant (maxActionsPerInstant, or more for a large run). */
  maxPerInstant = maxActionsPerInstant;
  private kind: ActivityKind = 'dispatch';
  private seconds = 0;
  private effect: Effect = 'nothing';
  private subject: unknown;
  private value: unknown;
  /** One result object, reused: `yield*` and the kernel read it before the next step. */
  private readonly result: { value: unknown; done: boolean } = { value: undefined, done: false };

  constructor(private readonly owner: ActionStepOwner) {}

  /** An action that pays `seconds` of `kind` (no hold at all if 0), then does `effect`. */
  pay<R>(kind: ActivityKind, seconds: number, effect: Effect, subject: unknown): Action<R> {
    this.claim();
    this.phase = TO_PAY;
    this.kind = kind;
    this.seconds = seconds;
    this.effect = effect;
    this.subject = subject;
    return this as unknown as Action<R>;
  }

  /** An action that returns `value` at once. */
  returning<R>(value: R): Action<R> {
    this.claim();
    this.phase = TO_RETURN;
    this.value = value;
    return this as unknown as Action<R>;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<Yieldable, unknown> {
    switch (this.phase) {
      case TO_PAY:
        if (this.seconds > 0) {
          this.phase = PAYING;
          return this.yielding(this.owner.busy(this.kind, this.seconds));
        }
        return this.done(this.effected());
      case PAYING:
        this.owner.idleAgain();
        return this.done(this.effected());
      case TO_RETURN: {
        const value = this.value;
        this.release();
        return this.done(value);
      }
      default:
        throw new Error(
          'an orchestrator action was iterated after it had finished: `yield*` each action once, where you call it',
        );
    }
  }

  /** An error thrown into the action (an interrupt while it holds) ends it, as in a generator. */
  throw(error: unknown): IteratorResult<Yieldable, unknown> {
    this.release();
    throw error;
  }

  return(value?: unknown): IteratorResult<Yieldable, unknown> {
    this.release();
    return { value, done: true };
  }

  private claim(): void {
    if (this.phase !== FREE) {
      throw new Error(
        'an orchestrator action was started before the previous one had finished: `yield*` each action where you call it, one at a time',
      );
    }
    const now = this.owner.now();
    if (now !== this.instant) {
      this.instant = now;
      this.actionsThisInstant = 0;
    } else if (++this.actionsThisInstant > this.maxPerInstant) {
      throw new StalledError(
        `the strategy started ${this.maxPerInstant.toLocaleString('en-US')} actions at ${now} s without simulated time passing: it loops on actions that cost nothing and wait for nothing (such as checkIn with nothing arrived) instead of waiting (nextResult, awaitAll)`,
      );
    }
  }

  private effected(): unknown {
    const { effect, subject } = this;
    this.release(); // first: the effect must find the step free, whatever it does
    return this.owner.afterPaid(effect, subject);
  }

  private release(): void {
    this.phase = FREE;
    this.subject = undefined;
    this.value = undefined;
  }

  private yielding(value: Yieldable): IteratorResult<Yieldable, unknown> {
    const r = this.result;
    r.value = value;
    r.done = false;
    return r as IteratorResult<Yieldable, unknown>;
  }

  private done(value: unknown): IteratorResult<Yieldable, unknown> {
    const r = this.result;
    r.value = value;
    r.done = true;
    return r as IteratorResult<Yieldable, unknown>;
  }
}
