/**
 * fixed(value): always `value` seconds (value ≥ 0). A constant such as a dispatch cost.
 *
 * Sampling consumes one uniform and ignores it, like every single-uniform distribution:
 * replacing a fixed duration by a random one (or back) then leaves every later draw from
 * the same stream unchanged.
 */
import { formatDuration } from '../format.js';
import type { Uniform } from '../random.js';
import { checkProbability, type Distribution, requireNonNegativeDuration } from './distribution.js';

export interface FixedParameters {
  /** The duration, in seconds. */
  readonly value: number;
}

export class FixedDistribution implements Distribution {
  readonly kind = 'fixed';
  readonly value: number;

  constructor(parameters: FixedParameters, path = 'fixed') {
    this.value = requireNonNegativeDuration(parameters.value, path, 'value');
  }

  describe(): string {
    return `fixed(${formatDuration(this.value)})`;
  }

  sample(u: Uniform): number {
    u.next();
    return this.value;
  }

  mean(): number {
    return this.value;
  }

  largestDraw(): number {
    return this.value;
  }

  quantile(p: number): number {
    checkProbability(p, this.kind);
    return this.value;
  }

  cdf(x: number): number {
    return x < this.value ? 0 : 1;
  }
}
