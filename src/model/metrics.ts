/**
 * Per-run metrics (docs/model.md, "Metrics"), accumulated online as the run goes from the
 * facts the model states (facts.ts): a run never needs its trace in memory to be measured.
 * The metrics are a consumer of the facts like any other, and judge them: which spawns
 * were duplicates, which forgotten subagents are ghosts, how late failures were noticed.
 * Nothing in the model reads them back.
 */
import type { ActivityKind } from './activity.js';
import type { Attempt } from './attempt.js';
import { noTokens, type PriceTable, type TokenConfig } from './config.js';
import { tokenCost } from './cost.js';
import type { CancelReason, DeclaredSpawn, RunFacts } from './facts.js';

export { type ActivityKind, activityKinds } from './activity.js';

/**
 * How a run ended: `completed`; `deadlock` when it could not finish (e.g. a hang with no
 * timeout), time-based figures then stopping at the deadlock; `incomplete` when the
 * strategy returned while tasks were unresolved (a strategy bug: results unread, or tasks
 * never dispatched).
 */
export type RunOutcome = 'completed' | 'deadlock' | 'incomplete';

export interface RunMetrics {
  readonly outcome: RunOutcome;
  /** Seconds until the last result was processed and synthesis done. */
  readonly makespan: number;
  /** Successful tasks per hour of makespan. */
  readonly throughput: number;
  readonly tasks: number;
  readonly succeeded: number;
  readonly givenUp: number;
  /** Tasks neither succeeded nor given up when the run ended (a deadlock, or a strategy that returned early). */
  readonly unresolved: number;

  readonly dispatchTime: number;
  readonly planTime: number;
  readonly processTime: number;
  readonly pollTime: number;
  readonly answerTime: number;
  readonly synthesizeTime: number;
  readonly compactionTime: number;
  /** Time in turns: re-reading the context as the orchestrator passes from waiting to working. */
  readonly turnTime: number;
  readonly idleTime: number;
  /** Productive share of the makespan: dispatch, plan, process, answer, synthesize (not poll, compaction, turns, idle). */
  readonly utilization: number;

  readonly peakInFlight: number;
  /** Time-weighted mean of subagents holding a slot. */
  readonly meanInFlight: number;
  /**
   * Subagent-seconds of work of every subagent that ended or was cancelled, and of ghosts
   * (a hung one until the makespan, one still working its whole drawn work); not of one
   * the orchestrator still tracks when a deadlocked or incomplete run ends.
   */
  readonly agentSeconds: number;
  /** Of which wasted: cancelled, failed (errors, and wrong results caught by validation), or ghost attempts. */
  readonly wastedAgentSeconds: number;
  /** Work of attempts the orchestrator timed out (its timer, or its poll check). */
  readonly wastedCancelled: number;
  readonly wastedFailed: number;
  /** Work of ghosts, those the runtime's watchdog cancelled included. */
  readonly wastedGhost: number;

  readonly spawns: number;
  readonly retries: number;
  readonly redispatches: number;
  readonly duplicateSpawns: number;
  /** Attempts whose handle was forgotten (volatile registry) and whose outcome was never consumed. */
  readonly ghosts: number;

  /** Attempts that errored or overran their timeout (hangs included). */
  readonly failures: number;
  readonly failuresDetected: number;
  readonly undetectedFailures: number;
  /** Mean seconds from a failure (error end, or deadline passed) to its detection; 0 when none. */
  readonly detectionLatency: number;
  readonly maxDetectionLatency: number;

  readonly permissionRequests: number;
  readonly permissionsDenied: number;

  readonly peakContext: number;
  readonly compactions: number;
  readonly forgottenHandles: number;

  /** Share of all tasks whose final result is correct (given-up tasks count as not correct). */
  readonly correctShare: number;
  /**
   * Wrong share of succeeded tasks over a single subagent's error rate (1 - quality.base).
   * When that rate is 0 there is nothing to amplify: 0 if nothing is wrong, NaN (undefined)
   * if something is (only auto-denied permissions can do that).
   */
  readonly errorAmplification: number;
  readonly wrongCaught: number;

