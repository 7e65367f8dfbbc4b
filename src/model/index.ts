/** The agent world: tasks, subagents, the orchestrator, and one run of a strategy. */
export type { Action } from './action.js';
export type { Attempt } from './attempt.js';
export { type AttemptDraws, drawAttempt, type Fate } from './attempt-draws.js';
export {
  type ContextConfig,
  type DependencyShape,
  type FailureRates,
  freeOrchestrator,
  type ModelPrice,
  noFailures,
  noTokens,
  type OrchestratorCosts,
  type OutputAction,
  type PriceTable,
  perfectQuality,
  type QualityConfig,
  type SubagentConfig,
  type SubagentPrice,
  type TaskConfig,
  type TokenConfig,
  unlimitedContext,
  type WorldConfig,
  world,
} from './config.js';
export { buildTaskGraph, type TaskGraph } from './dependencies.js';
export type { CancelReason, DeclaredSpawn, PollStatus, RunFacts } from './facts.js';
export { type ActivityKind, activityKinds, type RunMetrics, type RunOutcome } from './metrics.js';
export { type LeftUndone, type RunOptions, type RunReport, runStrategy } from './run.js';
export {
  backgroundDefaults,
  type Continuation,
  type DispatchSettings,
  foregroundDefaults,
} from './settings.js';
export type { Orchestrator, Result, Strategy, StrategyDescription } from './strategy.js';
export { maxRedispatches } from './task-life.js';
export {
  type ModelTrace,
  type ModelTraceRecord,
  type ModelTraceType,
  type TraceHeader,
  traceFormatName,
  traceFormatVersion,
} from './trace-records.js';
