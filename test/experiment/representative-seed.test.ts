/**
 * The representative seed of a results document: the median of the chosen strategy's
 * makespans, checked against makespans computed here run by run through the model's public
 * API; the runs traced on it; and the refusals of a scenario or a document that do not
 * belong together.
 */
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import { UsageError } from '../../src/experiment/errors.js';
import {
  medianSeed,
  representativeRuns,
  scenarioMatchesDocument,
} from '../../src/experiment/representative-seed.js';
import type { ResultsDocument } from '../../src/experiment/results.js';
import { runStrategy } from '../../src/model/run.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { strategyOf } from '../../src/scenario/module-strategy.js';
import type { AnyScenario } from '../../src/scenario/parse.js';
import { scenarioOf } from './helpers.js';
import { seedInput, unsafeInput } from './seed-input.js';

/** Each seed's makespan of one strategy, each run on its own through runStrategy. */
function makespansOf(scenario: AnyScenario, label: string, seeds: readonly number[]): number[] {
  const config = scenario.strategies.find((s) => s.label === label)!;
  return seeds.map(
    (seed) =>
      runStrategy({ world: scenario.world, strategy: strategyOf(config, scenario.kinds), seed })
        .metrics.makespan,
  );
}

function seedsOf(doc: ResultsDocument): number[] {
  return Array.from({ length: doc.seeds.count }, (_, i) => doc.seeds.start + i);
}

function runEnd(records: readonly ModelTraceRecord[]) {
  const end = records[records.length - 1];
  if (end?.type !== 'run.end') throw new Error('the trace does not end with run.end');
  return end;
}

const scenario = scenarioOf(seedInput());
// Seeds from 5: the document's seeds, not the scenario's, are the ones run.
const docPromise = compare(scenario, { seeds: { start: 5, count: 8 } });

describe('the representative seed', () => {
  it('is the lower median of the recommended strategy, its run and the reference traced on it', async () => {
    const doc = await docPromise;
    const recommended = doc.verdict.recommended!;
    // What this test is about: two strategies, one recommended over the other.
    expect(recommended).toMatch(/^async/);
    expect(doc.verdict.reference).toMatch(/^blocking/);

    const seeds = seedsOf(doc);
    const makespans = makespansOf(scenario, recommended, seeds);
    // The lower of the two middle makespans (8 seeds), and its seed.
    const ordered = seeds
      .map((seed, i) => ({ seed, makespan: makespans[i]! }))
      .sort((a, b) => a.makespan - b.makespan || a.seed - b.seed);
    const median = ordered[3]!;
    expect(new Set(makespans).size).toBe(8); // no tie to blur which seed is meant

    const runs = await representativeRuns(scenario, doc);
    expect(runs.seed).toBe(median.seed);
    expect(runs.why).toContain(`seed ${median.seed}: the lower median makespan of ${recommended}`);
    expect(runs.why).toContain('over 8 seeds');
    expect(runs.runs.map((r) => r.label)).toEqual([recommended, doc.verdict.reference]);

    // The traces are the runs of that seed: the header names it, and each run's makespan
    // is the one computed here.
    const [reference] = makespansOf(scenario, doc.verdict.reference!, [median.seed]);
    for (const [run, makespan] of [
      [runs.runs[0]!, median.makespan],
      [runs.runs[1]!, reference!],
    ] as const) {
      const header = run.records[0];
      expect(header?.type === 'run.start' && header.seed).toBe(median.seed);
      expect(header?.type === 'run.start' && header.strategy.label).toBe(run.label);
      expect(runEnd(run.records).makespan).toBe(makespan);
    }
  });

  it('falls back on the baseline when nothing is safe, and draws that run alone', async () => {
    const unsafe = scenarioOf(unsafeInput());
    const doc = await compare(unsafe);
    expect(doc.verdict.recommended).toBeNull();
    expect(doc.strategies.every((s) => s.outcomes.deadlock > 0)).toBe(true);
    const seeds = seedsOf(doc);
    const makespans = makespansOf(unsafe, doc.baseline, seeds);
    const middle = [...makespans].sort((a, b) => a - b)[3]!; // 7 seeds: the 4th
    const runs = await representativeRuns(unsafe, doc);
    expect(runs.runs.map((r) => r.label)).toEqual([doc.baseline]);
    expect(makespans[seeds.indexOf(runs.seed)]).toBe(middle);
    expect(runs.why).toMatch(/the median makespan of .*, the baseline \(no strategy is safe/);
  });

  it('takes the lower median, and the smallest seed among equal makespans', () => {
    expect(medianSeed([5, 6, 7, 8], [3, 1, 3, 2])).toEqual({ seed: 8, makespan: 2 });
    expect(medianSeed([10, 11, 12], [2, 2, 2])).toEqual({ seed: 10, makespan: 2 });
    expect(medianSeed([4, 3, 9], [7, 7, 1])).toEqual({ seed: 3, makespan: 7 });
    expect(() => medianSeed([1, 2], [1])).toThrow(RangeError);
  });

  it('gives the same seed and the same records every time', async () => {
    const doc = await docPromise;
    const [a, b] = [
      await representativeRuns(scenario, doc),
      await representativeRuns(scenario, doc),
    ];
    expect(b).toEqual(a);
  });
});

describe('a scenario and a document that do not belong together', () => {
  it('refuses a scenario edited since the document was made, naming both hashes and the fix', async () => {
    const doc = await docPromise;
    const input = seedInput();
    (input.orchestrator as Record<string, unknown>).process = '31s';
    const edited = scenarioOf(input, 'edited.yaml');
    const refusal = () => scenarioMatchesDocument(edited, doc);
    expect(refusal).toThrow(UsageError);
    expect(refusal).toThrow(doc.scenario.inputHash);
    expect(refusal).toThrow(
      /the scenario changed since the document was made: re-run compare, or pass --scenario with the file it was made from/i,
    );
    expect(refusal).toThrow(/^edited\.yaml is not the scenario/);
    await expect(representativeRuns(edited, doc)).rejects.toThrow(UsageError);
  });

  it('accepts the same scenario with other seeds: seeds are not part of the hash', async () => {
    const doc = await docPromise;
    const input = seedInput();
    input.seeds = { start: 100, count: 3 };
    expect(() => scenarioMatchesDocument(scenarioOf(input), doc)).not.toThrow();
  });

  it('refuses a document whose makespans the runs do not give back', async () => {
    const doc = structuredClone(await docPromise) as ResultsDocument;
    const chosen = doc.strategies.find((s) => s.label === doc.verdict.recommended)!;
    const makespan = chosen.metrics.makespan as { mean: number | null };
    makespan.mean = (makespan.mean ?? 0) + 1;
    await expect(representativeRuns(scenario, doc)).rejects.toThrow(
      /does not give the makespans the results document summarizes.*another version of dispatchlab/,
    );
  });
});
