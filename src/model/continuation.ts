/**
 * How the orchestrator learns what its subagents did (docs/model.md, "Continuation"): the
 * notices in its inbox (events, the foreground join) or poll rounds (polling), the
 * buffer of results it has received, failures detected and retried or given up, permission
 * requests answered, and what it waits for when it has nothing to do.
 */
import type { ProcessGenerator, Yieldable } from '../sim/process.js';
import type { Simulation } from '../sim/simulation.js';
import type { Action } from './action.js';
import { Attempt } from './attempt.js';
import type { WorldConfig } from './config.js';
import type { RunFacts } from './facts.js';
import { Fifo } from './fifo.js';
import type { Inbox, Notice } from './inbox.js';
import type { ActivityKind } from './metrics.js';
import type { OrchestratorContext } from './orchestrator-context.js';
import type { DispatchSettings } from './settings.js';
import type { SubagentRuntime } from './subagent-runtime.js';
import type { TaskLife } from './task-life.js';

/** What the continuation asks of the orchestrator: its time, and a retry's dispatch. */
export interface ContinuationOwner {
  /** Pays `seconds` of `kind` (housekeeping's own steps). */
  pay(kind: ActivityKind, seconds: number): Action<void>;
  /** Requests a subagent again for a failed task (its `dispatch` is paid). */
  retry(task: number): void;
}

export class Continuation {
  /** Results received and not yet handed to the strategy, in arrival order. */
  readonly results = new Fifo<Attempt>();
  readonly polling: boolean;
  /** Polling: the interval; NaN with events or the foreground join. */
  private readonly pollInterval: number;
  private nextPollAt = Number.NaN;
  /** When the last poll round that went through `pollRound` ended. */
  private lastRoundEnd = Number.NaN;

  constructor(
    private readonly sim: Simulation,
    private readonly world: WorldConfig,
    private readonly settings: DispatchSettings,
    readonly inbox: Inbox,
    private readonly tasks: TaskLife,
    private readonly runtime: SubagentRuntime,
    private readonly context: OrchestratorContext,
    private readonly facts: RunFacts,
    private readonly owner: ContinuationOwner,
  ) {
    this.polling = settings.continuation.kind === 'polling';
    this.pollInterval =
      settings.continuation.kind === 'polling' ? settings.continuation.interval : Number.NaN;
  }

  /** A handle is about to go out: with none out before, polling's rounds begin an interval from now. */
  handleGoingOut(): void {
    if (this.tasks.tracked.size === 0 && this.polling) {
      this.nextPollAt = this.sim.now + this.pollInterval;
    }
  }

  /** A poll round ended at this instant. */
  get justPolled(): boolean {
    return this.lastRoundEnd === this.sim.now;
  }

  // ---- notices ----

  /**
   * Handles, in arrival order, the notices at the front of the inbox that take no time: a
   * result arriving, and the end of a subagent the orchestrator has forgotten. The rest
   * (failures, permission requests) go through `handle`. Equivalent to handling every
   * notice there: these cost no time, and a poll round, which housekeeping puts before
   * notices, is never due with them: polling learns of ends by polling, so its inbox
   * holds only permission requests.
   */
  takeInstantNotices(): void {
    const inbox = this.inbox;
    for (;;) {
      const notice = inbox.peek();
      if (!(notice instanceof Attempt)) return;
      if (notice.forgotten) {
        inbox.shift();
        this.facts.dropped(this.sim.now, notice); // its outcome is never consumed
      } else if (notice.state === 'ended' && notice.fate !== 'error') {
        inbox.shift();
        this.deliver(notice);
      } else {
        return;
      }
    }
  }

  /**
   * A notice that takes time: a permission request to answer, or a failure to handle (an
   * error end, or a timeout: its timer has cancelled the attempt). The rest are taken at
   * once, first (takeInstantNotices).
   */
  *handle(notice: Notice): ProcessGenerator<void> {
    if (notice instanceof Attempt) {
      yield* this.failureKnown(notice, notice.state === 'cancelled' ? 'timeout' : 'error');
      return;
    }
    const a = notice.attempt;
    if (a.state !== 'running') return; // cancelled while it waited: nobody to answer
    yield* this.owner.pay('answer', this.world.orchestrator.answer);
    this.facts.answered(this.sim.now, a);
    if (a.state === 'running') notice.answered.succeed(undefined);
  }

  /** A result becomes known: it goes to the buffer, in arrival order. */
  private deliver(a: Attempt): void {
    this.tasks.untrack(a);
    this.tasks.table.buffered[a.task] = 1;
    this.results.push(a);
    this.facts.delivered(this.sim.now, a);
    this.context.resultArrived(); // the fact first, then the context it grew
  }

