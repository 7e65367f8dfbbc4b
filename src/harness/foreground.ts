/**
 * The foreground call, for blocking code: `await agent(task)` pays `dispatch` through the
 * orchestrator's time, starts a subagent, and settles when it ends, with its result or
 * its failure, as Claude Code's foreground Task tool returns to the model that called it.
 * A subagent's permission requests come to the orchestrator (declare `mode: 'foreground'`).
 * A hang settles only at a timeout: the call's own, or the declared one.
 */
import {
  type HarnessAgent,
  instantMs,
  ms,
  type RuntimeClock,
  type SimulatedRun,
} from './simulated-run.js';

export type AgentOutcome =
  | { readonly status: 'success'; readonly taskId: string; readonly result: string }
  | { readonly status: 'error' | 'timeout'; readonly taskId: string; readonly error: string };

export interface ForegroundApi {
  /**
   * Dispatches `task` (paying `dispatch`), waits for its subagent and returns how it ended.
   * `timeout`, in seconds, overrides the declared one for this call.
   */
  agent(task: number, options?: { readonly timeout?: number }): Promise<AgentOutcome>;
}

export class ForegroundCalls implements ForegroundApi {
  constructor(
    private readonly run: SimulatedRun,
    private readonly clock: RuntimeClock,
  ) {}

  async agent(task: number, options?: { readonly timeout?: number }): Promise<AgentOutcome> {
    const run = this.run;
    await run.work('dispatch', run.world.orchestrator.dispatch, null);
    return new Promise<AgentOutcome>((resolve) => {
      const ended = (agent: HarnessAgent) => {
        const { task: t, attemptNo } = agent.attempt;
        if (agent.attempt.fate === 'error') {
          // A failure needs the orchestrator: it learns of it when it handles the notice
          // (a turn first, if it was waiting), as the model's join does.
          const failedAt = run.now;
          run.notice(() => {
            run.failureKnown(agent, 'error', failedAt);
            resolve({
              status: 'error',
              taskId: agent.id,
              error: `task ${t} (attempt ${attemptNo}) failed`,
            });
          }, true);
        } else {
          // A result the join collects by itself, the instant it comes.
          run.delivered(agent);
          resolve({
            status: 'success',
            taskId: agent.id,
            result: `result of task ${t} (attempt ${attemptNo})`,
          });
        }
      };
      const timeout = options?.timeout ?? run.settings.timeout;
      // The deadline runs from the subagent's start, which a runtime-kept WIP limit may delay.
      const started = (agent: HarnessAgent, at: number) => {
        if (timeout === Number.POSITIVE_INFINITY) return;
        const deadline = Math.max(0, instantMs(at + timeout) - ms(run.now));
        this.clock.setTimeout(() => {
          const a = agent.attempt;
          // One due to end at this very instant ended already: its timer was set first.
          if (run.isClosed || a.state !== 'running') return;
          run.stop(agent);
          const failedAt = run.now;
          run.notice(() => {
            run.failureKnown(agent, 'timeout', failedAt);
            resolve({ status: 'timeout', taskId: agent.id, error: `timed out after ${timeout} s` });
          }, true);
        }, deadline);
      };
      run.dispatch(task, ended, `agent(${task})`, started);
    });
  }
}
