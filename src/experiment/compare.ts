/**
 * `dispatchlab compare`: every strategy of a scenario on the same seeds, summarized per
 * metric and compared pairwise against a baseline (results.ts describes the document).
 */
import type { AnyScenario } from '../scenario/parse.js';
import { scenarioInputHash } from './canonical.js';
import { UsageError } from './errors.js';
import { defaultMargin, parseMargin } from './margin.js';
import { type MetricName, parseMetricList } from './metric-names.js';
import { type ProgressCallback, runJobs } from './pool.js';
import {
  buildBody,
  compareMetric,
  configJson,
  type ResultsBody,
  type ResultsDocument,
  resolveBaseline,
  type ScenarioHeader,
  type SeedsHeader,
  type StrategyHeader,
} from './results.js';
import { checkRunBudget } from './run-budget.js';
import { resolveSeeds, type SeedRuns, seedRange } from './run-seeds.js';
import { decide, type Verdict, type VerdictOptions } from './verdict.js';

export interface CompareOptions {
  /** Overrides the scenario's seeds. */
  readonly seeds?: { readonly start: number; readonly count: number } | undefined;
  /** Worker threads (default 1: in-process). The document does not depend on it. */
  readonly workers?: number | undefined;
  /** Label of the strategy the others are compared against; the first one by default. */
  readonly baseline?: string | undefined;
  /**
   * What the verdict judges on (the scenario's objective, makespan by default; a metric
   * name) and its practical margin (5%; `5%`, `0.05` or a share).
   */
  readonly objective?: string | undefined;
  readonly margin?: string | number | undefined;
  readonly onProgress?: ProgressCallback | undefined;
}

export function scenarioHeader(scenario: AnyScenario): ScenarioHeader {
  return {
    name: scenario.name,
    description: scenario.description,
    inputHash: scenarioInputHash(scenario),
    ...(scenario.file === undefined ? {} : { file: scenario.file }),
  };
}

export function strategyHeaders(scenario: AnyScenario): StrategyHeader[] {
  return scenario.strategies.map((s) => ({
    label: s.label,
    config: configJson(s, scenario.kinds),
  }));
}

/** The document from runs over all the seeds, in seed order: shared by compare and merge. */
export function compareDocument(
  scenario: ScenarioHeader,
  seeds: SeedsHeader,
  strategies: readonly StrategyHeader[],
  runs: SeedRuns,
  baseline: string | undefined,
  verdictOptions: VerdictOptions = {},
): ResultsDocument {
  const body = buildBody(strategies, runs, baseline);
  return {
    format: 'dispatchlab-results',
    version: 2,
    scenario,
    seeds: { start: seeds.start, count: seeds.count },
    ...body,
    verdict: verdictOf(body, runs, verdictOptions),
  };
}

/**
 * The verdict on a results body built from `runs` (verdict.ts): the one code path by which
 * a results document (compare, merge) and every point of a sweep document get theirs.
 */
export function verdictOf(
  body: ResultsBody,
  runs: SeedRuns,
  verdictOptions: VerdictOptions = {},
): Verdict {
  const valuesOf = (label: string, metric: MetricName) => {
    const r = runs.strategies.find((s) => s.label === label);
    if (r === undefined) throw new Error(`no runs for strategy "${label}"`);
    return r.values[metric];
  };
  // Against the baseline the body holds the comparisons already; others are computed.
  return decide(
    body.strategies,
    (a, b, metric) =>
      body.comparisons.find((c) => c.a === a && c.b === b && c.metric === metric) ??
      compareMetric(a, b, metric, valuesOf(a, metric), valuesOf(b, metric)),
    verdictOptions,
  );
}

/** The verdict's objective and margin: the options', else the scenario's objective and 5%. */
export function verdictRule(
  scenario: AnyScenario,
  options: Pick<CompareOptions, 'objective' | 'margin'>,
): Required<VerdictOptions> {
  let objective: MetricName = scenario.objective;
  if (options.objective !== undefined) {
    const names = parseMetricList(options.objective, '--objective');
    if (names === 'all' || names.length !== 1) {
      throw new UsageError(`--objective takes one metric, got "${options.objective}"`);
    }
    objective = names[0]!;
  }
  const margin = options.margin === undefined ? defaultMargin : parseMargin(options.margin);
  return { objective, margin };
}

/** The seeds chosen, each strategy's header, and the runs on the seeds `pick` takes from them. */
export interface CompareRuns {
  readonly seeds: SeedsHeader;
  readonly strategies: StrategyHeader[];
  readonly runs: SeedRuns;
}

/**
 * What a compare and a shard of it share: checks the options before anything runs, then
 * runs every strategy on the seeds `pick` takes from the experiment's (all of them, or a
 * shard's share; `shards` is then their number).
 */
export async function runCompare(
  scenario: AnyScenario,
  options: CompareOptions,
  pick: (seeds: SeedsHeader) => readonly number[],
  shards?: number,
): Promise<CompareRuns> {
  const seeds = resolveSeeds(scenario.seeds, options.seeds);
  verdictRule(scenario, options); // fail before running anything
  checkRunBudget({ points: 1, seeds: seeds.count, strategies: scenario.strategies.length, shards });
  const strategies = strategyHeaders(scenario);
  resolveBaseline(
    strategies.map((s) => s.label),
    options.baseline,
  ); // fail before running anything
  const [runs] = await runJobs([{ scenario, seeds: pick(seeds) }], options);
  return { seeds, strategies, runs: runs! };
}

export async function compare(
  scenario: AnyScenario,
  options: CompareOptions = {},
): Promise<ResultsDocument> {
  const { seeds, strategies, runs } = await runCompare(scenario, options, seedRange);
  return compareDocument(
    scenarioHeader(scenario),
    seeds,
    strategies,
    runs,
    options.baseline,
    verdictRule(scenario, options),
  );
}
