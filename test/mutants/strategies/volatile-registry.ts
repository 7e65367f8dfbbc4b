/**
 * Broken only when the context is compacted: it keeps its subagents' handles only in the
 * conversation (a volatile registry), which is harmless until a compaction drops some of
 * them — then the forgotten subagents run on unread (ghosts) and their tasks are
 * dispatched again (duplicates). The scenario's ten tasks never fill the context; the
 * generator has to find a workload that does.
 */
import type { Strategy } from 'dispatchlab';
import { careful } from './settings.js';

export default function volatileRegistry(): Strategy {
  return {
    label: 'volatile-registry',
    settings: { ...careful, registry: 'volatile' },
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
