/**
 * The orchestrator model (docs/model.md, "The orchestrator"): a single server that dispatches
 * subagents, learns of their ends, processes their results and synthesizes, each action costing
 * time. Strategies drive it through a small API of actions, each to be `yield*`ed where it is
 * called (action.ts):
 *
 *   yield* o.dispatch(task)      pay `dispatch`, request a subagent (queues beyond the WIP limit)
 *   yield* o.plan()              pay `plan`
 *   yield* o.process(result)     pay `process`; judge, maybe catch a wrong result
 *   yield* o.synthesize()        pay `synthesize`
 *   yield* o.awaitAll()          foreground join: idle until every dispatched task has an outcome
 *   yield* o.nextResult()        the next result in arrival order, idling until one comes
 *                                (undefined: none can, or a forgotten handle's task is ready again)
 *   yield* o.checkIn()           handle what has arrived, without waiting
 *
 * Between actions the orchestrator does its housekeeping, in this order: a poll round if
 * one is due (polling), the notices in its inbox in arrival order (results are buffered;
 * failures are detected and retried or given up; permission requests are answered), and a
 * compaction if the context is over budget; after a poll round that ran into the next
 * one's due time, the inbox and the context go first. Timeouts, retries and resumption
 * are handled here, so every strategy gets them the same way.
 *
 * What the orchestrator *believes* (its registry of handles) is kept apart from what the
 * world *is* (the attempts and their processes): with a volatile registry a compaction
 * can make it forget a handle, and the difference is exactly a ghost agent.
 */
import type { SimEvent } from '../sim/event.js';
import type { ProcessGenerator, Yieldable } from '../sim/process.js';
import { type Seed, StreamFactory, type StreamFamily } from '../sim/random.js';
import type { Simulation } from '../sim/simulation.js';
import { type Action, ActionStep, type Effect } from './action.js';
import { Attempt } from './attempt.js';
import { drawAttempt } from './attempt-draws.js';
import { AttemptTable } from './attempt-table.js';
import type { WorldConfig } from './config.js';
import { ContextWindow } from './context-window.js';
import type { TaskGraph } from './dependencies.js';
import type { DeclaredSpawn, RunFacts } from './facts.js';
import { Fifo } from './fifo.js';
import { HandleRegistry } from './handle-registry.js';
import type { ActivityKind } from './metrics.js';
import type { DispatchSettings } from './settings.js';
import type { Orchestrator, Result } from './strategy.js';
import { subagentLife } from './subagent.js';
import { DONE, GIVEN_UP, OPEN, TaskTable, WAITING } from './task-table.js';
import { WipLimiter } from './wip-limiter.js';

/**
 * How many times one task may be dispatched again after validation caught a wrong
 * result. A safeguard against endless loops when quality is very low; past it the wrong
 * result is accepted.
 */
export const maxRedispatches = 3;

/** A foreground subagent's request, waiting for the orchestrator's answer. */
interface PermissionRequest {
  readonly attempt: Attempt;
  readonly answered: SimEvent<undefined>;
}

/**
 * What the inbox holds, in arrival order: a permission request, or an attempt whose end
 * (state 'ended') or timeout (state 'cancelled', by its timer) the orchestrator is to learn
 * of. Ends are the commonest notice by far, and the attempt itself costs no allocation.
 */
type Notice = Attempt | PermissionRequest;

