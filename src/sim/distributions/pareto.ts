/**
 * pareto(alpha > 0, scale xₘ > 0 seconds): a power-law tail above the minimum xₘ,
 * cdf 1 − (xₘ/x)^alpha for x ≥ xₘ. The mean is alpha·xₘ/(alpha − 1) for alpha > 1 and
 * infinite for alpha ≤ 1; the variance is infinite for alpha ≤ 2.
 *
 * Sampling by inverse CDF, xₘ·(1 − u)^(−1/alpha): exactly one uniform per draw.
 */
import { formatDuration } from '../format.js';
import { LARGEST_UNIFORM, type Uniform } from '../random.js';
import {
  checkProbability,
  type Distribution,
  formatNumber,
  requirePositiveDuration,
  requirePositiveNumber,
} from './distribution.js';

export interface ParetoParameters {
  /** The tail index: smaller is heavier; the mean is infinite for alpha ≤ 1. */
  readonly alpha: number;
  /** xₘ, the minimum duration, in seconds. */
  readonly scale: number;
}

export class ParetoDistribution implements Distribution {
  readonly kind = 'pareto';
  readonly alpha: number;
  readonly scale: number;
  private readonly negativeInverseAlpha: number;

  constructor(parameters: ParetoParameters, path = 'pareto') {
    this.alpha = requirePositiveNumber(
      parameters.alpha,
      path,
      'alpha',
      'the tail index: smaller is heavier; the mean is infinite for alpha ≤ 1',
    );
    this.scale = requirePositiveDuration(parameters.scale, path, 'scale', 'the minimum duration');
    this.negativeInverseAlpha = -1 / this.alpha;
  }

  describe(): string {
    return `pareto(alpha=${formatNumber(this.alpha)}, scale=${formatDuration(this.scale)})`;
  }

  sample(u: Uniform): number {
    return this.scale * (1 - u.next()) ** this.negativeInverseAlpha;
  }

  mean(): number {
    return this.alpha > 1 ? (this.alpha * this.scale) / (this.alpha - 1) : Number.POSITIVE_INFINITY;
  }

  largestDraw(): number {
    return this.scale * (1 - LARGEST_UNIFORM) ** this.negativeInverseAlpha;
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    return this.scale * (1 - p) ** this.negativeInverseAlpha;
  }

  cdf(x: number): number {
    return x < this.scale ? 0 : 1 - (this.scale / x) ** this.alpha;
  }
}
