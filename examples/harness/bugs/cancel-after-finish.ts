/**
 * A deadline that cancels without checking first. The code gives its subagents a budget
 * of time, polling them meanwhile, and when the budget runs out it cancels every one it has
 * not heard back from; but `list({ status: 'running' })` lists what the code knows, and a
 * subagent that finished after the last poll round is still running to it. The runtime
 * records the cancel of that finished subagent, as LangGraph records the cancel of a
 * finished run, and its result is lost: the task is given up though its answer was there.
 * The fix checks each straggler first and cancels only those still running:
 * `cancelAfterFinishFixed`.
 */
import type { CheckResult, OrchestratorRuntime } from '../../../src/harness/index.js';

const sleep = (seconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

export interface CancelAfterFinishOptions {
  /** Seconds the subagents are given, from the start of the run. */
  readonly budget: number;
  /** Seconds between poll rounds. */
  readonly pollEvery: number;
}

/** What the code declares: it polls, keeps no WIP limit, retries nothing. */
export function cancelAfterFinishSettings(o: CancelAfterFinishOptions) {
  return { wip: null, pollInterval: o.pollEvery, retries: 0, timeout: null };
}

function orchestrator(o: CancelAfterFinishOptions, checkFirst: boolean) {
  return async (rt: OrchestratorRuntime): Promise<string[]> => {
    // The fake clock is installed on the global Date: this is simulated time.
    const deadline = Date.now() + o.budget * 1000;
    const open = new Map<string, number>();
    for (let task = 0; task < rt.tasks; task++) {
      await rt.work('dispatch', rt.costs.dispatch);
      open.set(rt.start(task), task);
    }
    const results: { readonly id: string; readonly task: number }[] = [];
    const settle = (id: string, task: number, outcome: CheckResult) => {
      open.delete(id);
      if (outcome.status === 'success') results.push({ id, task });
      else rt.giveUp(task);
    };
    while (open.size > 0) {
      const left = (deadline - Date.now()) / 1000;
      if (left <= 0) break;
      await sleep(Math.min(o.pollEvery, left));
      if (Date.now() >= deadline) break;
      for (const [id, task] of [...open]) {
        await rt.work('poll', rt.costs.poll);
        const outcome = rt.check(id);
        if (outcome.status !== 'running') settle(id, task, outcome);
      }
    }
    // The budget is spent: the stragglers are cancelled and their tasks given up.
    for (const { taskId, task } of rt.list({ status: 'running' })) {
      if (checkFirst) {
        // The fix: a straggler that ended since the last round is read, not cancelled.
        const outcome = rt.check(taskId);
        if (outcome.status !== 'running') {
          settle(taskId, task, outcome);
          continue;
        }
      }
      rt.cancel(taskId);
      open.delete(taskId);
      rt.giveUp(task);
    }
    for (const { id, task } of results) {
      // False: validation caught the result wrong; the budget is spent, so it is given up.
      if (!(await rt.work('process', rt.costs.process, { result: id }))) rt.giveUp(task);
    }
    await rt.work('synthesize', rt.costs.synthesize);
    return results.map((r) => r.id);
  };
}

/** The buggy orchestrator: at the deadline it cancels what it has not heard back from. */
export function cancelAfterFinish(o: CancelAfterFinishOptions) {
  return orchestrator(o, false);
}

/** Its fixed twin: at the deadline it checks each straggler first. */
export function cancelAfterFinishFixed(o: CancelAfterFinishOptions) {
  return orchestrator(o, true);
}
