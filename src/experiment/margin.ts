/**
 * The practical margin: how far apart two strategies must be before one is said to beat
 * the other. A difference can be significant (its paired 95% CI excludes 0, as it soon
 * does with enough seeds) and still too small to matter; a claim "a beats b" is made only
 * when the *whole* paired 95% CI of a − b lies beyond the margin on a's side.
 *
 * - The margin is a share of the reference's mean: the mean of b, the strategy a must
 *   beat (for a sweep point, each strategy the leader must beat; for a verdict, the
 *   reference strategy). A share reads the same on every metric (seconds, counts,
 *   shares) and at every grid point, where an amount such as `30s` would be a large margin
 *   where makespans are short and nothing where they are long; so amounts are not taken.
 * - Written `5%` or `0.05`; `0` (or `0%`) asks for any significant difference. From 0 to
 *   100% inclusive; a bare number above 1 is refused (`5` would be 500%: write `5%`).
 *   Default: 5%.
 * - The threshold is margin × |reference mean|. When the reference's mean is 0 (a metric
 *   the reference never scores on, such as wrongCaught without validation) there is no
 *   scale to take a share of, so the threshold is 0: the claim needs the CI to exclude 0,
 *   as with `--margin 0`. The same when the reference has no mean.
 * - Strict: a CI whose end lies exactly on the threshold does not clear it; a CI that
 *   does not exist (fewer than two paired seeds) clears nothing.
 */
import { UsageError } from './errors.js';
import type { Direction } from './metric-names.js';

/** 5% of the reference's mean. */
export const defaultMargin = 0.05;

/** Rounds away binary noise (7% is 0.07, not 0.07000000000000001); nothing finer is meant. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

const share = "a share of the reference's mean, e.g. 5% or 0.05 (0 for any significant difference)";

/**
 * Reads a margin: `5%`, `0.05`, `0`, or a number from the library API. Returns the share
 * (0.05). Throws a UsageError saying what to write.
 */
export function parseMargin(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new UsageError(`the margin must be a share from 0 to 1 (0.05 for 5%), got ${value}`);
    }
    return value;
  }
  const text = value.trim();
  const written = `--margin ${value}`;
  const percent = /^(\d+(?:\.\d*)?|\.\d+)\s*%$/.exec(text);
  if (percent !== null) {
    const p = Number(percent[1]);
    if (p > 100) throw new UsageError(`${written}: a margin is at most 100%`);
    return tidy(p / 100);
  }
  if (/^(\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i.test(text)) {
    const x = Number(text);
    if (x > 1) {
      throw new UsageError(
        `${written}: a margin is ${share}; a bare number is a share of 1, so ${text} would be ${tidy(x * 100)}% (write ${text}% if that is what you mean)`,
      );
    }
    return x;
  }
  if (/^-/.test(text))
    throw new UsageError(`${written}: a margin cannot be negative; write ${share}`);
  if (/^\d/.test(text)) {
    throw new UsageError(
      `${written}: a margin is ${share}, not an amount: a share reads the same on every metric and at every point of a sweep`,
    );
  }
  throw new UsageError(`${written}: write ${share}`);
}

/** The margin as a percentage, for people: `5%`, `0.5%`, `0%`. */
export function formatMargin(margin: number): string {
  return `${tidy(margin * 100)}%`;
}

/** How far beyond 0 the CI must lie: margin × |reference mean|, 0 without a reference mean. */
export function marginThreshold(margin: number, referenceMean: number | null): number {
  if (referenceMean === null || !Number.isFinite(referenceMean)) return 0;
  return margin * Math.abs(referenceMean);
}

/**
 * Whether a beats b by more than the margin: `ci95` is the paired 95% CI of a − b (null
 * when it does not exist), `referenceMean` b's mean, `direction` which way is better.
 */
export function clearsMargin(
  ci95: readonly [number, number] | null,
  referenceMean: number | null,
  direction: Direction,
  margin: number,
): boolean {
  if (ci95 === null) return false;
  const t = marginThreshold(margin, referenceMean);
  return direction === 'lower' ? ci95[1] < -t : ci95[0] > t;
}
