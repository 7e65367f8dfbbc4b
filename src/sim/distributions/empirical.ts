/**
 * empirical: durations resampled from observations (a bootstrap), for users who have
 * measured their own subagents. Observations are finite and ≥ 0, in seconds; reading them
 * from a CSV or JSON file is the scenario layer's work (`loadEmpiricalSamples`).
 *
 * The distribution is the empirical distribution of the observations: each with
 * probability 1/n (duplicates count once each). Observations are kept sorted and a draw
 * is sorted[⌊u·n⌋]: exactly one uniform per draw, monotone in u like every inverse-CDF
 * sampler here. quantile(p) is the inverse of the empirical CDF, sorted[⌈p·n⌉ − 1]
 * (R's quantile type 1), the same distribution the draws come from: a draw with uniform u
 * equals quantile(u) except exactly at the jump points u = k/n.
 */
import { formatDuration } from '../format.js';
import type { Uniform } from '../random.js';
import {
  checkProbability,
  type Distribution,
  DistributionError,
  showValue,
} from './distribution.js';
import { compensatedSum } from './numeric.js';

export interface EmpiricalParameters {
  /** Observed durations, in seconds, in any order. */
  readonly values: readonly number[];
  /** Where they came from (a file name), for `describe()`. */
  readonly source?: string;
}

/** Floating-point slack so that p = k/n lands on observation k, not k + 1 (as in R). */
const FUZZ = 4 * Number.EPSILON;

export class EmpiricalDistribution implements Distribution {
  readonly kind = 'empirical';
  readonly size: number;
  readonly source: string | undefined;
  private readonly sorted: Float64Array;
  private readonly average: number;

  constructor(parameters: EmpiricalParameters, path = 'empirical') {
    const { values } = parameters;
    if (!Array.isArray(values) || values.length === 0) {
      throw new DistributionError(
        `${path}.values`,
        'needs at least one observed duration, e.g. [1.2, 3.4, 90s], or a file: latencies.csv',
      );
    }
    for (const [index, value] of values.entries()) {
      if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
        throw new DistributionError(
          `${path}.values[${index}]`,
          `must be a duration of 0 or more, got ${showValue(value)}`,
        );
      }
    }
    this.sorted = Float64Array.from(values).sort();
    this.size = this.sorted.length;
    this.source = parameters.source;
    this.average = compensatedSum(this.size, (i) => this.sorted[i]!) / this.size;
  }

  /** The observations, ascending. */
  observations(): readonly number[] {
    return Array.from(this.sorted);
  }

  describe(): string {
    const from = this.source === undefined ? '' : `, from ${this.source}`;
    return `empirical(n=${this.size}, median=${formatDuration(this.quantile(0.5))}, p95=${formatDuration(this.quantile(0.95))}${from})`;
  }

  sample(u: Uniform): number {
    const index = Math.floor(u.next() * this.size);
    // index < size always holds for u < 1; the guard costs nothing and survives odd Uniforms.
    return this.sorted[index < this.size ? index : this.size - 1]!;
  }

  mean(): number {
    return this.average;
  }

  largestDraw(): number {
    return this.sorted[this.size - 1]!;
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    const rank = Math.ceil(p * this.size * (1 - FUZZ));
    return this.sorted[rank > 0 ? rank - 1 : 0]!;
  }

  cdf(x: number): number {
    // The number of observations ≤ x, by binary search.
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]! <= x) low = middle + 1;
      else high = middle;
    }
    return low / this.size;
  }
}
