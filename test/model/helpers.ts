import type { WorldConfig } from '../../src/model/config.js';
import type { RunMetrics } from '../../src/model/metrics.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import { FixedDistribution } from '../../src/sim/distributions/fixed.js';

/** Runs a strategy on seeds 0..n-1 and returns one metric per seed. */
export function overSeeds(
  world: WorldConfig,
  strategy: Strategy,
  seeds: number,
  metric: (m: RunMetrics) => number = (m) => m.makespan,
): number[] {
  return Array.from({ length: seeds }, (_, seed) =>
    metric(runStrategy({ world, strategy, seed }).metrics),
  );
}

/** Harmonic number H_n = 1 + 1/2 + ... + 1/n. */
export function harmonic(n: number): number {
  let h = 0;
  for (let i = 1; i <= n; i++) h += 1 / i;
  return h;
}

/** A fixed latency of `value` seconds. */
export const fixed = (value: number) => new FixedDistribution({ value });
