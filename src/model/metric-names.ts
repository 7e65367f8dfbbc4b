/**
 * The metrics of a run, as experiments aggregate them and scenarios name them: every numeric field of RunMetrics, in one fixed
 * order. The order is the order of keys in every results document, so it is written out
 * here rather than taken from whatever object the model happens to build; the type check
 * below fails the build when RunMetrics gains a numeric field this list lacks.
 */
import type { RunMetrics } from './metrics.js';

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
  'turnTime',
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
  'turns',
  'orchestratorInputTokens',
  'orchestratorOutputTokens',
  'subagentTokens',
  'wastedTokens',
  'cost',
  'costPerSuccess',
] as const satisfies readonly NumericKey[];

export type MetricName = (typeof metricNames)[number];

// Compile-time completeness: `never` unless a numeric RunMetrics field is missing above.
type Missing = Exclude<NumericKey, MetricName>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;
