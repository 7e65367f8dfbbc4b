/**
 * Bounded batches, written as real code with the foreground call: call `size` subagents at
 * once (`Promise.all` over `rt.agent(task)`), wait for all of them, process their results
 * in the order they came back, plan, and call the next `size`; then the final answer.
 *
 * - A subagent that fails (an error, or its `timeout`) is called again at once, inside its
 *   batch, up to `retries` times per task; then its task is given up.
 * - A result that validation catches wrong puts its task back at the end of the line, for
 *   a later batch.
 *
 * Declare `mode: 'foreground'` (see `settings`): the subagents' permission requests then
 * come to the orchestrator, which answers them between its actions.
 */
import type { HarnessSettings, OrchestratorRuntime } from '../../src/harness/index.js';

export interface BatchesOptions {
  /** Tasks per batch. */
  readonly size: number;
  /** Seconds a subagent may run before its call gives up on it; Infinity for none. */
  readonly timeout: number;
  /** Times a failed task is called again before it is given up. */
  readonly retries: number;
}

/** What the code declares about itself, for runOrchestrator's `settings`. */
export function settings(o: BatchesOptions): HarnessSettings {
  return {
    mode: 'foreground',
    // At most one batch is out at a time.
    wip: o.size,
    timeout: Number.isFinite(o.timeout) ? o.timeout : null,
    retries: o.retries,
  };
}

export function batches(o: BatchesOptions) {
  if (!Number.isInteger(o.size) || o.size < 1) {
    throw new RangeError(`a batch holds at least one task, got ${o.size}`);
  }
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

    const line = Array.from({ length: rt.tasks }, (_, task) => task);
    for (let round = 0; line.length > 0; round++) {
      const batch = line.splice(0, o.size);
      if (round > 0) await rt.work('plan', costs.plan);
      const arrived: [string, number][] = [];
      await Promise.all(batch.map((task) => call(task, arrived)));
      for (const [id, task] of arrived) {
        if (await rt.work('process', costs.process, { result: id })) accepted.push(id);
        else line.push(task); // caught wrong: back at the end of the line
      }
    }
    await rt.work('synthesize', costs.synthesize);
    return accepted;
  };
}