export class ModelOrchestrator implements Orchestrator {
  private readonly context: ContextWindow;
  private readonly tasks: TaskTable;
  /** The numbers of the attempts started and not yet settled. */
  private readonly attemptNumbers = new AttemptTable();
  /** The iterator of the actions that are a paid step or an immediate answer. */
  private readonly step = new ActionStep({
    busy: (kind, seconds) => this.busy(kind, seconds),
    idleAgain: () => this.idleAgain(),
    afterPaid: (effect, subject) => this.afterPaid(effect, subject),
  });
  private agentCount = 0;
  /** Results processed so far (drives quality learning): each succeeded or was caught wrong. */
  private processedCount = 0;
  /** Handles compactions have forgotten so far. */
  private forgets = 0;
  private compactions = 0;
  /** Tasks that became open, in that order; entries may be stale (checked when read). */
  private readonly readyQueue = new Fifo<number>();
  /** Handles the orchestrator tracks, in dispatch order. */
  private readonly tracked = new HandleRegistry();
  /** Polling continuation: the interval; NaN with events or the foreground join. */
  private readonly pollInterval: number;
  private readonly polling: boolean;
  /** A timeout is set and the runtime's watchdog enforces it for forgotten subagents (`forgottenTimeout`). */
  private readonly watchdog: boolean;
  private readonly inbox = new Fifo<Notice>();
  private readonly results = new Fifo<Attempt>();
  private readonly wip: WipLimiter<Attempt>;
  /** Woken when a notice arrives or a tracked subagent starts, while the orchestrator idles. */
  private wakeUp: SimEvent<undefined> | null = null;
  /** Hung subagents wait on this; it never happens. */
  readonly hangs: SimEvent<undefined>;
  private nextPollAt = Number.NaN;
  /** When the last poll round that went through `pollRound` ended. */
  private lastRoundEnd = Number.NaN;
  private readonly attemptStreams: StreamFamily;
  /** Made at the first compaction that may forget (volatile registries only): a family costs its prefix's hashing. */
  private forgetStreams: StreamFamily | null = null;
  /** The timeout timer's handler, made once (a closure per attempt would cost an allocation each). */
  private readonly onDeadline = (timer: SimEvent<unknown>) =>
    this.deadlinePassed(timer.value as Attempt);
  /** The activity in progress (see busy / idleAgain). */
  private activity: ActivityKind = 'dispatch';
  private activityStart = 0;
  private activitySeconds = 0;

  constructor(
    readonly sim: Simulation,
    readonly world: WorldConfig,
    readonly settings: DispatchSettings,
    readonly seed: Seed,
    readonly graph: TaskGraph,
    private readonly facts: RunFacts,
  ) {
    this.context = new ContextWindow(world.context, this.tracked);
    this.polling = settings.continuation.kind === 'polling';
    this.pollInterval =
      settings.continuation.kind === 'polling' ? settings.continuation.interval : Number.NaN;
    this.watchdog =
      settings.timeout !== Number.POSITIVE_INFINITY &&
      (settings.forgottenTimeout ?? 'runtime') === 'runtime';
    this.attemptStreams = new StreamFactory(seed).family('attempt');
    this.wip = new WipLimiter<Attempt>(settings.wip, (a) => this.start(a));
    this.hangs = sim.event('the reply of a hung subagent (it never comes)');
    this.tasks = new TaskTable(graph.dependsOn);
    for (let i = 0; i < graph.count; i++) {
      if (this.tasks.status[i] === OPEN) this.tasks.readyAt[i] = this.readyQueue.push(i);
    }
  }

  // ---- what a strategy can see ----

  get now(): number {
    return this.sim.now;
  }

  /** Every task has succeeded or been given up. */
  get finished(): boolean {
    return this.tasks.resolvedCount === this.tasks.count;
  }

  /** Tasks succeeded or given up so far (for the run's outcome, not for strategies). */
  get resolvedTasks(): number {
    return this.tasks.resolvedCount;
  }

  /** Tasks the orchestrator believes are out (dispatched, outcome not yet known). */
  get outstanding(): number {
    return this.tracked.size;
  }

  /** Results received and not yet handed to the strategy. */
  get bufferedResults(): number {
    return this.results.length;
  }

  /** True once the task has succeeded or been given up. */
  isResolved(task: number): boolean {
    return this.tasks.isResolved(task);
  }

