/**
 * The orchestrator model (docs/model.md, "The orchestrator"): a single server that dispatches
 * subagents, learns of their ends, processes their results and synthesizes, each action
 * costing time. This is the side strategies drive, through the Orchestrator interface
 * (strategy.ts); the rest lives in rooms of its own:
 *
 *   task-life.ts             which tasks are ready, out, judged, succeeded or given up
 *   subagent-runtime.ts      the world: attempts, WIP slots, deadlines, cancellations
 *   inbox.ts, continuation.ts   notices, poll rounds, failures retried, results buffered
 *   orchestrator-context.ts  the context window and compaction (forgotten handles)
 *
 * Between actions the orchestrator does its housekeeping, in this order: a poll round if
 * one is due (polling), the notices in its inbox in arrival order (results are buffered;
 * failures are detected and retried or given up; permission requests are answered), and a
 * compaction if the context is over budget; after a poll round that ran into the next
 * one's due time, the inbox and the context go first. Timeouts, retries and resumption
 * are handled there, so every strategy gets them the same way.
 *
 * What the orchestrator *believes* (its registry of handles) is kept apart from what the
 * world *is* (the attempts and their processes): with a volatile registry a compaction
 * can make it forget a handle, and the difference is exactly a ghost agent.
 */
import type { ProcessGenerator } from '../sim/process.js';
import { type Seed, StreamFactory, type StreamFamily } from '../sim/random.js';
import type { Simulation } from '../sim/simulation.js';
import { type Action, ActionStep, type Effect, maxActionsPerInstant } from './action.js';
import { Attempt } from './attempt.js';
import type { WorldConfig } from './config.js';
import { Continuation } from './continuation.js';
import type { TaskGraph } from './dependencies.js';
import type { DeclaredSpawn, RunFacts } from './facts.js';
import type { Fifo } from './fifo.js';
import { HandleRegistry } from './handle-registry.js';
import { Inbox } from './inbox.js';
import type { ActivityKind } from './metrics.js';
import { OrchestratorContext } from './orchestrator-context.js';
import type { DispatchSettings } from './settings.js';
import type { Orchestrator, Result, Strategy } from './strategy.js';
import { SubagentRuntime } from './subagent-runtime.js';
import { TaskLife } from './task-life.js';

