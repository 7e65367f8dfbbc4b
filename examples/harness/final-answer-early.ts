/**
 * The same blocking, polling orchestrator with a bug seen in real code: results are
 * processed by a background drain (`void drain()`, never awaited), and the final answer
 * waits only for every result to have *arrived*. When the last results arrive together,
 * the answer is written while the drain is still processing the one before them: the
 * last result is never read, its task never resolved.
 */
import type { OrchestratorRuntime } from '../../src/harness/index.js';

const sleep = (seconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

export function finalAnswerEarly(pollEvery: number) {
  return async (rt: OrchestratorRuntime): Promise<void> => {
    const ids: string[] = [];
    for (let task = 0; task < rt.tasks; task++) {
      await rt.work('dispatch', rt.costs.dispatch);
      ids.push(rt.start(task));
    }
    const queue: string[] = [];
    let draining = false;
    const drain = async () => {
      if (draining) return;
      draining = true;
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        await rt.work('process', rt.costs.process, { result: id });
      }
      draining = false;
    };
    const finished = new Set<string>();
    while (finished.size < ids.length) {
      for (const [task, id] of ids.entries()) {
        if (finished.has(id)) continue;
        const { status } = rt.check(id);
        if (status === 'running') continue;
        finished.add(id);
        if (status === 'success') {
          queue.push(id);
          void drain(); // the bug: nobody awaits the drain
        } else rt.giveUp(task);
      }
      if (finished.size < ids.length) await sleep(pollEvery);
    }
    await rt.work('synthesize', rt.costs.synthesize);
  };
}
