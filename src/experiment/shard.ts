/**
 * Splitting an experiment across machines (`--shard I/N`) and merging the pieces back.
 * Shard I runs the seeds k with (k − start) mod N = I − 1 — interleaved, so every shard
 * gets a similar mix of easy and hard seeds — at every grid point of a sweep, and writes
 * a partial document (partial.ts). `merge` checks that the partials are the N shards of
 * one experiment and rebuilds, with the very functions an unsharded run uses, exactly the
 * document that run would have written.
 */
import { formatLimit, limits } from '../scenario/limits.js';
import type { AnyScenario } from '../scenario/parse.js';
import { dispatchlabVersion } from '../version.js';
import { canonicalJson } from './canonical.js';
import {
  type CompareOptions,
  compareDocument,
  runCompare,
  scenarioHeader,
  strategyHeaders,
  verdictRule,
} from './compare.js';
import { MergeError, UsageError } from './errors.js';
import { type MetricName, metricNames } from './metric-names.js';
import {
  type ComparePartial,
  decodeValue,
  encodeRuns,
  type PartialDocument,
  type RunsJson,
  readPartial,
  type SweepPartial,
} from './partial.js';
import type { ResultsDocument, SeedsHeader, StrategyHeader } from './results.js';
import { type SeedRuns, type StrategyRuns, seedRange } from './run-seeds.js';
import { runSweep, type SweepDocument, type SweepOptions, sweepDocument } from './sweep.js';
import { gridPoints, pointValues } from './vary.js';

export interface ShardSpec {
  /** From 1. */
  readonly index: number;
  readonly of: number;
}

/** Parses `I/N`, e.g. `2/4`: the second of four shards. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) {
    throw new UsageError(`--shard ${text}: write I/N, e.g. 2/4 for the second of four shards`);
  }
  const index = Number(m[1]);
  const of = Number(m[2]);
  if (!Number.isSafeInteger(of) || of < 1) {
    throw new UsageError(`--shard ${text}: the number of shards must be at least 1`);
  }
  if (of > limits.seeds) {
    throw new UsageError(
      `--shard ${text}: at most ${formatLimit(limits.seeds)} shards, the most seeds one experiment runs (a shard beyond the seed count would run nothing)`,
    );
  }
  if (!Number.isSafeInteger(index) || index < 1 || index > of) {
    throw new UsageError(`--shard ${text}: the shard index counts from 1 to ${of}`);
  }
  return { index, of };
}

function checkShard(shard: ShardSpec | string): ShardSpec {
  return typeof shard === 'string' ? parseShard(shard) : parseShard(`${shard.index}/${shard.of}`);
}

/** The seeds shard `index` of `of` runs, ascending. */
export function shardSeeds(seeds: SeedsHeader, shard: ShardSpec): number[] {
  const out: number[] = [];
  for (let k = seeds.start + shard.index - 1; k < seeds.start + seeds.count; k += shard.of) {
    out.push(k);
  }
  return out;
}

/** Runs this shard's seeds of a compare. */
export async function compareShard(
  scenario: AnyScenario,
  options: CompareOptions & { readonly shard: ShardSpec | string },
): Promise<ComparePartial> {
  const shard = checkShard(options.shard);
  const { seeds, strategies, runs } = await runCompare(
    scenario,
    options,
    (all) => shardSeeds(all, shard),
    shard.of,
  );
  return {
    format: 'dispatchlab-partial',
    version: 1,
    kind: 'compare',
    shard,
    dispatchlab: dispatchlabVersion,
    scenario: scenarioHeader(scenario),
    seeds,
    baseline: options.baseline ?? null,
    strategies,
    verdictBy: verdictRule(scenario, options),
    runs: encodeRuns(runs),
  };
}

/** Runs this shard's seeds at every point of a sweep. */
export async function sweepShard(
  scenario: AnyScenario,
  options: SweepOptions & { readonly shard: ShardSpec | string },
): Promise<SweepPartial> {
  const shard = checkShard(options.shard);
  const { plan, points } = await runSweep(
    scenario,
    options,
    (all) => shardSeeds(all, shard),
    shard.of,
  );
  return {
    format: 'dispatchlab-partial',
    version: 1,
    kind: 'sweep',
    shard,
    dispatchlab: dispatchlabVersion,
    scenario: scenarioHeader(scenario),
    seeds: plan.seeds,
    baseline: options.baseline ?? null,
    strategies: strategyHeaders(scenario),
    vary: plan.varies.map((v) => ({ path: v.path, values: [...v.values] })),
    winnerBy: plan.rule,
    points: points.map((p) => ({
      values: p.values,
      strategies: p.strategies,
      runs: encodeRuns(p.runs),
    })),
  };
}

