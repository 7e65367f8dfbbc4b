/**
 * lognormal: ln(duration) is normal with mean mu and standard deviation sigma. The usual
 * model for task latencies: positive, right-skewed, with a long but not extreme tail.
 *
 * Give either `mu` (any number) and `sigma` (> 0), or — what people actually know about
 * their latencies — `median` (> 0 seconds) and `p95` (> median), converted with
 * mu = ln(median), sigma = ln(p95 / median) / z₀.₉₅ where z₀.₉₅ = Φ⁻¹(0.95) ≈ 1.6449.
 *
 * Sampling by inverse CDF, exp(mu + sigma·Φ⁻¹(u)) with an accurate Φ⁻¹ (AS 241): exactly
 * one uniform per draw.
 */
import { formatDuration } from '../format.js';
import { LARGEST_UNIFORM, type Uniform } from '../random.js';
import {
  checkProbability,
  chooseParametrisation,
  type Distribution,
  DistributionError,
  fieldPath,
  formatNumber,
  requireFiniteNumber,
  requirePositiveDuration,
  requirePositiveNumber,
} from './distribution.js';
import { standardNormalCdf, standardNormalQuantile, Z95 } from './normal.js';

export interface LognormalParameters {
  /** Mean of ln(duration in seconds). */
  readonly mu?: number;
  /** Standard deviation of ln(duration). */
  readonly sigma?: number;
  /** The median duration, in seconds. */
  readonly median?: number;
  /** The 95th percentile duration, in seconds. */
  readonly p95?: number;
}

export class LognormalDistribution implements Distribution {
  readonly kind = 'lognormal';
  readonly mu: number;
  readonly sigma: number;
  private readonly label: string;

  constructor(parameters: LognormalParameters, path = 'lognormal') {
    const { mu, sigma, median, p95 } = parameters;
    const fromPercentiles =
      chooseParametrisation(
        this.kind,
        path,
        [
          ['mu', 'sigma'],
          ['median', 'p95'],
        ],
        (field) => parameters[field as keyof LognormalParameters] !== undefined,
      ) === 1;
    if (fromPercentiles) {
      const m = requirePositiveDuration(median, path, 'median');
      const high = requirePositiveDuration(p95, path, 'p95');
      if (!(high > m)) {
        throw new DistributionError(
          fieldPath(path, 'p95'),
          `must be greater than the median (${formatDuration(m)}), got ${formatDuration(high)}; p95 is the duration 95% of draws stay under`,
        );
      }
      this.mu = Math.log(m);
      this.sigma = Math.log(high / m) / Z95;
      this.label = `median=${formatDuration(m)}, p95=${formatDuration(high)}`;
    } else {
      this.mu = requireFiniteNumber(mu, path, 'mu', 'the mean of ln(seconds); the median is e^mu');
      this.sigma = requirePositiveNumber(
        sigma,
        path,
        'sigma',
        'the spread of ln(seconds): 0.5 is moderate, 1.5 heavy-tailed',
      );
      this.label = `mu=${formatNumber(this.mu)}, sigma=${formatNumber(this.sigma)}`;
    }
  }

  describe(): string {
    return `lognormal(${this.label})`;
  }

  sample(u: Uniform): number {
    return Math.exp(this.mu + this.sigma * standardNormalQuantile(u.next()));
  }

  mean(): number {
    return Math.exp(this.mu + (this.sigma * this.sigma) / 2);
  }

  largestDraw(): number {
    return Math.exp(this.mu + this.sigma * standardNormalQuantile(LARGEST_UNIFORM));
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    return Math.exp(this.mu + this.sigma * standardNormalQuantile(p));
  }

  cdf(x: number): number {
    return x <= 0 ? 0 : standardNormalCdf((Math.log(x) - this.mu) / this.sigma);
  }
}
