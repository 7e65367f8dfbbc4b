/**
 * Modifiers of any distribution: a `shift`, then `min`/`max` truncation.
 *
 * shift(base, s ≥ 0): base + s, e.g. a fixed start-up cost before a random latency.
 * Same draws as the base, so the same number of uniforms.
 *
 * truncated(base, min, max): the base *conditioned* on min ≤ X ≤ max — not clamped, so no
 * probability piles up at the bounds; either bound may be omitted. With F the base CDF
 * and F(min−) = P(X < min) (an atom exactly at min stays in the window), a draw is
 *   Q(F(min−) + u·(F(max) − F(min−)))
 * with Q the base quantile: exact, and one uniform per draw whenever the base samples that
 * way. For a mixture base (possibly shifted), sampling instead picks a component with
 * weights reweighted by each component's probability inside the window and samples that
 * component truncated, which is the same distribution without a bisection per draw (one
 * uniform for the pick, one for the component). The mean is numeric: the integral of the
 * quantile over the window (see numeric.ts).
 *
 * Precision: inverse-CDF sampling resolves probabilities to about 1e-16, so a window far
 * out in a tail (probability below ~1e-9) is sampled coarsely; such windows are unusual
 * for durations and no attempt is made to do better.
 */
import { formatDuration } from '../format.js';
import { LARGEST_UNIFORM, type Uniform } from '../random.js';
import {
  checkProbability,
  type Distribution,
  DistributionError,
  fieldPath,
  largestDrawOf,
  requireNonNegativeDuration,
} from './distribution.js';
import {
  type MixtureComponent,
  MixtureDistribution,
  type NormalizedMixtureComponent,
} from './mixture.js';
import { integrateQuantile } from './numeric.js';

export class ShiftedDistribution implements Distribution {
  readonly kind = 'shifted';
  readonly base: Distribution;
  readonly shift: number;

  constructor(base: Distribution, shift: number, path = 'shifted') {
    this.base = base;
    this.shift = requireNonNegativeDuration(shift, path, 'shift', 'a constant added to every draw');
  }

  describe(): string {
    return `${this.base.describe()} + ${formatDuration(this.shift)}`;
  }

  sample(u: Uniform): number {
    return this.base.sample(u) + this.shift;
  }

  mean(): number {
    return this.base.mean() + this.shift;
  }

  largestDraw(): number {
    return largestDrawOf(this.base) + this.shift;
  }

  quantile(p: number): number {
    return this.base.quantile(p) + this.shift;
  }

  cdf(x: number): number {
    return this.base.cdf(x - this.shift);
  }
}

export interface TruncationBounds {
  /** Lower bound in seconds (inclusive); omit for none. */
  readonly min?: number;
  /** Upper bound in seconds (inclusive); omit for none. */
  readonly max?: number;
}

/** The largest double below x (x > 0): F at it is P(X < x) for any realistic distribution. */
function below(x: number): number {
  return x > 0 ? x * (1 - Number.EPSILON / 2) : -Number.MIN_VALUE;
}

/** The window [min, max] in probability space: F(min−) and F(max) of a distribution. */
export interface ProbabilityWindow {
  readonly lower: number;
  readonly upper: number;
}

function probabilityWindow(dist: Distribution, min: number, max: number): ProbabilityWindow {
  return {
    lower: min > 0 ? dist.cdf(below(min)) : 0,
    upper: max === Number.POSITIVE_INFINITY ? 1 : dist.cdf(max),
  };
}

/** If `dist` is a mixture, possibly shifted, its components (shift applied to each). */
function mixtureParts(dist: Distribution): readonly NormalizedMixtureComponent[] | undefined {
  if (dist instanceof MixtureDistribution) return dist.components;
  if (dist instanceof ShiftedDistribution) {
    return mixtureParts(dist.base)?.map((c) => ({
      weight: c.weight,
      dist: new ShiftedDistribution(c.dist, dist.shift),
    }));
  }
  return undefined;
}

export class TruncatedDistribution implements Distribution {
  readonly kind = 'truncated';
  readonly base: Distribution;
  readonly min: number;
  readonly max: number;
  /** F(min−) and F(max) of the base: the window in probability space. */
  private readonly lowerProbability: number;
  private readonly upperProbability: number;
  private readonly mass: number;
  /** For mixture bases: the equivalent mixture of truncated components, used to sample. */
  private readonly sampler: MixtureDistribution | undefined;
  private cachedMean: number | undefined;

