/**
 * Metric names, units, readings and lists, for experiments and their reports. The names
 * themselves, every numeric field of RunMetrics in a fixed order, are the model's
 * (src/model/metric-names.ts): a scenario names its objective with them.
 */
import { type MetricName, metricNames } from '../model/metric-names.js';
import { closestMatch } from '../scenario/suggest.js';
import { UsageError } from './errors.js';

export { type MetricName, metricNames };

/** What a metric's values are, for showing them: a share is a fraction of 1. */
export type MetricUnit = 'seconds' | 'share' | 'perHour' | 'count' | 'tokens' | 'ratio' | 'money';

/** Every metric's unit (the type makes the list complete). */
export const metricUnit: Readonly<Record<MetricName, MetricUnit>> = {
  makespan: 'seconds',
  throughput: 'perHour',
  tasks: 'count',
  succeeded: 'count',
  givenUp: 'count',
  unresolved: 'count',
  dispatchTime: 'seconds',
  planTime: 'seconds',
  processTime: 'seconds',
  pollTime: 'seconds',
  answerTime: 'seconds',
  synthesizeTime: 'seconds',
  compactionTime: 'seconds',
  turnTime: 'seconds',
  idleTime: 'seconds',
  utilization: 'share',
  peakInFlight: 'count',
  meanInFlight: 'count',
  agentSeconds: 'seconds',
  wastedAgentSeconds: 'seconds',
  wastedCancelled: 'seconds',
  wastedFailed: 'seconds',
  wastedGhost: 'seconds',
  spawns: 'count',
  retries: 'count',
  redispatches: 'count',
  duplicateSpawns: 'count',
  ghosts: 'count',
  failures: 'count',
  failuresDetected: 'count',
  undetectedFailures: 'count',
  detectionLatency: 'seconds',
  maxDetectionLatency: 'seconds',
  permissionRequests: 'count',
  permissionsDenied: 'count',
  peakContext: 'tokens',
  compactions: 'count',
  forgottenHandles: 'count',
  correctShare: 'share',
  errorAmplification: 'ratio',
  wrongCaught: 'count',
  turns: 'count',
  orchestratorInputTokens: 'tokens',
  orchestratorOutputTokens: 'tokens',
  subagentTokens: 'tokens',
  wastedTokens: 'tokens',
  cost: 'money',
  costPerSuccess: 'money',
};

/** Which way is better, where a choice must be made (a sweep's winner). */
export type Direction = 'lower' | 'higher';

/**
 * How a difference in a metric reads: `lower` or `higher` is better, or `neutral` where a
 * difference is a trade-off rather than a gain or a loss in itself.
 *
 * - Better higher: throughput, succeeded tasks, utilization, the correct share.
 * - Better lower: the makespan, tasks given up or left unresolved, the orchestrator's
 *   overheads (idle, poll, compaction and turn time, turns taken, the tokens the
 *   orchestrator read and wrote), wasted agent time and tokens agent time in all its kinds,
 *   duplicate spawns, ghosts, undetected failures, detection latency (mean and worst),
 *   denied permissions, compactions, forgotten handles, error amplification, the cost and
 *   the cost per success.
 * - Neutral: the task count; the orchestrator's productive time split (dispatch, plan,
 *   process, answer, synthesize: more of it is more work done, not worse work); peak and
 *   mean subagents in flight, peak context, agent-seconds and subagent tokens, spawns and retries (resources
 *   spent, whose price or payoff shows in other metrics); redispatches, failures,
 *   failures detected, permission requests and wrong results caught (mostly the world's
 *   doing: a strategy that meets more failures or wrong results also detects or catches
 *   more, so more is neither better nor worse; undetectedFailures and correctShare carry
 *   the judgement).
 */
export type MetricReading = Direction | 'neutral';

