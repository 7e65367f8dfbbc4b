/**
 * What every runtime of the harness shares: the simulated subagents of a scenario's world,
 * the orchestrator's own time, its context window, and the run's facts.
 *
 * Subagents: attempt k of task t draws its fate, latency and dice from the stream
 * (seed, "attempt", t, k) exactly as the model does (src/model/attempt-draws.ts), so real
 * code and a built-in strategy meet the same world on the same seed. A subagent's end is
 * a timer on the fake clock the harness drives (run-orchestrator.ts); a hang has none and
 * never ends unless cancelled.
 *
 * The orchestrator's time: the code spends it through `work`, one call at a time, as a
 * single-threaded orchestrator does. It pays a turn (docs/model.md, "Turns") at the start
 * of the run and whenever a call finds it waiting: that is, when the code resumes from an
 * await that took simulated time. A compaction runs, when the context is over budget,
 * before the next call that finds it so.
 *
 * Facts: every fact is stated through the model's RunFacts, at the instant it happens,
 * to the model's own trace recorder and metrics. The trace is format v1 and the metrics are
 * the model's, so the invariants, compare and the reports take a harness run as they take
 * a simulated one.
 */

import type { Scheduler } from 'fast-check';
import { type Attempt, Attempt as AttemptImpl } from '../model/attempt.js';
import { drawAttempt } from '../model/attempt-draws.js';
import { AttemptTable } from '../model/attempt-table.js';
import type { WorldConfig } from '../model/config.js';
import { ContextWindow } from '../model/context-window.js';
import { buildTaskGraph } from '../model/dependencies.js';
import type { ActivityKind, RunMetrics, RunOutcome } from '../model/metrics.js';
import { MetricsCollector } from '../model/metrics.js';
import type { DispatchSettings } from '../model/settings.js';
import type { StrategyDescription } from '../model/strategy.js';
import { resultIsCorrect, validationCatches } from '../model/task-life.js';
import { TraceRecorder, type TraceSource, traceHeader } from '../model/trace-recorder.js';
import type { ModelTrace, ModelTraceRecord } from '../model/trace-records.js';
import {
  type DeclaredSettings,
  declaredDispatchSettings,
} from '../scenario/orchestrator-module.js';
import { type Seed, StreamFactory, type StreamFamily } from '../sim/random.js';
import { MemoryTrace } from '../sim/trace.js';

/**
 * What the code declares about how it dispatches: the trace header's `settings`. Defined
 * in the scenario layer, which reads it from orchestrator modules and sits below this one.
 */
export type HarnessSettings = DeclaredSettings;

/** The kinds of the orchestrator's own work that the code spends (a subset of the trace's `busy` kinds). */
export type WorkKind = 'dispatch' | 'plan' | 'process' | 'poll' | 'synthesize' | 'answer';

/** The world's orchestrator costs, in seconds, for the code to spend through `work`. */
export interface HarnessCosts {
  readonly dispatch: number;
  readonly plan: number;
  readonly process: number;
  readonly poll: number;
  readonly synthesize: number;
}

/** The code used the runtime in a way no orchestrator can (an unknown id, a result it never got). */
export class HarnessUsageError extends Error {
  override name = 'HarnessUsageError';
}

/** The fake clock as the runtime needs it: the harness's installed clock. */
export interface RuntimeClock {
  readonly now: number;
  setTimeout(callback: () => void, ms: number): unknown;
}

/** Milliseconds: the fake clock's unit. Every simulated duration is rounded to it. */
export const ms = (seconds: number): number => Math.round(seconds * 1000);

/**
 * The clock's millisecond for an instant of the world's (a subagent's end, a deadline),
 * in seconds: the first one at or after it (a float error of a nanosecond aside). Up,
 * never down, so that an end the model has just after an instant of the orchestrator's
 * stays after it: the orchestrator's instants fall on whole milliseconds when its costs
 * do, and a poll check at 290 s must not see an end due at 290.0004 s.
 */
export const instantMs = (seconds: number): number => Math.ceil(seconds * 1000 - 1e-6);

