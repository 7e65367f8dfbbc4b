/** Order statistics for benchmark samples. Medians, not means: the machines are shared and noisy. */
import { verdict } from './report.js';

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(xs: readonly number[]): Summary {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: [...xs] };
}

/** One figure over another (e.g. kernel events/s over a reference's), against a target. */
export interface Ratio {
  readonly value: number;
  /** Median of the ratios of runs in the same round (paired; robust to drift). */
  readonly pairedMedian: number;
  readonly target: number;
  readonly verdict: 'PASS' | 'MISS';
}

/** The ratio of medians num / den; the samples of both are paired by round. */
export function ratio(num: Summary, den: Summary, target: number): Ratio {
  const value = num.median / den.median;
  const paired = median(num.samples.map((x, i) => x / den.samples[i]!));
  return { value, pairedMedian: paired, target, verdict: verdict(value, target) };
}
