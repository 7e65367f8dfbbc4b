/**
 * Timestamps in latency files, for files that log when each subagent started and ended
 * rather than how long it took: a row's latency is end − start.
 *
 * A timestamp is
 * - ISO-8601 with a time of day: `2024-05-01T12:00:03Z`, `2024-05-01T14:00:03.250+02:00`,
 *   `2024-05-01 12:00:03` (a space for the T, as SQL exports write it). Fractions of a
 *   second to the nanosecond. One without a zone is read as UTC: only differences matter,
 *   and they are the same in any zone but across a daylight-saving change; a row may not
 *   mix a zoned timestamp with a zoneless one. Dates alone are refused.
 * - or a number: time since 1970-01-01 (the Unix epoch) in the file's unit, seconds unless
 *   the column's name or `unit:` says otherwise (`started_ms`, `unit: ms` for
 *   JavaScript's Date.now()).
 *
 * Instants are exact integers of nanoseconds (bigint), so 12:00:00.1 to 12:00:00.3 is
 * 0.2 s exactly, not 0.20000000000000018.
 */
import type { DurationUnit } from '../duration.js';

/** A moment, in nanoseconds since the Unix epoch. */
export interface Instant {
  readonly ns: bigint;
  /** A number read in the file's unit (epoch time), rather than an ISO-8601 text. */
  readonly plain: boolean;
  /** ISO-8601 with a zone (Z or an offset); undefined for epoch numbers. */
  readonly zoned?: boolean;
}

const NS_PER_UNIT: Readonly<Record<DurationUnit, bigint>> = {
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export const TIMESTAMP_FORMS =
  'write ISO-8601 (2024-05-01T12:00:03Z) or a number of seconds since 1970 (1714564803)';

/** A timestamp cell or value; a string saying what is wrong when it is none. */
export function parseInstant(value: unknown, unit: DurationUnit): Instant | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `${value} is not a timestamp; ${TIMESTAMP_FORMS}`;
    return epoch(String(value), unit) ?? `${value} is not a timestamp; ${TIMESTAMP_FORMS}`;
  }
  if (typeof value !== 'string') {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
    return `is ${got}, not a timestamp; ${TIMESTAMP_FORMS}`;
  }
  const text = value.trim();
  const number = epoch(text, unit);
  if (number !== undefined) return number;
  const iso = isoInstant(text);
  if (iso !== undefined) return iso;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return `${JSON.stringify(value)} is a date without a time of day; latencies need times such as 2024-05-01T12:00:03Z`;
  }
  return `${JSON.stringify(value)} is not a timestamp; ${TIMESTAMP_FORMS}`;
}

/** A decimal number of `unit`s since the epoch, exactly in nanoseconds (rounded down). */
function epoch(text: string, unit: DurationUnit): Instant | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  // Shift the decimal point by the exponent, in the digits themselves.
  let digits = `${whole}${fraction}`;
  let point = whole.length + Number(exponentText ?? 0);
  if (Math.abs(point) > 40) return undefined;
  if (point < 0) {
    digits = `${'0'.repeat(-point)}${digits}`;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const decimals = digits.length - point;
  const magnitude = (BigInt(digits || '0') * NS_PER_UNIT[unit]) / 10n ** BigInt(decimals);
  return { ns: sign === '-' ? -magnitude : magnitude, plain: true };
}

function isoInstant(text: string): Instant | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(
    (part) => Number(part ?? 0),
  ) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April over into 1 May; such a date does not exist.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  const fraction = (m[7] ?? '').slice(0, 9).padEnd(9, '0');
  let ns = BigInt(ms) * 1_000_000n + BigInt(fraction);
  const zoned = m[8] !== undefined || m[9] !== undefined;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11] ?? 0);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    const offset = BigInt((offsetHours * 60 + offsetMinutes) * 60) * 1_000_000_000n;
    // 14:00+02:00 is 12:00 UTC.
    ns = m[9] === '+' ? ns - offset : ns + offset;
  }
  return { ns, plain: false, zoned };
}

/** end − start in seconds. */
export function secondsBetween(start: Instant, end: Instant): number {
  return Number(end.ns - start.ns) / 1e9;
}
