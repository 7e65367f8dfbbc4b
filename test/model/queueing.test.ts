/**
 * The model against queueing theory: exponential latencies with rate λ and a free
 * orchestrator (all costs zero), where the mean makespan has a closed form.
 *   blocking, N tasks:            H_N / λ               (the max of N exponentials)
 *   batch of k, N = m·k:          m · H_k / λ           (m rounds, each a max of k)
 *   async with WIP k:             (N − k)/(kλ) + H_k/λ  (k busy servers, then the last k drain)
 * Tolerances are four standard errors of the mean over the seeds; seeds are fixed, so the
 * test is deterministic.
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/experiment/stats.js';
import { world } from '../../src/model/config.js';
import type { Strategy } from '../../src/model/strategy.js';
import { ExponentialDistribution } from '../../src/sim/distributions/exponential.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';
import { harmonic, overSeeds } from './helpers.js';

const meanLatency = 60; // seconds: λ = 1/60
const seeds = 1500;

function expectMeanMakespan(tasks: number, strategy: Strategy, expected: number): void {
  const w = world({ tasks, latency: new ExponentialDistribution({ mean: meanLatency }) });
  const s = summarize(overSeeds(w, strategy, seeds));
  const standardError = s.sd / Math.sqrt(s.n);
  expect(Math.abs(s.mean - expected)).toBeLessThan(4 * standardError);
  // And the interval is tight enough for the check to mean something (under 5% of the value).
  expect(4 * standardError).toBeLessThan(0.05 * expected);
}

describe('makespan against queueing theory (exponential latencies, free orchestrator)', () => {
  it.each([10, 40])('blocking with N=%i: H_N/λ', (n) => {
    expectMeanMakespan(n, blocking(), harmonic(n) * meanLatency);
  });

  it.each([
    [20, 5],
    [30, 10],
  ])('batch with N=%i, k=%i: m·H_k/λ', (n, k) => {
    expectMeanMakespan(n, batch({ size: k }), (n / k) * harmonic(k) * meanLatency);
  });

  it.each([
    [20, 5],
    [40, 8],
  ])('async with N=%i, WIP k=%i: (N−k)/(kλ) + H_k/λ', (n, k) => {
    expectMeanMakespan(n, asyncDispatch({ wip: k }), ((n - k) / k + harmonic(k)) * meanLatency);
  });

  it('async with polling finishes no sooner than with events, and at most one interval later', () => {
    // Not a closed form, but bounds: polling sees each end at the first check after it.
    const w = world({ tasks: 20, latency: new ExponentialDistribution({ mean: meanLatency }) });
    const events = overSeeds(w, asyncDispatch({ wip: 5 }), 200);
    const polling = overSeeds(
      w,
      asyncDispatch({ wip: 5, continuation: 'polling', pollInterval: 20 }),
      200,
    );
    polling.forEach((p, i) => {
      expect(p).toBeGreaterThanOrEqual(events[i]!);
      expect(p).toBeLessThanOrEqual(events[i]! + 20);
    });
  });
});
