/**
 * The results document as a reader checks it before trusting it (`dispatchlab report`):
 * the fields a report reads, each of the type results.ts and verdict.ts give it. Unknown
 * fields are allowed (a later version may add some); a document written before verdicts
 * existed is refused with the command that writes a current one.
 */
import { z } from 'zod';
import { limits } from '../scenario/limits.js';
import { metricNames } from './metric-names.js';

const stat = z.number().nullable();
const interval = z.tuple([z.number(), z.number()]).nullable();

const summary = z.looseObject({
  mean: stat,
  sd: stat,
  ci95: interval,
  p50: stat,
  p95: stat,
  min: stat,
  max: stat,
  n: z.number().int().min(0),
  undefined: z.number().int().min(0),
  infinite: z.number().int().min(0),
});

/** A metric's name (metric-names.ts). */
export const metric = z.enum(metricNames);

const comparison = z.looseObject({
  a: z.string(),
  b: z.string(),
  metric,
  meanDiff: stat,
  ci95: interval,
  n: z.number().int().min(0),
  excluded: z.number().int().min(0),
});

const strategy = z.looseObject({
  label: z.string(),
  config: z.record(z.string(), z.unknown()),
  outcomes: z.looseObject({
    completed: z.number().int().min(0),
    deadlock: z.number().int().min(0),
    deadlockSeeds: z.array(z.number()),
    incomplete: z.number().int().min(0),
    incompleteSeeds: z.array(z.number()),
  }),
  metrics: z.looseObject(Object.fromEntries(metricNames.map((m) => [m, summary]))),
});

const reason = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('deadlock'), runs: z.number() }),
  z.looseObject({ kind: z.literal('incomplete'), runs: z.number() }),
  z.looseObject({ kind: z.literal('undetectedFailures'), worst: z.number() }),
  z.looseObject({ kind: z.literal('ghosts'), mean: z.number(), worst: z.number() }),
  z.looseObject({ kind: z.literal('givenUp'), difference: comparison }),
]);

const limit = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('orchestrator'), busyShare: z.number() }),
  z.looseObject({ kind: z.literal('slots'), meanInFlight: z.number(), wip: z.number() }),
  z.looseObject({ kind: z.literal('subagents'), idleShare: z.number() }),
  z.looseObject({ kind: z.literal('polling'), pollShare: z.number() }),
]);

const verdict = z.looseObject({
  objective: metric,
  direction: z.enum(['lower', 'higher']),
  margin: z.number().min(0).max(1),
  threshold: z.number().min(0),
  reference: z.string().nullable(),
  recommended: z.string().nullable(),
  unsafe: z.array(z.looseObject({ label: z.string(), reasons: z.array(reason) })),
  candidates: z.array(
    z.looseObject({ label: z.string(), difference: comparison, share: stat, clears: z.boolean() }),
  ),
  tradeOffs: z.array(comparison),
  limits: z.array(limit),
  conditions: z
    .looseObject({
      overlappableWork: z.number(),
      overlappableShare: z.number(),
      peakInFlight: z.number(),
      tasks: z.number(),
      compactions: z.number(),
    })
    .nullable(),
});

export const resultsDocumentSchema = z.looseObject({
  format: z.literal('dispatchlab-results'),
  version: z.literal(2),
  scenario: z.looseObject({
    name: z.string(),
    description: z.string(),
    inputHash: z.string(),
    file: z.string().optional(),
  }),
  // At most the seeds an experiment may run: a report re-runs them for its representative seed.
  seeds: z.looseObject({
    start: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    count: z.number().int().min(1).max(limits.seeds),
  }),
  baseline: z.string(),
  strategies: z.array(strategy).min(1),
  comparisons: z.array(comparison),
  omitted: z.array(z.unknown()),
  verdict,
});

/** Why `value` is not a results document this version reads, or undefined if it is one. */
export function resultsDocumentProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'it is not a JSON object';
  }
  const v = value as Record<string, unknown>;
  if (v.format !== 'dispatchlab-results') {
    return `its format is ${JSON.stringify(v.format ?? null)}, not "dispatchlab-results" (a partial document is merged first: dispatchlab merge)`;
  }
  if (v.verdict === undefined) return 'it has no verdict: it was written by an earlier version';
  const parsed = resultsDocumentSchema.safeParse(value);
  return parsed.success ? undefined : firstIssue(parsed.error);
}

/** The first thing zod found wrong, as a refused document's message says it: where, then what. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `at ${issue.path.join('.') || 'the top'}: ${issue.message}`;
}