  /**
   * Tasks that can be dispatched now — dependencies processed, not resolved, not believed
   * to be out — in the order they became dispatchable; at most `limit`.
   */
  readyTasks(limit = Number.POSITIVE_INFINITY): number[] {
    const queue = this.readyQueue;
    // Entries go stale once their task is dispatched or resolved, or opened again (then a
    // newer entry counts); drop them from the front so repeated calls stay proportional
    // to what they return, not to all tasks.
    while (queue.length > 0 && !this.isReadyEntry(queue.at(0), queue.positionAt(0))) queue.shift();
    const out: number[] = [];
    for (let i = 0; i < queue.length && out.length < limit; i++) {
      const task = queue.at(i);
      if (this.isReadyEntry(task, queue.positionAt(i))) out.push(task);
    }
    return out;
  }

  // ---- actions ----
  // Each is "chores first, if any need time; then the action": the chores run in a
  // generator (afterChores), the action itself on the shared step when it is a paid step
  // or an immediate answer (see action.ts).

  /** Pays `dispatch` and requests a subagent for the task. Returns false (at no cost) if the task is no longer dispatchable. */
  dispatch(task: number): Action<boolean> {
    if (this.doInstantChores()) return this.afterChores(() => this.dispatch(task));
    if (!this.isDispatchable(task)) return this.step.returning(false);
    // Nothing changes a task while the orchestrator is busy: no second check after this.
    return this.step.pay('dispatch', this.world.orchestrator.dispatch, 'spawn', task);
  }

  plan(): Action<void> {
    if (this.doInstantChores()) return this.afterChores(() => this.plan());
    return this.step.pay('plan', this.world.orchestrator.plan, 'nothing', undefined);
  }

  /**
   * Pays `process` for a result, in arrival order, and judges it: a wrong result may be
   * caught (validation) and its task opened again; otherwise the task succeeds and its
   * dependents may open.
   */
  process(result: Result): Action<void> {
    if (!(result instanceof Attempt)) {
      throw new Error(
        `process() takes a result handed out by this orchestrator, got ${JSON.stringify(result)}`,
      );
    }
    const a = result;
    if (a.consumed) {
      throw new Error(
        `result of agent ${a.agent} (task ${a.task}) was already processed; a result is used once`,
      );
    }
    if (this.doInstantChores()) return this.afterChores(() => this.process(a));
    this.facts.processStarted(this.sim.now, a);
    return this.step.pay('process', this.world.orchestrator.process, 'processed', a);
  }

  synthesize(): Action<void> {
    if (this.doInstantChores()) return this.afterChores(() => this.synthesize());
    return this.step.pay('synthesize', this.world.orchestrator.synthesize, 'nothing', undefined);
  }

  /**
   * The foreground join: idles until every task it dispatched has an outcome (failures
   * are retried meanwhile, permission requests answered), then returns the results in
   * arrival order.
   */
  *awaitAll(): ProcessGenerator<Result[]> {
    for (;;) {
      if (this.doInstantChores()) yield* this.housekeeping();
      if (this.tracked.size === 0) break;
      const wait = this.idleUntil();
      if (wait !== null) yield* this.idle(wait);
    }
    return this.results.takeAll();
  }

  /**
   * The next result in arrival order, idling until one arrives. Undefined when none can
   * come (nothing is out), and also, instead of idling on, when its housekeeping made a
   * task dispatchable again: a compaction forgot the task's handle (volatile registry), so
   * the strategy gets its turn to dispatch it (see resultOrWait).
   */
  nextResult(): Action<Result | undefined> {
    const forgets = this.forgets;
    if (this.doInstantChores()) return this.afterChores(() => this.resultOrWait(forgets));
    return this.resultOrWait(forgets);
  }

  /** Handles what has arrived and returns the next buffered result, if any, without waiting. */
  checkIn(): Action<Result | undefined> {
    if (this.doInstantChores()) return this.afterChores(() => this.checkIn());
    return this.step.returning(this.results.shift());
  }

  /**
   * `nextResult` once its chores are done: a buffered result, or undefined if nothing is
   * out or a handle was forgotten since the call began (`forgetsBefore`: the count of
   * forgotten handles then), or else a wait.
   */
  private resultOrWait(forgetsBefore: number): Action<Result | undefined> {
    if (this.results.length > 0) return this.step.returning(this.results.shift());
    if (this.tracked.size === 0 || this.forgets !== forgetsBefore) {
      return this.step.returning(undefined);
    }
    return this.waitForResult(forgetsBefore);
  }

