/**
 * docs/model.md, "The problem": blocking is better when the orchestrator has no work during the
 * wait, when tasks depend on each other, when the team is small, and when compaction is frequent.
 * The simulator must show each condition with numbers; these tests pin them, as paired differences
 * over the same seeds (common random numbers).
 */
import { describe, expect, it } from 'vitest';
import { pairedDifference, summarize } from '../../src/experiment/stats.js';
import { type WorldConfig, world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import { FixedDistribution } from '../../src/sim/distributions/fixed.js';
import { LognormalDistribution } from '../../src/sim/distributions/lognormal.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';
import { overSeeds } from './helpers.js';

const latency = new LognormalDistribution({ median: 90, p95: 600 });
const seeds = 100;

/** Relative makespan change of `b` against `a` (negative: b is faster), with its paired 95% CI. */
function relativeGain(w: WorldConfig, a: Strategy, b: Strategy) {
  const ma = overSeeds(w, a, seeds);
  const mb = overSeeds(w, b, seeds);
  const d = pairedDifference(mb, ma);
  const base = summarize(ma).mean;
  return { rel: d.mean / base, ci: [d.ci95[0] / base, d.ci95[1] / base] as const };
}

describe('when blocking is as good or better', () => {
  it('no orchestrator work during the wait: async gains nothing, seed by seed', () => {
    // With nothing to do while waiting, both finish when the last subagent does.
    const w = world({ tasks: 20, latency, orchestrator: { dispatch: 2 } });
    expect(overSeeds(w, asyncDispatch(), seeds)).toEqual(overSeeds(w, blocking(), seeds));
  });

  it('heavy per-result work: async clearly wins (the control case)', () => {
    const w = world({ tasks: 20, latency, orchestrator: { dispatch: 2, process: 30 } });
    const g = relativeGain(w, blocking(), asyncDispatch());
    expect(g.ci[1]).toBeLessThan(0);
    expect(g.rel).toBeLessThan(-0.2);
  });

  it('a chain of dependencies: async is no faster than blocking', () => {
    const w = world({
      tasks: { count: 10, dependencies: { shape: 'chain' } },
      latency,
      orchestrator: { dispatch: 2, process: 30, plan: 10 },
    });
    // One task at a time either way: the same makespan on every seed.
    expect(overSeeds(w, asyncDispatch(), seeds)).toEqual(overSeeds(w, blocking(), seeds));
  });

  it('a team of 2 subagents: little to gain, far less than with 20', () => {
    const costs = { dispatch: 2, process: 30 };
    const small = relativeGain(
      world({ tasks: 2, latency, orchestrator: costs }),
      blocking(),
      asyncDispatch(),
    );
    const large = relativeGain(
      world({ tasks: 20, latency, orchestrator: costs }),
      blocking(),
      asyncDispatch(),
    );
    expect(-small.rel).toBeLessThan(0.1);
    expect(-small.rel).toBeLessThan(-large.rel / 3);
  });

  it('frequent compaction: a volatile registry makes ghosts and duplicates, a durable one none', () => {
    const w = world({
      tasks: 30,
      latency,
      orchestrator: { dispatch: 2, process: 10 },
      context: {
        base: 2000,
        perHandle: 200,
        perResult: 3000,
        perSummary: 500,
        budget: 12000,
        compactionCost: 20,
        compactionKeeps: 0.3,
        forgetProbability: 0.3,
      },
    });
    const volatile = asyncDispatch({ wip: 10, registry: 'volatile' });
    const durable = asyncDispatch({ wip: 10, registry: 'durable' });
    const ghosts = summarize(overSeeds(w, volatile, 50, (m) => m.ghosts));
    const duplicates = summarize(overSeeds(w, volatile, 50, (m) => m.duplicateSpawns));
    expect(ghosts.ci95[0]).toBeGreaterThan(0);
    expect(duplicates.ci95[0]).toBeGreaterThan(0);
    expect(overSeeds(w, durable, 50, (m) => m.ghosts + m.duplicateSpawns)).toEqual(
      Array(50).fill(0),
    );
    expect(summarize(overSeeds(w, durable, 50, (m) => m.compactions)).mean).toBeGreaterThan(1);
    // Blocking keeps its handles in the call it is blocked in: nothing to forget.
    expect(overSeeds(w, blocking(), 50, (m) => m.ghosts + m.duplicateSpawns)).toEqual(
      Array(50).fill(0),
    );
  });
});

describe('common random numbers', () => {
  it('give every strategy the same work, to the last bit, where they do the same work', () => {
    // Errors, retries and timeouts: the same attempts in a different order. Work is summed
    // per task, so the totals are equal exactly, not merely close.
    const w = world({
      tasks: 30,
      latency,
      failures: { error: 0.1, hang: 0.05 },
      orchestrator: { dispatch: 2, process: 10 },
    });
    const options = { timeout: 900, retries: 2 };
    for (const metric of ['agentSeconds', 'wastedAgentSeconds'] as const) {
      const reference = overSeeds(w, blocking(options), 20, (m) => m[metric]);
      expect(overSeeds(w, batch({ size: 7, ...options }), 20, (m) => m[metric])).toEqual(reference);
      expect(overSeeds(w, asyncDispatch({ wip: 5, ...options }), 20, (m) => m[metric])).toEqual(
        reference,
      );
    }
  });
});

describe('hung subagents', () => {
  const w = world({
    tasks: 10,
    latency: new FixedDistribution({ value: 60 }),
    failures: { hang: 0.2 },
  });

  it('without a timeout, blocking deadlocks, and the kernel reports it', () => {
    const r = runStrategy({ world: w, strategy: blocking(), seed: 4 });
    expect(r.metrics.outcome).toBe('deadlock');
    expect(r.deadlock).toMatch(/^deadlock at t=60: .*'orchestrator' waits for/s);
    expect(r.deadlock).toMatch(
      /subagent-\d+ \(task \d+\)' waits for event 'the reply of a hung subagent/,
    );
    expect(r.metrics.undetectedFailures).toBeGreaterThan(0);
  });

  it('with a timeout, every hang is detected', () => {
    for (const strategy of [
      blocking({ timeout: 300, retries: 5 }),
      asyncDispatch({ wip: 4, timeout: 300, retries: 5 }),
      asyncDispatch({
        wip: 4,
        timeout: 300,
        retries: 5,
        continuation: 'polling',
        pollInterval: 30,
      }),
    ]) {
      let failures = 0;
      for (let seed = 0; seed < 20; seed++) {
        const m = runStrategy({ world: w, strategy, seed }).metrics;
        failures += m.failures;
        expect(m.outcome).toBe('completed');
        expect(m.failuresDetected).toBe(m.failures);
        expect(m.undetectedFailures).toBe(0);
        expect(m.maxDetectionLatency).toBeLessThanOrEqual(
          strategy.settings.continuation.kind === 'polling' ? 30 : 0,
        );
      }
      expect(failures).toBeGreaterThan(10);
    }
  });
});
