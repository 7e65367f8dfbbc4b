/**
 * The partial document: what one shard of a compare or a sweep writes (`--shard I/N`),
 * and what `merge` reads back. It carries raw per-seed values, not statistics, because
 * statistics do not combine exactly; merged, the values give back exactly the document
 * the unsharded run would have written.
 *
 * Format (`format: "dispatchlab-partial"`, `version: 1`), keys in this order:
 * - `kind`: `"compare"` or `"sweep"`; `shard`: `{ index, of }` (index from 1);
 * - `dispatchlab`: the version that ran it (shards of different versions do not merge);
 * - `scenario`, `seeds`: as in the final document (`seeds` is the whole experiment's);
 * - `baseline`: the --baseline asked for, or null for the default (the first strategy);
 * - `strategies`: `[{ label, config }]` of the scenario as given;
 * - compare: `verdictBy` (`{ objective, margin }`, the verdict's; a partial written
 *   before verdicts has none and is read as makespan at 5%) and `runs`; sweep: `vary`, `winnerBy` and `points: [{ values, strategies, runs }]`
 *   (strategies per point: varying a strategy's field changes its config, maybe its label).
 *   `winnerBy` is the sweep document's, `{ metric, direction, margin }`, so that the merge
 *   judges the points as the unsharded run does. A partial written before the margin
 *   existed has no `margin`; it is read as the default (5%), which is what running its
 *   sweep again without --margin would use.
 * - `runs`: `{ seeds, strategies: [{ label, deadlocks, incompletes, values }] }`: `seeds`
 *   the shard's share in ascending order (seed k belongs to shard ((k − start) mod of) + 1);
 *   `deadlocks` the seeds whose run deadlocked, `incompletes` those whose strategy returned
 *   with tasks unresolved; `values` one array per metric (metricNames order), one value per
 *   seed. Values are exact: JSON numbers in shortest round-trip form, `null` for NaN, the
 *   strings `"Infinity"` and `"-Infinity"`. A partial written before `incompletes` existed
 *   has none; it is read as `[]`, which is what it was: no strategy could end incomplete
 *   then (only a strategy module can). Still version 1: a version that cannot read
 *   `incompletes` would not merge these shards anyway (`dispatchlab` differs).
 * Written compactly (no indentation): it is for machines, and can be large.
 */
import { z } from 'zod';
import { limits } from '../scenario/limits.js';
import { configEntry, configFromEntry } from '../strategies/config.js';
import type { AnyStrategyDescriptor } from '../strategies/descriptor.js';
import { strategyKindList } from '../strategies/kinds.js';
import { canonicalJson } from './canonical.js';
import { MergeError } from './errors.js';
import { defaultMargin } from './margin.js';
import { type MetricName, metricNames } from './metric-names.js';
import type { ScenarioHeader, SeedsHeader, StrategyConfigJson, StrategyHeader } from './results.js';
import type { SeedRuns } from './run-seeds.js';
import type { WinnerRule } from './sweep.js';
import type { Vary, VaryValue } from './vary.js';

export type EncodedValue = number | null | 'Infinity' | '-Infinity';

export interface RunsJson {
  readonly seeds: readonly number[];
  readonly strategies: readonly {
    readonly label: string;
    readonly deadlocks: readonly number[];
    readonly incompletes: readonly number[];
    readonly values: Readonly<Record<MetricName, readonly EncodedValue[]>>;
  }[];
}

interface PartialCommon {
  readonly format: 'dispatchlab-partial';
  readonly version: 1;
  readonly shard: { readonly index: number; readonly of: number };
  readonly dispatchlab: string;
  readonly scenario: ScenarioHeader;
  readonly seeds: SeedsHeader;
  readonly baseline: string | null;
  readonly strategies: readonly StrategyHeader[];
}

export interface ComparePartial extends PartialCommon {
  readonly kind: 'compare';
  /** The verdict's objective and margin, so that the merge judges as the unsharded run. */
  readonly verdictBy: { readonly objective: MetricName; readonly margin: number };
  readonly runs: RunsJson;
}

export interface SweepPartial extends PartialCommon {
  readonly kind: 'sweep';
  readonly vary: readonly Vary[];
  readonly winnerBy: WinnerRule;
  readonly points: readonly {
    readonly values: Readonly<Record<string, VaryValue>>;
    readonly strategies: readonly StrategyHeader[];
    readonly runs: RunsJson;
  }[];
}

export type PartialDocument = ComparePartial | SweepPartial;

function encodeValue(v: number): EncodedValue {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return null;
  return v > 0 ? 'Infinity' : '-Infinity';
}

export function decodeValue(v: EncodedValue): number {
  if (v === null) return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v;
}

export function encodeRuns(runs: SeedRuns): RunsJson {
  return {
    seeds: [...runs.seeds],
    strategies: runs.strategies.map((s) => {
      const values = {} as Record<MetricName, EncodedValue[]>;
      for (const name of metricNames) values[name] = s.values[name].map(encodeValue);
      return {
        label: s.label,
        deadlocks: [...s.deadlocks],
        incompletes: [...s.incompletes],
        values,
      };
    }),
  };
}

