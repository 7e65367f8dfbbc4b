/**
 * The agent runtime (docs/model.md, "Subagents"): the world in which subagents run, apart
 * from what the orchestrator believes of them. It creates attempts, queues them behind the
 * WIP limit and starts them as slots free, runs each as a kernel process (subagent.ts),
 * keeps their deadlines (the orchestrator's timers with events; the runtime's watchdog for
 * subagents whose handle was forgotten), cancels those past their deadline, and tells the
 * orchestrator of ends, cancellations and permission requests: at once as notices (events,
 * the foreground join) or not at all (polling, which learns of them by polling).
 */
import type { SimEvent } from '../sim/event.js';
import type { ProcessGenerator } from '../sim/process.js';
import { type Seed, StreamFactory, type StreamFamily } from '../sim/random.js';
import type { Simulation } from '../sim/simulation.js';
import { Attempt } from './attempt.js';
import { drawAttempt } from './attempt-draws.js';
import { AttemptTable } from './attempt-table.js';
import type { WorldConfig } from './config.js';
import type { CancelReason, RunFacts } from './facts.js';
import type { NoticeBox } from './inbox.js';
import type { DispatchSettings } from './settings.js';
import { type SubagentWorld, subagentLife } from './subagent.js';
import type { TaskTable } from './task-table.js';
import { WipLimiter } from './wip-limiter.js';

export class SubagentRuntime implements SubagentWorld {
  /** Hung subagents wait on this; it never happens. */
  readonly hangs: SimEvent<undefined>;
  /** A timeout is set and the runtime's watchdog enforces it for forgotten subagents (`forgottenTimeout`). */
  readonly watchdog: boolean;
  private readonly polling: boolean;
  private readonly wip: WipLimiter<Attempt>;
  /** The numbers of the attempts started and not yet settled. */
  private readonly attemptNumbers = new AttemptTable();
  private readonly attemptStreams: StreamFamily;
  private agentCount = 0;
  /** The timeout timer's handler, made once (a closure per attempt would cost an allocation each). */
  private readonly onDeadline = (timer: SimEvent<unknown>) =>
    this.deadlinePassed(timer.value as Attempt);

  constructor(
    private readonly sim: Simulation,
    private readonly world: WorldConfig,
    private readonly settings: DispatchSettings,
    seed: Seed,
    private readonly tasks: TaskTable,
    private readonly facts: RunFacts,
    private readonly notices: NoticeBox,
  ) {
    this.polling = settings.continuation.kind === 'polling';
    this.watchdog =
      settings.timeout !== Number.POSITIVE_INFINITY &&
      (settings.forgottenTimeout ?? 'runtime') === 'runtime';
    this.attemptStreams = new StreamFactory(seed).family('attempt');
    this.wip = new WipLimiter<Attempt>(settings.wip, (a) => this.start(a));
    this.hangs = sim.event('the reply of a hung subagent (it never comes)');
  }

  get now(): number {
    return this.sim.now;
  }

  /** A new attempt at `task`, numbered `attemptNo` among the task's attempts. */
  attempt(task: number, attemptNo: number, processedSoFar: number, resumes: boolean): Attempt {
    return new Attempt(
      this.agentCount++,
      task,
      attemptNo,
      processedSoFar,
      resumes,
      this.attemptNumbers,
    );
  }

  /** Queues `a` for a WIP slot; it starts at once if one is free. */
  request(a: Attempt): void {
    this.wip.request(a);
  }

  /** A WIP slot is granted: the subagent starts working. */
  private start(a: Attempt): void {
    const draws = drawAttempt(
      this.attemptStreams,
      a.task,
      a.attemptNo,
      this.world.subagents.latency,
      this.world.subagents.failures,
    );
    // Read now rather than at the spawn; the same value. A task's reported progress changes
    // only when an attempt of it that the orchestrator tracks fails. Until this one
    // starts, that can only be a later attempt (a duplicate, if this one's handle is
    // forgotten while it queues), and the WIP queue is FIFO: a later attempt starts after
    // this one, so it cannot have failed yet.
    const resumed = a.resumes ? this.tasks.reportedProgress[a.task]! : 0;
    a.begin(this.sim.now, draws, resumed);
    this.facts.started(this.sim.now, a);
    a.process = this.sim.process(subagentLife(this, a), {
      name: a,
    });
    // The orchestrator's timer (events), or the runtime's watchdog for a subagent whose
    // handle was forgotten while it queued (events and polling alike).
    const timed = a.forgotten
      ? this.watchdog
      : this.settings.timeout !== Number.POSITIVE_INFINITY && !this.polling;
    if (timed) {
      a.deadline = this.sim
        .timeout(this.settings.timeout, 'deadline', a)
        .onProcessed(this.onDeadline);
    }
    if (!a.forgotten) this.notices.trackedStarted();
  }

