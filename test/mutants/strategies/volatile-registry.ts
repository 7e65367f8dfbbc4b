/**
 * Broken only when the context is compacted: it keeps its subagents' handles only in the
 * conversation (a volatile registry), which is harmless until a compaction drops some of
 * them — then the forgotten subagents run on unread (ghosts) and their tasks are
 * dispatched again (duplicates). The scenario's ten tasks never fill the context; the
 * generator has to find a workload that does.
 */
import type { Strategy } from 'dispatchlab';
import { careful, carefulLoop } from './careful.js';

export default function volatileRegistry(): Strategy {
  return {
    label: 'volatile-registry',
    settings: { ...careful, registry: 'volatile' },
    run: carefulLoop,
  };
}