interface Named {
  readonly name: string;
  readonly doc: PartialDocument;
}

/**
 * Merges the N partial documents of one experiment, in any order, into the document the
 * unsharded run gives. `names` (file names) make the errors point at the right file.
 * Throws a MergeError naming what is missing, repeated or mismatched.
 */
export function merge(
  partials: readonly unknown[],
  names: readonly string[] = [],
): ResultsDocument | SweepDocument {
  if (partials.length === 0)
    throw new MergeError('merge needs the partial documents of every shard');
  const docs: Named[] = partials.map((p, i) => {
    const name = names[i] ?? `partial document ${i + 1}`;
    return { name, doc: readPartial(p, name) };
  });
  const first = docs[0]!;
  for (const other of docs.slice(1)) checkSameExperiment(first, other);
  const byIndex = checkShardSet(docs);
  const seeds = first.doc.seeds;

  if (first.doc.kind === 'compare') {
    const parts = byIndex.map((d) => d.doc as ComparePartial);
    const strategies = first.doc.strategies;
    const runs = mergeRuns(
      parts.map((p, i) => ({ name: byIndex[i]!.name, shard: p.shard, runs: p.runs })),
      seeds,
      strategies,
    );
    return compareDocument(
      first.doc.scenario,
      seeds,
      strategies,
      runs,
      first.doc.baseline ?? undefined,
      (first.doc as ComparePartial).verdictBy,
    );
  }

  const parts = byIndex.map((d) => d.doc as SweepPartial);
  const sweepDoc = first.doc as SweepPartial;
  const grid = gridPoints(sweepDoc.vary);
  const points = grid.map((gridValues, p) => {
    const values = pointValues(sweepDoc.vary, gridValues);
    const expected = canonicalJson(values);
    const strategies = parts[0]!.points[p]?.strategies ?? [];
    const shards = parts.map((part, i) => {
      const name = byIndex[i]!.name;
      const point = part.points[p];
      if (part.points.length !== grid.length || point === undefined) {
        throw new MergeError(
          `${name} has ${part.points.length} sweep points, but its vary lists ${grid.length}`,
        );
      }
      if (canonicalJson(point.values) !== expected) {
        throw new MergeError(
          `${name}: sweep point ${p + 1} is ${canonicalJson(point.values)}, but the grid has ${expected} there`,
        );
      }
      if (canonicalJson(point.strategies) !== canonicalJson(strategies)) {
        throw new MergeError(
          `${name} and ${byIndex[0]!.name} disagree on the strategies at sweep point ${p + 1} (${expected})`,
        );
      }
      return { name, shard: part.shard, runs: point.runs };
    });
    return { values, strategies, runs: mergeRuns(shards, seeds, strategies) };
  });
  return sweepDocument(
    sweepDoc.scenario,
    seeds,
    sweepDoc.vary,
    sweepDoc.winnerBy,
    points,
    sweepDoc.baseline ?? undefined,
  );
}

function checkSameExperiment(a: Named, b: Named): void {
  const differ = (what: string, x: unknown, y: unknown) => {
    const show = (v: unknown) => {
      const text = canonicalJson(v);
      return text.length > 80 ? `${text.slice(0, 77)}...` : text;
    };
    throw new MergeError(
      `${a.name} and ${b.name} are not shards of the same experiment: they differ in ${what} (${show(x)} in ${a.name}, ${show(y)} in ${b.name})`,
    );
  };
  const pairs: [string, unknown, unknown][] = [
    ['the kind (compare or sweep)', a.doc.kind, b.doc.kind],
    ['the dispatchlab version', a.doc.dispatchlab, b.doc.dispatchlab],
    ['the scenario input (its hash)', a.doc.scenario.inputHash, b.doc.scenario.inputHash],
    ['the scenario name', a.doc.scenario.name, b.doc.scenario.name],
    ['the scenario description', a.doc.scenario.description, b.doc.scenario.description],
    ['the seeds', a.doc.seeds, b.doc.seeds],
    ['the number of shards', a.doc.shard.of, b.doc.shard.of],
    ['the baseline', a.doc.baseline, b.doc.baseline],
    ['the strategies', a.doc.strategies, b.doc.strategies],
  ];
  if (a.doc.kind === 'compare' && b.doc.kind === 'compare') {
    pairs.push(['the verdict rule (--objective, --margin)', a.doc.verdictBy, b.doc.verdictBy]);
  }
  if (a.doc.kind === 'sweep' && b.doc.kind === 'sweep') {
    pairs.push(['the varied parameters (--vary)', a.doc.vary, b.doc.vary]);
    pairs.push([
      'the winner rule (--metric, --direction, --margin)',
      a.doc.winnerBy,
      b.doc.winnerBy,
    ]);
  }
  for (const [what, x, y] of pairs) {
    if (canonicalJson(x) !== canonicalJson(y)) differ(what, x, y);
  }
}

