/**
 * The metrics an experiment aggregates: every numeric field of RunMetrics, in one fixed
 * order. The order is the order of keys in every results document, so it is written out
 * here rather than taken from whatever object the model happens to build; the type check
 * below fails the build when RunMetrics gains a numeric field this list lacks.
 */
import type { RunMetrics } from '../model/metrics.js';

type NumericKey = {
  [K in keyof RunMetrics]: RunMetrics[K] extends number ? K : never;
}[keyof RunMetrics];

/** In RunMetrics' declaration order. */
export const metricNames = [
  'makespan',
  'throughput',
  'tasks',
  'succeeded',
  'givenUp',
  'unresolved',
  'dispatchTime',
  'planTime',
  'processTime',
  'pollTime',
  'answerTime',
  'synthesizeTime',
  'compactionTime',
  'idleTime',
  'utilization',
  'peakInFlight',
  'meanInFlight',
  'agentSeconds',
  'wastedAgentSeconds',
  'wastedCancelled',
  'wastedFailed',
  'wastedGhost',
  'spawns',
  'retries',
  'redispatches',
  'duplicateSpawns',
  'ghosts',
  'failures',
  'failuresDetected',
  'undetectedFailures',
  'detectionLatency',
  'maxDetectionLatency',
  'permissionRequests',
  'permissionsDenied',
  'peakContext',
  'compactions',
  'forgottenHandles',
  'correctShare',
  'errorAmplification',
  'wrongCaught',
] as const satisfies readonly NumericKey[];

export type MetricName = (typeof metricNames)[number];

// Compile-time completeness: `never` unless a numeric RunMetrics field is missing above.
type Missing = Exclude<NumericKey, MetricName>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

/** What a metric's values are, for showing them: a share is a fraction of 1. */
export type MetricUnit = 'seconds' | 'share' | 'perHour' | 'count' | 'tokens' | 'ratio';

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
};

/** Which way is better, for choosing a sweep's winner. */
export type Direction = 'lower' | 'higher';

const higherIsBetter: ReadonlySet<MetricName> = new Set([
  'throughput',
  'succeeded',
  'utilization',
  'correctShare',
  'wrongCaught',
]);

/**
 * The usual reading of a metric: higher is better for throughput, succeeded tasks,
 * utilization, the correct share and wrong results caught; lower for everything else
 * (times, waste, failures, ghosts, context). Metrics with no natural direction (tasks,
 * meanInFlight, spawns) default to lower; a sweep can be told otherwise.
 */
export function defaultDirection(metric: MetricName): Direction {
  return higherIsBetter.has(metric) ? 'higher' : 'lower';
}

export function isMetricName(name: string): name is MetricName {
  return (metricNames as readonly string[]).includes(name);
}
