/**
 * Broken only on large workloads: it keeps its dispatched task ids in a fixed table of 40
 * slots and stops dispatching when the table is full — fine for every workload its author
 * tried (10 tasks). Beyond 40 tasks the rest are never dispatched and the run is left
 * incomplete. The generator has to find a task count above 40; shrinking takes it to 41.
 */
import type { Strategy } from 'dispatchlab';
import { careful } from './careful.js';

const tableSize = 40;

export default function capsAtForty(): Strategy {
  return {
    label: 'caps-at-forty',
    settings: careful,
    *run(o) {
      const dispatched = new Set<number>();
      while (!o.finished) {
        for (const task of o.readyTasks()) {
          if (dispatched.size >= tableSize && !dispatched.has(task)) continue;
          dispatched.add(task);
          yield* o.dispatch(task);
        }
        const result = yield* o.nextResult();
        if (result === undefined) {
          if (o.outstanding === 0 && o.readyTasks().every((t) => !dispatched.has(t))) break;
          continue;
        }
        yield* o.process(result);
      }
      yield* o.synthesize();
    },
  };
}
