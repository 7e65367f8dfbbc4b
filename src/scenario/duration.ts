/**
 * Durations as people write them in scenario files, read into seconds (src/sim/format.ts
 * writes seconds back in this form).
 *
 * Simulated time is in seconds (floats). A duration can be written as a plain number of
 * seconds (`90`, `"12.5"`) or as numbers with units, largest first, each unit at most once:
 * `250ms`, `90s`, `2m`, `1.5h`, `1m30s`, `1h 2m`. The units are exactly `ms`, `s`, `m` and
 * `h` (lower case, as in Go's durations): one spelling per unit keeps scenario files uniform,
 * and a near miss (`5min`, `2 hours`, `90S`) gets a "did you mean" rather than a guess.
 * A duration is at most 365 days (`simLimits.maxDuration`, limits.ts says why).
 *
 * Errors are `DurationError`s whose one-line message says what was given, where (the field
 * path, when the caller passes one) and how to fix it, because the user reads them while
 * editing a YAML file, far from this code.
 */

import { formatDuration, roundSignificant } from '../sim/format.js';
import { simLimits } from './limits.js';

/** A value that is not a valid duration. `message` is `${where}: ${detail}` when `where` is known. */
export class DurationError extends Error {
  override name = 'DurationError';
  constructor(
    /** What was given. */
    readonly input: unknown,
    /** The message without the location prefix. */
    readonly detail: string,
    /** The field path (e.g. `subagents.latency.median`), when known. */
    readonly where?: string,
  ) {
    super(where ? `${where}: ${detail}` : detail);
  }
}

/** The standard fix, shared by every message so users learn one way to write durations. */
const HOW_TO_WRITE = 'write seconds as a number (90) or a number with a unit: 250ms, 90s, 2m, 1h';
const UNITS_ARE = 'the units are ms, s, m and h (250ms, 90s, 2m, 1h, 1m30s)';

