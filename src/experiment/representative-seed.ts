/**
 * The representative seed of a results document, and its runs traced in memory: what a
 * report draws to show one run as it happened rather than means over seeds.
 *
 * The seed is the one whose makespan is the median of the chosen strategy's makespans over
 * the document's seeds: the recommended strategy, or the document's baseline when nothing
 * is recommended (every strategy unsafe). With an even count the lower of the two middle
 * values is taken; the seed is then the smallest with that makespan. The simulator is
 * deterministic, so the scenario the document was made from gives back the very runs that
 * were summarized: the chosen strategy is run again on every seed, in this thread, through
 * the code compare ran (runSeedsAsync), and the seed's runs are then traced.
 */
import type { ModelTraceRecord } from '../model/trace-records.js';
import type { AnyScenario } from '../scenario/parse.js';
import { formatDurationRoughly } from '../sim/format.js';
import { MemoryTrace } from '../sim/trace.js';
import { canonicalJson } from './canonical.js';
import { scenarioHeader } from './compare.js';
import { UsageError } from './errors.js';
import { type ResultsDocument, summarizeMetric } from './results.js';
import { runEntry, runSeedsAsync, seedRange } from './run-seeds.js';

/** One strategy's run on the representative seed, as its trace's records. */
export interface RepresentativeRun {
  readonly label: string;
  readonly records: readonly ModelTraceRecord[];
}

export interface RepresentativeRuns {
  readonly seed: number;
  /** One sentence, without a final stop: the seed and why it was chosen (for chart titles). */
  readonly why: string;
  /** The chosen strategy's run first, then the verdict's reference's when it is another. */
  readonly runs: readonly RepresentativeRun[];
}

/**
 * Refuses a scenario that is not the one the document was made from, by the input hash
 * compare wrote in the document: runs of another scenario would not be the runs the
 * document summarizes.
 */
export function scenarioMatchesDocument(scenario: AnyScenario, doc: ResultsDocument): void {
  const hash = scenarioHeader(scenario).inputHash;
  if (hash === doc.scenario.inputHash) return;
  throw new UsageError(
    `${scenario.source} is not the scenario the results document "${doc.scenario.name}" was made from: the document records the input hash ${doc.scenario.inputHash} (the SHA-256 of the scenario's normalized input and strategy modules, seeds aside, as compare found it), and this scenario's is ${hash}. The scenario changed since the document was made: re-run compare, or pass --scenario with the file it was made from.`,
  );
}

/** A mean makespan for a sentence, or "none". */
const about = (seconds: number | null) =>
  seconds === null ? 'none' : formatDurationRoughly(seconds);

/**
 * The seed whose makespan is the median (the lower one for an even count) of `makespans`,
 * one per seed of `seeds`; the smallest such seed when several share it.
 */
export function medianSeed(
  seeds: readonly number[],
  makespans: readonly number[],
): { seed: number; makespan: number } {
  if (seeds.length === 0 || seeds.length !== makespans.length) {
    throw new RangeError(
      `medianSeed needs one makespan per seed, got ${makespans.length} for ${seeds.length} seeds`,
    );
  }
  const sorted = [...makespans].sort((a, b) => a - b);
  const makespan = sorted[(sorted.length - 1) >> 1]!;
  let seed = Number.POSITIVE_INFINITY;
  makespans.forEach((m, i) => {
    if (m === makespan) seed = Math.min(seed, seeds[i]!);
  });
  return { seed, makespan };
}

/**
 * The representative seed of `doc` and the runs on it of the recommended strategy (the
 * baseline when nothing is recommended) and of the verdict's reference when it is another,
 * each traced in memory. `scenario` must be the one the document was made from (its input
 * hash is checked), and this version of dispatchlab must give the makespans the document
 * summarizes (checked too: a model that changed since would make another seed the median).
 */
export async function representativeRuns(
  scenario: AnyScenario,
  doc: ResultsDocument,
): Promise<RepresentativeRuns> {
  scenarioMatchesDocument(scenario, doc);
  const recommended = doc.verdict.recommended;
  const chosen = recommended ?? doc.baseline;
  const configOf = (label: string) => {
    const config = scenario.strategies.find((s) => s.label === label);
    // The charts colour a run by its strategy's place in the document: it must be there too.
    if (config === undefined || !doc.strategies.some((s) => s.label === label)) {
      throw new UsageError(
        `the results document names a strategy "${label}" that it does not list among its strategies, or that ${scenario.source} does not have; the document was edited or made from another scenario: re-run compare`,
      );
    }
    return config;
  };
  const config = configOf(chosen);
  const seeds = seedRange(doc.seeds);
  // Only the chosen strategy, through the very code compare ran: its makespans are then
  // the values the document summarized, bit for bit. (The copy's `input` still lists every
  // strategy; untraced runs do not read it.)
  const [runs] = (await runSeedsAsync({ ...scenario, strategies: [config] }, seeds)).strategies;
  const makespans = runs!.values.makespan;
  const summarized = doc.strategies.find((s) => s.label === chosen)?.metrics.makespan;
  const rerun = summarizeMetric(makespans);
  if (summarized === undefined || canonicalJson(rerun) !== canonicalJson(summarized)) {
    throw new UsageError(
      `running "${chosen}" again on seeds ${doc.seeds.start} to ${doc.seeds.start + doc.seeds.count - 1} of ${scenario.source} does not give the makespans the results document summarizes (a mean of ${about(rerun.mean)} against ${about(summarized?.mean ?? null)}): the scenario is the same, so the document was made by another version of dispatchlab, or edited. Re-run compare with this version.`,
    );
  }
  const { seed, makespan } = medianSeed(seeds, makespans);
  const lower = seeds.length % 2 === 0 ? 'lower median' : 'median';
  const whose =
    recommended === null
      ? `of ${chosen}, the baseline (no strategy is safe, so none is recommended)`
      : `of ${chosen}, the recommended strategy`;
  const why = `seed ${seed}: the ${lower} makespan ${whose}, over ${seeds.length} seeds (${formatDurationRoughly(makespan)})`;
  const labels = [chosen];
  const reference = doc.verdict.reference;
  if (reference !== null && reference !== chosen) labels.push(reference);
  const traced: RepresentativeRun[] = [];
  // One after the other: an orchestrator module's runs (the harness) may not overlap.
  for (const label of labels) {
    const trace = new MemoryTrace<ModelTraceRecord>();
    await runEntry(scenario, configOf(label), seed, trace);
    trace.close();
    traced.push({ label, records: trace.records });
  }
  return { seed, why, runs: traced };
}
