/**
 * Statistics over seeds (DESIGN.md §3): mean, standard deviation, a 95% confidence
 * interval for the mean (Student's t), quantiles, and the paired difference of two
 * strategies run on the same seeds — with common random numbers its CI is the one that
 * backs a claim "A beats B".
 */

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
  readonly sd: number;
  /** 95% confidence interval of the mean; collapses to the mean for n < 2. */
  readonly ci95: readonly [number, number];
  readonly p50: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Two-sided 97.5% quantile of Student's t with `df` degrees of freedom, by Hill's (1970)
 * expansion (Algorithm 396): accurate to about 1e-6 for df >= 1, far below what a CI needs.
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  if (df === 1) return 12.706204736174707; // tan(pi * 0.475): the expansion is poor at df = 1
  if (df === 2) return 4.302652729749464; // sqrt(2 / (p(2-p)) - 2) with p = 0.05
  const z = 1.959963984540054; // standard normal 97.5% quantile
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** Quantile of sorted values by linear interpolation between order statistics (type 7, as R and NumPy default). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) {
    return {
      n,
      mean: Number.NaN,
      sd: Number.NaN,
      ci95: [Number.NaN, Number.NaN],
      p50: Number.NaN,
      p95: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
    };
  }
  // Welford's update: stable for large, nearly equal values (makespans in the thousands of seconds).
  let mean = 0;
  let m2 = 0;
  values.forEach((x, i) => {
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  });
  const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
  const half = n > 1 ? (tQuantile975(n - 1) * sd) / Math.sqrt(n) : 0;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n,
    mean,
    sd,
    ci95: [mean - half, mean + half],
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    min: sorted[0]!,
    max: sorted[n - 1]!,
  };
}

/** Per-seed differences a[i] - b[i] (the same seed in both), summarized. */
export function pairedDifference(a: readonly number[], b: readonly number[]): Summary {
  if (a.length !== b.length) {
    throw new RangeError(
      `paired difference needs the same seeds on both sides, got ${a.length} and ${b.length} values`,
    );
  }
  return summarize(a.map((x, i) => x - b[i]!));
}
