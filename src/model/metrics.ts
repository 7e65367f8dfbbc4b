/**
 * Per-run metrics (docs/model.md, "Metrics"), accumulated online as the run goes: a run never needs
 * its trace in memory to be measured.
 */

/** Orchestrator activities; with `idle` they partition the makespan. */
export const activityKinds = [
  'dispatch',
  'plan',
  'process',
  'poll',
  'answer',
  'synthesize',
  'compaction',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export interface RunMetrics {
  /** 'deadlock' when the run could not finish (e.g. a hang with no timeout): time-based figures then stop at the deadlock. */
  readonly outcome: 'completed' | 'deadlock';
  /** Seconds until the last result was processed and synthesis done. */
  readonly makespan: number;
  /** Successful tasks per hour of makespan. */
  readonly throughput: number;
  readonly tasks: number;
  readonly succeeded: number;
  readonly givenUp: number;
  /** Tasks neither succeeded nor given up when the strategy returned (a strategy bug). */
  readonly unresolved: number;

  readonly dispatchTime: number;
  readonly planTime: number;
  readonly processTime: number;
  readonly pollTime: number;
  readonly answerTime: number;
  readonly synthesizeTime: number;
  readonly compactionTime: number;
  readonly idleTime: number;
  /** Productive share of the makespan: dispatch, plan, process, answer, synthesize (not poll, compaction, idle). */
  readonly utilization: number;

  readonly peakInFlight: number;
  /** Time-weighted mean of subagents holding a slot. */
  readonly meanInFlight: number;
  /** Subagent-seconds spent working (ghosts and hangs counted until their end, their cancellation or the makespan). */
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
}

/** Why work was wasted: cancelled by a timeout, failed (or caught wrong), or run by a ghost. */
export type WasteKind = 'cancelled' | 'failed' | 'ghost';

export class MetricsCollector {
  private readonly busy: Record<ActivityKind, number> = {
    dispatch: 0,
    plan: 0,
    process: 0,
    poll: 0,
    answer: 0,
    synthesize: 0,
    compaction: 0,
  };
  inFlight = 0;
  peakInFlight = 0;
  private inFlightArea = 0;
  private inFlightSince = 0;

  /**
   * Subagent-seconds, per task and kind. Floating-point addition depends on order, and
   * strategies end the same attempts in different orders: summed per task (a task's
   * attempts run one after another) and then over tasks in index order, the totals are
   * exactly equal wherever two strategies did the same work.
   */
  private readonly work: Record<'agent' | WasteKind, Float64Array>;
  spawns = 0;
  retries = 0;
  redispatches = 0;
  duplicateSpawns = 0;
  ghosts = 0;
  failures = 0;
  failuresDetected = 0;
  detectionLatencySum = 0;
  maxDetectionLatency = 0;
  permissionRequests = 0;
  permissionsDenied = 0;
  peakContext = 0;
  compactions = 0;
  forgottenHandles = 0;
  succeeded = 0;
  givenUp = 0;
  correct = 0;
  wrongCaught = 0;

  constructor(tasks: number) {
    // Views of one array: a typed array's storage is an allocation of its own (~1.5 µs).
    const all = new Float64Array(4 * tasks);
    this.work = {
      agent: all.subarray(0, tasks),
      cancelled: all.subarray(tasks, 2 * tasks),
      failed: all.subarray(2 * tasks, 3 * tasks),
      ghost: all.subarray(3 * tasks, 4 * tasks),
    };
  }

  /** The orchestrator spent `seconds` doing `kind`. */
  busyFor(kind: ActivityKind, seconds: number): void {
    // A switch, not busy[kind]: a store through a variable key, with seven keys, takes
    // V8's slowest path, and this runs once per orchestrator action.
    const b = this.busy;
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
    }
  }

  /** `seconds` of subagent work on `task`, of which all is wasted if `waste` is given. */
  worked(task: number, seconds: number, waste?: WasteKind): void {
    this.work.agent[task]! += seconds;
    if (waste !== undefined) this.work[waste][task]! += seconds;
  }

  /** Work counted earlier that turned out wasted (a result caught wrong). */
  wasted(task: number, seconds: number, waste: WasteKind): void {
    this.work[waste][task]! += seconds;
  }

  private total(kind: 'agent' | WasteKind): number {
    const work = this.work[kind];
    let sum = 0;
    for (let i = 0; i < work.length; i++) sum += work[i]!;
    return sum;
  }

  slotTaken(now: number): void {
    this.inFlightArea += this.inFlight * (now - this.inFlightSince);
    this.inFlightSince = now;
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
  }

  slotFreed(now: number): void {
    this.inFlightArea += this.inFlight * (now - this.inFlightSince);
    this.inFlightSince = now;
    this.inFlight--;
  }

  failureDetected(latency: number): void {
    this.failuresDetected++;
    this.detectionLatencySum += latency;
    if (latency > this.maxDetectionLatency) this.maxDetectionLatency = latency;
  }

  finish(
    outcome: 'completed' | 'deadlock',
    makespan: number,
    tasks: number,
    singleErrorRate: number,
  ): RunMetrics {
    const inFlightArea = this.inFlightArea + this.inFlight * (makespan - this.inFlightSince);
    const b = this.busy;
    const busyTotal =
      b.dispatch + b.plan + b.process + b.poll + b.answer + b.synthesize + b.compaction;
    const productive = busyTotal - b.poll - b.compaction;
    const wastedCancelled = this.total('cancelled');
    const wastedFailed = this.total('failed');
    const wastedGhost = this.total('ghost');
    const wrong = this.succeeded - this.correct;
    const wrongShare = this.succeeded > 0 ? wrong / this.succeeded : 0;
    const perHour = (n: number) => (makespan > 0 ? (n * 3600) / makespan : 0);
    return {
      outcome,
      makespan,
      throughput: perHour(this.succeeded),
      tasks,
      succeeded: this.succeeded,
      givenUp: this.givenUp,
      unresolved: tasks - this.succeeded - this.givenUp,
      dispatchTime: b.dispatch,
      planTime: b.plan,
      processTime: b.process,
      pollTime: b.poll,
      answerTime: b.answer,
      synthesizeTime: b.synthesize,
      compactionTime: b.compaction,
      idleTime: Math.max(0, makespan - busyTotal),
      utilization: makespan > 0 ? productive / makespan : 0,
      peakInFlight: this.peakInFlight,
      meanInFlight: makespan > 0 ? inFlightArea / makespan : 0,
      agentSeconds: this.total('agent'),
      wastedAgentSeconds: wastedCancelled + wastedFailed + wastedGhost,
      wastedCancelled,
      wastedFailed,
      wastedGhost,
      spawns: this.spawns,
      retries: this.retries,
      redispatches: this.redispatches,
      duplicateSpawns: this.duplicateSpawns,
      ghosts: this.ghosts,
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
    };
  }
}
