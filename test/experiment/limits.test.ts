/**
 * The experiment layer refuses, before running anything, what would exhaust memory or
 * never end: too many seeds, grid points, runs or shards; and `--vary` paths reach only
 * the scenario's own fields.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/experiment/errors.js';
import { checkRunBudget } from '../../src/experiment/run-budget.js';
import { resolveSeeds } from '../../src/experiment/run-seeds.js';
import { compareShard, merge, parseShard, sweepShard } from '../../src/experiment/shard.js';
import { sweep } from '../../src/experiment/sweep.js';
import { gridPoints, parseVaries, parseVary, withValue } from '../../src/experiment/vary.js';
import { limits } from '../../src/scenario/limits.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { billionShardClaim, tinyInput } from './helpers.js';

const scenario = parseScenario(tinyInput(), { source: 'tiny.yaml', baseDir: '.' });

describe('seeds', () => {
  it('at most limits.seeds, and every seed an exact integer', () => {
    expect(resolveSeeds({ start: 0, count: 1 }, { start: 5, count: limits.seeds })).toEqual({
      start: 5,
      count: limits.seeds,
    });
    expect(() => resolveSeeds({ start: 0, count: 1 }, { start: 0, count: 1e9 })).toThrow(
      /1,000,000,000 seeds is more than one experiment runs \(at most 100,000/,
    );
    // The last seed may be 2^53 - 1 itself, not one more.
    const last = Number.MAX_SAFE_INTEGER;
    expect(resolveSeeds({ start: 0, count: 1 }, { start: last, count: 1 }).start).toBe(last);
    expect(() => resolveSeeds({ start: 0, count: 1 }, { start: last, count: 2 })).toThrow(
      /largest exact integer/,
    );
  });
});

describe('sweep grids', () => {
  it('refuses a range with more points than a sweep runs, before making them', () => {
    expect(() => parseVary('tasks.count=1..5:100000000')).toThrow(
      /100,000,000 points is more than a sweep runs \(at most 10,000/,
    );
    expect(parseVary(`tasks.count=1..5:${limits.gridPoints}`).values).toHaveLength(
      limits.gridPoints,
    );
  });

  it('refuses a grid whose product is too large, naming each factor', () => {
    const varies = parseVaries(['orchestrator.process=0..10:1000', 'tasks.count=1..5:1000']);
    expect(() => gridPoints(varies)).toThrow(
      /1000 values of orchestrator\.process × 1000 values of tasks\.count has 1,000,000 points/,
    );
  });

  it('refuses a sweep that would make more runs than an experiment keeps', async () => {
    // 1,000 points × 300 seeds × 4 strategies = 1.2·10^6 runs.
    await expect(
      sweep(scenario, {
        vary: ['orchestrator.process=0..10:1000'],
        seeds: { start: 0, count: 300 },
      }),
    ).rejects.toThrow(
      /would make 1,200,000 runs \(1,000 grid points × 300 seeds × 4 strategies\), more than one experiment makes \(at most 1,000,000/,
    );
  });

  it('counts the runs of a compare as of a one-point sweep', () => {
    const budget = { points: 1, seeds: limits.seeds, strategies: 10 };
    expect(() => checkRunBudget(budget)).not.toThrow();
    expect(() => checkRunBudget({ ...budget, strategies: 11 })).toThrow(
      /would make 1,100,000 runs \(100,000 seeds × 11 strategies\)/,
    );
  });

  it('refuses a shard whose partial document merge could not read, saying how many shards', async () => {
    // 60,000 seeds × 4 strategies = 240,000 runs: fine whole, too many for one shard.
    const seeds = { start: 0, count: 60_000 };
    await expect(compareShard(scenario, { seeds, shard: '1/1' })).rejects.toThrow(
      /each of 1 shards would make up to 240,000 runs .*\(at most 200,000 runs.*split it into at least 2 shards/,
    );
    // 1,000 points × 51 seeds (of 101, in 2 shards) × 4 strategies = 204,000 runs a shard.
    await expect(
      sweepShard(scenario, {
        seeds: { start: 0, count: 101 },
        shard: '1/2',
        vary: ['orchestrator.process=0..10:1000'],
      }),
    ).rejects.toThrow(
      /each of 2 shards would make up to 204,000 runs.*split it into at least 3 shards/,
    );
    expect(() => checkRunBudget({ points: 10_000, seeds: 4, strategies: 25, shards: 4 })).toThrow(
      /even one seed a shard is too many at 10,000 grid points × 25 strategies/,
    );
  });
});

describe('--vary paths reach only the scenario', () => {
  it('refuses __proto__, constructor and prototype, and pollutes nothing', () => {
    for (const spec of [
      '__proto__.polluted=1,2',
      'orchestrator.__proto__.polluted=1',
      'constructor.prototype.polluted=1',
      'strategies[0].constructor=1',
    ]) {
      expect(() => parseVary(spec), spec).toThrow(UsageError);
      expect(() => parseVary(spec), spec).toThrow(/is not a field of a scenario/);
    }
    expect(() => withValue(tinyInput(), '__proto__.polluted', 1)).toThrow(UsageError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not walk into inherited fields', () => {
    // `toString` is inherited by every object: it is not a scenario field, so a mapping is
    // created for it (and the schema then rejects it as an unknown field).
    const changed = withValue(tinyInput(), 'orchestrator.toString.x', 1) as {
      orchestrator: Record<string, unknown>;
    };
    expect(Object.hasOwn(changed.orchestrator, 'toString')).toBe(true);
    expect(changed.orchestrator.toString).toEqual({ x: 1 });
    expect(typeof Object.prototype.toString).toBe('function');
  });
});

describe('shards', () => {
  it('at most limits.seeds shards', () => {
    expect(parseShard(`3/${limits.seeds}`)).toEqual({ index: 3, of: limits.seeds });
    expect(() => parseShard('1/1000000000')).toThrow(/at most 100,000 shards/);
  });

  it('a partial document claiming a billion shards is refused, not allocated', () => {
    const claim = billionShardClaim();
    expect(() => merge([claim], ['huge.json'])).toThrow(/huge\.json is not a valid partial/);
  });
});