/** What the code knows of a subagent. */
export type Knowledge =
  /** Nothing yet: it runs, or ended and the code has not been told. */
  | 'none'
  /** Its result reached the code. */
  | 'result'
  /** The code processed its result. */
  | 'processed'
  /** The code learned that it failed (error, timeout, its own cancel). */
  | 'failure';

/** One subagent: a model attempt and what the harness keeps beside it. */
export interface HarnessAgent {
  readonly attempt: Attempt;
  /** The id the code refers to it by. */
  readonly id: string;
  knowledge: Knowledge;
  /** Called once it ends by itself (ok or error), after the fact is stated. */
  readonly onEnd: ((agent: HarnessAgent) => void) | null;
}

export interface RunEnd {
  readonly outcome: RunOutcome;
  readonly makespan: number;
  readonly metrics: RunMetrics;
}

/** A work call waiting for its turn to run. */
interface WorkStep {
  readonly kind: WorkKind;
  readonly seconds: number;
  readonly consumed: HarnessAgent | null;
  readonly resolve: (accepted: boolean) => void;
  readonly reject: (error: unknown) => void;
}

export class SimulatedRun {
  readonly tasks: number;
  readonly settings: DispatchSettings;
  readonly trace = new MemoryTrace<ModelTraceRecord>();
  private readonly metrics: MetricsCollector;
  private readonly facts: TraceRecorder;
  private readonly agents: HarnessAgent[] = [];
  private readonly numbers = new AttemptTable();
  private readonly attemptStreams: StreamFamily;
  private turnStreams: StreamFamily | null = null;
  private turnsTaken = 0;
  /** Per task: attempts spawned, and why the next one would be dispatched. */
  private readonly spawns: number[];
  private readonly next: ('first' | 'retry' | 'redispatch')[];
  private readonly resolved: boolean[];
  private readonly redispatches: number[];
  private processedCount = 0;
  /** The handles the code holds in its context: subagents it has not yet heard the end of. */
  private readonly held = new Set<HarnessAgent>();
  private readonly window: ContextWindow;
  /**
   * Work calls run one after another, in the order asked (`queued`), except the code's
   * reaction to a notice (`reactions`), which comes before the calls it had queued: the
   * model's housekeeping retries a failure before the next action begins.
   */
  private readonly queued: WorkStep[] = [];
  private readonly reactions: WorkStep[] = [];
  /** The loop that runs the steps and the notices is running. */
  private pumping = false;
  /**
   * Notices that need the orchestrator (a permission request to answer, a foreground
   * failure), in arrival order: handled between its actions, before the next one begins,
   * as the model's housekeeping handles its inbox (docs/model.md, "The orchestrator").
   */
  private readonly notices: {
    readonly handle: () => Promise<void> | void;
    readonly tells: boolean;
  }[] = [];
  /**
   * A notice told the code something (a failure): the next waits until the code has
   * reacted, so that what it asks for at once (a retry's dispatch) comes first, as the
   * model's housekeeping handles each notice whole before the next.
   */
  private awaitingReaction = false;
  private working = false;
  /** Subagents started and not yet ended or cancelled: the slots in use. */
  private inFlight = 0;
  /** With `queueBeyondWip`: subagents waiting for a slot, first in first out, from `waitingHead`. */
  private readonly waiting: HarnessAgent[] = [];
  private waitingHead = 0;
  private readonly queueBeyondWip: boolean;
  /** When the orchestrator last stopped working, in ms: an idle interval runs from here. */
  private idleSince = 0;
  /** Set once the run is over: later facts (a timer left behind) are not the run's. */
  private closed = false;
  private readonly compactionListeners: ((n: number) => void)[] = [];
  private readonly denialListeners: ((agent: HarnessAgent) => void)[] = [];
  private compactions = 0;

