/**
 * The real-code harness: a user's async orchestrator run on simulated time against the
 * scenario's subagents, its run written as a trace that the invariants judge.
 */
export {
  checkOrchestrator,
  type OrchestratorCheck,
  type OrchestratorCheckOptions,
  type OrchestratorFailure,
} from './check-orchestrator.js';
export type { CompactionNotice, KeyValueStore } from './context-store.js';
export {
  defineOrchestrator,
  type OrchestratorDefinition,
  type OrchestratorFactory,
  type OrchestratorFunction,
  type OrchestratorModuleExport,
} from './define-orchestrator.js';
export type {
  EventReader,
  SpawnOptions,
  SubagentEvent,
  SubagentHandle,
} from './events-runtime.js';
export type { AgentOutcome } from './foreground.js';
export type { CheckResult, TaskInfo, TaskStatus } from './polling-runtime.js';
export {
  type HarnessRun,
  HarnessRunawayError,
  harnessJsonl,
  type RunOrchestratorOptions,
  runOrchestrator,
} from './run-orchestrator.js';
export type { OrchestratorRuntime } from './runtime.js';
export {
  type HarnessCosts,
  type HarnessSettings,
  HarnessUsageError,
  type WorkKind,
} from './simulated-run.js';
