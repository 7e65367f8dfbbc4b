/**
 * Broken on every workload: "good enough" — once a single subagent is still out, it stops
 * waiting and writes its answer, so the last result arrives after the final answer and is
 * never read. Caught by runEnds (a task left unresolved).
 */
import type { Strategy } from 'dispatchlab';
import { careful } from './careful.js';

export default function answersBeforeTheLast(): Strategy {
  return {
    label: 'answers-before-the-last',
    settings: careful,
    *run(o) {
      while (!o.finished) {
        for (const task of o.readyTasks()) yield* o.dispatch(task);
        if (o.outstanding === 1 && o.bufferedResults === 0 && o.readyTasks().length === 0) break;
        const result = yield* o.nextResult();
        if (result === undefined) continue;
        yield* o.process(result);
      }
      yield* o.synthesize();
    },
  };
}