  /**
   * @param window F(min−) and F(max) of `base`, when the caller has already computed them
   *   (as for the truncated components of a mixture); computed here otherwise.
   */
  constructor(
    base: Distribution,
    bounds: TruncationBounds,
    path = 'truncated',
    window?: ProbabilityWindow,
  ) {
    this.base = base;
    if (bounds.min === undefined && bounds.max === undefined) {
      throw new DistributionError(path, 'truncation needs min, max or both');
    }
    this.min =
      bounds.min === undefined
        ? 0
        : requireNonNegativeDuration(bounds.min, path, 'min', 'the shortest duration kept');
    this.max =
      bounds.max === undefined || bounds.max === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : requireNonNegativeDuration(bounds.max, path, 'max', 'the longest duration kept');
    if (!(this.max > this.min)) {
      throw new DistributionError(
        fieldPath(path, 'max'),
        `must be greater than min (${formatDuration(this.min)}), got ${formatDuration(this.max)}; truncation keeps the durations between min and max`,
      );
    }
    const { lower, upper } = window ?? probabilityWindow(this.base, this.min, this.max);
    this.lowerProbability = lower;
    this.upperProbability = upper;
    this.mass = this.upperProbability - this.lowerProbability;
    if (!(this.mass > 0)) {
      throw new DistributionError(
        path,
        `${this.base.describe()} never falls in ${this.window()}, so nothing is left after truncation; widen min/max (its 5th–95th percentiles are ${formatDuration(this.base.quantile(0.05))}–${formatDuration(this.base.quantile(0.95))})`,
      );
    }
    this.sampler = this.mixtureSampler(path);
  }

  private window(): string {
    if (this.max === Number.POSITIVE_INFINITY) return `[${formatDuration(this.min)}, ∞)`;
    return `[${formatDuration(this.min)}, ${formatDuration(this.max)}]`;
  }

  private mixtureSampler(path: string): MixtureDistribution | undefined {
    const parts = mixtureParts(this.base);
    if (parts === undefined) return undefined;
    const bounds = { min: this.min, max: this.max };
    const kept: MixtureComponent[] = [];
    for (const part of parts) {
      const window = probabilityWindow(part.dist, this.min, this.max);
      const mass = window.upper - window.lower;
      if (mass > 0) {
        kept.push({
          weight: part.weight * mass,
          dist: new TruncatedDistribution(part.dist, bounds, path, window),
        });
      }
    }
    return new MixtureDistribution(kept);
  }

  describe(): string {
    if (this.max === Number.POSITIVE_INFINITY)
      return `${this.base.describe()} truncated to ≥ ${formatDuration(this.min)}`;
    if (this.min === 0) return `${this.base.describe()} truncated to ≤ ${formatDuration(this.max)}`;
    return `${this.base.describe()} truncated to ${this.window()}`;
  }

  sample(u: Uniform): number {
    if (this.sampler !== undefined) return this.sampler.sample(u);
    return this.clamp(this.base.quantile(this.level(u.next())));
  }

  /** The base's probability level for uniform u: in the window, and never past 1 by rounding. */
  private level(u: number): number {
    return Math.min(this.lowerProbability + u * this.mass, 1);
  }

  /** `sample` at the largest uniform, by the same arithmetic. */
  largestDraw(): number {
    if (this.sampler !== undefined) return this.sampler.largestDraw();
    return this.clamp(this.base.quantile(this.level(LARGEST_UNIFORM)));
  }

  /** Guards against rounding at the window's edges (and a draw of exactly 0 below a gap). */
  private clamp(x: number): number {
    return Math.min(Math.max(x, this.min), this.max);
  }

  /**
   * Numeric (see the file comment). With no upper bound the tail is not integrated
   * directly but taken from the base's analytic mean, E[X; X ≥ min] = E[X] − E[X; X < min],
   * which stays accurate for heavy tails (and is ∞ when the base mean is).
   */
  mean(): number {
    if (this.cachedMean === undefined) this.cachedMean = this.computeMean();
    return this.cachedMean;
  }

  private computeMean(): number {
    const baseQuantile = (p: number): number => this.base.quantile(p);
    if (this.max === Number.POSITIVE_INFINITY) {
      const baseMean = this.base.mean();
      if (baseMean === Number.POSITIVE_INFINITY) return baseMean;
      if (Number.isFinite(baseMean)) {
        const belowWindow = integrateQuantile(baseQuantile, 0, this.lowerProbability);
        return Math.max(this.min, (baseMean - belowWindow) / this.mass);
      }
    }
    return integrateQuantile((p) => this.quantile(p), 0, 1);
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    const level = p === 1 ? this.upperProbability : this.lowerProbability + p * this.mass;
    return this.clamp(this.base.quantile(level));
  }

  cdf(x: number): number {
    if (x < this.min) return 0;
    if (x >= this.max) return 1;
    const p = (this.base.cdf(x) - this.lowerProbability) / this.mass;
    return Math.min(Math.max(p, 0), 1);
  }
}
