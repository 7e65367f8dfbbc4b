/**
 * What every duration distribution offers, the error they raise on bad parameters, and the
 * validation helpers that keep those errors uniform.
 *
 * Conventions shared by every distribution in this folder:
 * - values are durations in seconds, so supports lie in [0, ∞);
 * - `sample` draws only from the `Uniform` it is given and allocates nothing;
 * - where sampling is by inverse CDF, `sample(u)` is `quantile(u.next())` and consumes
 *   exactly one uniform per draw, so a larger uniform always gives a longer duration and
 *   swapping one such distribution for another never shifts later draws on the same stream
 *   (common random numbers stay aligned across scenarios). Exceptions are documented on
 *   the distribution (gamma, mixture);
 * - `quantile(p)` is the generalized inverse inf{x : cdf(x) ≥ p}, exact or accurate to
 *   near machine precision; `quantile(0)` is the bottom of the support and `quantile(1)`
 *   its top (∞ for unbounded ones).
 */

import { formatDuration, roundSignificant } from '../format.js';
import { LARGEST_UNIFORM, type Uniform } from '../random.js';

export interface Distribution {
  /** The family, e.g. 'lognormal'. */
  readonly kind: string;
  /** A short label with the user's own parametrisation, e.g. "lognormal(median=1m30s, p95=10m)". */
  describe(): string;
  /** One draw, in seconds, using only `u`. */
  sample(u: Uniform): number;
  /** The mean: analytic where a closed form exists; ∞ where the mean is infinite; NaN only if unknown. */
  mean(): number;
  /** The generalized inverse CDF at p ∈ [0, 1]. */
  quantile(p: number): number;
  /** P(X ≤ x): mixtures and truncation are built on their parts' CDFs. */
  cdf(x: number): number;
  /**
   * The largest value `sample` can return, given that a stream's uniforms are at most
   * `LARGEST_UNIFORM` (random.ts); every distribution here has it. Optional for
   * distributions written elsewhere: their quantile at `LARGEST_UNIFORM` stands in
   * (`largestDrawOf`). Whoever builds latencies from user input can bound it, so that no
   * run meets an infinite or absurd draw.
   */
  largestDraw?(): number;
}

/**
 * The largest draw `dist` can make: its own `largestDraw()` where it has one (every
 * distribution here does), else its quantile at the largest uniform.
 */
export function largestDrawOf(dist: Distribution): number {
  return dist.largestDraw?.() ?? dist.quantile(LARGEST_UNIFORM);
}

/**
 * Bad distribution parameters. The layers above raise it too for a bad description of a
 * distribution or an unusable data file, so that every such error reads alike.
 * `path` locates the field (`subagents.latency.sigma`); `message` is `${path}: ${detail}`.
 */
export class DistributionError extends Error {
  override name = 'DistributionError';
  constructor(
    readonly path: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(path ? `${path}: ${detail}` : detail, options);
  }
}

/** A number for labels: six significant digits, no float noise. */
export function formatNumber(value: number): string {
  return String(roundSignificant(value, 6));
}

/** A bad value as the user would recognise it, for error messages. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Shows a duration in seconds both as given and in human form, e.g. "-5" or "600 (10m)". */
function showDuration(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) return showValue(value);
  const human = formatDuration(value);
  return human === `${value}s` ? String(value) : `${value} (${human})`;
}

export function fieldPath(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A parameter that must be a finite number satisfying `ok`; otherwise throws at
 * `${path}.${field}` with "must be <rule>, got <value>" and an optional hint on what the
 * parameter means.
 */
function requireNumber(
  value: unknown,
  path: string,
  field: string,
  ok: (x: number) => boolean,
  rule: string,
  hint: string | undefined,
  show: (value: unknown) => string,
): number {
  if (isFiniteNumber(value) && ok(value)) return value;
  const missing = value === undefined;
  const detail = missing ? `is missing; it must be ${rule}` : `must be ${rule}, got ${show(value)}`;
  throw new DistributionError(fieldPath(path, field), hint ? `${detail} (${hint})` : detail);
}

/** A duration parameter (seconds) that must be ≥ 0. */
export function requireNonNegativeDuration(
  value: unknown,
  path: string,
  field: string,
  hint?: string,
): number {
  return requireNumber(
    value,
    path,
    field,
    (x) => x >= 0,
    'a duration of 0 or more',
    hint,
    showDuration,
  );
}

/** A duration parameter (seconds) that must be > 0. */
export function requirePositiveDuration(
  value: unknown,
  path: string,
  field: string,
  hint?: string,
): number {
  return requireNumber(
    value,
    path,
    field,
    (x) => x > 0,
    'a duration greater than 0',
    hint,
    showDuration,
  );
}

/** A dimensionless parameter (a shape, a spread, a rate per second) that must be > 0. */
export function requirePositiveNumber(
  value: unknown,
  path: string,
  field: string,
  hint?: string,
): number {
  return requireNumber(
    value,
    path,
    field,
    (x) => x > 0,
    'a number greater than 0',
    hint,
    showValue,
  );
}

/** A dimensionless parameter that may be any finite number. */
export function requireFiniteNumber(
  value: unknown,
  path: string,
  field: string,
  hint?: string,
): number {
  return requireNumber(value, path, field, () => true, 'a finite number', hint, showValue);
}

/**
 * Exactly one of several parametrisations (with disjoint fields) must be given in full,
 * e.g. exponential's `mean` or `rate`, lognormal's `mu`+`sigma` or `median`+`p95`.
 * Returns the index of the chosen one; otherwise throws, naming what is missing or mixed.
 */
export function chooseParametrisation(
  kind: string,
  path: string,
  options: readonly (readonly string[])[],
  isSet: (field: string) => boolean,
): number {
  const alternatives = options
    .map((fields) => fields.join(' and '))
    .join(options.every((fields) => fields.length === 1) ? ' or ' : ', or ');
  const touched = options
    .map((fields, index) => ({ index, fields, given: fields.filter(isSet) }))
    .filter((option) => option.given.length > 0);
  const [chosen, other] = touched;
  if (chosen === undefined) throw new DistributionError(path, `${kind} needs ${alternatives}`);
  if (other !== undefined) {
    const given = touched.flatMap((option) => option.given).join(', ');
    throw new DistributionError(
      path,
      `${kind} takes either ${alternatives}, not both (got ${given})`,
    );
  }
  const missing = chosen.fields.find((field) => !isSet(field));
  if (missing !== undefined) {
    throw new DistributionError(
      fieldPath(path, missing),
      `is missing: ${kind} with ${chosen.given.join(' and ')} also needs ${missing}`,
    );
  }
  return chosen.index;
}

/** Guards `quantile(p)`: a programming error rather than a user's, hence a RangeError. */
export function checkProbability(p: number, distribution: string): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`${distribution}: quantile(p) needs 0 ≤ p ≤ 1, got ${p}`);
  }
}