  /** Turns the orchestrator took: one at the start, one each time it passed from waiting to working. */
  readonly turns: number;
  /** Tokens the orchestrator read: the context's size at the start of each turn, summed. */
  readonly orchestratorInputTokens: number;
  /** Tokens the orchestrator wrote: each action's output tokens, by its kind. */
  readonly orchestratorOutputTokens: number;
  /** Tokens subagents spent: their rate times `agentSeconds`. */
  readonly subagentTokens: number;
  /** Of which wasted: their rate times `wastedAgentSeconds`. */
  readonly wastedTokens: number;
  /** What the orchestrator's and the subagents' tokens cost under the price table (cost.ts); 0 without one. */
  readonly cost: number;
  /** `cost` over succeeded tasks: 0 when nothing cost anything, NaN (undefined) when something did and no task succeeded. */
  readonly costPerSuccess: number;
}

/** Why work was wasted: cancelled by a timeout, failed (or caught wrong), or run by a ghost. */
export type WasteKind = 'cancelled' | 'failed' | 'ghost';

export class MetricsCollector implements RunFacts {
  private readonly busyTime: Record<ActivityKind, number> = {
    dispatch: 0,
    plan: 0,
    process: 0,
    poll: 0,
    answer: 0,
    synthesize: 0,
    compaction: 0,
    turn: 0,
  };
  private inFlight = 0;
  private peakInFlight = 0;
  private inFlightArea = 0;
  private inFlightSince = 0;

  /**
   * Subagent-seconds, per task and kind. Floating-point addition depends on order, and
   * strategies end the same attempts in different orders: summed per task (a task's
   * attempts run one after another) and then over tasks in index order, the totals are
   * exactly equal wherever two strategies did the same work.
   */
  private readonly work: Record<'agent' | WasteKind, Float64Array>;
  private spawns = 0;
  private retries = 0;
  private redispatches = 0;
  private duplicateSpawns = 0;
  private failures = 0;
  private failuresDetected = 0;
  private detectionLatencySum = 0;
  private maxDetectionLatency = 0;
  private permissionRequests = 0;
  private permissionsDenied = 0;
  private peakContext: number;
  private compactions = 0;
  private forgottenHandles = 0;
  private succeededCount = 0;
  private givenUpCount = 0;
  private correct = 0;
  private wrongCaught = 0;
  private turns = 0;
  private orchestratorInputTokens = 0;
  private orchestratorOutputTokens = 0;
  /** Output tokens per action. */
  private readonly output: TokenConfig['output'];
  private readonly subagentPerSecond: number;
  private readonly prices: PriceTable | undefined;
  /**
   * Attempts whose handle was forgotten, other than one the orchestrator's own timer had
   * cancelled first: judged at the end (finish), when their fate is known.
   */
  private readonly forgotten: Attempt[] = [];

  /** `initialContext`: the tokens in context when the run begins. */
  constructor(
    tasks: number,
    initialContext: number,
    tokens: TokenConfig = noTokens,
    prices?: PriceTable,
  ) {
    this.peakContext = initialContext;
    this.output = tokens.output;
    this.subagentPerSecond = tokens.subagentPerSecond;
    this.prices = prices;
    // Views of one array: a typed array's storage is an allocation of its own (~1.5 µs).
    const all = new Float64Array(4 * tasks);
    this.work = {
      agent: all.subarray(0, tasks),
      cancelled: all.subarray(tasks, 2 * tasks),
      failed: all.subarray(2 * tasks, 3 * tasks),
      ghost: all.subarray(3 * tasks, 4 * tasks),
    };
  }

  // ---- the facts ----

  spawned(_t: number, a: Attempt, reason: DeclaredSpawn): void {
    this.spawns++;
    this.orchestratorOutputTokens += this.output.dispatch; // every spawn follows a dispatch
    if (reason === 'retry') this.retries++;
    else if (reason === 'redispatch') this.redispatches++;
    // Declared a first dispatch, yet the task was dispatched before: its handle was
    // forgotten, and this duplicates an attempt that may still be live.
    else if (a.attemptNo > 0) this.duplicateSpawns++;
  }

  started(t: number, a: Attempt): void {
    this.slotTaken(t);
    if (a.fate === 'hang') this.failures++; // a hang is a failure from its start
  }

  permission(_t: number, _a: Attempt, outcome: 'asked' | 'denied'): void {
    if (outcome === 'denied') this.permissionsDenied++;
  }

  answered(): void {
    this.permissionRequests++;
    this.orchestratorOutputTokens += this.output.answer;
  }

  ended(t: number, a: Attempt, ran: number): void {
    const failed = a.fate === 'error';
    if (failed) this.failures++;
    this.worked(a.task, ran, failed ? 'failed' : undefined);
    this.slotFreed(t);
  }