/** Every shard 1..N exactly once; returns them by index. */
function checkShardSet(docs: readonly Named[]): Named[] {
  const of = docs[0]!.doc.shard.of;
  const byIndex: (Named | undefined)[] = Array.from({ length: of }, () => undefined);
  for (const d of docs) {
    const { index } = d.doc.shard;
    if (index > of) {
      throw new MergeError(`${d.name} says it is shard ${index}/${of}, which does not exist`);
    }
    const seen = byIndex[index - 1];
    if (seen !== undefined) {
      throw new MergeError(`shard ${index}/${of} is given twice: ${seen.name} and ${d.name}`);
    }
    byIndex[index - 1] = d;
  }
  const missing = byIndex.flatMap((d, i) => (d === undefined ? [`${i + 1}/${of}`] : []));
  if (missing.length > 0) {
    throw new MergeError(
      `${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing; merge needs all ${of} shards`,
    );
  }
  return byIndex as Named[];
}

/**
 * Interleaves the shards' runs back into seed order, after checking that each shard holds
 * exactly its share of the seeds, the strategies in order, and a value per seed.
 */
function mergeRuns(
  shards: readonly { name: string; shard: { index: number; of: number }; runs: RunsJson }[],
  seeds: SeedsHeader,
  strategies: readonly StrategyHeader[],
): SeedRuns {
  for (const { name, shard, runs } of shards) {
    const share = shardSeeds(seeds, shard);
    if (canonicalJson(runs.seeds) !== canonicalJson(share)) {
      throw new MergeError(
        `${name} (shard ${shard.index}/${shard.of}) does not hold its share of seeds ${seeds.start}..${seeds.start + seeds.count - 1}: expected ${share.length} seeds from ${share[0] ?? 'none'} in steps of ${shard.of}`,
      );
    }
    const labels = runs.strategies.map((s) => s.label);
    if (canonicalJson(labels) !== canonicalJson(strategies.map((s) => s.label))) {
      throw new MergeError(
        `${name}: its runs are for strategies ${labels.join(', ')}, but it lists ${strategies.map((s) => s.label).join(', ')}`,
      );
    }
    const inShare = new Set(share);
    for (const s of runs.strategies) {
      const both = s.deadlocks.find((seed) => s.incompletes.includes(seed));
      if (both !== undefined) {
        throw new MergeError(
          `${name}: strategy "${s.label}" lists seed ${both} both as a deadlock and as an incomplete run; a run ends one way`,
        );
      }
      for (const name2 of metricNames) {
        if (s.values[name2].length !== share.length) {
          throw new MergeError(
            `${name}: strategy "${s.label}" has ${s.values[name2].length} values of ${name2} for ${share.length} seeds`,
          );
        }
      }
      for (const [what, seeds] of [
        ['a deadlock', s.deadlocks],
        ['an incomplete run', s.incompletes],
      ] as const) {
        for (const seed of seeds) {
          if (!inShare.has(seed)) {
            throw new MergeError(
              `${name}: strategy "${s.label}" lists ${what} on seed ${seed}, which is not in its share`,
            );
          }
        }
      }
    }
  }
  const all = seedRange(seeds);
  const runsOut: StrategyRuns[] = strategies.map((s, si) => {
    const values = {} as Record<MetricName, number[]>;
    for (const name of metricNames) {
      values[name] = all.map((_, i) => {
        const shard = shards[i % shards.length]!;
        // Seed start + i is the (i div N)-th seed of shard (i mod N) + 1.
        return decodeValue(shard.runs.strategies[si]!.values[name][Math.floor(i / shards.length)]!);
      });
    }
    const deadlocked = new Set(shards.flatMap((sh) => sh.runs.strategies[si]!.deadlocks));
    const incomplete = new Set(shards.flatMap((sh) => sh.runs.strategies[si]!.incompletes));
    return {
      label: s.label,
      deadlocks: all.filter((k) => deadlocked.has(k)),
      incompletes: all.filter((k) => incomplete.has(k)),
      values,
    };
  });
  return { seeds: all, strategies: runsOut };
}
