/**
 * Statistical checks shared by the distribution tests. Every check uses a tolerance of
 * five standard errors, so a correct distribution fails with probability below 1e-6, and
 * every stream has a fixed seed, so the tests are deterministic anyway: a failure means
 * the code changed, not bad luck.
 */
import { expect } from 'vitest';
import { type Distribution, DistributionError } from '../../src/sim/distributions/index.js';
import { RandomStream, type Uniform } from '../../src/sim/random.js';

/** Counts the uniforms a distribution takes, to check documented consumption. */
export class CountingUniform implements Uniform {
  count = 0;
  constructor(private readonly inner: Uniform) {}
  next(): number {
    this.count++;
    return this.inner.next();
  }
}

/** `n` draws from a stream named after the test case. */
export function draw(distribution: Distribution, name: string, n: number): Float64Array {
  const stream = new RandomStream(1, 'test', name);
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) samples[i] = distribution.sample(stream);
  return samples;
}

export function average(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] ?? 0;
  return sum / values.length;
}

/** The sample mean is within 5 standard errors (5·sd/√n) of the analytic mean. */
export function expectMeanMatches(samples: Float64Array, mean: number, sd: number): void {
  const tolerance = (5 * sd) / Math.sqrt(samples.length);
  const sampleMean = average(samples);
  expect(
    Math.abs(sampleMean - mean),
    `sample mean ${sampleMean} vs analytic ${mean} (tolerance ${tolerance})`,
  ).toBeLessThanOrEqual(tolerance);
}

/**
 * At the analytic quantile x = Q(p), the share of samples below x and the share at or
 * below it bracket p, within 5·√(p(1−p)/n): the empirical CDF agrees with the analytic
 * one without needing a density, and atoms (fixed values, observations) are handled.
 */
export function expectQuantilesMatch(
  samples: Float64Array,
  distribution: Distribution,
  levels: readonly number[],
): void {
  const n = samples.length;
  for (const p of levels) {
    const x = distribution.quantile(p);
    let below = 0;
    let atOrBelow = 0;
    for (let i = 0; i < n; i++) {
      const sample = samples[i] ?? 0;
      if (sample < x) below++;
      if (sample <= x) atOrBelow++;
    }
    const tolerance = 5 * Math.sqrt((p * (1 - p)) / n);
    const message = `p=${p}: quantile ${x}; share below ${below / n}, at or below ${atOrBelow / n}`;
    expect(below / n - tolerance, message).toBeLessThanOrEqual(p);
    expect(atOrBelow / n + tolerance, message).toBeGreaterThanOrEqual(p);
  }
}

/** Population standard deviation of observations. */
export function standardDeviation(values: readonly number[]): number {
  const mean = average(values);
  return Math.sqrt(average(values.map((value) => (value - mean) ** 2)));
}

/** The type-1 (inverse empirical CDF) quantile, computed independently of the library. */
export function inverseEmpiricalCdf(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  // The smallest observation whose ECDF reaches p, by direct counting.
  for (let k = 1; k <= sorted.length; k++) {
    if (k / sorted.length >= p - 1e-12) return sorted[k - 1] ?? Number.NaN;
  }
  return sorted[sorted.length - 1] ?? Number.NaN;
}

/** The DistributionError `act` throws; fails the test if it throws nothing or something else. */
export function distributionErrorOf(act: () => unknown): DistributionError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(DistributionError);
    return error as DistributionError;
  }
  throw new Error('expected a DistributionError');
}