  /** The orchestrator learns that an attempt failed: retry it, or give the task up. */
  private *failureKnown(a: Attempt, failure: 'error' | 'timeout'): ProcessGenerator<void> {
    a.consumed = true;
    this.tasks.untrack(a);
    const failedAt = failure === 'error' ? a.endedAt : a.startedAt + this.settings.timeout;
    this.facts.failureKnown(this.sim.now, a, failure, failedAt);
    this.context.observe(); // its handle left the context
    const table = this.tasks.table;
    table.reportedProgress[a.task] =
      failure === 'error' && this.world.subagents.reportsProgress ? a.progressDraw : 0;
    a.settle();
    if (++table.failures[a.task]! > this.settings.retries) {
      this.tasks.giveUp(a.task);
      return;
    }
    yield* this.owner.pay('dispatch', this.world.orchestrator.dispatch);
    this.owner.retry(a.task);
  }

  // ---- polling ----

  pollDue(): boolean {
    if (!this.polling || this.tasks.tracked.size === 0 || this.sim.now < this.nextPollAt) {
      return false;
    }
    // Rounds longer than the interval come back to back; if they can only find hung
    // subagents, they would go on forever and the orchestrator would never idle. So such
    // a round is not due straight after another: the orchestrator goes on with its work,
    // and polls again after its next action, or idles (see pollingIsFutile).
    return !(this.lastRoundEnd === this.sim.now && this.pollingIsFutile());
  }

  /** Checks each tracked, started subagent in dispatch order, paying `poll` per check. */
  *pollRound(): ProcessGenerator<void> {
    const roundStart = this.sim.now;
    // A snapshot: a retry spawned during the round may start at once and join the registry.
    // Nothing but the round itself untracks a target meanwhile (compaction waits its turn).
    const targets = this.tasks.tracked.startedHandles();
    for (const a of targets) {
      yield* this.owner.pay('poll', this.world.orchestrator.poll);
      const found = this.check(a);
      if (found === 'error') {
        yield* this.failureKnown(a, 'error');
      } else if (found === 'overdue') {
        // Cancelled at the check, however long after the deadline that is.
        this.runtime.cancel(a, 'timeout', this.sim.now - a.startedAt);
        yield* this.failureKnown(a, 'timeout');
      }
    }
    this.nextPollAt = roundStart + this.pollInterval;
    this.lastRoundEnd = this.sim.now;
    this.facts.pollRound(this.sim.now, roundStart);
  }

  /**
   * Does a due poll round at once, if it takes no time: checks are free, and none will
   * find an error or an overdue subagent (whose handling may take time). Then nothing
   * changes while the round runs, so the prediction is exact. Returns false, having done
   * nothing, if the round needs `pollRound`. (Rounds are the commonest chore of a polling
   * orchestrator; this spares each a generator or two.)
   */
  pollRoundAtOnce(): boolean {
    if (this.world.orchestrator.poll > 0) return false;
    const targets = this.tasks.tracked.startedHandles();
    for (const a of targets) {
      if (a.state === 'ended' ? a.fate === 'error' : this.isOverdue(a)) return false;
    }
    for (const a of targets) this.check(a);
    this.nextPollAt = this.sim.now + this.pollInterval;
    this.facts.pollRound(this.sim.now, this.sim.now);
    return true;
  }

  /** One check of a poll round: a result found is delivered; a failure is left to the caller. */
  private check(a: Attempt): 'running' | 'delivered' | 'error' | 'overdue' {
    const overdue = this.isOverdue(a);
    const status = a.state === 'running' ? (overdue ? 'overdue' : 'running') : 'ended';
    this.facts.polled(this.sim.now, a, status);
    if (a.state === 'ended') {
      if (a.fate === 'error') return 'error';
      this.deliver(a);
      return 'delivered';
    }
    return overdue ? 'overdue' : 'running';
  }

  private isOverdue(a: Attempt): boolean {
    const timeout = this.settings.timeout;
    return (
      timeout !== Number.POSITIVE_INFINITY &&
      a.state === 'running' &&
      this.sim.now > a.startedAt + timeout
    );
  }

  // ---- idling ----

  /**
   * What to wait for, idle, when there is nothing to do: the next poll round (polling), or
   * a notice (events, foreground). Null when a poll round is due already. (Returned for the
   * caller to yield, rather than a generator of its own: one generator fewer per wait.)
   */
  idleUntil(): Yieldable | null {
    if (this.polling && this.tasks.tracked.anyStarted && !this.pollingIsFutile()) {
      const wait = this.nextPollAt - this.sim.now;
      return wait > 0 ? wait : null;
    }
    return this.inbox.nextArrival();
  }

  /**
   * With no timeout, once every started subagent the orchestrator tracks is hung, a poll
   * round can only find them still running: the orchestrator would poll forever. The model
   * says so by waiting instead (when it would idle, and when rounds come back to back), so
   * that the kernel reports the run as a deadlock (a livelock, strictly) rather than
   * spinning.
   */
  private pollingIsFutile(): boolean {
    if (this.settings.timeout !== Number.POSITIVE_INFINITY) return false;
    for (const a of this.tasks.tracked.startedHandles()) {
      if (a.state !== 'running' || a.fate !== 'hang') return false;
    }
    return true;
  }
}
