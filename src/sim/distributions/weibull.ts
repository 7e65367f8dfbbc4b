/**
 * weibull(shape k > 0, scale λ > 0 seconds): cdf 1 − exp(−(x/λ)^k). Shape < 1 gives a
 * decreasing hazard (long stragglers), 1 is exponential, > 1 wear-out-like clustering
 * around the scale.
 *
 * Sampling by inverse CDF, λ·(−ln(1 − u))^(1/k): exactly one uniform per draw.
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
import { logGamma } from './gamma-function.js';

export interface WeibullParameters {
  /** k: < 1 long tail, 1 exponential, > 1 concentrated around the scale. */
  readonly shape: number;
  /** λ, in seconds: the 63rd percentile. */
  readonly scale: number;
}

export class WeibullDistribution implements Distribution {
  readonly kind = 'weibull';
  readonly shape: number;
  readonly scale: number;
  private readonly inverseShape: number;

  constructor(parameters: WeibullParameters, path = 'weibull') {
    this.shape = requirePositiveNumber(
      parameters.shape,
      path,
      'shape',
      'k: below 1 gives long stragglers, 1 is exponential, above 1 clusters around the scale',
    );
    this.scale = requirePositiveDuration(parameters.scale, path, 'scale');
    this.inverseShape = 1 / this.shape;
  }

  describe(): string {
    return `weibull(shape=${formatNumber(this.shape)}, scale=${formatDuration(this.scale)})`;
  }

  sample(u: Uniform): number {
    return this.scale * (-Math.log1p(-u.next())) ** this.inverseShape;
  }

  mean(): number {
    return this.scale * Math.exp(logGamma(1 + this.inverseShape));
  }

  largestDraw(): number {
    return this.scale * (-Math.log1p(-LARGEST_UNIFORM)) ** this.inverseShape;
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    return this.scale * (-Math.log1p(-p)) ** this.inverseShape;
  }

  cdf(x: number): number {
    return x <= 0 ? 0 : -Math.expm1(-((x / this.scale) ** this.shape));
  }
}
