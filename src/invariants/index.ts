/**
 * The safety invariants, in the order docs/model.md states them ("Safety invariants"):
 * what `dispatchlab check` checks on every run and every trace. Adding one means a file
 * beside these (an Invariant: invariant.ts) and a line here. Exported with the runner, so
 * that a test of one's own can check a trace (checkRecords) or a run as it goes
 * (TraceChecker, a trace sink for runStrategy).
 */
import { cancelOnlyLive } from './cancel-only-live.js';
import { failuresDetected } from './failures-detected.js';
import type { Invariant } from './invariant.js';

export {
  checkRecords,
  type InvariantCheck,
  type TraceCheck,
  TraceChecker,
  TraceOrderError,
} from './check-trace.js';
export type { Checker, CheckResult, CheckStatus, Invariant, Violation } from './invariant.js';

import { noDuplicateSpawn } from './no-duplicate-spawn.js';
import { noGhosts } from './no-ghosts.js';
import { oneThingAtATime } from './one-thing-at-a-time.js';
import { runEnds } from './run-ends.js';
import { tasksEndOnce } from './tasks-end-once.js';
import { timeForward } from './time-forward.js';
import { wipLimit } from './wip-limit.js';

export const invariants: readonly Invariant[] = [
  wipLimit,
  noGhosts,
  tasksEndOnce,
  noDuplicateSpawn,
  failuresDetected,
  cancelOnlyLive,
  runEnds,
  oneThingAtATime,
  timeForward,
];
