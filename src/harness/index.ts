/**
 * The real-code harness: a user's async orchestrator run on simulated time against the
 * scenario's subagents, its run written as a trace that the invariants judge.
 */
export {
  type CheckResult,
  type HarnessCosts,
  type HarnessSettings,
  HarnessUsageError,
  type PollingRuntime,
  type TaskInfo,
  type TaskStatus,
  type WorkKind,
} from './polling-runtime.js';
export {
  type HarnessRun,
  HarnessRunawayError,
  harnessJsonl,
  type RunOrchestratorOptions,
  runOrchestrator,
} from './run-orchestrator.js';
