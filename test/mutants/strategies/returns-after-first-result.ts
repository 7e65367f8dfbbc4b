/**
 * Broken on every workload: it dispatches every task, processes the first result and
 * writes its answer, as if one result were the answer. The other tasks are never resolved
 * and their subagents run on unread. Caught by runEnds (the run is incomplete).
 */
import type { Strategy } from 'dispatchlab';
import { careful } from './careful.js';

export default function returnsAfterFirstResult(): Strategy {
  return {
    label: 'returns-after-first-result',
    settings: careful,
    *run(o) {
      for (const task of o.readyTasks()) yield* o.dispatch(task);
      const first = yield* o.nextResult();
      if (first !== undefined) yield* o.process(first);
      yield* o.synthesize();
    },
  };
}
