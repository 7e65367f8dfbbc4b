/**
 * Task ids kept only in the model's context. This async orchestrator polls the subagents
 * it remembers starting, and it remembers them in its context (`rt.context`), as an LLM
 * orchestrator remembers the ids its tool calls returned. When the conversation is
 * compacted, some ids go: those subagents run on, their results never read (ghosts), and
 * their tasks, which the orchestrator now believes were never started, are started again
 * (duplicates). The fix keeps the ids in a task list that survives compaction
 * (`rt.durable`), as a durable registry does.
 */
import type { OrchestratorRuntime } from '../../../src/harness/index.js';

const sleep = (seconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

export function lostIdsAtCompaction(options: {
  readonly wip: number;
  readonly pollEvery: number;
  /** Where the ids of running subagents are kept: the bug keeps them in context. */
  readonly keepIdsIn: 'context' | 'durable';
}) {
  return async (rt: OrchestratorRuntime): Promise<void> => {
    const running = options.keepIdsIn === 'context' ? rt.context : rt.durable;
    const done = new Set<number>();
    const isRunning = (task: number) => [...running.values()].includes(task);
    for (;;) {
      // Refill the free slots with tasks neither done nor (as far as it knows) running.
      for (let task = 0; task < rt.tasks && running.size < options.wip; task++) {
        if (done.has(task) || isRunning(task)) continue;
        await rt.work('dispatch', rt.costs.dispatch);
        running.set(rt.start(task), task);
      }
      if (done.size === rt.tasks) break;
      if (running.size === 0) break; // nothing it knows of is out: it believes it is finished
      await sleep(options.pollEvery);
      for (const [id, value] of [...running.entries()]) {
        const task = value as number;
        await rt.work('poll', rt.costs.poll);
        const { status } = rt.check(id);
        if (status === 'running') continue;
        running.delete(id);
        done.add(task);
        if (status === 'success') await rt.work('process', rt.costs.process, { result: id });
        else rt.giveUp(task);
      }
    }
    await rt.work('synthesize', rt.costs.synthesize);
  };
}
