/** The poll-round estimate behind the polling limit (poll-rounds.ts), worked out by hand. */
import { describe, expect, it } from 'vitest';
import { strategyOf } from '../../src/scenario/module-strategy.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { estimatePollRounds } from '../../src/scenario/poll-rounds.js';

/** The world and the (polling) strategy of a scenario with the given parts. */
function estimate(parts: {
  tasks?: unknown;
  latency?: unknown;
  failures?: unknown;
  strategy?: Record<string, unknown>;
}) {
  const scenario = parseScenario(
    {
      name: 'estimate',
      description: 'One polling strategy.',
      tasks: parts.tasks ?? { count: 10 },
      subagents: { latency: parts.latency ?? '60s', failures: parts.failures },
      orchestrator: { dispatch: '2s', process: '10s', plan: '5s', synthesize: '60s' },
      strategies: [
        { kind: 'async', wip: 5, continuation: 'polling', pollInterval: '30s', ...parts.strategy },
      ],
    },
    { source: 'estimate.yaml', baseDir: '.' },
  );
  return estimatePollRounds(scenario.world, strategyOf(scenario.strategies[0]!));
}

describe('estimatePollRounds', () => {
  it('is agent time over parallelism plus the orchestrator work, over the interval', () => {
    // 10 tasks × 60 s / 5 at once = 120 s; 10 × (2 s + 10 s) + 60 s = 180 s; one wave.
    expect(estimate({})).toEqual({ makespan: 300, rounds: 10 });
  });

  it('counts retries of failed attempts, each paying its dispatch', () => {
    // Half fail: 1 + 0.5 + 0.25 = 1.75 attempts per task, each 60 s of agent time.
    const { makespan } = estimate({ failures: { error: 0.5 }, strategy: { retries: 2 } });
    expect(makespan).toBeCloseTo((10 * 1.75 * 60) / 5 + 10 * 1.75 * 2 + 100 + 60, 9);
  });

  it('counts a hang as the whole timeout, and a latency past the timeout as a failure', () => {
    // Hangs: half the attempts take the 100 s timeout, and fail.
    const hangs = estimate({ failures: { hang: 0.5 }, strategy: { timeout: '100s' } });
    expect(hangs.makespan).toBeCloseTo((10 * (0.5 * 60 + 0.5 * 100)) / 5 + 180, 9);
    // Every attempt outlasts a 30 s timeout: 3 attempts per task, each cut at 30 s.
    const cut = estimate({ strategy: { timeout: '30s', retries: 2 } });
    expect(cut.makespan).toBeCloseTo((10 * 3 * 30) / 5 + 10 * 3 * 2 + 100 + 60, 9);
  });

  it('runs a chain one task at a time, a wave (and a plan) per task', () => {
    const { makespan } = estimate({ tasks: { count: 10, dependencies: 'chain' } });
    expect(makespan).toBe(10 * 60 + 180 + 9 * 5);
  });

  it('takes a high quantile for a latency with an infinite mean', () => {
    // Pareto alpha 0.9, scale 10 s: the quantile at 1 − 1/(100 × 10), about the longest of
    // 10 draws in one run out of a hundred.
    const { makespan } = estimate({ latency: { dist: 'pareto', alpha: 0.9, scale: '10s' } });
    expect(makespan).toBeCloseTo((10 * 10 * 0.001 ** (-1 / 0.9)) / 5 + 180, 6);
  });
});
