/**
 * Absurd numbers in a scenario are refused by parseScenario, naming the field, the limit and
 * the reason, so that `validate` refuses exactly what a run would fail on.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/scenario/errors.js';
import { limits } from '../../src/scenario/limits.js';
import { parseScenario, type Scenario } from '../../src/scenario/parse.js';

const base = {
  name: 'limits',
  description: 'A small valid scenario that each case changes in one place.',
  tasks: { count: 5 },
  subagents: { latency: { dist: 'exponential', mean: '1m' } },
  strategies: [{ kind: 'blocking' }, { kind: 'async', wip: 2 }],
};

type Input = Record<string, unknown>;

function parse(change: (input: Input) => void): Scenario {
  const input: Input = structuredClone(base);
  change(input);
  return parseScenario(input, { source: 'limits.yaml', baseDir: '.' });
}

/** The issues of the ScenarioError the change provokes, as `path: message` lines. */
function issues(change: (input: Input) => void): string[] {
  try {
    parse(change);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a ScenarioError');
}

const polling = (pollInterval: unknown) => (s: Input) => {
  s.strategies = [{ kind: 'async', wip: 2, continuation: 'polling', pollInterval }];
};

describe('sizes', () => {
  it('caps tasks.count, with the reason; past 2^53 too, in one message', () => {
    for (const count of [limits.tasks + 1, 2 ** 53 - 1, 1e300]) {
      const found = issues((s) => {
        s.tasks = { count };
      });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(
        /^tasks\.count: must be <= 1,000,000, got .*; one run keeps a few hundred bytes per task/,
      );
    }
    expect(parse((s) => (s.tasks = { count: limits.tasks })).world.tasks.count).toBe(limits.tasks);
  });

  it('caps the strategies, seeds.count, retries and token counts', () => {
    expect(
      issues((s) => {
        s.strategies = Array.from({ length: limits.strategies + 1 }, (_, i) => ({
          kind: 'blocking',
          label: `b${i}`,
        }));
      }),
    ).toEqual([
      'strategies: the list needs <= 100 entries, got 101; at most 100 strategies are compared at once (every one runs on every seed); split them over several scenarios.',
    ]);
    expect(issues((s) => (s.seeds = { count: limits.seeds + 1 }))[0]).toMatch(
      /^seeds\.count: must be <= 100,000, got 100,001; every run's metrics are kept/,
    );
    expect(issues((s) => (s.strategies = [{ kind: 'blocking', retries: 1e9 }]))[0]).toMatch(
      /^strategies\[0\]\.retries: must be <= 100, got 1,000,000,000; retries are at most 100/,
    );
    expect(issues((s) => (s.context = { base: 1e300, budget: 1e12 }))).toEqual([
      expect.stringMatching(/^context\.base: must be <= 1,000,000,000, got 1e\+300; token counts/),
      expect.stringMatching(/^context\.budget: .*; for no compaction at all write budget: none\.$/),
    ]);
  });

  it('keeps seeds within the exact integers', () => {
    expect(issues((s) => (s.seeds = { start: 2 ** 53 - 1, count: 2 }))).toEqual([
      'seeds.start: 2 seeds from 9,007,199,254,740,991 go past 9,007,199,254,740,991 (2^53 − 1), the largest exact integer; start at 9,007,199,254,740,990 at most.',
    ]);
    // The default count, 100, counts too.
    expect(issues((s) => (s.seeds = { start: 2 ** 53 - 50 }))[0]).toMatch(/^seeds\.start: /);
    expect(parse((s) => (s.seeds = { start: 2 ** 53 - 2, count: 2 })).seeds.start).toBe(
      2 ** 53 - 2,
    );
  });
});

describe('task graphs', () => {
  it('refuses layers with more edges than a run builds (counted exactly)', () => {
    // (count − width) × width edges: 4,000 × 1,000 = 4·10^6 passes, 6·10^6 does not.
    expect(
      parse((s) => (s.tasks = { count: 5000, dependencies: { shape: 'layered', width: 1000 } }))
        .world.tasks.count,
    ).toBe(5000);
    expect(
      issues((s) => (s.tasks = { count: 7000, dependencies: { shape: 'layered', width: 1000 } })),
    ).toEqual([
      'tasks.dependencies.width: layers of 1,000 over 7,000 tasks make 6,000,000 dependency edges; a run builds every edge (and keeps two lists of them); at most 5,000,000: use narrower layers or fewer tasks.',
    ]);
  });

  it('refuses a random graph with too many expected edges, or too many pairs to draw', () => {
    expect(
      issues(
        (s) => (s.tasks = { count: 10_000, dependencies: { shape: 'random', edgeProbability: 1 } }),
      )[0],
    ).toMatch(
      /^tasks\.dependencies\.edgeProbability: 1 over 49,995,000 pairs of tasks makes about 49,995,000 dependency edges.*at most 0\.1/,
    );
    expect(
      issues(
        (s) =>
          (s.tasks = { count: 100_000, dependencies: { shape: 'random', edgeProbability: 1e-9 } }),
      )[0],
    ).toMatch(
      /^tasks\.dependencies: a random graph draws once for every pair of tasks, every run: 100,000 tasks are 4,999,950,000 pairs, more than 50,000,000/,
    );
  });
});

describe('failure rates', () => {
  it('take fates that add up to 1 up to rounding', () => {
    const world = parse((s) => {
      s.subagents = {
        ...base.subagents,
        failures: { error: 0.33, hang: 0.56, needsPermission: 0.11 },
      };
    }).world;
    expect(world.subagents.failures.hang).toBe(0.56);
  });

  it('refuse a sum past 1 with a message that shows it past 1', () => {
    expect(
      issues((s) => {
        s.subagents = { ...base.subagents, failures: { error: 0.5, hang: 0.500000002 } };
      }),
    ).toEqual([
      'subagents.failures: error + hang + needsPermission add up to 1.000000002, more than 1; they are exclusive fates of one attempt, so lower them until their sum is at most 1.',
    ]);
  });
});

describe('polling', () => {
  it('refuses an interval under 1 ms', () => {
    expect(issues(polling(1e-9))).toEqual([
      expect.stringMatching(
        /^strategies\[0\]\.pollInterval: must be at least 1ms, got .*; for instant notice use continuation: events\.$/,
      ),
    ]);
  });

  it('refuses an interval that would take more than 10^7 rounds per run, saying which works', () => {
    const found = issues((s) => {
      s.tasks = { count: 100_000 };
      polling('1ms')(s);
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^strategies\[0\]\.pollInterval: polling every 1ms through a run estimated at 833h20m is about 3,000,000,000 poll rounds, more than the 10,000,000 a run may take; poll every 300ms or less often/,
      ),
    ]);
    // The interval it suggests passes.
    const ok = parse((s) => {
      s.tasks = { count: 100_000 };
      polling('300ms')(s);
    });
    expect(ok.strategies[0]?.kind).toBe('async');
  });

  it('takes the default interval and the bundled ones', () => {
    expect(parse(polling(undefined)).strategies[0]).toMatchObject({ pollInterval: 30 });
    expect(parse(polling('10s')).strategies[0]).toMatchObject({ pollInterval: 10 });
  });
});
