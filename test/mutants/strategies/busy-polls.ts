/**
 * Broken on every workload: instead of waiting for a result it asks again and again
 * whether one has arrived (checkIn costs nothing when nothing has), so simulated time
 * never passes: in real code, a hot loop at 100% CPU that never yields to the event loop.
 * The model stops it after a million actions at one instant; caught by runEnds.
 */
import type { Strategy } from 'dispatchlab';
import { careful } from './careful.js';

export default function busyPolls(): Strategy {
  return {
    label: 'busy-polls',
    settings: careful,
    *run(o) {
      while (!o.finished) {
        for (const task of o.readyTasks()) yield* o.dispatch(task);
        const result = yield* o.checkIn();
        if (result !== undefined) yield* o.process(result);
      }
      yield* o.synthesize();
    },
  };
}