  constructor(
    private readonly clock: RuntimeClock,
    readonly world: WorldConfig,
    private readonly seed: Seed,
    tasks: number,
    declared: HarnessSettings,
    label: string,
    description: StrategyDescription | undefined,
    source: TraceSource | null,
  ) {
    this.tasks = tasks;
    this.settings = declaredDispatchSettings(declared);
    this.queueBeyondWip = declared.queueBeyondWip === true;
    this.spawns = new Array<number>(tasks).fill(0);
    this.redispatches = new Array<number>(tasks).fill(0);
    this.next = new Array<'first' | 'retry' | 'redispatch'>(tasks).fill('first');
    this.resolved = new Array<boolean>(tasks).fill(false);
    this.attemptStreams = new StreamFactory(seed).family('attempt');
    this.window = new ContextWindow(world.context, this.held);
    this.metrics = new MetricsCollector(tasks, world.context.base, world.tokens, world.prices);
    const graph = buildTaskGraph(tasks, { shape: 'none' }, seed);
    const header = traceHeader(
      world,
      { label, settings: this.settings, description },
      seed,
      graph,
      source,
    );
    // Once the run has ended, what the code's leftover continuations still do (a check,
    // a cancel at the same instant) is not the run's: the trace takes no record after its
    // `run.end`.
    const trace = this.trace;
    const untilTheEnd: ModelTrace = {
      enabled: true,
      write: (record) => {
        if (!this.closed) trace.write(record);
      },
      close: () => {},
    };
    this.facts = new TraceRecorder(this.metrics, untilTheEnd, header);
  }

  get records(): readonly ModelTraceRecord[] {
    return this.trace.records;
  }

