/**
 * The experiment layer: running strategies over seeds (in-process or on worker threads),
 * comparing them, sweeping parameters, sharding and merging, and the documents it writes.
 */
export { canonicalJson, inputHash, scenarioInputHash } from './canonical.js';
export {
  type CheckDocument,
  type CheckOptions,
  checkScenario,
  checkScenarioAsync,
  type DeterminismCheck,
  type InvariantTally,
  type StrategyCheck,
} from './check-runs.js';
export { type CompareOptions, compare } from './compare.js';
export { MergeError, UsageError } from './errors.js';
export {
  clearsMargin,
  defaultMargin,
  formatMargin,
  marginThreshold,
  parseMargin,
} from './margin.js';
export {
  type Direction,
  deadlockFinalMetrics,
  defaultDirection,
  isMetricName,
  type MetricName,
  type MetricReading,
  metricNames,
  metricReading,
  parseMetricList,
} from './metric-names.js';
export { runOrchestratorOnce } from './orchestrator-run.js';
export type { ComparePartial, PartialDocument, SweepPartial } from './partial.js';
export { type PoolOptions, type ProgressCallback, runJobs, workerFile } from './pool.js';
export { parseTrace, readTraceFile } from './read-trace.js';
export {
  type Comparison,
  type CutShort,
  type MetricSummary,
  type ModuleConfigJson,
  type Omission,
  type OrchestratorConfigJson,
  type Outcomes,
  type ResultsBody,
  type ResultsDocument,
  type Stat,
  type StrategyConfigJson,
  type StrategyResult,
  summarizeMetric,
  toJson,
} from './results.js';
export { StalledRun, StrategyThrew } from './run-errors.js';
export {
  runEntry,
  runOnce,
  runSeeds,
  runSeedsAsync,
  type SeedRuns,
  type StrategyRuns,
  seedRange,
} from './run-seeds.js';
export {
  compareShard,
  merge,
  parseShard,
  type ShardSpec,
  shardSeeds,
  sweepShard,
} from './shard.js';
export * from './stats.js';
export {
  type Lead,
  type SweepDocument,
  type SweepOptions,
  type SweepPoint,
  sweep,
  type WinnerChange,
  type WinnerRule,
} from './sweep.js';
export { parseVary, type Vary, type VaryValue } from './vary.js';
export type {
  Candidate,
  Conditions,
  Limit,
  UnsafeReason,
  UnsafeStrategy,
  Verdict,
} from './verdict.js';
export { writeAtomically } from './write.js';