  /**
   * Idles until a result arrives, nothing can come, or a compaction in the housekeeping
   * after a wake-up forgets a handle: a forgotten handle's task is dispatchable again at
   * once, and the strategy, not this wait, decides what to do with it.
   */
  private *waitForResult(forgetsBefore: number): ProcessGenerator<Result | undefined> {
    for (;;) {
      const wait = this.idleUntil();
      if (wait !== null) yield* this.idle(wait);
      if (this.doInstantChores()) yield* this.housekeeping();
      if (this.results.length > 0) return this.results.shift();
      if (this.tracked.size === 0) return undefined;
      if (this.forgets !== forgetsBefore) return undefined;
    }
  }

  /**
   * Housekeeping that takes time, then the action, called again: its check for chores
   * then finds none (housekeeping returns only when none is left at this instant), so it
   * goes on to its own part, and this nests no deeper.
   */
  private *afterChores<R>(action: () => Action<R>): ProcessGenerator<R> {
    yield* this.housekeeping();
    return yield* action();
  }

  /** Pays `seconds` of `kind` (no hold if 0), inside housekeeping, where the step is free. */
  private pay(kind: ActivityKind, seconds: number): Action<void> {
    return this.step.pay(kind, seconds, 'nothing', undefined);
  }

  /** What a paid step does once paid (see ActionStep). */
  private afterPaid(effect: Effect, subject: unknown): unknown {
    switch (effect) {
      case 'spawn':
        this.spawn(subject as number, false);
        return true;
      case 'processed':
        this.processed(subject as Attempt);
        return undefined;
      case 'nothing':
        return undefined;
    }
  }

  /** What processing a result does, once it is paid for. */
  private processed(a: Attempt): void {
    a.consumed = true;
    this.context.summarize();
    this.observeContext();
    const tasks = this.tasks;
    tasks.buffered[a.task] = 0;
    const correct = this.judge(a);
    const caught =
      !correct &&
      a.validationDraw < (this.settings.validation ?? this.world.quality.validation) &&
      tasks.redispatches[a.task]! < maxRedispatches;
    this.processedCount++;
    this.facts.processed(this.sim.now, a, correct, caught);
    if (caught) tasks.redispatches[a.task]!++;
    a.settle(); // done with it: its numbers go
    if (caught) this.open(a.task);
    else this.succeed(a.task, a, correct);
  }

  // ---- housekeeping ----

  /**
   * Does at once the chores that take no orchestrator time, and returns true if chores
   * that take time remain (for `housekeeping`): the common case then needs no generator.
   * Housekeeping's order holds: it puts a due poll round before notices, but with polling
   * the inbox never holds a notice that takes no time (see takeInstantNotices).
   */
  private doInstantChores(): boolean {
    this.takeInstantNotices();
    if (this.pollDue() && !this.pollRoundAtOnce()) return true;
    return this.inbox.length > 0 || this.context.needsCompaction;
  }

  private *housekeeping(): ProcessGenerator<void> {
    for (;;) {
      // A due poll round comes first, unless one has just ended: then the inbox and the
      // context have their turn, or rounds longer than the interval would starve them.
      const justPolled = this.lastRoundEnd === this.sim.now;
      if (this.pollDue() && !justPolled) {
        yield* this.pollRound();
        continue;
      }
      this.takeInstantNotices();
      const notice = this.inbox.shift();
      if (notice !== undefined) {
        yield* this.handle(notice);
        continue;
      }
      if (this.context.needsCompaction) {
        yield* this.compact();
        continue;
      }
      if (this.pollDue()) {
        yield* this.pollRound(); // back to back with the last
        continue;
      }
      return;
    }
  }

