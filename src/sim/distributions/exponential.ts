/**
 * exponential(mean) or exponential(rate): memoryless durations, e.g. the time to a random
 * failure. Give exactly one of `mean` (seconds, > 0) or `rate` (events per second, > 0);
 * mean = 1 / rate.
 *
 * Sampling by inverse CDF, −mean·ln(1 − u): exactly one uniform per draw.
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

export interface ExponentialParameters {
  /** The mean duration, in seconds. */
  readonly mean?: number;
  /** Events per second; the mean is 1 / rate. */
  readonly rate?: number;
}

export class ExponentialDistribution implements Distribution {
  readonly kind = 'exponential';
  /** The mean duration, in seconds, whichever way the distribution was given. */
  readonly meanDuration: number;
  private readonly label: string;

  constructor(parameters: ExponentialParameters, path = 'exponential') {
    const byRate =
      chooseParametrisation(this.kind, path, [['mean'], ['rate']], (field) =>
        field === 'mean' ? parameters.mean !== undefined : parameters.rate !== undefined,
      ) === 1;
    if (byRate) {
      const rate = requirePositiveNumber(
        parameters.rate,
        path,
        'rate',
        'events per second; the mean is 1/rate',
      );
      this.meanDuration = 1 / rate;
      this.label = `rate=${formatNumber(rate)}/s`;
    } else {
      this.meanDuration = requirePositiveDuration(parameters.mean, path, 'mean');
      this.label = `mean=${formatDuration(this.meanDuration)}`;
    }
  }

  describe(): string {
    return `exponential(${this.label})`;
  }

  sample(u: Uniform): number {
    return -this.meanDuration * Math.log1p(-u.next());
  }

  mean(): number {
    return this.meanDuration;
  }

  largestDraw(): number {
    return -this.meanDuration * Math.log1p(-LARGEST_UNIFORM);
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    return -this.meanDuration * Math.log1p(-p);
  }

  cdf(x: number): number {
    return x <= 0 ? 0 : -Math.expm1(-x / this.meanDuration);
  }
}
