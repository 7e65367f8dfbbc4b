/**
 * Assuming subagents end in the order they were started. This blocking orchestrator
 * starts every task with the foreground call, processes each result as it comes, and
 * writes its answer once the result of the task it started last is processed, on the
 * belief that the last one started is the last one to finish. When subagents end at the
 * same instant, a runtime may report them in any order, and in some orders the answer is
 * written while earlier results are still being processed. The harness reports the ends
 * of one instant in the order they started unless a property asks fast-check's
 * scheduler to pick (runOrchestrator's `scheduler`): only then does the bug show. The fix
 * waits for every result.
 */
import type { OrchestratorRuntime } from '../../../src/harness/index.js';

export function assumesEndOrder(options: { readonly fixed: boolean }) {
  return async (rt: OrchestratorRuntime): Promise<string[]> => {
    const results: string[] = [];
    const processed: Promise<void>[] = [];
    for (let task = 0; task < rt.tasks; task++) {
      const outcome = rt.agent(task);
      processed.push(
        outcome.then(async (o) => {
          if (o.status !== 'success') return rt.giveUp(task);
          await rt.work('process', rt.costs.process, { result: o.taskId });
          results.push(o.result);
        }),
      );
    }
    if (options.fixed) await Promise.all(processed);
    else await processed.at(-1); // the bug: "the last one started finishes last"
    return results;
  };
}
