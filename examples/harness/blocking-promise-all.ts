/**
 * Blocking fan-out/fan-in, written as real code with the foreground call: call every
 * subagent at once with `Promise.all` over `rt.agent(task)` and wait for them all, then
 * process the results in the order they came back, then write the final answer.
 *
 * - Each call pays `dispatch` and blocks until its subagent ends. A subagent that fails
 *   (an error, or its `timeout`) is called again at once, while the others still run, up
 *   to `retries` times per task; then its task is given up.
 * - A result that validation catches wrong sends its task to another round, planned
 *   first, as the same fan-out of the tasks still open.
 *
 * Declare `mode: 'foreground'` (see `settings`): the subagents' permission requests then
 * come to the orchestrator, which answers them between its actions.
 */
import type { HarnessSettings, OrchestratorRuntime } from '../../src/harness/index.js';

export interface BlockingPromiseAllOptions {
  /** Seconds a subagent may run before its call gives up on it; Infinity for none. */
  readonly timeout: number;
  /** Times a failed task is called again before it is given up. */
  readonly retries: number;
}

const defaults: BlockingPromiseAllOptions = { timeout: Number.POSITIVE_INFINITY, retries: 0 };

/** What the code declares about itself, for runOrchestrator's `settings`. */
export function settings(o: BlockingPromiseAllOptions = defaults): HarnessSettings {
  return {
    mode: 'foreground',
    wip: null,
    timeout: Number.isFinite(o.timeout) ? o.timeout : null,
    retries: o.retries,
  };
}

export function blockingPromiseAll(o: BlockingPromiseAllOptions = defaults) {
  return async (rt: OrchestratorRuntime): Promise<string[]> => {
    const { costs } = rt;
    const failures = new Map<number, number>();
    const accepted: string[] = [];

    // One task's call, again after each failure while it has retries left. A result joins
    // `arrived` the moment it comes back, so that results are processed in that order.
    const call = async (task: number, arrived: [string, number][]) => {
      for (;;) {
        const outcome = await rt.agent(task);
        if (outcome.status === 'success') {
          arrived.push([outcome.taskId, task]);
          return;
        }
        const count = (failures.get(task) ?? 0) + 1;
        failures.set(task, count);
        if (count > o.retries) {
          rt.giveUp(task);
          return;
        }
      }
    };

    let open = Array.from({ length: rt.tasks }, (_, task) => task);
    for (let round = 0; open.length > 0; round++) {
      if (round > 0) await rt.work('plan', costs.plan);
      const arrived: [string, number][] = [];
      await Promise.all(open.map((task) => call(task, arrived)));
      open = [];
      for (const [id, task] of arrived) {
        if (await rt.work('process', costs.process, { result: id })) accepted.push(id);
        else open.push(task); // caught wrong: next round
      }
    }
    await rt.work('synthesize', costs.synthesize);
    return accepted;
  };
}
