/**
 * Polling, in the style of LangChain Deep Agents' async subagents: `start(task) → taskId`,
 * `check(taskId)`, `update(taskId, message)`, `cancel(taskId)`, `list(filter?)`. The code
 * learns how a subagent ended only when it checks it: the first check after the end
 * delivers the result (or reports the failure), and with a declared timeout, the first
 * check after the deadline cancels the subagent and reports `timeout`.
 */
import { type HarnessAgent, HarnessUsageError, type SimulatedRun } from './simulated-run.js';

/**
 * What `check` says of a task id. `pending`: waiting for a slot, when the runtime keeps
 * the WIP limit (HarnessSettings.queueBeyondWip), as a platform's queued run is pending.
 */
export type TaskStatus = 'pending' | 'running' | 'success' | 'error' | 'cancelled' | 'timeout';

export interface CheckResult {
  readonly status: TaskStatus;
  /** With `success`: the subagent's result. */
  readonly result?: string;
  /** With `error`, `timeout` or `cancelled`: what went wrong. */
  readonly error?: string;
}

/** One entry of `list()`. */
export interface TaskInfo {
  readonly taskId: string;
  readonly task: number;
  readonly attempt: number;
  /**
   * What the code knows: a subagent not yet checked is `running`, or `pending` while it
   * waits for a slot (the platform shows that much without a check).
   */
  readonly status: TaskStatus;
}

export interface PollingApi {
  /** Starts a subagent on `task` at once (or queues it: `queueBeyondWip`); returns its id. */
  start(task: number): string;
  check(taskId: string): CheckResult;
  /** Sends a running subagent a message (it changes nothing in the world); false if it was not running. */
  update(taskId: string, message: string): boolean;
  /** Cancels a running subagent; false when it was not running (nothing happens then). */
  cancel(taskId: string | { readonly id: string }): boolean;
  /** The subagents started so far, as the code knows them; `filter` keeps those of one status. */
  list(filter?: { readonly status?: TaskStatus }): readonly TaskInfo[];
}

export class PollingCalls implements PollingApi {
  /** Subagents whose outcome a check has told (the polling runtime's statuses). */
  private readonly statuses = new Map<HarnessAgent, TaskStatus>();
  /**
   * The subagents started here, as `list` shows them, in the order started: those still
   * waiting for a slot, those the code may believe running (not yet told how they ended),
   * and all. Kept apart so that a list of the running costs what it returns, not every
   * subagent of the run: code lists them every poll round.
   */
  private readonly pendingOnes = new Set<HarnessAgent>();
  private readonly runningOnes = new Set<HarnessAgent>();
  private readonly started: HarnessAgent[] = [];

  constructor(private readonly run: SimulatedRun) {}

  start(task: number): string {
    const began = (agent: HarnessAgent) => {
      this.pendingOnes.delete(agent);
      if (!this.statuses.has(agent)) this.runningOnes.add(agent);
    };
    const agent = this.run.dispatch(task, null, `start(${task})`, began);
    this.started.push(agent);
    if (agent.attempt.state === 'queued') this.pendingOnes.add(agent);
    else this.runningOnes.add(agent);
    return agent.id;
  }

  check(taskId: string): CheckResult {
    const run = this.run;
    const agent = run.agent(taskId);
    const told = this.statuses.get(agent);
    // Checks after the code was told repeat what it knows and are not facts of the run.
    if (told !== undefined) return this.describe(agent, told);
    const a = agent.attempt;
    // Still waiting for a slot (the runtime keeps the WIP limit): there is nothing to check.
    if (a.state === 'queued') return { status: 'pending' };
    const timeout = run.settings.timeout;
    if (a.state === 'running') {
      if (run.now - a.startedAt > timeout) {
        // Overdue: the check finds it, cancels it, and the code learns of the timeout.
        run.polled(agent, 'overdue');
        run.cancel(agent, a.startedAt + timeout);
        return this.tell(agent, 'timeout');
      }
      run.polled(agent, 'running');
      return { status: 'running' };
    }
    if (a.state === 'ended') {
      run.polled(agent, 'ended');
      if (a.fate === 'error') {
        run.failureKnown(agent, 'error', a.endedAt);
        return this.tell(agent, 'error');
      }
      run.delivered(agent);
      return this.tell(agent, 'success');
    }
    return this.tell(agent, 'cancelled');
  }

  private tell(agent: HarnessAgent, status: TaskStatus): CheckResult {
    this.statuses.set(agent, status);
    this.runningOnes.delete(agent);
    this.pendingOnes.delete(agent);
    return this.describe(agent, status);
  }

  private describe(agent: HarnessAgent, status: TaskStatus): CheckResult {
    const { task, attemptNo } = agent.attempt;
    switch (status) {
      case 'pending':
      case 'running':
        return { status };
      case 'success':
        return { status, result: `result of task ${task} (attempt ${attemptNo})` };
      case 'error':
        return { status, error: `task ${task} (attempt ${attemptNo}) failed` };
      case 'timeout':
        return { status, error: `timed out after ${this.run.settings.timeout} s` };
      case 'cancelled':
        return { status, error: 'cancelled' };
    }
  }

  update(taskId: string, message: string): boolean {
    if (typeof message !== 'string') {
      throw new HarnessUsageError(`update(${JSON.stringify(taskId)}) takes a message string`);
    }
    return this.run.agent(taskId).attempt.state === 'running';
  }

  /**
   * A running subagent is cancelled. One that ended unchecked is cancelled too, as in
   * LangGraph, where the cancel of a finished run is recorded and its result lost: code
   * that cancels without checking first races the end. Either way the code is told the
   * task was cancelled. Anything else: false, and nothing happens.
   */
  cancel(taskId: string | { readonly id: string }): boolean {
    const agent = this.run.agent(typeof taskId === 'string' ? taskId : taskId.id);
    if (this.statuses.has(agent)) return false;
    if (agent.attempt.state === 'ended') {
      this.run.cancelAfterEnd(agent);
      this.tell(agent, 'cancelled');
      return true;
    }
    if (agent.attempt.state !== 'running') return false;
    this.run.cancel(agent, this.run.now);
    this.tell(agent, 'cancelled');
    return true;
  }

  /** The subagents started here (by `start`, not `spawn` nor `agent`), in the order started. */
  list(filter?: { readonly status?: TaskStatus }): readonly TaskInfo[] {
    const wanted = filter?.status;
    const from =
      wanted === 'running'
        ? this.runningOnes
        : wanted === 'pending'
          ? this.pendingOnes
          : this.started;
    const out: TaskInfo[] = [];
    for (const agent of from) {
      const status =
        this.statuses.get(agent) ?? (this.pendingOnes.has(agent) ? 'pending' : 'running');
      if (wanted !== undefined && status !== wanted) continue;
      out.push({
        taskId: agent.id,
        task: agent.attempt.task,
        attempt: agent.attempt.attemptNo,
        status,
      });
    }
    return out;
  }
}