export class ModelOrchestrator implements Orchestrator {
  private readonly tasks: TaskLife;
  private readonly inbox: Inbox;
  private readonly runtime: SubagentRuntime;
  private readonly context: OrchestratorContext;
  private readonly continuation: Continuation;
  /** The buffer of results received, not yet handed to the strategy (the continuation's). */
  private readonly results: Fifo<Attempt>;
  /** The iterator of the actions that are a paid step or an immediate answer. */
  private readonly step = new ActionStep({
    busy: (kind, seconds) => this.busy(kind, seconds),
    idleAgain: () => this.idleAgain(),
    afterPaid: (effect, subject) => this.afterPaid(effect, subject),
    now: () => this.sim.now,
  });
  /**
   * Turns cost nothing (the default): a turn is then only stated, with no action to
   * `yield*` (which would cost the waits of the hottest loops a step each).
   */
  private readonly freeTurns: boolean;
  /** Turns drawn so far, and their streams (a turn cost drawn from a distribution only). */
  private turnsTaken = 0;
  private turnStreams: StreamFamily | null = null;
  /** The activity in progress (see busy / idleAgain). */
  private activity: ActivityKind = 'dispatch';
  private activityStart = 0;
  private activitySeconds = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly world: WorldConfig,
    private readonly settings: DispatchSettings,
    private readonly seed: Seed,
    graph: TaskGraph,
    private readonly facts: RunFacts,
  ) {
    this.freeTurns = world.orchestrator.turn === 0;
    // A run starts a few actions per task at one instant at most (all dispatched at once
    // when dispatching is free, then all processed): room for ten per task.
    this.step.maxPerInstant = Math.max(maxActionsPerInstant, 10 * graph.count);
    const pay = (kind: ActivityKind, seconds: number) => this.pay(kind, seconds);
    this.tasks = new TaskLife(
      sim,
      graph,
      world.quality,
      settings.validation ?? world.quality.validation,
      new HandleRegistry(),
      facts,
    );
    this.inbox = new Inbox(sim, settings.continuation.kind === 'polling');
    this.runtime = new SubagentRuntime(
      sim,
      world,
      settings,
      seed,
      this.tasks.table,
      facts,
      this.inbox,
    );
    this.context = new OrchestratorContext(
      sim,
      world.context,
      settings,
      seed,
      this.tasks,
      this.runtime,
      facts,
      pay,
    );
    this.continuation = new Continuation(
      sim,
      world,
      settings,
      this.inbox,
      this.tasks,
      this.runtime,
      this.context,
      facts,
      { pay, retry: (task) => this.spawn(task, true) },
    );
    this.results = this.continuation.results;
  }

  // ---- what a strategy can see ----

  get now(): number {
    return this.sim.now;
  }

  /** Every task has succeeded or been given up. */
  get finished(): boolean {
    return this.tasks.table.resolvedCount === this.tasks.table.count;
  }

  /** Tasks succeeded or given up so far (for the run's outcome, not for strategies). */
  get resolvedTasks(): number {
    return this.tasks.table.resolvedCount;
  }

  /** Results received and not yet processed, handed to the strategy or not (for the run's outcome). */
  get unprocessedResults(): number {
    const buffered = this.tasks.table.buffered;
    let n = 0;
    for (let i = 0; i < buffered.length; i++) n += buffered[i]!;
    return n;
  }

  /** Tasks the orchestrator believes are out (dispatched, outcome not yet known). */
  get outstanding(): number {
    return this.tasks.tracked.size;
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
    return this.tasks.readyTasks(limit);
  }

  // ---- actions ----
  // Each is "chores first, if any need time; then the action": the chores run in a
  // generator (afterChores), the action itself on the shared step when it is a paid step
  // or an immediate answer (see action.ts).

  /** Pays `dispatch` and requests a subagent for the task. Returns false (at no cost) if the task is no longer dispatchable. */
  dispatch(task: number): Action<boolean> {
    if (this.doInstantChores()) return this.afterChores(() => this.dispatch(task));
    if (!this.tasks.isDispatchable(task)) return this.step.returning(false);
    // Nothing changes a task while the orchestrator is busy: no second check after this.
    return this.step.pay('dispatch', this.world.orchestrator.dispatch, 'spawn', task);
  }

  plan(): Action<void> {
    if (this.doInstantChores()) return this.afterChores(() => this.plan());
    return this.step.pay('plan', this.world.orchestrator.plan, 'planned', undefined);
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
    return this.step.pay(
      'synthesize',
      this.world.orchestrator.synthesize,
      'synthesized',
      undefined,
    );
  }

  /**
   * The foreground join: idles until every task it dispatched has an outcome (failures
   * are retried meanwhile, permission requests answered), then returns the results in
   * arrival order.
   */
  *awaitAll(): ProcessGenerator<Result[]> {
    for (;;) {
      if (this.doInstantChores()) yield* this.housekeeping();
      if (this.tasks.tracked.size === 0) break;
      const wait = this.continuation.idleUntil();
      if (wait !== null) {
        const since = this.sim.now;
        yield wait;
        this.facts.idle(this.sim.now, since);
        // Results the join collects by itself: the orchestrator wakes when it returns, or
        // for what needs it (a failure to dispatch again, a permission request, a poll).
        this.continuation.takeInstantNotices();
        if (this.inbox.length > 0 || this.continuation.pollDue() || this.tasks.tracked.size === 0) {
          if (this.freeTurns) this.facts.turn(this.sim.now, this.context.tokens);
          else yield* this.turn();
        }
      }
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
    const forgets = this.context.forgets;
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
    if (this.tasks.tracked.size === 0 || this.context.forgets !== forgetsBefore) {
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
      const wait = this.continuation.idleUntil();
      if (wait !== null) {
        // Waited for here rather than in a generator of its own: one fewer per wait.
        const since = this.sim.now;
        yield wait;
        this.facts.idle(this.sim.now, since);
        // What woke it is read in the turn: results in its context already. A ghost's end
        // alone (its notice dropped) leaves it nothing to do: no turn, as in a join. The
        // buffer was empty when the wait began, so what it holds now arrived in the wait.
        this.continuation.takeInstantNotices();
        if (this.results.length > 0 || this.inbox.length > 0 || this.continuation.pollDue()) {
          if (this.freeTurns) this.facts.turn(this.sim.now, this.context.tokens);
          else yield* this.turn();
        }
      }
      if (this.doInstantChores()) yield* this.housekeeping();
      if (this.results.length > 0) return this.results.shift();
      if (this.tasks.tracked.size === 0) return undefined;
      if (this.context.forgets !== forgetsBefore) return undefined;
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
      case 'planned':
        this.facts.planned(this.sim.now);
        return undefined;
      case 'synthesized':
        this.facts.synthesized(this.sim.now);
        return undefined;
      case 'nothing':
        return undefined;
    }
  }

  /** What processing a result does, once it is paid for. */
  private processed(a: Attempt): void {
    a.consumed = true;
    this.tasks.judgeResult(a);
    this.context.summarized(); // the facts first, then the context they changed
  }

  // ---- turns ----

  /**
   * The strategy's program, after the run's first turn. When turns cost nothing, the
   * program itself: a generator around it would be one more frame at every resumption of
   * the orchestrator.
   */
  program(strategy: Strategy): ProcessGenerator<void> {
    if (this.freeTurns) {
      this.facts.turn(this.sim.now, this.context.tokens);
      return strategy.run(this);
    }
    return this.turnThen(strategy);
  }

  private *turnThen(strategy: Strategy): ProcessGenerator<void> {
    yield* this.turn();
    yield* strategy.run(this);
  }

  /**
   * A turn: a model call that re-reads the context, paying `turn`. Taken at the start of
   * the run and whenever the orchestrator, having waited, has something to do: results or
   * notices arrived (in the foreground join: it returns, or a failure or a permission
   * request needs it), or a poll round is due. A wake-up with nothing to do (polling's,
   * when a tracked subagent starts; a forgotten subagent's end, its notice dropped) is the
   * model's, not the orchestrator's: no turn. Notices that arrive while it works, or at
   * the instant it would start waiting, are handled in the turn it is in.
   */
  private turn(): Action<void> {
    this.facts.turn(this.sim.now, this.context.tokens);
    const cost = this.world.orchestrator.turn;
    if (typeof cost === 'number') return this.pay('turn', cost);
    this.turnStreams ??= new StreamFactory(this.seed).family('turn');
    // The stream (seed, "turn", n), in the family's one reused object: sampled at once.
    return this.pay('turn', cost.sample(this.turnStreams.reuse1(this.turnsTaken++)));
  }

  // ---- housekeeping ----

  /**
   * Does at once the chores that take no orchestrator time, and returns true if chores
   * that take time remain (for `housekeeping`): the common case then needs no generator.
   * Housekeeping's order holds: it puts a due poll round before notices, but with polling
   * the inbox never holds a notice that takes no time (see takeInstantNotices).
   */
  private doInstantChores(): boolean {
    const c = this.continuation;
    c.takeInstantNotices();
    if (c.pollDue() && !c.pollRoundAtOnce()) return true;
    return this.inbox.length > 0 || this.context.needsCompaction;
  }

  private *housekeeping(): ProcessGenerator<void> {
    const c = this.continuation;
    for (;;) {
      // A due poll round comes first, unless one has just ended: then the inbox and the
      // context have their turn, or rounds longer than the interval would starve them.
      if (c.pollDue() && !c.justPolled) {
        yield* c.pollRound();
        continue;
      }
      c.takeInstantNotices();
      const notice = this.inbox.shift();
      if (notice !== undefined) {
        yield* c.handle(notice);
        continue;
      }
      if (this.context.needsCompaction) {
        yield* this.context.compact();
        continue;
      }
      if (c.pollDue()) {
        yield* c.pollRound(); // back to back with the last
        continue;
      }
      return;
    }
  }

  // ---- dispatching ----

  /** Requests a subagent for the task (its `dispatch` is already paid). */
  private spawn(taskId: number, retry: boolean): void {
    const table = this.tasks.table;
    const attemptNo = table.attempts[taskId]!++;
    // An orchestrator that forgot the task's handle believes it never dispatched it, and
    // says "first": that this duplicates an attempt that may be live is for the judges.
    const reason: DeclaredSpawn = retry
      ? 'retry'
      : attemptNo === 0 || table.forgotten[taskId] === 1
        ? 'first'
        : 'redispatch';
    table.forgotten[taskId] = 0;
    const a = this.runtime.attempt(
      taskId,
      attemptNo,
      this.tasks.processed,
      retry && this.settings.resume,
    );
    this.continuation.handleGoingOut();
    this.tasks.track(a);
    this.facts.spawned(this.sim.now, a, reason);
    this.context.observe();
    this.runtime.request(a);
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
}
