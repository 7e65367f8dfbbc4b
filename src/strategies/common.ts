/** Options, settings and errors shared by the built-in strategy kinds. */
import type { DispatchSettings } from '../model/settings.js';
import { formatDuration } from '../sim/format.js';
import type { KindOptions } from './descriptor.js';
import type { DurationOption, ShareOption, WholeOption } from './options.js';

/** Seconds a subagent may run before it is cancelled; none by default. */
export const timeoutOption = {
  type: 'duration',
  default: Number.POSITIVE_INFINITY,
  none: 'no timeout',
  description: 'a duration, or "none" for no timeout (the default)',
} as const satisfies DurationOption;

/** Times a failed task is dispatched again before it is given up; 0 by default. */
export const retriesOption = {
  type: 'whole',
  default: 0,
  description: 'times a failed task is dispatched again before it is given up (default 0)',
} as const satisfies WholeOption;

/** Chance that processing catches a wrong result; the world's `quality.validation` by default. */
export const validationOption = {
  type: 'share',
  default: undefined,
  description:
    "chance this strategy's orchestrator catches a wrong result while processing it (default: quality.validation)",
} as const satisfies ShareOption;

/** The options every built-in kind takes: a timeout, retries, and its own validation. */
export type RetryOptions = Omit<
  KindOptions<{
    timeout: typeof timeoutOption;
    retries: typeof retriesOption;
    validation: typeof validationOption;
  }>,
  'label'
>;

/** A strategy found itself unable to go on: a bug in the strategy or the model, never the user's input. */
export class StrategyError extends Error {
  override name = 'StrategyError';
}

/** A strategy's settings: `base` with the retry options' values. */
export function settingsWith(
  base: DispatchSettings,
  values: {
    readonly timeout: number;
    readonly retries: number;
    readonly validation: number | undefined;
  },
): DispatchSettings {
  return {
    ...base,
    timeout: values.timeout,
    retries: values.retries,
    validation: values.validation,
  };
}

/**
 * A readable label such as `batch(k=10)` or `async(wip=10,events,timeout=10m)`, for a
 * strategy of one's own (the built-in kinds' labels are automatic: label.ts). A part is
 * `[name, value]` (a number is a duration in seconds, left out when infinite, i.e. off) or
 * `[flag]`.
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