  /** Seconds since the run began. */
  get now(): number {
    return this.clock.now / 1000;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get costs(): HarnessCosts {
    const c = this.world.orchestrator;
    return {
      dispatch: c.dispatch,
      plan: c.plan,
      process: c.process,
      poll: c.poll,
      synthesize: c.synthesize,
    };
  }

  /** Compactions so far. */
  get compactionCount(): number {
    return this.compactions;
  }

  /** Called after each compaction with the number of compactions so far. */
  onCompaction(listener: (n: number) => void): void {
    this.compactionListeners.push(listener);
  }

  /**
   * Called when a background subagent's permission request is denied, after the fact is
   * stated: the events runtime tells the code's monitor, as a background runtime reports
   * a subagent's progress.
   */
  onPermissionDenied(listener: (agent: HarnessAgent) => void): void {
    this.denialListeners.push(listener);
  }

  agent(id: string): HarnessAgent {
    const a = this.byId.get(id);
    if (a === undefined)
      throw new HarnessUsageError(`no subagent has the id ${JSON.stringify(id)}`);
    return a;
  }

  private readonly byId = new Map<string, HarnessAgent>();

  get all(): readonly HarnessAgent[] {
    return this.agents;
  }

  // ---- subagents ----

  /**
   * Starts a subagent on `task`: at once, or, when the runtime keeps the WIP limit
   * (`queueBeyondWip`) and every slot is taken, the instant one frees. Otherwise the harness
   * has no WIP queue: a limit is the code's to keep. `onStart` is called when it starts.
   */
  dispatch(
    task: number,
    onEnd: ((agent: HarnessAgent) => void) | null,
    what: string,
    onStart?: (agent: HarnessAgent, at: number) => void,
  ): HarnessAgent {
    if (this.closed) throw new HarnessUsageError(`${what} after the orchestrator returned`);
    if (!Number.isInteger(task) || task < 0 || task >= this.tasks) {
      throw new HarnessUsageError(
        `${what}: no task ${task}; tasks are numbered 0 to ${this.tasks - 1}`,
      );
    }
    if (this.resolved[task]) {
      throw new HarnessUsageError(`${what}: task ${task} is resolved already`);
    }
    const attemptNo = this.spawns[task]!;
    this.spawns[task] = attemptNo + 1;
    const reason = this.next[task]!;
    this.next[task] = 'first';
    const attempt: Attempt = new AttemptImpl(
      this.agents.length,
      task,
      attemptNo,
      this.processedCount,
      false,
      this.numbers,
    );
    const agent: HarnessAgent = {
      attempt,
      id: `task-${task}-attempt-${attemptNo}`,
      knowledge: 'none',
      onEnd,
    };
    this.agents.push(agent);
    this.byId.set(agent.id, agent);
    this.facts.spawned(this.now, attempt, reason);
    if (this.queueBeyondWip && this.inFlight >= this.settings.wip) {
      this.waiting.push(agent);
      this.waitingStarts.set(agent, onStart);
    } else {
      this.start(agent, onStart, this.now);
    }
    this.held.add(agent);
    this.observeContext();
    return agent;
  }

  /** Hooks of the subagents waiting for a slot, called when they start. */
  private readonly waitingStarts = new Map<
    HarnessAgent,
    ((agent: HarnessAgent, at: number) => void) | undefined
  >();

  /**
   * The subagent takes a slot and begins its work, drawn from its own stream, at `at`
   * seconds: the world's own instant, which the clock shows on a whole millisecond.
   * The world's instants are kept unrounded, and only each timer's instant is rounded, so
   * that a chain of subagents handing a slot on (an end starts the next) drifts by no more
   * than one rounding, however long it is.
   */
  private start(
    agent: HarnessAgent,
    onStart: ((agent: HarnessAgent, at: number) => void) | undefined,
    at: number,
  ): void {
    const attempt = agent.attempt;
    this.inFlight++;
    const draws = drawAttempt(
      this.attemptStreams,
      attempt.task,
      attempt.attemptNo,
      this.world.subagents.latency,
      this.world.subagents.failures,
    );
    attempt.begin(this.now, draws, 0);
    this.facts.started(this.now, attempt);
    if (attempt.fate !== 'hang') {
      const work = attempt.work;
      if (attempt.fate === 'needs-permission') {
        // As the model's subagent: it asks after `before` of its work, then does the rest.
        const before = work * attempt.permissionPoint;
        this.timerAt(at + before, () => this.needsPermission(agent, at + before, work - before));
      } else {
        this.timerAt(at + work, () => this.end(agent, at + work));
      }
    }
    // After its end's timer: a deadline set here that falls on the end fires after it.
    onStart?.(agent, at);
  }

  /** A timer at `at` seconds of world time, on the clock's next millisecond (instantMs). */
  private timerAt(at: number, callback: () => void): void {
    this.clock.setTimeout(callback, Math.max(0, instantMs(at) - this.clock.now));
  }

  /** A slot frees at `at` (an end, a cancel): the oldest subagent waiting for one starts then. */
  private release(at: number): void {
    this.inFlight--;
    if (this.closed || this.waitingHead === this.waiting.length) return;
    const next = this.waiting[this.waitingHead]!;
    // Dropped as it leaves: a long queue is not kept whole for the run.
    this.waiting[this.waitingHead++] = undefined as unknown as HarnessAgent;
    const onStart = this.waitingStarts.get(next);
    this.waitingStarts.delete(next);
    this.start(next, onStart, at);
  }

  /** `agent` needs a permission at `at` seconds, with `rest` seconds of work left after it. */
  private needsPermission(agent: HarnessAgent, at: number, rest: number): void {
    const a = agent.attempt;
    if (a.state !== 'running' || this.closed) return;
    if (this.settings.mode === 'background') {
      a.denied = true;
      this.facts.permission(this.now, a, 'denied');
      for (const listener of this.denialListeners) listener(agent);
      this.timerAt(at + rest, () => this.end(agent, at + rest));
      return;
    }
    // Foreground: the request comes to the orchestrator, which answers it in its own time
    // (between its actions, a turn first if it was waiting); the subagent waits for the answer.
    this.facts.permission(this.now, a, 'asked');
    const asked = this.now;
    this.notice(async () => {
      if (a.state !== 'running') return; // cancelled while it waited: nobody to answer
      await this.busy('answer', this.world.orchestrator.answer);
      if (this.closed) return;
      // Answered, as the model states it, even if its deadline cancelled it meanwhile: the
      // orchestrator wrote the answer; it reaches nobody.
      this.facts.answered(this.now, a);
      if (a.state !== 'running') return;
      a.paused += this.now - asked;
      const answered = this.now;
      this.timerAt(answered + rest, () => this.end(agent, answered + rest));
    });
  }

  /** `agent` ends by itself at `at` seconds (the clock shows it rounded). */
  private end(agent: HarnessAgent, at: number): void {
    const a = agent.attempt;
    if (a.state !== 'running' || this.closed) return;
    a.state = 'ended';
    a.endedAt = this.now;
    this.facts.ended(this.now, a, a.work + a.paused);
    // The slot frees before anyone hears of the end, as the model's runtime frees it.
    this.release(at);
    const onEnd = agent.onEnd;
    if (onEnd === null) return;
    const news = this.newsOrder;
    if (news === null) {
      onEnd(agent);
      return;
    }
    // The order in which the ends of one instant reach the code is the scheduler's to pick.
    void news.schedule(Promise.resolve(agent), agent.id).then((a) => {
      if (!this.closed) onEnd(a);
    });
  }

  /**
   * Hands the order in which the subagent ends of one instant reach the code (a foreground
   * call's settling, an event's entering the stream) to fast-check's scheduler, so that a
   * property explores every interleaving of them (run-orchestrator.ts releases them).
   */
  orderNewsBy(scheduler: Scheduler): void {
    this.newsOrder = scheduler;
  }

  private newsOrder: Scheduler | null = null;

  /** Cancels a running subagent: the code's own timeout (or the polling runtime's, for it). */
  cancel(agent: HarnessAgent, failedAt: number): void {
    this.stop(agent);
    this.failureKnown(agent, 'timeout', failedAt);
  }

  /**
   * Cancels a running subagent at its deadline, the code to learn of it later
   * (`failureKnown`): a foreground call's timeout is a notice the orchestrator handles in
   * its own time, as the model's join handles its timer's.
   */
  stop(agent: HarnessAgent): void {
    const a = agent.attempt;
    const wasRunning = a.state === 'running';
    a.state = 'cancelled';
    a.endedAt = this.now;
    this.facts.cancelled(this.now, a, 'timeout', this.now - a.startedAt);
    if (wasRunning) this.release(this.now);
  }

  /**
   * The code cancelled a subagent that had ended and whose end it had not yet heard of:
   * as real runtimes do, the cancel is recorded, and the result is lost to the code. The
   * world had ended it, so the metrics are not told (its slot was freed at its end); the
   * trace shows a cancel that raced the end, which the invariants catch.
   */
  cancelAfterEnd(agent: HarnessAgent): void {
    if (this.closed) return;
    agent.knowledge = 'failure';
    this.next[agent.attempt.task] = 'retry';
    this.held.delete(agent);
    this.trace.write({
      t: this.now,
      type: 'cancel',
      agent: agent.attempt.agent,
      reason: 'timeout',
    });
  }

  /** The code got `agent`'s result: it is in its context in full until processed. */
  delivered(agent: HarnessAgent): void {
    agent.knowledge = 'result';
    this.facts.delivered(this.now, agent.attempt);
    this.held.delete(agent);
    this.window.resultArrived();
    this.observeContext();
  }

  /** The code learned that `agent` failed, which happened at `failedAt` seconds. */
  failureKnown(agent: HarnessAgent, failure: 'error' | 'timeout', failedAt: number): void {
    agent.knowledge = 'failure';
    this.next[agent.attempt.task] = 'retry';
    this.facts.failureKnown(this.now, agent.attempt, failure, failedAt);
    this.held.delete(agent);
    this.observeContext();
  }

  /** A fact for each check the polling runtime makes. */
  polled(agent: HarnessAgent, status: 'running' | 'overdue' | 'ended'): void {
    this.facts.polled(this.now, agent.attempt, status);
  }

  giveUp(task: number): void {
    if (this.closed) throw new HarnessUsageError('giveUp() after the orchestrator returned');
    if (!Number.isInteger(task) || task < 0 || task >= this.tasks) {
      throw new HarnessUsageError(`giveUp: no task ${task}`);
    }
    if (this.resolved[task]) return;
    this.resolved[task] = true;
    this.facts.givenUp(this.now, task, 'retries-exhausted', this.spawns[task]!);
  }

  // ---- the orchestrator's time ----

  /**
   * Spends `seconds` of the orchestrator's time on `kind`, after the calls made before it.
   * `process` names the subagent whose result it consumes; it resolves to false when
   * validation caught the result wrong (the task is open again: dispatch it anew).
   */
  work(kind: WorkKind, seconds: number, consumed: HarnessAgent | null): Promise<boolean> {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new HarnessUsageError(`work("${kind}") takes seconds ≥ 0, got ${seconds}`);
    }
    if (kind === 'process') {
      if (consumed === null) {
        throw new HarnessUsageError('work("process") names the task id whose result it consumes');
      }
      if (consumed.knowledge !== 'result') {
        throw new HarnessUsageError(
          `processing ${consumed.id}, whose result the code was never given: it cannot have it`,
        );
      }
    }
    return this.spend(kind, seconds, consumed);
  }

