/**
 * The runtime a user's orchestrator is handed: the polling calls, the events calls, the
 * foreground call, the orchestrator's own time, and what it needs to know of the world. One
 * object, so that code may mix styles as real orchestrators do (a foreground call for one
 * step, background subagents for the rest).
 */
import type {
  CompactionNotice,
  KeyValueStore,
  MemoryApi,
  OrchestratorMemory,
} from './context-store.js';
import {
  EventCalls,
  type EventReader,
  type EventsApi,
  type SpawnOptions,
  type SubagentEvent,
  type SubagentHandle,
} from './events-runtime.js';
import { type AgentOutcome, type ForegroundApi, ForegroundCalls } from './foreground.js';
import type { CheckResult, TaskInfo, TaskStatus } from './polling-runtime.js';
import { type PollingApi, PollingCalls } from './polling-runtime.js';
import {
  type HarnessCosts,
  HarnessUsageError,
  type RuntimeClock,
  type SimulatedRun,
  type WorkKind,
} from './simulated-run.js';

export interface OrchestratorRuntime extends PollingApi, EventsApi, ForegroundApi, MemoryApi {
  /** How many tasks there are, numbered from 0. */
  readonly tasks: number;
  /** The world's costs of the orchestrator's own work, in seconds. */
  readonly costs: HarnessCosts;
  /**
   * Spends `seconds` of the orchestrator's time on `kind`. Calls run one at a time, in the
   * order made, as a single-threaded orchestrator's do; the first one after the code
   * waited pays a turn first. `process` names the task id whose result it consumes
   * (`result`) and resolves to false when validation caught the result wrong: the task is
   * open again and the code should dispatch it anew. Every other call resolves to true.
   */
  work(kind: WorkKind, seconds: number, options?: { readonly result?: string }): Promise<boolean>;
  /** Gives `task` up (its retries used up). */
  giveUp(task: number): void;
  /**
   * Cancels a running subagent, named by its polling id or its `spawn` handle; false, and
   * nothing happens, when it was not running. Each style keeps its own rule for one that
   * ended unread: a polling id's subagent is cancelled all the same and its result lost
   * (polling-runtime.ts); a handle's is not, and its event stays in the stream
   * (events-runtime.ts).
   */
  cancel(taskId: string | { readonly id: string }): boolean;
}

export type {
  AgentOutcome,
  CheckResult,
  EventReader,
  SpawnOptions,
  SubagentEvent,
  SubagentHandle,
  TaskInfo,
  TaskStatus,
  WorkKind,
};

export class HarnessRuntime implements OrchestratorRuntime {
  readonly tasks: number;
  readonly costs: HarnessCosts;
  private readonly polling: PollingCalls;
  private readonly background: EventCalls;
  private readonly foreground: ForegroundCalls;

  constructor(
    private readonly run: SimulatedRun,
    clock: RuntimeClock,
    private readonly memory: OrchestratorMemory,
  ) {
    this.tasks = run.tasks;
    this.costs = run.costs;
    this.polling = new PollingCalls(run);
    this.background = new EventCalls(run);
    this.foreground = new ForegroundCalls(run, clock);
  }

  start(task: number): string {
    return this.polling.start(task);
  }

  check(taskId: string): CheckResult {
    if (this.background.owns(taskId)) {
      // Checking would tell the code of the end a second time, beside its event.
      throw new HarnessUsageError(
        `check(${JSON.stringify(taskId)}): it was spawned with spawn(); its end comes as an event`,
      );
    }
    return this.polling.check(taskId);
  }

  update(taskId: string, message: string): boolean {
    return this.polling.update(taskId, message);
  }

  cancel(taskId: string | { readonly id: string }): boolean {
    const id = typeof taskId === 'string' ? taskId : taskId.id;
    return this.background.owns(id) ? this.background.cancel(id) : this.polling.cancel(id);
  }

  spawn(task: number, options?: SpawnOptions): SubagentHandle {
    return this.background.spawn(task, options);
  }

  events(): EventReader {
    return this.background.events();
  }

  list(filter?: { readonly status?: TaskStatus }): readonly TaskInfo[] {
    return this.polling.list(filter);
  }

  agent(task: number, options?: { readonly timeout?: number }): Promise<AgentOutcome> {
    return this.foreground.agent(task, options);
  }

  work(kind: WorkKind, seconds: number, options?: { readonly result?: string }): Promise<boolean> {
    const result = options?.result;
    if (kind !== 'process' && result !== undefined) {
      throw new HarnessUsageError(`work("${kind}") consumes no result; only "process" does`);
    }
    return this.run.work(kind, seconds, result === undefined ? null : this.run.agent(result));
  }

  giveUp(task: number): void {
    this.run.giveUp(task);
  }

  get context(): KeyValueStore<unknown> {
    return this.memory.context;
  }

  get durable(): KeyValueStore<unknown> {
    return this.memory.durable;
  }

  get compactions(): number {
    return this.memory.compactions;
  }

  onCompaction(listener: (notice: CompactionNotice) => void): void {
    this.memory.onCompaction(listener);
  }
}
