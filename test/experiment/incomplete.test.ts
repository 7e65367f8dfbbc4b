/**
 * Runs that end `incomplete` (a strategy of one's own returned with tasks unresolved) are a
 * first-class outcome of an experiment, as deadlocks are: counted and listed by seed, the
 * strategy compared on the task outcomes only, listed in `omitted` with the reason
 * `incomplete`, never the baseline or a sweep's winner while another completed every run;
 * carried by partial documents and merged, the same on any number of workers.
 *
 * test/fixtures/strategies/impatient.ts gives up at a deadline: on impatient.yaml (listed
 * first, deadline 10 minutes) it leaves tasks on 5 of the 12 seeds.
 */
import { describe, expect, it } from 'vitest';
import { resultsText } from '../../src/cli/results-text.js';
import { compare } from '../../src/experiment/compare.js';
import { MergeError } from '../../src/experiment/errors.js';
import {
  deadlockFinalMetrics,
  finalAtDeadlock,
  metricNames,
} from '../../src/experiment/metric-names.js';
import type { ComparePartial } from '../../src/experiment/partial.js';
import { toJson } from '../../src/experiment/results.js';
import { runSeeds } from '../../src/experiment/run-seeds.js';
import { compareShard, merge } from '../../src/experiment/shard.js';
import { sweep } from '../../src/experiment/sweep.js';
import { loadScenario } from '../../src/scenario/load.js';

const file = 'test/fixtures/strategies/impatient.yaml';
const scenario = await loadScenario(file);
const impatient = 'impatient(600s)';
const blocking = 'blocking(timeout=30m,retries=1)';
const cutShort = metricNames.filter((m) => !finalAtDeadlock(m));

/** As a merge sees a partial: written to JSON and read back. */
const roundTrip = (doc: ComparePartial): unknown => JSON.parse(toJson(doc));

describe('incomplete runs in a compare', () => {
  it('are counted and listed by seed, and the strategy is omitted with the reason "incomplete"', async () => {
    const doc = await compare(scenario);
    const [mine, ...others] = doc.strategies;
    expect(mine!.label).toBe(impatient);
    expect(mine!.outcomes).toEqual({
      completed: 7,
      deadlock: 0,
      deadlockSeeds: [],
      incomplete: 5,
      incompleteSeeds: [1, 5, 7, 10, 11],
    });
    for (const s of others) expect(s.outcomes.incomplete).toBe(0);
    expect(doc.omitted).toEqual([
      { label: impatient, reason: 'incomplete', runs: 5, metrics: cutShort },
    ]);
    // Why: having given up early, its makespan looks the shortest.
    const makespans = doc.strategies.map((s) => s.metrics.makespan.mean!);
    expect(Math.min(...makespans)).toBe(makespans[0]);
    // Only the task outcomes are compared with it.
    const involving = doc.comparisons.filter((c) => c.a === impatient || c.b === impatient);
    expect(involving.map((c) => c.metric)).toEqual([...deadlockFinalMetrics]);
  });

  it('is not the baseline while another strategy completed every run', async () => {
    const doc = await compare(scenario);
    expect(doc.baseline).toBe(blocking);
    expect(doc.requestedBaseline).toBe(impatient);
    const asked = await compare(scenario, { baseline: impatient });
    expect(toJson(asked)).toBe(toJson(doc));
    // The built-in ones among themselves, on every metric.
    const async = doc.strategies[2]!.label;
    expect(doc.comparisons.filter((c) => c.a === async).map((c) => c.metric)).toEqual([
      ...metricNames,
    ]);
  });

  it('reads as incomplete in the text, with the seeds and the command that replays one', async () => {
    const text = resultsText(await compare(scenario), { file });
    expect(text).toMatch(/^makespan +incomplete +\S+ ±\S+ +\S+ ±\S+$/m);
    expect(text).toMatch(/^succeeded +\S+ ±\S+ +/m);
    expect(text).toContain(
      `${impatient} returned with tasks unresolved in 5 of 12 runs (seeds 1, 5, 7, 10, 11).\n  Replay one: dispatchlab run ${file} --strategy '${impatient}' --seed 1`,
    );
    expect(text).toContain('In an incomplete run the strategy returned while tasks were still');
    expect(text).toContain(
      `The baseline, ${impatient}, returned with tasks unresolved: the strategies are compared against ${blocking} instead, the first that completed every run.`,
    );
    expect(text).toContain(`Compared on the task outcomes only (incomplete): ${impatient}.`);
    expect(text).not.toMatch(/deadlocked in|^makespan +deadlocked/m);
  });

  it('give the same document, byte for byte, on worker threads', async () => {
    const inProcess = toJson(await compare(scenario));
    expect(toJson(await compare(scenario, { workers: 2 }))).toBe(inProcess);
  });

  it('are carried by partial documents, and merged into the unsharded document', async () => {
    const whole = toJson(await compare(scenario));
    const parts = await Promise.all(
      [1, 2, 3].map((i) => compareShard(scenario, { shard: `${i}/3` })),
    );
    expect(parts.map((p) => p.runs.strategies[0]!.incompletes)).toEqual([[], [1, 7, 10], [5, 11]]);
    const docs = parts.map(roundTrip);
    expect(toJson(merge(docs))).toBe(whole);
    // A partial of a version before incompletes has none: read as [], what it was.
    const older = docs.map((d) => {
      const copy = structuredClone(d) as {
        runs: { strategies: { incompletes?: number[] }[] };
      };
      for (const s of copy.runs.strategies) if (s.incompletes?.length === 0) delete s.incompletes;
      return copy;
    });
    expect(toJson(merge(older))).toBe(whole);
  });

  it('refuses a partial listing an incomplete run outside its share, or a run both deadlocked and incomplete', async () => {
    const docs = (
      await Promise.all([1, 2].map((i) => compareShard(scenario, { shard: `${i}/2` })))
    ).map(roundTrip) as {
      runs: { strategies: { deadlocks: number[]; incompletes: number[] }[] };
    }[];
    const outside = structuredClone(docs);
    outside[0]!.runs.strategies[0]!.incompletes.push(3);
    expect(() => merge(outside, ['a.json', 'b.json'])).toThrow(
      new MergeError(
        `a.json: strategy "${impatient}" lists an incomplete run on seed 3, which is not in its share`,
      ),
    );
    const both = structuredClone(docs);
    both[1]!.runs.strategies[0]!.deadlocks.push(1);
    expect(() => merge(both, ['a.json', 'b.json'])).toThrow(
      /b\.json: strategy "impatient\(600s\)" lists seed 1 both as a deadlock and as an incomplete run/,
    );
  });
});

