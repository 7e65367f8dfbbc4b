/**
 * The regressions file: every counterexample `dispatchlab check` found, kept so that the
 * next check replays it first, before it generates anything. A bug once found is then
 * checked on every run, whatever the generator's seed, budget or version: an entry holds
 * the workload itself (the changes to the scenario) and the run's seed, not fast-check's
 * path, which a later version's generator may no longer follow.
 *
 * Entries belong to a scenario and a strategy by name and label. The file is JSON, meant
 * to be committed beside the scenario; one file may serve several scenarios.
 */
import { z } from 'zod';
import { UsageError } from './errors.js';
import type { WorkloadVariation } from './workload-variations.js';

export interface Regression {
  readonly scenario: string;
  readonly strategy: string;
  /** The run's seed. */
  readonly seed: number;
  /** The changes to the scenario's workload (workload-variations.ts). */
  readonly workload: WorkloadVariation;
  /** What it broke when found. */
  readonly broke: readonly string[];
  /** Where it came from: dispatchlab's version, and the replay token of `check --replay`. */
  readonly found: { readonly version: string; readonly replay: string };
}

export interface RegressionsDocument {
  readonly format: 'dispatchlab-regressions';
  readonly version: 1;
  readonly regressions: readonly Regression[];
}

export const emptyRegressions: RegressionsDocument = {
  format: 'dispatchlab-regressions',
  version: 1,
  regressions: [],
};

const regressionSchema = z.strictObject({
  scenario: z.string(),
  strategy: z.string(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  // Its fields are checked where they land: by the scenario schema, once applied.
  workload: z.record(z.string(), z.unknown()),
  broke: z.array(z.string()),
  found: z.strictObject({ version: z.string(), replay: z.string() }),
});

const documentSchema = z.strictObject({
  format: z.literal('dispatchlab-regressions'),
  version: z.literal(1),
  regressions: z.array(regressionSchema),
});

/** A regressions file's content, checked; `file` names it in the message of a refusal. */
export function parseRegressions(value: unknown, file: string): RegressionsDocument {
  const checked = documentSchema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const where = issue.path.length === 0 ? 'the document' : issue.path.join('.');
    throw new UsageError(
      `${file}: not a regressions file of dispatchlab check (${where}: ${issue.message}); it is written by check itself: fix the entry, or move the file away and let check write a new one.`,
    );
  }
  // Checked above; its workloads are checked when applied to the scenario.
  return checked.data as RegressionsDocument;
}

/** The entries for one strategy of one scenario. */
export function regressionsFor(
  doc: RegressionsDocument,
  scenario: string,
  strategy: string,
): Regression[] {
  return doc.regressions.filter((r) => r.scenario === scenario && r.strategy === strategy);
}

/** The document with `entry` added, unless the same workload and seed are there already. */
export function withRegression(doc: RegressionsDocument, entry: Regression): RegressionsDocument {
  const key = (r: Regression) => JSON.stringify([r.scenario, r.strategy, r.seed, r.workload]);
  if (doc.regressions.some((r) => key(r) === key(entry))) return doc;
  return { ...doc, regressions: [...doc.regressions, entry] };
}
