/**
 * What happened in a run, stated once: the model calls one method of a RunFacts for each
 * fact, at the simulated time `t` it happened, and does nothing else to record it. The
 * metrics (metrics.ts) are one consumer of these facts and a trace file (trace-recorder.ts)
 * another; `bothFacts` feeds two.
 *
 * Facts, not verdicts: a spawn says why the orchestrator *declares* it dispatched (an
 * orchestrator that forgot a handle declares "first"), and whether it duplicated a live
 * attempt, whether a forgotten subagent is a ghost, how long a failure went unnoticed, are
 * for a consumer to judge. A fact may hand the consumer the attempt it is about: the world
 * as the simulation drew it (its fate, its work) is there too, and a consumer that records
 * it marks it as what only a simulation knows.
 */

import type { ActivityKind } from './activity.js';
import type { Attempt } from './attempt.js';

/** Why the orchestrator says it dispatched: a first try, a retry after a failure, or again after validation caught a wrong result. */
export type DeclaredSpawn = 'first' | 'retry' | 'redispatch';

export type CancelReason = 'timeout' | 'watchdog';

export type PollStatus = 'running' | 'overdue' | 'ended';

export interface RunFacts {
  /** The orchestrator requested a subagent (it paid `dispatch`): `a` is queued for a slot. */
  spawned(t: number, a: Attempt, reason: DeclaredSpawn): void;
  /** `a` got a slot and began to work. */
  started(t: number, a: Attempt): void;
  /** `a` needed a permission not granted up front: it asked (foreground) or was auto-denied (background). */
  permission(t: number, a: Attempt, outcome: 'asked' | 'denied'): void;
  /** The orchestrator answered `a`'s permission request. */
  answered(t: number, a: Attempt): void;
  /** `a` ended by itself after `ran` seconds in its slot (its work and pauses). */
  ended(t: number, a: Attempt, ran: number): void;
  /** A timer set for `a`'s deadline fired (the orchestrator's, or the runtime's watchdog). */
  deadline(t: number, a: Attempt): void;
  /** `a` was cancelled after `ran` seconds of work. */
  cancelled(t: number, a: Attempt, reason: CancelReason, ran: number): void;
  /** A poll round checked `a`. */
  polled(t: number, a: Attempt, status: PollStatus): void;
  /** A poll round that began at `start` is over. */
  pollRound(t: number, start: number): void;
  /** `a`'s result reached the orchestrator (a notice, or a poll check). */
  delivered(t: number, a: Attempt): void;
  /** The orchestrator learned that `a` failed, which happened at `failedAt` (its end, or its deadline). */
  failureKnown(t: number, a: Attempt, failure: 'error' | 'timeout', failedAt: number): void;
  /** A notice about `a` arrived after the orchestrator had forgotten its handle, and went nowhere. */
  dropped(t: number, a: Attempt): void;
  /** The orchestrator began to process `a`'s result. */
  processStarted(t: number, a: Attempt): void;
  /** It finished: the result was `correct` (the world's truth) and validation `caught` it wrong, or not. */
  processed(t: number, a: Attempt, correct: boolean, caught: boolean): void;
  /** A compaction lost `a`'s handle (volatile registry). */
  forgot(t: number, a: Attempt): void;
  /** The orchestrator planned a wave (it paid `plan`). */
  planned(t: number): void;
  /** The orchestrator synthesized (it paid `synthesize`). */
  synthesized(t: number): void;
  /** The context shrank from `before` to `after` tokens. */
  compacted(t: number, before: number, after: number): void;
  /** The context now holds `tokens` (stated after every change that may grow it). */
  context(t: number, tokens: number): void;
  /**
   * The orchestrator takes a turn (a model call), at the start of the run or as it passes
   * from waiting to working, re-reading a context of `contextTokens` tokens.
   */
  turn(t: number, contextTokens: number): void;
  /** The orchestrator was busy doing `kind` from `start` to `t`, `seconds` of it. */
  busy(t: number, kind: ActivityKind, start: number, seconds: number): void;
  /** The orchestrator waited, doing nothing, from `start` to `t`. */
  idle(t: number, start: number): void;
  /** A task succeeded with `a`'s result, `correct` in truth. */
  succeeded(t: number, task: number, a: Attempt, correct: boolean): void;
  /** A task was given up after `attempts` attempts: its retries ran out, or a task it needs was given up. */
  givenUp(
    t: number,
    task: number,
    reason: 'retries-exhausted' | 'upstream-given-up',
    attempts: number,
  ): void;
}