/** Seconds per unit, largest first: the order compound durations must follow. */
const UNIT_SECONDS = { h: 3600, m: 60, s: 1, ms: 0.001 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const UNIT_ORDER: readonly Unit[] = ['h', 'm', 's', 'ms'];

/** A unit of duration: `ms`, `s`, `m` or `h`, the units durations are written with. */
export type DurationUnit = Unit;
/** The units, smallest first. */
export const DURATION_UNITS: readonly DurationUnit[] = ['ms', 's', 'm', 'h'];
/** Each unit in words, for messages: "milliseconds". */
export const UNIT_NAMES: Readonly<Record<DurationUnit, string>> = {
  ms: 'milliseconds',
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
};

/** Whether `value` is one of the units (`ms`, `s`, `m`, `h`). */
export function isDurationUnit(value: unknown): value is DurationUnit {
  return typeof value === 'string' && Object.hasOwn(UNIT_SECONDS, value);
}

/**
 * `amount` of `unit` in seconds: 250 ms is exactly 0.25 (divided by 1000 rather than
 * multiplied by 0.001, as parseDuration does).
 */
export function unitToSeconds(amount: number, unit: DurationUnit): number {
  return unit === 'ms' ? amount / 1000 : amount * UNIT_SECONDS[unit];
}

/** The unit of `secondsPerUnit` seconds (0.001 → ms), if it is one. */
export function unitOfSeconds(secondsPerUnit: number): DurationUnit | undefined {
  return UNIT_ORDER.find((unit) => UNIT_SECONDS[unit] === secondsPerUnit);
}

/** Spellings people reach for, mapped to the unit we accept (or to advice when there is none). */
const UNIT_HINTS: ReadonlyMap<string, Unit> = new Map<string, Unit>([
  ['msec', 'ms'],
  ['msecs', 'ms'],
  ['milli', 'ms'],
  ['millis', 'ms'],
  ['millisecond', 'ms'],
  ['milliseconds', 'ms'],
  ['sec', 's'],
  ['secs', 's'],
  ['second', 's'],
  ['seconds', 's'],
  ['min', 'm'],
  ['mins', 'm'],
  ['minute', 'm'],
  ['minutes', 'm'],
  ['hr', 'h'],
  ['hrs', 'h'],
  ['hour', 'h'],
  ['hours', 'h'],
]);

/**
 * Every word for a unit, lower case, with seconds per unit: the units themselves and the
 * spellings in `UNIT_HINTS`. For reading units where spellings vary and nothing else can
 * be meant, such as a CSV column named `latency_msec` (durations themselves take only
 * `ms`, `s`, `m` and `h`).
 */
export const UNIT_WORD_SECONDS: ReadonlyMap<string, number> = new Map<string, number>([
  ...UNIT_ORDER.map((unit): [string, number] => [unit, UNIT_SECONDS[unit]]),
  ...[...UNIT_HINTS].map(([word, unit]): [string, number] => [word, UNIT_SECONDS[unit]]),
]);

const PLAIN_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** One `<number><unit>` part of a compound duration; the unit may be missing or unknown. */
const PART = /((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z\u00b5\u03bc]*)\s*/y;

function quote(input: string): string {
  return JSON.stringify(input);
}

/**
 * Parses a duration and returns it in seconds.
 *
 * @param input seconds as a number, or a string such as `"12.5"`, `"250ms"`, `"1m30s"`.
 * @param where the field path the value came from, prefixed to error messages.
 * @throws DurationError for negative, non-finite, empty or malformed input.
 */
export function parseDuration(input: string | number, where?: string): number {
  if (typeof input === 'number') return checkSeconds(input, input, where);
  if (typeof input !== 'string') {
    // Reachable from untyped sources (YAML, JSON); worth a precise message.
    const shown = input === null ? 'null' : typeof input;
    throw new DurationError(input, `expected a duration, got ${shown}; ${HOW_TO_WRITE}`, where);
  }
  const text = input.trim();
  if (text === '') throw new DurationError(input, `the duration is empty; ${HOW_TO_WRITE}`, where);
  if (text.startsWith('-')) {
    // Classify "-5s" as negative (with the positive spelling as the fix), not as garbage.
    const magnitude = tryParseDuration(text.slice(1).trim());
    if (magnitude === 0) return 0;
    if (magnitude !== undefined) throw negative(input, text.slice(1).trim(), where);
  }
  if (PLAIN_NUMBER.test(text)) return checkSeconds(Number(text), input, where);
  if (/^[+-]?(inf|infinity|nan)$/i.test(text)) {
    throw new DurationError(
      input,
      `${quote(input)} is not a finite duration; ${HOW_TO_WRITE}`,
      where,
    );
  }
  return checkSeconds(parseCompound(text, input, where), input, where);
}

/** Whether `text` is a plain number of seconds such as `"90"` or `" 1.5e3 "`, without a unit. */
export function isPlainNumber(text: string): boolean {
  return PLAIN_NUMBER.test(text.trim());
}

/** The duration in seconds, or undefined where `parseDuration` would throw. */
export function tryParseDuration(input: string | number): number | undefined {
  try {
    return parseDuration(input);
  } catch {
    return undefined;
  }
}

function negative(
  input: string | number,
  positive: string,
  where: string | undefined,
): DurationError {
  const shown = typeof input === 'string' ? quote(input) : String(input);
  return new DurationError(
    input,
    `${shown} is negative; durations must be 0 or more (did you mean ${positive}?)`,
    where,
  );
}

function checkSeconds(seconds: number, input: string | number, where: string | undefined): number {
  const shown = typeof input === 'string' ? quote(input) : String(input);
  if (Number.isNaN(seconds)) {
    throw new DurationError(input, `${shown} is not a duration; ${HOW_TO_WRITE}`, where);
  }
  if (!Number.isFinite(seconds)) {
    throw new DurationError(input, `${shown} is not a finite duration; ${HOW_TO_WRITE}`, where);
  }
  if (seconds < 0) throw negative(input, String(-seconds), where);
  if (seconds > simLimits.maxDuration) {
    throw new DurationError(
      input,
      `${shown} is ${describeSeconds(seconds)}; ${DURATIONS_ARE_AT_MOST}`,
      where,
    );
  }
  // `+ 0` turns -0 into 0, so "-0" never leaks a negative zero into the simulation.
  return seconds + 0;
}

/** The ceiling every written duration obeys, for messages (limits.ts says why). */
export const DURATIONS_ARE_AT_MOST = `durations are at most 365 days (${simLimits.maxDuration.toLocaleString('en-US')} s, 8760h)`;

/**
 * Seconds in words for messages about values too large to write as a duration:
 * 32400000 → "32,400,000 s (375 days)", 1e308 → "1e+308 s (3.17e+300 years)". Values below
 * a day get their duration form ("1h30m"), non-finite ones "infinite".
 */
export function describeSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'infinite';
  if (seconds < 86_400) return formatDuration(seconds);
  const count = (x: number): string =>
    x < 1e15
      ? roundSignificant(x, 4).toLocaleString('en-US')
      : roundSignificant(x, 3).toExponential();
  const days = seconds / 86_400;
  const human = days < 10_000 ? `${count(days)} days` : `${count(days / 365.25)} years`;
  return `${count(seconds)} s (${human})`;
}

