/**
 * Broken only when a subagent hangs: it sets no timeout, so a subagent that never returns
 * holds the orchestrator's wait for good (a monitor that cannot tell "stuck" from "still
 * working"). Hangs are rare in the scenario (1 in 1,000 attempts, none on its seeds); the
 * generator has to raise their rate. Caught by runEnds (the run deadlocks).
 */
import type { Strategy } from 'dispatchlab';
import { careful, carefulLoop } from './careful.js';

export default function noTimeout(): Strategy {
  return {
    label: 'no-timeout',
    settings: { ...careful, timeout: Number.POSITIVE_INFINITY },
    run: carefulLoop,
  };
}