describe('incomplete runs in a sweep', () => {
  it('keep the strategy from winning, until it completes every run', async () => {
    const doc = await sweep(scenario, { vary: ['strategies[0].options.deadline=600,100000'] });
    const [early, late] = doc.points;
    expect(early!.results.strategies[0]!.outcomes.incomplete).toBe(5);
    expect(early!.winner).not.toBe(impatient);
    expect(early!.tied).not.toContain(impatient);
    expect(late!.results.strategies[0]!.outcomes.incomplete).toBe(0);
    // Given all the time it needs, it is async with no WIP limit: at least a tie for the lead.
    const lead = [late!.winner, ...late!.tied];
    expect(lead).toContain('impatient(100000s)');
  });
});

describe('a strategy with deadlocks and incomplete runs', () => {
  it('is omitted for each reason, deadlock first, and counted apart', async () => {
    const input = structuredClone(scenario.input) as unknown as {
      subagents: { failures: Record<string, number> };
      strategies: { options?: Record<string, unknown> }[];
    };
    input.subagents.failures.hang = 0.05;
    input.strategies[0]!.options = { deadline: 600, timeout: null };
    const { parseScenario } = await import('../../src/scenario/parse.js');
    const both = parseScenario(input, {
      source: 'both',
      baseDir: scenario.baseDir,
      modules: scenario.modules,
    });
    const runs = runSeeds(both, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).strategies[0]!;
    expect(runs.deadlocks.length).toBeGreaterThan(0);
    expect(runs.incompletes.length).toBeGreaterThan(0);
    const doc = await compare(both);
    const { outcomes } = doc.strategies[0]!;
    expect(outcomes.deadlockSeeds).toEqual(runs.deadlocks);
    expect(outcomes.incompleteSeeds).toEqual(runs.incompletes);
    expect(outcomes.completed + outcomes.deadlock + outcomes.incomplete).toBe(12);
    expect(doc.omitted).toEqual([
      {
        label: 'impatient(600s)-no-timeout',
        reason: 'deadlock',
        runs: outcomes.deadlock,
        metrics: cutShort,
      },
      {
        label: 'impatient(600s)-no-timeout',
        reason: 'incomplete',
        runs: outcomes.incomplete,
        metrics: cutShort,
      },
    ]);
    const text = resultsText(doc);
    expect(text).toMatch(/^makespan +deadlocked +/m);
    expect(text).toContain('impatient(600s)-no-timeout deadlocked in');
    expect(text).toContain('impatient(600s)-no-timeout returned with tasks unresolved in');
  });
});
