/**
 * The names of the safety invariants a trace is checked against (docs/model.md, "Safety
 * invariants"; src/invariants implements each): here, below the scenario, so that a
 * scenario file can declare the ones a strategy is meant to break (`expect:`) and be
 * checked when it is read. A test keeps this list and src/invariants/index.ts the same.
 */
export const invariantNames = [
  'wipLimit',
  'noGhosts',
  'tasksEndOnce',
  'noDuplicateSpawn',
  'failuresDetected',
  'cancelOnlyLive',
  'runEnds',
  'oneThingAtATime',
  'timeForward',
] as const;

export type InvariantName = (typeof invariantNames)[number];