  /** Called by the subagent's process when it reaches a permission check. */
  *askPermission(a: Attempt): ProcessGenerator<void> {
    if (this.settings.mode === 'background') {
      a.denied = true;
      this.facts.permission(this.sim.now, a, 'denied');
      return;
    }
    this.facts.permission(this.sim.now, a, 'asked');
    const answered = this.sim.event<undefined>(
      `the answer to subagent ${a.agent}'s permission request`,
    );
    this.notices.notify({ attempt: a, answered });
    const asked = this.sim.now;
    yield answered;
    a.paused += this.sim.now - asked;
  }

  /** Called by the subagent's process when it ends by itself (ok or error). */
  ended(a: Attempt): void {
    a.state = 'ended';
    a.endedAt = this.sim.now;
    if (a.deadline !== null) a.deadline.cancel();
    // Its own work and pauses, not endedAt − startedAt: that difference rounds differently
    // at different start times, and identical work must count identically everywhere.
    // Stated before the slot is released: the next queued subagent starts in release().
    this.facts.ended(this.sim.now, a, a.work + a.paused);
    this.release(a);
    // Polling learns of it at the next check; events and the foreground join right away.
    if (!this.polling) this.notices.notify(a);
  }

  /**
   * The timer of an attempt fired: the orchestrator's (events, foreground), or the
   * runtime's watchdog for a forgotten subagent; it is cancelled now, after exactly
   * `timeout`. Only a subagent running *longer* than the timeout is cancelled, so one due
   * to end at this very instant (its end may be queued after the timer) is left to end.
   */
  private deadlinePassed(a: Attempt): void {
    a.deadline = null;
    this.facts.deadline(this.sim.now, a);
    if (a.state !== 'running' || a.endsAt === this.sim.now) return;
    this.cancel(a, a.forgotten ? 'watchdog' : 'timeout', this.settings.timeout);
    // The runtime reports the cancellation as it reports an end: with events (or the
    // foreground join) a notice, dropped if the handle was forgotten; polling has no timers
    // but the watchdog's, and never checks a forgotten subagent.
    if (!this.polling) this.notices.notify(a);
  }

  /**
   * Cancels a running subagent past its deadline, its slot freed after `ran` seconds of
   * work: `timeout` (the orchestrator's own), counted as cancelled work, or `watchdog`
   * (the runtime's, for a forgotten subagent), counted as a ghost's.
   */
  cancel(a: Attempt, reason: CancelReason, ran: number): void {
    a.state = 'cancelled';
    a.endedAt = this.sim.now;
    a.process?.cancel(reason);
    if (a.deadline !== null) a.deadline.cancel();
    this.facts.cancelled(this.sim.now, a, reason, ran);
    this.release(a);
  }

  /** The subagent's slot frees. */
  private release(a: Attempt): void {
    a.process = null; // let the finished process be collected young
    a.deadline = null;
    this.wip.release();
  }

  /**
   * The orchestrator forgot `a`'s handle. Its timer, if the orchestrator kept it only in
   * its context, goes with the handle; otherwise the runtime's watchdog keeps its deadline.
   * With events its timer runs on (now the watchdog's); a queued one gets its timer when
   * it starts; with polling, whose timeouts are the orchestrator's checks, a running one
   * gets a timer for what is left of its time, or is cancelled at once if its deadline
   * passed before a check saw it.
   */
  forgotten(a: Attempt): void {
    if (!this.watchdog) {
      if (a.deadline !== null) {
        a.deadline.cancel();
        a.deadline = null;
      }
      return;
    }
    if (a.state !== 'running' || a.deadline !== null) return;
    const deadline = a.startedAt + this.settings.timeout;
    const left = deadline - this.sim.now;
    if (left > 0) {
      a.deadline = this.sim.timeout(left, 'deadline', a).onProcessed(this.onDeadline);
    } else if (a.endsAt !== this.sim.now) {
      this.cancel(a, 'watchdog', this.sim.now - a.startedAt);
    }
  }
}
