/**
 * gamma(shape k > 0, scale θ > 0 seconds), or gamma(shape, mean) with θ = mean / shape:
 * the sum of k exponential stages (for whole k), so a multi-step task's duration.
 * Mean kθ, variance kθ².
 *
 * Sampling: Marsaglia & Tsang (2000), "A simple method for generating gamma variables":
 * a normal draw (by inverse CDF, one uniform) and one uniform for the acceptance test per
 * attempt, accepted with probability above 95% for every shape, plus one more uniform for
 * shapes below 1 (boosting via Gamma(k + 1)·U^(1/k)). So a draw consumes a *variable*
 * number of uniforms (2 or more; 3 or more when k < 1): give gamma latencies their own
 * stream if other draws must stay aligned across scenarios.
 *
 * quantile: no closed form; solved numerically from the regularized incomplete gamma
 * function (see gamma-function.ts), to about 1e-14 relative.
 */
import { formatDuration } from '../format.js';
import { LARGEST_UNIFORM, type Uniform } from '../random.js';
import {
  checkProbability,
  chooseParametrisation,
  type Distribution,
  formatNumber,
  requirePositiveDuration,
  requirePositiveNumber,
} from './distribution.js';
import { gammaQuantile, regularizedGammaP } from './gamma-function.js';
import { standardNormalQuantile } from './normal.js';

export interface GammaParameters {
  /** k: 1 is exponential; larger is less skewed. */
  readonly shape: number;
  /** θ, in seconds. */
  readonly scale?: number;
  /** The mean duration kθ, in seconds. */
  readonly mean?: number;
}

export class GammaDistribution implements Distribution {
  readonly kind = 'gamma';
  readonly shape: number;
  readonly scale: number;
  private readonly label: string;
  /** Marsaglia–Tsang constants for the shape actually sampled (shape, or shape + 1 when boosting). */
  private readonly d: number;
  private readonly c: number;
  private readonly boost: boolean;
  private readonly inverseShape: number;

  constructor(parameters: GammaParameters, path = 'gamma') {
    this.shape = requirePositiveNumber(
      parameters.shape,
      path,
      'shape',
      'k: 1 is exponential, larger is less skewed',
    );
    const byMean =
      chooseParametrisation(this.kind, path, [['scale'], ['mean']], (field) =>
        field === 'scale' ? parameters.scale !== undefined : parameters.mean !== undefined,
      ) === 1;
    if (byMean) {
      const mean = requirePositiveDuration(parameters.mean, path, 'mean');
      this.scale = mean / this.shape;
      this.label = `shape=${formatNumber(this.shape)}, mean=${formatDuration(mean)}`;
    } else {
      this.scale = requirePositiveDuration(parameters.scale, path, 'scale');
      this.label = `shape=${formatNumber(this.shape)}, scale=${formatDuration(this.scale)}`;
    }
    this.boost = this.shape < 1;
    this.d = (this.boost ? this.shape + 1 : this.shape) - 1 / 3;
    this.c = 1 / Math.sqrt(9 * this.d);
    this.inverseShape = 1 / this.shape;
  }

  describe(): string {
    return `gamma(${this.label})`;
  }

  sample(u: Uniform): number {
    const { d, c } = this;
    let draw: number;
    for (;;) {
      const x = standardNormalQuantile(u.next());
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const acceptance = u.next();
      const x2 = x * x;
      // The cheap squeeze first; the exact log test only when it fails (rarely).
      if (acceptance < 1 - 0.0331 * x2 * x2) {
        draw = d * v;
        break;
      }
      if (Math.log(acceptance) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        draw = d * v;
        break;
      }
    }
    if (this.boost) draw *= (1 - u.next()) ** this.inverseShape;
    return draw * this.scale;
  }

  mean(): number {
    return this.shape * this.scale;
  }

  /**
   * Not the quantile at the largest uniform: a draw is d·v·scale with v = (1 + c·x)³ and x the
   * normal quantile of one uniform, so at most d·(1 + c·x_max)³·scale; the boost for shapes
   * below 1 multiplies by a factor of at most 1.
   */
  largestDraw(): number {
    const v = 1 + this.c * standardNormalQuantile(LARGEST_UNIFORM);
    return this.d * v * v * v * this.scale;
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    return this.scale * gammaQuantile(this.shape, p);
  }

  cdf(x: number): number {
    return x <= 0 ? 0 : regularizedGammaP(this.shape, x / this.scale);
  }
}
