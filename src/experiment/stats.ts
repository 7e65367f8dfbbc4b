/**
 * Statistics over seeds (docs/model.md, "Aggregating over seeds"): mean, standard deviation, a 95%
 * confidence interval for the mean (Student's t), quantiles, and the paired difference of two
 * strategies run on the same seeds — with common random numbers its CI is the one that backs a
 * claim "A beats B".
 */
import { logGamma } from '../sim/distributions/gamma-function.js';

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
 * The 97.5% quantile of Student's t with `df` degrees of freedom (any real df > 0, so it
 * also serves Welch's interval): the t with P(|T| > t) = 0.05, found by bisection on the
 * exact tail probability I_{df/(df+t²)}(df/2, 1/2) (the regularized incomplete beta
 * function). Accurate to about 1e-12. Why not a series: the Cornish–Fisher expansion in
 * 1/df is off by 4e-3 at df = 3 and 3e-4 at df = 5, and small seed counts are exactly where
 * a CI's width matters. Results are cached per df (a report asks for the same few df).
 */
export function tQuantile975(df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return z975;
  const cached = tCache.get(df);
  if (cached !== undefined) return cached;
  let lo = 0;
  let hi = 16;
  while (twoSidedTail(hi, df) > 0.05) hi *= 2; // df < 1 has heavier tails than Cauchy
  // Bisection to the last representable digit: the tail is monotone in t, and 200 halvings
  // of the bracket exhaust double precision whatever its width.
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    if (twoSidedTail(mid, df) > 0.05) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  if (tCache.size < 1024) tCache.set(df, t);
  return t;
}

const z975 = 1.959963984540054; // standard normal 97.5% quantile
const tCache = new Map<number, number>();

/** P(|T| > t) for Student's t with df degrees of freedom. */
function twoSidedTail(t: number, df: number): number {
  const t2 = t * t;
  // x and 1 - x computed separately: for large df, x is close to 1 and 1 - x would cancel.
  return regularizedBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
}

/**
 * I_x(a, b), with y = 1 - x given separately, by the continued fraction of Numerical
 * Recipes' betai/betacf (modified Lentz), using the symmetry I_x(a, b) = 1 - I_y(b, a) on
 * the side where the fraction converges fast.
 */
function regularizedBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaFraction(y, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
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
  // Two passes with compensated (Neumaier) sums: the mean of small integers comes out
  // exact (Welford's running mean gives 4.999999999999999 for the mean of 2, 4, 4, 4, 5,
  // 5, 7, 9), and the corrected sum of squares (Chan, Golub & LeVeque) stays stable for
  // large, nearly equal values such as makespans in the thousands of seconds.
  const mean = compensatedSum(values) / n;
  const deviations = values.map((x) => x - mean);
  const drift = compensatedSum(deviations);
  const m2 = Math.max(0, compensatedSum(deviations.map((d) => d * d)) - (drift * drift) / n);
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

/** Neumaier's variant of Kahan summation: the rounding error of each addition is carried along. */
export function compensatedSum(values: readonly number[]): number {
  let sum = 0;
  let carry = 0;
  for (const x of values) {
    const t = sum + x;
    carry += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  // With an infinite or NaN term the carry is NaN; the plain sum is then the answer.
  return Number.isFinite(sum) ? sum + carry : sum;
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

/** Welch's interval for mean(a) - mean(b) when a and b are independent samples. */
export interface UnpairedDifference {
  readonly meanDiff: number;
  /** 95% CI with the Welch–Satterthwaite degrees of freedom; NaN bounds unless both sides have n >= 2. */
  readonly ci95: readonly [number, number];
  readonly df: number;
}

/**
 * The difference of two means as if the samples were independent (Welch). Not what a
 * report should use for strategies run on the same seeds — that is pairedDifference — but
 * the yardstick that shows how much common random numbers buy.
 */
export function unpairedDifference(a: readonly number[], b: readonly number[]): UnpairedDifference {
  const sa = summarize(a);
  const sb = summarize(b);
  const meanDiff = sa.mean - sb.mean;
  if (sa.n < 2 || sb.n < 2) return { meanDiff, ci95: [Number.NaN, Number.NaN], df: Number.NaN };
  const va = (sa.sd * sa.sd) / sa.n;
  const vb = (sb.sd * sb.sd) / sb.n;
  const v = va + vb;
  if (v === 0) return { meanDiff, ci95: [meanDiff, meanDiff], df: Number.POSITIVE_INFINITY };
  const df = (v * v) / ((va * va) / (sa.n - 1) + (vb * vb) / (sb.n - 1));
  const half = tQuantile975(df) * Math.sqrt(v);
  return { meanDiff, ci95: [meanDiff - half, meanDiff + half], df };
}
