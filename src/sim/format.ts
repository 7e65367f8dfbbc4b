/**
 * Durations in seconds in a short human form, for labels, reports and messages: what a
 * distribution's `describe()` shows, and what the layers above print.
 */

/**
 * `value` rounded to `digits` significant digits, so that it prints without float noise or
 * trailing zeros: roundSignificant(0.1 + 0.2, 6) → 0.3. Non-finite values pass through.
 */
export function roundSignificant(value: number, digits: number): number {
  return Number(value.toPrecision(digits));
}

/**
 * A short human form of a duration in seconds, for labels and reports:
 * 0.25 → "250ms", 12.5 → "12.5s", 90 → "1m30s", 3600 → "1h", 5400 → "1h30m".
 *
 * Below a second it keeps three significant digits of milliseconds; from a second up it
 * rounds to the millisecond and omits zero parts. The result parses back with
 * `parseDuration` (to that precision). Negative values get a leading "-", infinities "∞".
 */
export function formatDuration(seconds: number): string {
  if (Number.isNaN(seconds)) return 'NaN';
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  if (seconds === Number.POSITIVE_INFINITY) return '∞';
  if (seconds === 0) return '0s';
  if (seconds < 1) {
    const ms = roundSignificant(seconds * 1000, 3);
    if (ms < 1000) return `${ms}ms`;
  }
  const totalMs = Math.round(seconds * 1000);
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor((totalMs % 3_600_000) / 60_000);
  const restMs = totalMs % 60_000;
  let out = '';
  if (hours > 0) out += `${hours}h`;
  if (minutes > 0) out += `${minutes}m`;
  if (restMs > 0 || out === '') out += `${restMs / 1000}s`;
  return out;
}

/**
 * A duration for a sentence, to about three digits: 9m27.522s → "9m28s", 12.345 → "12.3s".
 * Whole seconds from a minute up, three significant digits below.
 */
export function formatDurationRoughly(seconds: number): string {
  return formatDuration(seconds >= 60 ? Math.round(seconds) : roundSignificant(seconds, 3));
}
