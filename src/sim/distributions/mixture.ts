/**
 * mixture: with probability wᵢ (weights normalized to sum to 1) the duration comes from
 * component i — e.g. 90% of subagents answer fast, 10% go down a slow path.
 *
 * Sampling consumes one uniform to pick the component, then the component's own draws
 * (so 2 per draw when every component is a single-uniform distribution).
 * cdf(x) = Σ wᵢ·Fᵢ(x); mean = Σ wᵢ·meanᵢ (∞ if any component's mean is);
 * quantile(p) has no closed form and is found by bisection on the mixture CDF between
 * the smallest and largest component quantile at p (the answer always lies there).
 */
import { roundSignificant } from '../format.js';
import type { Uniform } from '../random.js';
import {
  checkProbability,
  type Distribution,
  DistributionError,
  largestDrawOf,
  showValue,
} from './distribution.js';
import { invertCdfByBisection } from './numeric.js';

export interface MixtureComponent {
  /** Relative weight (> 0); weights are normalized. */
  readonly weight: number;
  readonly dist: Distribution;
}

export interface NormalizedMixtureComponent {
  /** Probability of this component; the weights sum to 1. */
  readonly weight: number;
  readonly dist: Distribution;
}

export class MixtureDistribution implements Distribution {
  readonly kind = 'mixture';
  /** The components' distributions, and their probabilities in `weights`. */
  private readonly dists: readonly Distribution[];
  private readonly weights: Float64Array;
  /** cumulative[i] = w₀ + … + wᵢ, with the last forced to exactly 1. */
  private readonly cumulative: Float64Array;

  constructor(components: readonly MixtureComponent[], path = 'mixture') {
    if (!Array.isArray(components) || components.length === 0) {
      throw new DistributionError(
        `${path}.components`,
        'must list at least one component, e.g. [{ weight: 0.9, dist: {...} }, { weight: 0.1, dist: {...} }]',
      );
    }
    let total = 0;
    for (const [index, component] of components.entries()) {
      const weight = component.weight;
      if (!(typeof weight === 'number' && Number.isFinite(weight) && weight > 0)) {
        throw new DistributionError(
          `${path}.components[${index}].weight`,
          `must be a number greater than 0, got ${showValue(weight)}; weights are relative and normalized to sum to 1 (drop a component rather than give it weight 0)`,
        );
      }
      total += weight;
    }
    this.dists = components.map((component) => component.dist);
    this.weights = Float64Array.from(components, (component) => component.weight / total);
    this.cumulative = new Float64Array(this.weights.length);
    let running = 0;
    for (let i = 0; i < this.weights.length; i++) {
      running += this.weights[i] ?? 0;
      this.cumulative[i] = running;
    }
    this.cumulative[this.cumulative.length - 1] = 1;
  }

  /** The components with their normalized weights (a fresh list on each call). */
  get components(): readonly NormalizedMixtureComponent[] {
    return this.dists.map((dist, i) => ({ weight: this.weights[i] ?? 0, dist }));
  }

  describe(): string {
    const parts = this.dists.map(
      (dist, i) => `${roundSignificant((this.weights[i] ?? 0) * 100, 4)}% ${dist.describe()}`,
    );
    return `mixture(${parts.join(', ')})`;
  }

  sample(u: Uniform): number {
    const pick = u.next();
    const last = this.dists.length - 1;
    let index = 0;
    while (index < last && pick >= (this.cumulative[index] ?? 1)) index++;
    return this.dists[index]!.sample(u);
  }

  /** A draw is one component's draw: the largest of theirs. */
  largestDraw(): number {
    let largest = 0;
    for (const dist of this.dists) largest = Math.max(largest, largestDrawOf(dist));
    return largest;
  }

  mean(): number {
    let mean = 0;
    for (let i = 0; i < this.dists.length; i++)
      mean += (this.weights[i] ?? 0) * this.dists[i]!.mean();
    return mean;
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    let lower = Number.POSITIVE_INFINITY;
    let upper = Number.NEGATIVE_INFINITY;
    for (const dist of this.dists) {
      const q = dist.quantile(p);
      if (q < lower) lower = q;
      if (q > upper) upper = q;
    }
    return invertCdfByBisection((x) => this.cdf(x), p, lower, upper);
  }

  cdf(x: number): number {
    let sum = 0;
    for (let i = 0; i < this.dists.length; i++)
      sum += (this.weights[i] ?? 0) * this.dists[i]!.cdf(x);
    return Math.min(sum, 1);
  }
}
