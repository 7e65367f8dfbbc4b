/**
 * uniform(min, max): every duration in [min, max] equally likely (0 ≤ min ≤ max; min = max
 * is allowed and behaves like fixed).
 *
 * Sampling by inverse CDF, min + u·(max − min): exactly one uniform per draw.
 */
import { formatDuration } from '../format.js';
import { LARGEST_UNIFORM, type Uniform } from '../random.js';
import {
  checkProbability,
  type Distribution,
  DistributionError,
  fieldPath,
  requireNonNegativeDuration,
} from './distribution.js';

export interface UniformParameters {
  /** The shortest duration, in seconds. */
  readonly min: number;
  /** The longest duration, in seconds. */
  readonly max: number;
}

export class UniformDistribution implements Distribution {
  readonly kind = 'uniform';
  readonly min: number;
  readonly max: number;
  private readonly width: number;

  constructor(parameters: UniformParameters, path = 'uniform') {
    this.min = requireNonNegativeDuration(parameters.min, path, 'min');
    this.max = requireNonNegativeDuration(parameters.max, path, 'max');
    if (this.max < this.min) {
      throw new DistributionError(
        fieldPath(path, 'max'),
        `must be at least min (${formatDuration(this.min)}), got ${formatDuration(this.max)}; swap them or raise max`,
      );
    }
    this.width = this.max - this.min;
  }

  describe(): string {
    return `uniform(min=${formatDuration(this.min)}, max=${formatDuration(this.max)})`;
  }

  sample(u: Uniform): number {
    return this.min + u.next() * this.width;
  }

  mean(): number {
    return (this.min + this.max) / 2;
  }

  largestDraw(): number {
    return this.min + LARGEST_UNIFORM * this.width;
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    return this.min + p * this.width;
  }

  cdf(x: number): number {
    if (x < this.min) return 0;
    if (x >= this.max) return 1;
    return (x - this.min) / this.width;
  }
}
