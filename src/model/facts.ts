/**
 * What happened in a run, stated once: the model calls one method of a RunFacts for each
 * fact, at the simulated time `t` it happened, and does nothing else to record it. The
 * metrics (metrics.ts) are one consumer of these facts and a trace file (trace-recorder.ts)
 * another, which hands each fact on to the metrics before it writes it.
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