// The schema a partial read from a file must match before anything in it is trusted.
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().min(0);
const encoded = z.union([finite, z.null(), z.literal('Infinity'), z.literal('-Infinity')], {
  error: 'expected a number, null (NaN), "Infinity" or "-Infinity"',
});
/** A strategy module's `config`: its path and its options, as its entry writes them. */
const moduleConfigSchema = z.strictObject({
  module: z.string().min(1),
  options: z.record(z.string(), z.json()),
});

/** An orchestrator module's `config`, alike. */
const orchestratorConfigSchema = z.strictObject({
  orchestrator: z.string().min(1),
  options: z.record(z.string(), z.json()),
});

/**
 * A strategy's `config` (results.ts, configJson) as the descriptors of `kinds` write it, or
 * a module's (`{ module, options }`, `{ orchestrator, options }`), and nothing else: read back, a kind's must give the
 * very entry configJson writes for it (every option that applies, in the descriptor's
 * order), so that a merged document's configs are the very bytes an unsharded run writes.
 */
export function configSchemaFor(kinds: readonly AnyStrategyDescriptor[] = strategyKindList) {
  return z.record(z.string(), z.unknown()).transform((written, ctx) => {
    if ('module' in written || 'orchestrator' in written) {
      const schema = 'orchestrator' in written ? orchestratorConfigSchema : moduleConfigSchema;
      const checked = schema.safeParse(written);
      if (checked.success) return written as unknown as StrategyConfigJson;
      for (const issue of checked.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
      return z.NEVER;
    }
    try {
      const entry = configEntry(configFromEntry(written, kinds), kinds);
      if (canonicalJson(entry) === canonicalJson(written)) return entry;
      ctx.addIssue({
        code: 'custom',
        message: `is not a configuration dispatchlab writes; it would be ${JSON.stringify(entry)}`,
      });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
    return z.NEVER;
  });
}
const configSchema = configSchemaFor();
const strategiesSchema = z.array(z.strictObject({ label: z.string(), config: configSchema }));
const runsSchema = z.strictObject({
  seeds: z.array(count),
  strategies: z.array(
    z.strictObject({
      label: z.string(),
      deadlocks: z.array(count),
      incompletes: z.array(count).default([]),
      values: z.record(z.enum(metricNames), z.array(encoded)),
    }),
  ),
});
const varyValue = z.union([finite, z.string(), z.boolean()]);
const common = {
  format: z.literal('dispatchlab-partial'),
  version: z.literal(1),
  shard: z
    .strictObject({
      index: z.number().int().min(1),
      of: z.number().int().min(1).max(limits.seeds),
    })
    .refine((s) => s.index <= s.of, 'the shard index counts from 1 to the number of shards'),
  dispatchlab: z.string(),
  scenario: z.strictObject({
    name: z.string(),
    description: z.string(),
    inputHash: z.string(),
    file: z.string().optional(),
  }),
  seeds: z
    .strictObject({ start: count, count: z.number().int().min(1).max(limits.seeds) })
    .refine(
      (s) => s.start <= Number.MAX_SAFE_INTEGER - (s.count - 1),
      'the seeds go past 2^53 - 1',
    ),
  baseline: z.string().nullable(),
  strategies: strategiesSchema,
};
const partialSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...common,
    kind: z.literal('compare'),
    // Written before verdicts existed: judged as such a compare was, on makespan at 5%.
    verdictBy: z
      .strictObject({ objective: z.enum(metricNames), margin: z.number().min(0).max(1) })
      .default({ objective: 'makespan', margin: defaultMargin }),
    runs: runsSchema,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('sweep'),
    vary: z.array(z.strictObject({ path: z.string(), values: z.array(varyValue).min(1) })),
    winnerBy: z.strictObject({
      metric: z.enum(metricNames),
      direction: z.enum(['lower', 'higher']),
      margin: z.number().min(0).max(1).default(defaultMargin),
    }),
    points: z.array(
      z.strictObject({
        values: z.record(z.string(), varyValue),
        strategies: strategiesSchema,
        runs: runsSchema,
      }),
    ),
  }),
]);

/** Checks that a value read from a file is a partial document of this version; names the file in errors. */
export function readPartial(value: unknown, name: string): PartialDocument {
  const v = value as { format?: unknown; version?: unknown } | null;
  if (v === null || typeof v !== 'object' || v.format !== 'dispatchlab-partial') {
    const format =
      v !== null && typeof v === 'object' && typeof v.format === 'string'
        ? `its format is "${v.format}"`
        : 'it has no "format": "dispatchlab-partial"';
    throw new MergeError(
      `${name} is not a partial document (${format}); partial documents come from compare or sweep run with --shard I/N`,
    );
  }
  if (v.version !== 1) {
    throw new MergeError(
      `${name} is a partial document of version ${String(v.version)}; this dispatchlab reads version 1`,
    );
  }
  const checked = partialSchema.safeParse(value);
  if (!checked.success) {
    throw new MergeError(
      `${name} is not a valid partial document:\n${z.prettifyError(checked.error)}`,
    );
  }
  // The schema mirrors PartialDocument; zod's inferred type differs only in readonly-ness.
  return checked.data as PartialDocument;
}
