/** Options and checks shared by the built-in strategies. */
import type { DispatchSettings } from '../model/settings.js';
import { formatDuration } from '../sim/format.js';

export interface RetryOptions {
  /** Seconds a subagent may run before it is cancelled; none by default. */
  readonly timeout?: number;
  /** Times a failed task is dispatched again before it is given up; 0 by default. */
  readonly retries?: number;
  /** Chance that processing catches a wrong result; the world's `quality.validation` by default. */
  readonly validation?: number;
}

/** A strategy found itself unable to go on: a bug in the strategy or the model, never the user's input. */
export class StrategyError extends Error {
  override name = 'StrategyError';
}

export function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what} must be a whole number >= 1, got ${value}`);
  }
}

/** A whole number >= 1, or Infinity for "no limit". */
export function checkLimit(value: number, what: string): void {
  if (value !== Number.POSITIVE_INFINITY) checkCount(value, what);
}

/** A strategy's settings: `base` with the retry options given. */
export function settingsWith(base: DispatchSettings, options: RetryOptions): DispatchSettings {
  return {
    ...base,
    timeout: options.timeout ?? base.timeout,
    retries: options.retries ?? base.retries,
    validation: options.validation,
  };
}

export function checkShare(value: number, what: string): void {
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`${what} must be a share between 0 and 1, got ${value}`);
  }
}

/**
 * A readable label such as `batch(k=10)` or `async(wip=10,events,timeout=10m)`. A part is
 * `[name, value]` (a number is a duration in seconds, left out when infinite, i.e. off)
 * or `[flag]`.
 */
export function strategyLabel(
  kind: string,
  parts: readonly (readonly [string, (string | number)?])[],
): string {
  const shown = parts.flatMap(([name, value]) => {
    if (value === undefined) return [name];
    if (typeof value === 'number') {
      return Number.isFinite(value) ? [`${name}=${formatDuration(value)}`] : [];
    }
    return [`${name}=${value}`];
  });
  return shown.length === 0 ? kind : `${kind}(${shown.join(',')})`;
}