interface Part {
  readonly numberText: string;
  readonly unit: string;
}

function parseCompound(text: string, input: string, where: string | undefined): number {
  const fail = (detail: string): DurationError => new DurationError(input, detail, where);
  const notADuration = `${quote(input)} is not a duration; ${HOW_TO_WRITE}`;

  // Tokenise the whole string first, so garbage anywhere reads as "not a duration" rather
  // than as a complaint about whichever part happened to come first.
  const parts: Part[] = [];
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match || match.index !== start) throw fail(notADuration);
    parts.push({ numberText: match[1] ?? '', unit: match[2] ?? '' });
  }

  const unknown = parts.find((part) => part.unit !== '' && !isUnit(part.unit));
  if (unknown) {
    const fixed = parts.map(
      (part) => part.numberText + (isUnit(part.unit) ? part.unit : (suggestUnit(part.unit) ?? '?')),
    );
    const advice = fixed.some((part) => part.endsWith('?'))
      ? unknownUnitAdvice(unknown.unit)
      : `did you mean "${fixed.join('')}"? `;
    throw fail(`${quote(input)} has an unknown unit "${unknown.unit}"; ${advice}${UNITS_ARE}`);
  }

  let total = 0;
  let lastUnitIndex = -1;
  for (const [index, { numberText, unit }] of parts.entries()) {
    if (!isUnit(unit)) {
      // "1m30" is a common slip; a unitless number elsewhere ("1 30s") is just garbage.
      const previous = UNIT_ORDER[lastUnitIndex];
      if (index !== parts.length - 1 || previous === undefined || previous === 'ms')
        throw fail(notADuration);
      const meant = `${text.slice(0, text.length - numberText.length).trimEnd()}${numberText}${UNIT_ORDER[lastUnitIndex + 1]}`;
      throw fail(
        `${quote(input)} is not a duration: its last number has no unit; did you mean "${meant}"?`,
      );
    }
    const unitIndex = UNIT_ORDER.indexOf(unit);
    if (unitIndex <= lastUnitIndex) {
      throw fail(
        `${quote(input)} is not a duration: units must go from largest to smallest, each at most once (1h2m3s)`,
      );
    }
    lastUnitIndex = unitIndex;
    const amount = Number(numberText);
    // Milliseconds are divided rather than multiplied by 0.001, so 250ms is exactly 0.25.
    total += unit === 'ms' ? amount / 1000 : amount * UNIT_SECONDS[unit];
  }
  return total;
}

function suggestUnit(unit: string): Unit | undefined {
  const lower = unit.toLowerCase();
  return isUnit(lower) ? lower : UNIT_HINTS.get(lower);
}

function unknownUnitAdvice(unit: string): string {
  const lower = unit.toLowerCase();
  if (['us', 'µs', 'μs', 'ns'].includes(lower))
    return 'sub-millisecond units are not supported (write 0.5ms); ';
  if (['d', 'day', 'days'].includes(lower)) return 'write days in hours (24h); ';
  return '';
}

function isUnit(unit: string): unit is Unit {
  return Object.hasOwn(UNIT_SECONDS, unit);
}
