/**
 * `dispatchlab compare`: every strategy of a scenario on the same seeds, summarized per
 * metric and compared pairwise against a baseline (results.ts describes the document).
 */
import type { Scenario } from '../scenario/parse.js';
import { inputHash } from './canonical.js';
import type { SeedJob } from './job.js';
import { type ProgressCallback, runJobs } from './pool.js';
import {
  buildBody,
  configJson,
  type ResultsDocument,
  resolveBaseline,
  type ScenarioHeader,
  type SeedsHeader,
  type StrategyConfigJson,
} from './results.js';
import { resolveSeeds, type SeedRuns, seedRange } from './run-seeds.js';

export interface CompareOptions {
  /** Overrides the scenario's seeds. */
  readonly seeds?: { readonly start: number; readonly count: number } | undefined;
  /** Worker threads (default 1: in-process). The document does not depend on it. */
  readonly workers?: number | undefined;
  /** Label of the strategy the others are compared against; the first one by default. */
  readonly baseline?: string | undefined;
  readonly onProgress?: ProgressCallback | undefined;
}

export function scenarioHeader(scenario: Scenario): ScenarioHeader {
  return {
    name: scenario.name,
    description: scenario.description,
    inputHash: inputHash(scenario.input),
  };
}

export function strategyHeaders(
  scenario: Scenario,
): { label: string; config: StrategyConfigJson }[] {
  return scenario.strategies.map((s) => ({ label: s.label, config: configJson(s) }));
}

export function jobOf(scenario: Scenario, seeds: readonly number[]): SeedJob {
  return { input: scenario.input, source: scenario.source, baseDir: scenario.baseDir, seeds };
}

/** The document from runs over all the seeds, in seed order: shared by compare and merge. */
export function compareDocument(
  scenario: ScenarioHeader,
  seeds: SeedsHeader,
  strategies: readonly { readonly label: string; readonly config: StrategyConfigJson }[],
  runs: SeedRuns,
  baseline: string | undefined,
): ResultsDocument {
  return {
    format: 'dispatchlab-results',
    version: 1,
    scenario,
    seeds: { start: seeds.start, count: seeds.count },
    ...buildBody(strategies, runs, baseline),
  };
}

export async function compare(
  scenario: Scenario,
  options: CompareOptions = {},
): Promise<ResultsDocument> {
  const seeds = resolveSeeds(scenario.seeds, options.seeds);
  const strategies = strategyHeaders(scenario);
  resolveBaseline(
    strategies.map((s) => s.label),
    options.baseline,
  ); // fail before running anything
  const [runs] = await runJobs([jobOf(scenario, seedRange(seeds))], options);
  return compareDocument(scenarioHeader(scenario), seeds, strategies, runs!, options.baseline);
}
