/**
 * A blocking orchestrator that polls, written as real code against the harness's polling
 * runtime: start every task, check each unfinished one every `pollEvery` seconds until all
 * are done, then process the results one by one and write the final answer. A failed or
 * timed-out task is given up at the check that reports it (no retries).
 */
import type { OrchestratorRuntime } from '../../src/harness/index.js';

const sleep = (seconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

export function blockingPolling(pollEvery: number) {
  return async (rt: OrchestratorRuntime): Promise<string[]> => {
    const ids: string[] = [];
    for (let task = 0; task < rt.tasks; task++) {
      await rt.work('dispatch', rt.costs.dispatch);
      ids.push(rt.start(task));
    }
    const finished = new Set<string>();
    const succeeded: string[] = [];
    for (;;) {
      for (const [task, id] of ids.entries()) {
        if (finished.has(id)) continue;
        await rt.work('poll', rt.costs.poll);
        const { status } = rt.check(id);
        if (status === 'running') continue;
        finished.add(id);
        if (status === 'success') succeeded.push(id);
        else rt.giveUp(task);
      }
      if (finished.size === ids.length) break;
      await sleep(pollEvery);
    }
    for (const id of succeeded) await rt.work('process', rt.costs.process, { result: id });
    await rt.work('synthesize', rt.costs.synthesize);
    return succeeded;
  };
}