/** Every metric's reading (the type makes the list complete). */
export const metricReading: Readonly<Record<MetricName, MetricReading>> = {
  makespan: 'lower',
  throughput: 'higher',
  tasks: 'neutral',
  succeeded: 'higher',
  givenUp: 'lower',
  unresolved: 'lower',
  dispatchTime: 'neutral',
  planTime: 'neutral',
  processTime: 'neutral',
  pollTime: 'lower',
  answerTime: 'neutral',
  synthesizeTime: 'neutral',
  compactionTime: 'lower',
  turnTime: 'lower',
  idleTime: 'lower',
  utilization: 'higher',
  peakInFlight: 'neutral',
  meanInFlight: 'neutral',
  agentSeconds: 'neutral',
  wastedAgentSeconds: 'lower',
  wastedCancelled: 'lower',
  wastedFailed: 'lower',
  wastedGhost: 'lower',
  spawns: 'neutral',
  retries: 'neutral',
  redispatches: 'neutral',
  duplicateSpawns: 'lower',
  ghosts: 'lower',
  failures: 'neutral',
  failuresDetected: 'neutral',
  undetectedFailures: 'lower',
  detectionLatency: 'lower',
  maxDetectionLatency: 'lower',
  permissionRequests: 'neutral',
  permissionsDenied: 'lower',
  peakContext: 'neutral',
  compactions: 'lower',
  forgottenHandles: 'lower',
  correctShare: 'higher',
  errorAmplification: 'lower',
  wrongCaught: 'neutral',
  turns: 'lower',
  orchestratorInputTokens: 'lower',
  orchestratorOutputTokens: 'lower',
  subagentTokens: 'neutral',
  wastedTokens: 'lower',
  cost: 'lower',
  costPerSuccess: 'lower',
};

/**
 * The direction a sweep uses when not told: the metric's reading, and `lower` for a
 * neutral metric (a sweep must rank; pass a direction to rank a neutral metric the other
 * way).
 */
export function defaultDirection(metric: MetricName): Direction {
  const reading = metricReading[metric];
  return reading === 'neutral' ? 'lower' : reading;
}

/**
 * The metrics a deadlocked run still measures: the fate of the job's tasks, final because
 * nothing happens after a deadlock (the kernel found nothing left that could wake anyone)
 * and the run never ends. How many tasks there were, succeeded, were left unresolved
 * (stuck), had a failure never detected, and came out correct. Not `givenUp`: a stuck
 * task is neither given up nor succeeded, so a run that stuck gives up fewer tasks than
 * one that finished, and "fewer given up" would read as better.
 *
 * Every other metric of a deadlocked run is cut short and misleads: the makespan, idle
 * time and agent-seconds of a run that never ends are unbounded, its throughput and
 * utilization tend to 0, its detection latency leaves out the hang never detected, and its
 * counts (spawns, failures, compactions, ghosts, peak context, time split...) cover only
 * the work done before it stuck, so a run that stuck early looks frugal. Comparisons with
 * a strategy that deadlocked are made on these metrics only (results.ts).
 */
export const deadlockFinalMetrics: readonly MetricName[] = [
  'tasks',
  'succeeded',
  'unresolved',
  'undetectedFailures',
  'correctShare',
];

/** Whether a deadlocked run's value of `metric` is final (deadlockFinalMetrics). */
export function finalAtDeadlock(metric: MetricName): boolean {
  return deadlockFinalMetrics.includes(metric);
}

export function isMetricName(name: string): name is MetricName {
  return (metricNames as readonly string[]).includes(name);
}

/**
 * Reads a list of metric names, `a,b,c` (spaces allowed around the commas), or `all`:
 * the names in the order given, each once; `'all'` for every metric. An unknown name is a
 * UsageError naming it, with a "did you mean" for a near miss, and listing the metrics.
 * `what` names the option in messages (`--metrics`).
 */
export function parseMetricList(spec: string, what = '--metrics'): MetricName[] | 'all' {
  const names = spec
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 1 && names[0] === 'all') return 'all';
  const known = `the metrics are ${metricNames.join(', ')} (or "all" for every one)`;
  if (names.length === 0) {
    throw new UsageError(`${what} needs metric names separated by commas, or "all"; ${known}`);
  }
  const unknown = names.filter((n) => !isMetricName(n));
  if (unknown.length > 0) {
    const each = unknown.map((n) => {
      if (n === 'all') return '"all" stands alone (every metric), not in a list';
      const match = closestMatch(n, metricNames);
      return `"${n}" is not a metric${match === undefined ? '' : ` (did you mean "${match}"?)`}`;
    });
    throw new UsageError(`${what}: ${each.join('; ')}; ${known}`);
  }
  return [...new Set(names as MetricName[])];
}
