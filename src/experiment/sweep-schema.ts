/**
 * The sweep document as a reader checks it before trusting it (`dispatchlab report`): the
 * fields a report reads, each of the type sweep.ts gives it, and the ties between them a
 * report follows (a point per grid node, a change's or a flip's indexes naming points).
 * Unknown fields are allowed (a later version may add some). Each point's `results` and
 * `verdict` are checked as a results document's body and verdict are (results-schema.ts),
 * with the same pieces.
 */
import { z } from 'zod';
import { firstIssue, metric, resultsDocumentSchema } from './results-schema.js';
import type { SweepDocument } from './sweep.js';

const { scenario, seeds, verdict } = resultsDocumentSchema.shape;

/** A point's results: a results document's body (sweep.ts), baseline to omitted. */
const body = resultsDocumentSchema
  .pick({ baseline: true, strategies: true, comparisons: true, omitted: true })
  .extend({ requestedBaseline: z.string().optional() });

const varyValue = z.union([z.number(), z.string(), z.boolean()]);
const values = z.record(z.string(), varyValue);
const index = z.number().int().min(0);

const sweepDocumentSchema = z.looseObject({
  format: z.literal('dispatchlab-sweep'),
  version: z.literal(3),
  scenario,
  seeds,
  vary: z.array(z.looseObject({ path: z.string(), values: z.array(varyValue).min(1) })).min(1),
  winnerBy: z.looseObject({
    metric,
    direction: z.enum(['lower', 'higher']),
    margin: z.number().min(0).max(1),
  }),
  points: z
    .array(
      z.looseObject({
        values,
        winner: z.string().nullable(),
        lead: z.enum(['clear', 'tie']).nullable(),
        tied: z.array(z.string()),
        verdict,
        results: body,
      }),
    )
    .min(1),
  changes: z.array(
    z.looseObject({
      along: z.string(),
      at: values,
      from: index,
      to: index,
      between: z.tuple([varyValue, varyValue]),
      before: z.string(),
      after: z.string(),
    }),
  ),
  flips: z.array(
    z.looseObject({
      along: z.string(),
      at: values,
      from: index,
      to: index,
      between: z.tuple([varyValue, varyValue]),
      before: z.string().nullable(),
      after: z.string().nullable(),
    }),
  ),
});

/**
 * What the schema cannot say: that the points are the grid the varies make, each with a
 * value of every varied path and the same strategies in number, that a winner, a tie, a
 * verdict's reference and its recommendation name the point's own strategies, that a
 * change or a flip runs along a varied path between two points that exist, and that a
 * flip's ends are what those points recommend. A report indexes by these; a document that breaks them would be
 * drawn wrong rather than refused.
 */
function gridProblem(doc: SweepDocument): string | undefined {
  const grid = doc.vary.reduce((n, v) => n * v.values.length, 1);
  if (doc.points.length !== grid) {
    return `at points: ${doc.points.length} points, but the values in vary make a grid of ${grid}`;
  }
  const count = doc.points[0]!.results.strategies.length;
  for (const [i, p] of doc.points.entries()) {
    const missing = doc.vary.find((v) => !(v.path in p.values));
    if (missing !== undefined) return `at points.${i}.values: no value for ${missing.path}`;
    const labels = p.results.strategies.map((s) => s.label);
    if (labels.length !== count) {
      return `at points.${i}.results.strategies: ${labels.length} strategies, but points.0 has ${count}`;
    }
    const named = [p.winner ?? [], p.tied, p.verdict.reference ?? [], p.verdict.recommended ?? []];
    const stranger = named.flat().find((l) => !labels.includes(l));
    if (stranger !== undefined) {
      return `at points.${i}: ${JSON.stringify(stranger)} is not one of the point's strategies`;
    }
  }
  const lists = [
    ['changes', doc.changes],
    ['flips', doc.flips],
  ] as const;
  for (const [name, list] of lists) {
    for (const [i, c] of list.entries()) {
      if (!doc.vary.some((v) => v.path === c.along)) {
        return `at ${name}.${i}.along: ${JSON.stringify(c.along)} is not a path in vary`;
      }
      for (const end of ['from', 'to'] as const) {
        if (c[end] >= doc.points.length) {
          return `at ${name}.${i}.${end}: there is no point ${c[end]} (${doc.points.length} points)`;
        }
      }
    }
  }
  // A flip's sentence names its ends' recommendations and reads the points' verdicts
  // around them: the two must agree.
  for (const [i, f] of doc.flips.entries()) {
    for (const [side, end] of [
      ['before', 'from'],
      ['after', 'to'],
    ] as const) {
      const recommended = doc.points[f[end]]!.verdict.recommended;
      if (f[side] !== recommended) {
        return `at flips.${i}.${side}: ${JSON.stringify(f[side])}, but points.${f[end]} recommends ${JSON.stringify(recommended)}`;
      }
    }
  }
  return undefined;
}

/** Why `value` is not a sweep document this version reads, or undefined if it is one. */
export function sweepDocumentProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'it is not a JSON object';
  }
  const v = value as Record<string, unknown>;
  if (v.format !== 'dispatchlab-sweep') {
    return `its format is ${JSON.stringify(v.format ?? null)}, not "dispatchlab-sweep" (a partial document is merged first: dispatchlab merge)`;
  }
  if (v.version !== 3) {
    const earlier = typeof v.version === 'number' && v.version < 3;
    return `its version is ${JSON.stringify(v.version ?? null)}, not 3: ${earlier ? 'it was written by an earlier version of dispatchlab (before the verdict at each point and where the answer flips); run the sweep again' : 'this version of dispatchlab does not read it'}`;
  }
  const parsed = sweepDocumentSchema.safeParse(value);
  if (!parsed.success) return firstIssue(parsed.error);
  // The schema checked every field the report reads, with those types.
  return gridProblem(value as SweepDocument);
}
