/**
 * The two bounds on what a latency distribution from a scenario draws, so that a run never
 * meets an infinite or absurd duration (the kernel refuses to hold for Infinity, and would
 * fail the run as a bug):
 *
 * - its median is at most `simLimits.maxDuration` (365 days): the typical draw is a duration
 *   one could have written. The median rather than the mean, because heavy tails (a Pareto
 *   with alpha ≤ 1) have an infinite mean and are a feature;
 * - its largest draw, what `sample` returns at the largest uniform a stream yields
 *   (`LARGEST_UNIFORM`, 1 − 2^−53), is finite and at most `simLimits.maxDraw` (10^100 s).
 *   Inverse-CDF samplers are monotone in the uniform, so that is the largest of all draws.
 *
 * The distribution classes (src/sim/distributions) accept any parameters that define a
 * distribution (a Pareto with alpha 0.5 is a fine object, and truncated by a `max` a fine
 * latency): the bounds apply to the distribution a spec finally describes, modifiers
 * included, and spec-bounds.ts finds the parameter to blame.
 */
import { DistributionError } from '../../sim/distributions/distribution.js';
import { describeSeconds } from '../duration.js';
import { simLimits } from '../limits.js';

/** Whether the median is beyond the ceiling (NaN counts as beyond). */
export function medianTooLong(median: number): boolean {
  return !(median <= simLimits.maxDuration);
}

/** Whether the largest draw is infinite or beyond the ceiling (NaN counts as beyond). */
export function drawTooLarge(largest: number): boolean {
  return !(largest <= simLimits.maxDraw);
}

/** The parameter that answers for a broken bound. */
export interface Blame {
  /** The field path, e.g. `subagents.latency.components[1].dist.alpha`. */
  readonly where: string;
  /** The value as written, e.g. "alpha 1e-308". */
  readonly given: string;
  /** What to change, e.g. "use a larger alpha". */
  readonly fix: string;
  /** The median or largest draw the blamed part has. */
  readonly value: number;
}

const maxDrawShown = `${simLimits.maxDraw.toExponential()} s (${(simLimits.maxDraw / (365.25 * 86_400)).toPrecision(2)} years)`;

export function medianError(blame: Blame): DistributionError {
  const at = Number.isFinite(blame.value) ? `at ${describeSeconds(blame.value)}` : 'at infinity';
  return new DistributionError(
    blame.where,
    `${blame.given} puts the median draw ${at}; a latency's median must be at most 365 days, so ${blame.fix}`,
  );
}

export function largestDrawError(blame: Blame): DistributionError {
  const reach = Number.isFinite(blame.value)
    ? `lets a draw reach ${describeSeconds(blame.value)}`
    : 'lets a draw be infinite';
  return new DistributionError(
    blame.where,
    `${blame.given} ${reach} at the top of its range; draws must stay at most ${maxDrawShown} so that the clock and every sum of durations stay finite, so ${blame.fix}`,
  );
}