/**
 * Feeds every fact to `first`, then to `second`. Used only when a trace is written (a run
 * without one feeds the metrics directly), but then it is on every fact's path: each
 * method forwards its own parameters, so a fact costs two plain calls, and each call site
 * here only ever sees one consumer class (the metrics first, the trace second), which keeps
 * it monomorphic. A generic forwarder (rest arguments, `Reflect.apply`) allocated an array
 * per fact and shared one megamorphic call site among all of them. `implements RunFacts`
 * keeps the list whole: a fact added there and not here does not compile.
 */
class BothFacts implements RunFacts {
  constructor(
    private readonly first: RunFacts,
    private readonly second: RunFacts,
  ) {}

  spawned(t: number, a: Attempt, reason: DeclaredSpawn): void {
    this.first.spawned(t, a, reason);
    this.second.spawned(t, a, reason);
  }

  started(t: number, a: Attempt): void {
    this.first.started(t, a);
    this.second.started(t, a);
  }

  permission(t: number, a: Attempt, outcome: 'asked' | 'denied'): void {
    this.first.permission(t, a, outcome);
    this.second.permission(t, a, outcome);
  }

  answered(t: number, a: Attempt): void {
    this.first.answered(t, a);
    this.second.answered(t, a);
  }

  ended(t: number, a: Attempt, ran: number): void {
    this.first.ended(t, a, ran);
    this.second.ended(t, a, ran);
  }

  deadline(t: number, a: Attempt): void {
    this.first.deadline(t, a);
    this.second.deadline(t, a);
  }

  cancelled(t: number, a: Attempt, reason: CancelReason, ran: number): void {
    this.first.cancelled(t, a, reason, ran);
    this.second.cancelled(t, a, reason, ran);
  }

  polled(t: number, a: Attempt, status: PollStatus): void {
    this.first.polled(t, a, status);
    this.second.polled(t, a, status);
  }

  pollRound(t: number, start: number): void {
    this.first.pollRound(t, start);
    this.second.pollRound(t, start);
  }

  delivered(t: number, a: Attempt): void {
    this.first.delivered(t, a);
    this.second.delivered(t, a);
  }

  failureKnown(t: number, a: Attempt, failure: 'error' | 'timeout', failedAt: number): void {
    this.first.failureKnown(t, a, failure, failedAt);
    this.second.failureKnown(t, a, failure, failedAt);
  }

  dropped(t: number, a: Attempt): void {
    this.first.dropped(t, a);
    this.second.dropped(t, a);
  }

  processStarted(t: number, a: Attempt): void {
    this.first.processStarted(t, a);
    this.second.processStarted(t, a);
  }

  processed(t: number, a: Attempt, correct: boolean, caught: boolean): void {
    this.first.processed(t, a, correct, caught);
    this.second.processed(t, a, correct, caught);
  }

  forgot(t: number, a: Attempt): void {
    this.first.forgot(t, a);
    this.second.forgot(t, a);
  }

  planned(t: number): void {
    this.first.planned(t);
    this.second.planned(t);
  }

  synthesized(t: number): void {
    this.first.synthesized(t);
    this.second.synthesized(t);
  }

  compacted(t: number, before: number, after: number): void {
    this.first.compacted(t, before, after);
    this.second.compacted(t, before, after);
  }

  context(t: number, tokens: number): void {
    this.first.context(t, tokens);
    this.second.context(t, tokens);
  }

  turn(t: number, contextTokens: number): void {
    this.first.turn(t, contextTokens);
    this.second.turn(t, contextTokens);
  }

  busy(t: number, kind: ActivityKind, start: number, seconds: number): void {
    this.first.busy(t, kind, start, seconds);
    this.second.busy(t, kind, start, seconds);
  }

  idle(t: number, start: number): void {
    this.first.idle(t, start);
    this.second.idle(t, start);
  }

  succeeded(t: number, task: number, a: Attempt, correct: boolean): void {
    this.first.succeeded(t, task, a, correct);
    this.second.succeeded(t, task, a, correct);
  }

  givenUp(
    t: number,
    task: number,
    reason: 'retries-exhausted' | 'upstream-given-up',
    attempts: number,
  ): void {
    this.first.givenUp(t, task, reason, attempts);
    this.second.givenUp(t, task, reason, attempts);
  }
}

/** Feeds every fact to `first`, then to `second`. */
export function bothFacts(first: RunFacts, second: RunFacts): RunFacts {
  return new BothFacts(first, second);
}
