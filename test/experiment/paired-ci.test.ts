/**
 * Why comparisons are paired: every strategy meets the same world for the same seed
 * (common random numbers), so most of the seed-to-seed variation cancels in the per-seed
 * difference. The paired CI must then be far narrower than the interval that treats the
 * two strategies' runs as independent samples.
 */
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import { runSeeds, seedRange } from '../../src/experiment/run-seeds.js';
import { unpairedDifference } from '../../src/experiment/stats.js';
import { scenarioOf } from './helpers.js';

describe('paired comparisons', () => {
  it('give a narrower makespan CI than independent intervals, async vs batch on lognormal latencies', async () => {
    const scenario = scenarioOf({
      name: 'crn',
      description: 'Heavy-tailed latencies: most of the variance is the world, not the strategy.',
      tasks: { count: 30 },
      subagents: { latency: { dist: 'lognormal', median: '90s', p95: '10m' } },
      orchestrator: { dispatch: '2s', process: '10s', plan: '5s', synthesize: '60s' },
      strategies: [
        { kind: 'batch', size: 10 },
        { kind: 'async', wip: 10, waveSize: 10 },
      ],
      seeds: { count: 30 },
    });
    const doc = await compare(scenario);
    const paired = doc.comparisons.find((c) => c.metric === 'makespan')!;
    const runs = runSeeds(scenario, seedRange(doc.seeds));
    const [batch, async] = runs.strategies;
    const unpaired = unpairedDifference(async!.values.makespan, batch!.values.makespan);

    expect(paired.meanDiff).toBeCloseTo(unpaired.meanDiff, 6);
    const pairedWidth = paired.ci95![1] - paired.ci95![0];
    const unpairedWidth = unpaired.ci95[1] - unpaired.ci95[0];
    expect(pairedWidth).toBeLessThan(unpairedWidth / 2);
    // And narrower than either strategy's own interval, which the unpaired one adds up.
    const own = (i: number) => {
      const ci = doc.strategies[i]!.metrics.makespan.ci95!;
      return ci[1] - ci[0];
    };
    expect(pairedWidth).toBeLessThan(Math.min(own(0), own(1)));
    // Async wins, and the paired interval says so.
    expect(paired.ci95![1]).toBeLessThan(0);
  });
});
