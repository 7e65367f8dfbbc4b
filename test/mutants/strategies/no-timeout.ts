/**
 * Broken only when a subagent hangs: it sets no timeout, so a subagent that never returns
 * holds the orchestrator's wait for good (a monitor that cannot tell "stuck" from "still
 * working"). Hangs are rare in the scenario (1 in 1,000 attempts, none on its seeds); the
 * generator has to raise their rate. Caught by runEnds (the run deadlocks).
 */
import type { Strategy } from 'dispatchlab';
import { careful } from './settings.js';

export default function noTimeout(): Strategy {
  return {
    label: 'no-timeout',
    settings: { ...careful, timeout: Number.POSITIVE_INFINITY },
    *run(o) {
      while (!o.finished) {
        for (const task of o.readyTasks()) yield* o.dispatch(task);
        const result = yield* o.nextResult();
        if (result === undefined) {
          if (o.outstanding === 0 && o.readyTasks().length === 0) break;
          continue;
        }
        yield* o.process(result);
      }
      yield* o.synthesize();
    },
  };
}