  /**
   * Handles, in arrival order, the notices at the front of the inbox that take no time: a
   * result arriving, and the end of a subagent the orchestrator has forgotten. The rest
   * (failures, permission requests) go through `handle`. Equivalent to handling every
   * notice there: these cost no time, and a poll round, which housekeeping puts before
   * notices, is never due with them: polling learns of ends by polling, so its inbox
   * holds only permission requests.
   */
  private takeInstantNotices(): void {
    const inbox = this.inbox;
    while (inbox.length > 0) {
      const notice = inbox.at(0);
      if (!(notice instanceof Attempt)) return;
      if (notice.forgotten) {
        inbox.shift();
        this.drop(notice);
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
  private *handle(notice: Notice): ProcessGenerator<void> {
    if (notice instanceof Attempt) {
      yield* this.failureKnown(notice, notice.state === 'cancelled' ? 'timeout' : 'error');
      return;
    }
    const a = notice.attempt;
    if (a.state !== 'running') return; // cancelled while it waited: nobody to answer
    yield* this.pay('answer', this.world.orchestrator.answer);
    this.facts.answered(this.sim.now, a);
    if (a.state === 'running') notice.answered.succeed(undefined);
  }

  /** The orchestrator no longer knows this subagent: its outcome is never consumed. */
  private drop(a: Attempt): void {
    this.facts.dropped(this.sim.now, a);
  }

  /** A result becomes known: it goes to the buffer, in arrival order. */
  private deliver(a: Attempt): void {
    this.untrack(a);
    this.tasks.buffered[a.task] = 1;
    this.results.push(a);
    this.context.resultArrived();
    this.observeContext();
    this.facts.delivered(this.sim.now, a);
  }

  /** The orchestrator learns that an attempt failed: retry it, or give the task up. */
  private *failureKnown(a: Attempt, failure: 'error' | 'timeout'): ProcessGenerator<void> {
    a.consumed = true;
    this.untrack(a);
    const failedAt = failure === 'error' ? a.endedAt : a.startedAt + this.settings.timeout;
    this.facts.failureKnown(this.sim.now, a, failure, failedAt);
    this.observeContext(); // its handle left the context
    const tasks = this.tasks;
    tasks.reportedProgress[a.task] =
      failure === 'error' && this.world.subagents.reportsProgress ? a.progressDraw : 0;
    a.settle();
    if (++tasks.failures[a.task]! > this.settings.retries) {
      this.giveUp(a.task, 'retries-exhausted');
      return;
    }
    yield* this.pay('dispatch', this.world.orchestrator.dispatch);
    this.spawn(a.task, true);
  }

  // ---- polling ----

  private pollDue(): boolean {
    if (!this.polling || this.tracked.size === 0 || this.sim.now < this.nextPollAt) return false;
    // Rounds longer than the interval come back to back; if they can only find hung
    // subagents, they would go on forever and the orchestrator would never idle. So such
    // a round is not due straight after another: the orchestrator goes on with its work,
    // and polls again after its next action, or idles (see pollingIsFutile).
    return !(this.lastRoundEnd === this.sim.now && this.pollingIsFutile());
  }

  /** Checks each tracked, started subagent in dispatch order, paying `poll` per check. */
  private *pollRound(): ProcessGenerator<void> {
    const roundStart = this.sim.now;
    // A snapshot: a retry spawned during the round may start at once and join the registry.
    // Nothing but the round itself untracks a target meanwhile (compaction waits its turn).
    const targets = this.tracked.startedHandles();
    for (const a of targets) {
      yield* this.pay('poll', this.world.orchestrator.poll);
      const found = this.check(a);
      if (found === 'error') {
        yield* this.failureKnown(a, 'error');
      } else if (found === 'overdue') {
        // Cancelled at the check, however long after the deadline that is.
        this.cancel(a, 'timeout', this.sim.now - a.startedAt);
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
  private pollRoundAtOnce(): boolean {
    if (this.world.orchestrator.poll > 0) return false;
    const targets = this.tracked.startedHandles();
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
  private idleUntil(): Yieldable | null {
    if (this.polling && this.tracked.anyStarted && !this.pollingIsFutile()) {
      const wait = this.nextPollAt - this.sim.now;
      return wait > 0 ? wait : null;
    }
    this.wakeUp = this.sim.event('a subagent to end or ask for something');
    return this.wakeUp;
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
    for (const a of this.tracked.startedHandles()) {
      if (a.state !== 'running' || a.fate !== 'hang') return false;
    }
    return true;
  }

  private notify(notice: Notice): void {
    this.inbox.push(notice);
    this.wake();
  }

  private wake(): void {
    if (this.wakeUp !== null) {
      const e = this.wakeUp;
      this.wakeUp = null;
      e.succeed(undefined);
    }
  }

  // ---- the world: spawning, starting, ending, cancelling ----

  /** Requests a subagent for the task (its `dispatch` is already paid). */
  private spawn(taskId: number, retry: boolean): void {
    const tasks = this.tasks;
    const attemptNo = tasks.attempts[taskId]!++;
    // An orchestrator that forgot the task's handle believes it never dispatched it, and
    // says "first": that this duplicates an attempt that may be live is for the judges.
    const reason: DeclaredSpawn = retry
      ? 'retry'
      : attemptNo === 0 || tasks.forgotten[taskId] === 1
        ? 'first'
        : 'redispatch';
    tasks.forgotten[taskId] = 0;
    const resumes = retry && this.settings.resume;
    const a = new Attempt(
      this.agentCount++,
      taskId,
      attemptNo,
      this.processedCount,
      resumes,
      this.attemptNumbers,
    );
    tasks.handle[taskId] = a;
    tasks.status[taskId] = OPEN;
    if (this.tracked.size === 0 && this.polling) this.nextPollAt = this.sim.now + this.pollInterval;
    this.tracked.add(a);
    this.facts.spawned(this.sim.now, a, reason);
    this.observeContext();
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
    // Polling idles on starts when every tracked subagent is still queued.
    if (this.polling && !a.forgotten) this.wake();
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
    this.notify({ attempt: a, answered });
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
    if (!this.polling) this.notify(a);
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
    if (!this.polling) this.notify(a);
  }

  /**
   * Cancels a running subagent past its deadline, its slot freed after `ran` seconds of
   * work: `timeout` (the orchestrator's own), counted as cancelled work, or `watchdog`
   * (the runtime's, for a forgotten subagent), counted as a ghost's.
   */
  private cancel(a: Attempt, reason: 'timeout' | 'watchdog', ran: number): void {
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

  // ---- registry and context ----

  private untrack(a: Attempt): void {
    this.tracked.delete(a);
    const handles = this.tasks.handle;
    if (handles[a.task] === a) handles[a.task] = null;
  }

  private *compact(): ProcessGenerator<void> {
    const c = this.world.context;
    yield* this.pay('compaction', c.compactionCost);
    this.compactions++;
    const { before, after } = this.context.compact();
    this.facts.compacted(this.sim.now, before, after);
    if (this.settings.registry !== 'volatile' || this.settings.mode !== 'background') return;
    this.forgetStreams ??= new StreamFactory(this.seed).family('forget');
    // The registry lets the current handle be deleted while iterating (HandleRegistry).
    for (const a of this.tracked) {
      const draw = this.forgetStreams.get2(a.agent, this.compactions).next();
      if (draw >= c.forgetProbability) continue;
      // The orchestrator believes the task was never dispatched: it will dispatch it again.
      a.forgotten = true;
      // Its timer, if the orchestrator kept it only in its context, goes with the handle.
      if (!this.watchdog && a.deadline !== null) {
        a.deadline.cancel();
        a.deadline = null;
      }
      this.untrack(a);
      this.forgets++;
      this.tasks.forgotten[a.task] = 1;
      this.facts.forgot(this.sim.now, a);
      this.open(a.task);
      if (this.watchdog) this.watch(a);
    }
    this.observeContext(); // the forgotten handles left it
  }

  /**
   * The runtime's watchdog keeps a forgotten subagent's deadline. With events its timer
   * runs on (now the watchdog's); a queued one gets its timer when it starts; with polling,
   * whose timeouts are the orchestrator's checks, a running one gets a timer for what is
   * left of its time, or is cancelled at once if its deadline passed before a check saw it.
   */
  private watch(a: Attempt): void {
    if (a.state !== 'running' || a.deadline !== null) return;
    const deadline = a.startedAt + this.settings.timeout;
    const left = deadline - this.sim.now;
    if (left > 0) {
      a.deadline = this.sim.timeout(left, 'deadline', a).onProcessed(this.onDeadline);
    } else if (a.endsAt !== this.sim.now) {
      this.cancel(a, 'watchdog', this.sim.now - a.startedAt);
    }
  }

  // ---- tasks ----

  private isDispatchable(task: number): boolean {
    const t = this.tasks;
    return t.status[task] === OPEN && t.handle[task] === null && t.buffered[task] === 0;
  }

  /** A ready-queue entry counts if it is its task's latest and the task can be dispatched. */
  private isReadyEntry(task: number, position: number): boolean {
    return this.tasks.readyAt[task] === position && this.isDispatchable(task);
  }

  private open(taskId: number): void {
    this.tasks.status[taskId] = OPEN;
    this.tasks.readyAt[taskId] = this.readyQueue.push(taskId);
  }

  /**
   * The probability model of docs/model.md, "Quality", with one uniform so that worlds stay coupled
   * across strategies.
   */
  private judge(a: Attempt): boolean {
    const q = this.world.quality;
    let pRight = 1 - (1 - q.base) * Math.exp(-q.learningRate * a.processedAtDispatch);
    if (a.denied) pRight *= 1 - q.deniedPenalty;
    if (this.tasks.wrongUpstream[a.task] === 1) pRight *= 1 - q.propagation;
    return a.correctnessDraw < pRight;
  }

  private succeed(taskId: number, a: Attempt, correct: boolean): void {
    const tasks = this.tasks;
    tasks.resolve(taskId, DONE);
    this.facts.succeeded(this.sim.now, taskId, a, correct);
    const dependents = this.graph.dependents[taskId]!;
    for (let i = 0; i < dependents.length; i++) {
      const d = dependents[i]!;
      if (!correct) tasks.wrongUpstream[d] = 1;
      if (--tasks.unprocessedDeps[d]! === 0 && tasks.status[d] === WAITING) this.open(d);
    }
  }

  /** Gives a task up, and with it every task that (transitively) needs it. */
  private giveUp(taskId: number, reason: 'retries-exhausted'): void {
    const stack: [number, 'retries-exhausted' | 'upstream-given-up'][] = [[taskId, reason]];
    while (stack.length > 0) {
      const [id, why] = stack.pop()!;
      const tasks = this.tasks;
      if (tasks.isResolved(id)) continue;
      tasks.resolve(id, GIVEN_UP);
      this.facts.givenUp(this.sim.now, id, why, tasks.attempts[id]!);
      for (const d of this.graph.dependents[id]!) stack.push([d, 'upstream-given-up']);
    }
  }

  // ---- time ----

  /**
   * The orchestrator starts doing `kind` for `seconds` (> 0: zero costs take no event);
   * `idleAgain` ends it. Every paid step (`pay`, the actions) goes through the two, by way
   * of the ActionStep, which holds for the seconds in between.
   */
  private busy(kind: ActivityKind, seconds: number): number {
    this.activity = kind;
    this.activityStart = this.sim.now;
    this.activitySeconds = seconds;
    return seconds;
  }

  private idleAgain(): void {
    this.facts.busy(this.sim.now, this.activity, this.activityStart, this.activitySeconds);
  }

  /** Waits for `wait` (seconds, or an event), doing nothing. */
  private *idle(wait: Yieldable): ProcessGenerator<void> {
    const start = this.sim.now;
    yield wait;
    this.facts.idle(this.sim.now, start);
  }

  /** States the context's size after a change. */
  private observeContext(): void {
    this.facts.context(this.sim.now, this.context.tokens);
  }
}
