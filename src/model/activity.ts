/** What the orchestrator can be busy doing; with `idle` these partition the makespan. */
export const activityKinds = [
  'dispatch',
  'plan',
  'process',
  'poll',
  'answer',
  'synthesize',
  'compaction',
  'turn',
] as const;
export type ActivityKind = (typeof activityKinds)[number];