  private spend(kind: WorkKind, seconds: number, consumed: HarnessAgent | null): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const step: WorkStep = { kind, seconds, consumed, resolve, reject };
      (this.awaitingReaction ? this.reactions : this.queued).push(step);
      void this.pump();
    });
  }

  /**
   * Runs the orchestrator's time, one thing after another: the code's reaction to a
   * notice, then the notices that arrived (a turn first if it was waiting), then the work
   * calls in the order asked. It pauses while the code reacts to a notice.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.awaitingReaction) {
        if (this.reactions.length === 0 && this.notices.length > 0 && !this.closed) {
          await this.wake();
          continue;
        }
        const step = this.reactions.shift() ?? this.queued.shift();
        if (step === undefined) break;
        // A failed step does not stop the others; its caller sees the failure.
        await this.act(step.kind, step.seconds, step.consumed).then(step.resolve, step.reject);
        // The caller's continuation (a dispatch's subagent) runs before the next step begins.
        await Promise.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The turn the run starts with. */
  async begin(): Promise<void> {
    this.working = true;
    await this.turn();
    this.stopWorking();
  }

  private async act(
    kind: WorkKind,
    seconds: number,
    consumed: HarnessAgent | null,
  ): Promise<boolean> {
    if (this.closed) return true;
    this.working = true;
    const from = this.clock.now;
    if (from > this.idleSince) {
      // Resumed from waiting: the orchestrator's idle ends with a turn.
      this.facts.idle(this.now, this.idleSince / 1000);
      await this.turn();
    }
    if (this.window.needsCompaction) await this.compact();
    if (consumed !== null) this.facts.processStarted(this.now, consumed.attempt);
    await this.busy(kind, seconds);
    let accepted = true;
    if (!this.closed) {
      if (consumed !== null) accepted = this.judge(consumed);
      else if (kind === 'plan') this.facts.planned(this.now);
      else if (kind === 'synthesize') this.facts.synthesized(this.now);
    }
    this.stopWorking();
    return accepted;
  }

  /**
   * A notice that needs the orchestrator: `handle` runs between its actions, before the
   * next one begins, and at once (a turn first) if it is waiting. `tells`: handling it
   * tells the code something (it settles a promise of the code's); the notices after it
   * then wait for the code's reaction: the work it asks for at once is done first.
   */
  notice(handle: () => Promise<void> | void, tells = false): void {
    if (this.closed) return;
    this.notices.push({ handle, tells });
    void this.pump();
  }

  /** The orchestrator, waiting or between actions, handles the notices that arrived. */
  private async wake(): Promise<void> {
    this.working = true;
    if (this.clock.now > this.idleSince) {
      this.facts.idle(this.now, this.idleSince / 1000);
      await this.turn();
    }
    // In arrival order, those that arrive meanwhile included, until one awaits the code.
    while (!this.awaitingReaction && !this.closed) {
      const notice = this.notices.shift();
      if (notice === undefined) break;
      await notice.handle();
      if (notice.tells) {
        this.awaitingReaction = true;
        // A timer at this same instant fires once every promise continuation has run (the
        // harness settles the event loop before each timer): by then what the code asked
        // for at once is in `reactions`, and runs before anything else.
        this.clock.setTimeout(() => {
          this.awaitingReaction = false;
          void this.pump();
        }, 0);
      }
    }
    this.stopWorking();
  }

  private stopWorking(): void {
    this.working = false;
    this.idleSince = this.clock.now;
  }

  private async busy(kind: ActivityKind, seconds: number): Promise<void> {
    const duration = ms(seconds);
    if (duration === 0) return;
    const start = this.now;
    await new Promise<void>((resolve) => this.clock.setTimeout(resolve, duration));
    // The rounded cost itself: a difference of two instants in seconds would not be exact.
    if (!this.closed) this.facts.busy(this.now, kind, start, duration / 1000);
  }

  private async turn(): Promise<void> {
    this.facts.turn(this.now, this.window.tokens);
    const cost = this.world.orchestrator.turn;
    if (typeof cost === 'number') return this.busy('turn', cost);
    this.turnStreams ??= new StreamFactory(this.seed).family('turn');
    // The stream (seed, "turn", n), as the model draws it.
    return this.busy('turn', cost.sample(this.turnStreams.reuse1(this.turnsTaken++)));
  }

  private async compact(): Promise<void> {
    await this.busy('compaction', this.world.context.compactionCost);
    const { before, after } = this.window.compact();
    this.compactions++;
    this.facts.compacted(this.now, before, after);
    for (const listener of this.compactionListeners) listener(this.compactions);
  }

  private observeContext(): void {
    this.window.observe();
    this.facts.context(this.now, this.window.tokens);
  }

  /** A processed result, judged as the model judges it (docs/model.md, "Quality"). */
  private judge(agent: HarnessAgent): boolean {
    const a = agent.attempt;
    const task = a.task;
    // The harness runs independent tasks: no upstream result can be wrong.
    const correct = resultIsCorrect(a, this.world.quality, false);
    const caught = validationCatches(
      a,
      correct,
      this.world.quality.validation,
      this.redispatches[task]!,
    );
    this.processedCount++;
    agent.knowledge = 'processed';
    this.facts.processed(this.now, a, correct, caught);
    this.window.summarize();
    this.observeContext();
    if (caught) {
      this.redispatches[task]!++;
      this.next[task] = 'redispatch';
      return false;
    }
    this.resolved[task] = true;
    this.facts.succeeded(this.now, task, a, correct);
    return true;
  }

  // ---- the end ----

  /** Tasks without a resolve. */
  get unresolved(): number {
    return this.resolved.filter((r) => !r).length;
  }

  /** What is still out, for a deadlock's report. */
  pending(): string[] {
    const out: string[] = [];
    for (const agent of this.agents) {
      const a = agent.attempt;
      const what = `subagent ${a.agent} (${agent.id})`;
      if (a.state === 'queued') {
        out.push(`${what} waits for one of the ${this.settings.wip} slots`);
      } else if (a.state === 'running') {
        out.push(
          a.fate === 'hang'
            ? `${what} hangs since ${a.startedAt} s and was never cancelled`
            : `${what} is running`,
        );
      } else if (a.state === 'ended' && agent.knowledge === 'none') {
        out.push(
          `${what} ended (${a.fate === 'error' ? 'error' : 'ok'}) and the code was never told`,
        );
      }
    }
    const open = this.resolved.flatMap((r, task) => (r ? [] : [task]));
    if (open.length > 0) out.push(`tasks never resolved: ${open.join(', ')}`);
    return out;
  }

  /** The run is over at the fake clock's now: the last idle interval, `run.end`, the metrics. */
  close(outcome: RunOutcome, deadlock: string | null): RunEnd {
    const now = this.now;
    // A deadlocked run's last wait never ends and has no record (docs/trace-format.md).
    if (outcome !== 'deadlock' && !this.working) this.facts.idle(now, this.idleSince / 1000);
    const unresolved = this.unresolved;
    this.facts.runEnded(now, outcome, deadlock ?? undefined, unresolved);
    this.closed = true;
    const metrics = this.metrics.finish(outcome, now, this.tasks, 1 - this.world.quality.base);
    return { outcome, makespan: now, metrics };
  }
}