  deadline(): void {}

  cancelled(t: number, a: Attempt, reason: CancelReason, ran: number): void {
    if (a.fate !== 'hang') this.failures++; // hangs were counted when they started
    // The runtime's watchdog cancels only subagents whose handle was forgotten: ghosts.
    this.worked(a.task, ran, reason === 'watchdog' ? 'ghost' : 'cancelled');
    this.slotFreed(t);
  }

  polled(): void {
    this.orchestratorOutputTokens += this.output.poll;
  }

  pollRound(): void {}

  delivered(): void {}

  failureKnown(t: number, _a: Attempt, _failure: 'error' | 'timeout', failedAt: number): void {
    const latency = t - failedAt;
    this.failuresDetected++;
    this.detectionLatencySum += latency;
    if (latency > this.maxDetectionLatency) this.maxDetectionLatency = latency;
  }

  dropped(): void {}

  processStarted(): void {
    this.orchestratorOutputTokens += this.output.process;
  }

  planned(): void {
    this.orchestratorOutputTokens += this.output.plan;
  }

  synthesized(): void {
    this.orchestratorOutputTokens += this.output.synthesize;
  }

  processed(_t: number, a: Attempt, _correct: boolean, caught: boolean): void {
    if (!caught) return;
    this.wrongCaught++;
    // Its work is thrown away with it: wasted, like a failure's.
    this.wasted(a.task, a.work + a.paused, 'failed');
  }

  forgot(_t: number, a: Attempt): void {
    this.forgottenHandles++;
    if (a.state !== 'cancelled') this.forgotten.push(a);
  }

  compacted(): void {
    this.compactions++;
    this.orchestratorOutputTokens += this.output.compaction;
  }

  context(_t: number, tokens: number): void {
    if (tokens > this.peakContext) this.peakContext = tokens;
  }

  turn(_t: number, contextTokens: number): void {
    this.turns++;
    this.orchestratorInputTokens += contextTokens;
  }

  busy(_t: number, kind: ActivityKind, _start: number, seconds: number): void {
    this.busyFor(kind, seconds);
  }

  idle(): void {}

  succeeded(_t: number, _task: number, _a: Attempt, correct: boolean): void {
    this.succeededCount++;
    if (correct) this.correct++;
  }

  givenUp(): void {
    this.givenUpCount++;
  }

  // ---- bookkeeping ----

  /** The orchestrator spent `seconds` doing `kind`. */
  private busyFor(kind: ActivityKind, seconds: number): void {
    // A switch, not busy[kind]: a store through a variable key, with seven keys, takes
    // V8's slowest path, and this runs once per orchestrator action.
    const b = this.busyTime;
    switch (kind) {
      case 'dispatch':
        b.dispatch += seconds;
        break;
      case 'plan':
        b.plan += seconds;
        break;
      case 'process':
        b.process += seconds;
        break;
      case 'poll':
        b.poll += seconds;
        break;
      case 'answer':
        b.answer += seconds;
        break;
      case 'synthesize':
        b.synthesize += seconds;
        break;
      case 'compaction':
        b.compaction += seconds;
        break;
      case 'turn':
        b.turn += seconds;
        break;
    }
  }

  /** `seconds` of subagent work on `task`, of which all is wasted if `waste` is given. */
  private worked(task: number, seconds: number, waste?: WasteKind): void {
    this.work.agent[task]! += seconds;
    if (waste !== undefined) this.work[waste][task]! += seconds;
  }

  /** Work counted earlier that turned out wasted (a result caught wrong). */
  private wasted(task: number, seconds: number, waste: WasteKind): void {
    this.work[waste][task]! += seconds;
  }

  private total(kind: 'agent' | WasteKind): number {
    const work = this.work[kind];
    let sum = 0;
    for (let i = 0; i < work.length; i++) sum += work[i]!;
    return sum;
  }

  private slotTaken(now: number): void {
    this.inFlightArea += this.inFlight * (now - this.inFlightSince);
    this.inFlightSince = now;
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
  }

  private slotFreed(now: number): void {
    this.inFlightArea += this.inFlight * (now - this.inFlightSince);
    this.inFlightSince = now;
    this.inFlight--;
  }

