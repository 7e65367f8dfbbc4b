/**
 * Broken only when two results come at one instant: it drops a result handed to it at the
 * same moment as the previous one, taking it for a duplicate notice (real code keyed its
 * completion notices by timestamp). With a processing cost and latencies that never tie,
 * no two results come at one instant; free processing, or latencies that repeat, make
 * them — which the generator has to find. The dropped result is never read: runEnds.
 */
import type { Strategy } from 'dispatchlab';
import { careful } from './careful.js';

export default function dedupesByTimestamp(): Strategy {
  return {
    label: 'dedupes-by-timestamp',
    settings: careful,
    *run(o) {
      let lastNoticeAt = Number.NaN;
      while (!o.finished) {
        for (const task of o.readyTasks()) yield* o.dispatch(task);
        const result = yield* o.nextResult();
        if (result === undefined) {
          if (o.outstanding === 0 && o.readyTasks().length === 0) break;
          continue;
        }
        if (o.now === lastNoticeAt) continue; // "a duplicate notice"
        lastNoticeAt = o.now;
        yield* o.process(result);
      }
      yield* o.synthesize();
    },
  };
}