  /**
   * Ghosts are the subagents whose handles the orchestrator forgot (docs/model.md,
   * "Context and compaction"), other than one its own timer had cancelled first: their
   * outcome is never consumed (their notices are dropped, polls skip them). Their work is
   * wasted: until their end if they ended or will end by themselves, until the runtime's
   * watchdog cancelled them (counted then), until the makespan for hangs no watchdog
   * stopped, none for those still queued. (Subagents a strategy left unprocessed are not
   * ghosts: the outcome `incomplete` and `unresolved` say so.) In spawn order, so that
   * the per-task sums are added in one order whatever the forgetting order.
   */
  private judgeGhosts(makespan: number): number {
    const ghosts = this.forgotten.slice().sort((x, y) => x.agent - y.agent);
    for (const a of ghosts) {
      if (a.state === 'running') {
        this.worked(a.task, a.fate === 'hang' ? makespan - a.startedAt : a.work, 'ghost');
      } else if (a.state === 'ended' && a.fate !== 'error') {
        // Failed ones are wasted already; ghosts are background: no pauses.
        this.wasted(a.task, a.work, 'ghost');
      }
    }
    return ghosts.length;
  }

  finish(
    outcome: RunOutcome,
    makespan: number,
    tasks: number,
    singleErrorRate: number,
  ): RunMetrics {
    const ghosts = this.judgeGhosts(makespan);
    const inFlightArea = this.inFlightArea + this.inFlight * (makespan - this.inFlightSince);
    const b = this.busyTime;
    const busyTotal =
      b.dispatch + b.plan + b.process + b.poll + b.answer + b.synthesize + b.compaction + b.turn;
    const productive = busyTotal - b.poll - b.compaction - b.turn;
    const wastedCancelled = this.total('cancelled');
    const wastedFailed = this.total('failed');
    const wastedGhost = this.total('ghost');
    const agentSeconds = this.total('agent');
    const succeeded = this.succeededCount;
    const wrong = succeeded - this.correct;
    const wrongShare = succeeded > 0 ? wrong / succeeded : 0;
    const perHour = (n: number) => (makespan > 0 ? (n * 3600) / makespan : 0);
    const subagentTokens = this.subagentPerSecond * agentSeconds;
    const cost = tokenCost(this.prices, {
      orchestratorInput: this.orchestratorInputTokens,
      orchestratorOutput: this.orchestratorOutputTokens,
      subagent: subagentTokens,
    });
    return {
      outcome,
      makespan,
      throughput: perHour(succeeded),
      tasks,
      succeeded,
      givenUp: this.givenUpCount,
      unresolved: tasks - succeeded - this.givenUpCount,
      dispatchTime: b.dispatch,
      planTime: b.plan,
      processTime: b.process,
      pollTime: b.poll,
      answerTime: b.answer,
      synthesizeTime: b.synthesize,
      compactionTime: b.compaction,
      turnTime: b.turn,
      idleTime: Math.max(0, makespan - busyTotal),
      utilization: makespan > 0 ? productive / makespan : 0,
      peakInFlight: this.peakInFlight,
      meanInFlight: makespan > 0 ? inFlightArea / makespan : 0,
      agentSeconds,
      wastedAgentSeconds: wastedCancelled + wastedFailed + wastedGhost,
      wastedCancelled,
      wastedFailed,
      wastedGhost,
      spawns: this.spawns,
      retries: this.retries,
      redispatches: this.redispatches,
      duplicateSpawns: this.duplicateSpawns,
      ghosts,
      failures: this.failures,
      failuresDetected: this.failuresDetected,
      undetectedFailures: this.failures - this.failuresDetected,
      detectionLatency:
        this.failuresDetected > 0 ? this.detectionLatencySum / this.failuresDetected : 0,
      maxDetectionLatency: this.maxDetectionLatency,
      permissionRequests: this.permissionRequests,
      permissionsDenied: this.permissionsDenied,
      peakContext: this.peakContext,
      compactions: this.compactions,
      forgottenHandles: this.forgottenHandles,
      correctShare: tasks > 0 ? this.correct / tasks : 1,
      errorAmplification:
        singleErrorRate > 0 ? wrongShare / singleErrorRate : wrong > 0 ? Number.NaN : 0,
      wrongCaught: this.wrongCaught,
      turns: this.turns,
      orchestratorInputTokens: this.orchestratorInputTokens,
      orchestratorOutputTokens: this.orchestratorOutputTokens,
      subagentTokens,
      wastedTokens: this.subagentPerSecond * (wastedCancelled + wastedFailed + wastedGhost),
      cost,
      costPerSuccess: succeeded > 0 ? cost / succeeded : cost > 0 ? Number.NaN : 0,
    };
  }
}
