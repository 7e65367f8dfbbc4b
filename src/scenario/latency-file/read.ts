/**
 * Observed durations from a file, for the empirical distribution.
 *
 * CSV (`.csv`, `.tsv`, `.txt`): a header row, then one observation per row. Quotes, a
 * byte-order mark, blank lines and whole-line `#` comments are fine; the delimiter is a
 * comma, or a tab or semicolon when the header uses those instead. What is read is, checked
 * in this order,
 *   1. the column named by `column` (exact, else case-insensitive), or
 *   2. the columns named by `start` and `end`: timestamps, each row's latency end − start, or
 *   3. the only column, or
 *   4. the one column named like a duration: duration, latency, seconds or elapsed (plural
 *      too, with or without a unit suffix), or a unit word alone (`ms`, `seconds`), or
 *   5. when no column has such a name, the one column named like a start time (start,
 *      started, started_at, start_time, begin...) with the one named like an end time (end,
 *      ended, ended_at, end_time, finished, stop...): timestamps, as in 2, or
 *   6. when none of these names appear, the only column whose every cell is a duration,
 * and an error lists the columns otherwise. A file of bare numbers in one column, without
 * a header, is accepted too.
 *
 * JSON (`.json`): an array of durations, or an array of records (objects, one per run) whose
 * keys are chosen among as a CSV's columns are; or an object holding either under
 * `durations` (or under the key named by `column`).
 *
 * Cells and elements are seconds, or duration strings such as "250ms" (which carry their own
 * unit). The unit of plain numbers is, in this order, the one `unit:` gives (ms, s, m, h),
 * the one in the column's name — `latency_ms`, `duration (ms)`, `elapsedSeconds`, `ms` — or
 * seconds. `unit:` and a unit in the name must agree: a contradiction is refused rather
 * than guessed at, since a column of milliseconds read as seconds would silently make every
 * subagent 1000 times slower. Timestamps are ISO-8601 texts or epoch numbers in that unit
 * (timestamps.ts). What the unit made of the values is reported back (`unitFrom`, `plain`),
 * so that implausible results can be warned about (unit-plausibility.ts).
 *
 * What is read is bounded (simLimits, src/scenario/limits.ts): a regular file (never a pipe or a device),
 * of at most 64 MiB, with at most 10^6 observations; a CSV of at most 10^7 cells and 1,000
 * columns, a JSON file of at most 2·10^6 values, both counted before parsing, since parsing
 * keeps every cell or value at tens of bytes each.
 *
 * Errors are `DistributionError`s naming the file, the line and column, and the fix.
 */
import { extname, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DistributionError } from '../../sim/distributions/distribution.js';
import {
  DURATIONS_ARE_AT_MOST,
  DurationError,
  type DurationUnit,
  describeSeconds,
  isPlainNumber,
  parseDuration,
  tryParseDuration,
  UNIT_NAMES,
  UNIT_WORD_SECONDS,
  unitOfSeconds,
  unitToSeconds,
} from '../duration.js';
import { BoundedReadError, readBoundedText } from '../files/bounded-read.js';
import { scanJson } from '../files/json-scan.js';
import { formatLimit, simLimits } from '../limits.js';
import { didYouMean } from '../suggest.js';
import { type Instant, parseInstant, secondsBetween } from './timestamps.js';

export interface LoadEmpiricalOptions {
  /** CSV: the column holding the durations; JSON: the key of the array in an object, or a record's key. */
  readonly column?: string;
  /** The column (JSON: key) of each run's start time; with `end`, instead of `column`. */
  readonly start?: string;
  /** The column (JSON: key) of each run's end time; with `start`. */
  readonly end?: string;
  /** The unit of plain numbers (and epoch timestamps); default: the column name's, else seconds. */
  readonly unit?: DurationUnit;
  /** Relative file names are resolved against this folder (default: the working directory). */
  readonly baseDir?: string;
  /** The field path to report errors at, e.g. `subagents.latency.file` (default: the file name). */
  readonly path?: string;
  /** The field path of `unit`, where a unit that contradicts a column's name is reported (default: `path`). */
  readonly unitPath?: string;
}

/** Where the unit of a file's plain numbers came from. */
export type UnitSource = 'unit' | 'name' | 'default';

/** What a latency file held, and how it was read. */
export interface EmpiricalFileData {
  /** The observations, in seconds, in file order. */
  readonly values: number[];
  /** What they were read from, for messages: `column "duration"`, `columns "start" and "end"`, `"durations"`; empty for a bare list. */
  readonly from: string;
  /** The unit plain numbers were read in. */
  readonly unit: DurationUnit;
  readonly unitFrom: UnitSource;
  /** How many observations came from plain numbers (read in `unit`), not from duration strings or ISO timestamps. */
  readonly plain: number;
}

/** Column names recognised as holding durations, compared without case, separators or units. */
const DURATION_COLUMN_NAMES = new Set([
  'duration',
  'durations',
  'latency',
  'latencies',
  'seconds',
  'elapsed',
]);

/** Column names recognised as a run's start time, compared as above. */
const START_COLUMN_NAMES = new Set([
  'start',
  'started',
  'startedat',
  'starttime',
  'startts',
  'starttimestamp',
  'startat',
  'begin',
  'began',
  'beginat',
  'begintime',
]);

/** Column names recognised as a run's end time, compared as above. */
const END_COLUMN_NAMES = new Set([
  'end',
  'ended',
  'endedat',
  'endtime',
  'endts',
  'endtimestamp',
  'endat',
  'finish',
  'finished',
  'finishedat',
  'finishtime',
  'stop',
  'stopped',
  'stoppedat',
  'stoptime',
  'completed',
  'completedat',
]);

/** Unit words recognised in column names: the units and their common spellings (`msec`, `minutes`). */
const UNIT_WORDS = [...UNIT_WORD_SECONDS.keys()].join('|');
const BRACKETED_UNIT = new RegExp(`^(.*?)\\s*[([]\\s*(${UNIT_WORDS})\\s*[)\\]]$`, 'i');
const SEPARATED_UNIT = new RegExp(`^(.*?)[\\s_-]+(${UNIT_WORDS})$`, 'i');
/** `elapsedMs`, `latencySeconds`: a capitalised unit word ends the name (a lone `M` does not count). */
const CAMEL_UNIT = new RegExp(
  `^(.*[a-z0-9])(${[...UNIT_WORD_SECONDS.keys()]
    .filter((word) => word !== 'm')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('|')})$`,
);

interface ColumnName {
  /** The name without its unit, lower case, without separators: "latency_ms" → "latency". */
  readonly base: string;
  /** Seconds per plain number in the column (1 when the name has no unit). */
  readonly secondsPerUnit: number;
  /** The unit the name states, if it states one. */
  readonly unit?: DurationUnit;
}

const normalizeName = (text: string): string => text.toLowerCase().replace(/[\s_-]+/g, '');

/** Splits a header into base name and unit: "latency_ms" → latency in milliseconds. */
export function interpretColumnName(name: string): ColumnName {
  const trimmed = name.trim();
  const named = (base: string, secondsPerUnit: number): ColumnName => {
    const unit = unitOfSeconds(secondsPerUnit);
    return unit === undefined ? { base, secondsPerUnit } : { base, secondsPerUnit, unit };
  };
  const whole = UNIT_WORD_SECONDS.get(trimmed.toLowerCase());
  if (whole !== undefined) return named(normalizeName(trimmed), whole);
  const match =
    BRACKETED_UNIT.exec(trimmed) ?? SEPARATED_UNIT.exec(trimmed) ?? CAMEL_UNIT.exec(trimmed);
  const unit = match ? UNIT_WORD_SECONDS.get((match[2] ?? '').toLowerCase()) : undefined;
  if (match && unit !== undefined && (match[1] ?? '') !== '') {
    return named(normalizeName(match[1] ?? ''), unit);
  }
  return { base: normalizeName(trimmed), secondsPerUnit: 1 };
}

/** A name that says "durations": latency, duration_ms, Elapsed Seconds, or a unit word alone (ms, minutes; not a lone s, m or h). */
function isDurationName(name: string): boolean {
  const { base, unit } = interpretColumnName(name);
  if (DURATION_COLUMN_NAMES.has(base)) return true;
  return unit !== undefined && base === normalizeName(name) && name.trim().length > 1;
}

const isStartName = (name: string): boolean =>
  START_COLUMN_NAMES.has(interpretColumnName(name).base);
const isEndName = (name: string): boolean => END_COLUMN_NAMES.has(interpretColumnName(name).base);

/**
 * Reads observed durations (in seconds) from a CSV or JSON file; see the file comment for
 * the formats. Throws a DistributionError if the file is missing, empty, has no usable
 * column, or holds a value that is not a duration.
 */
export function loadEmpiricalSamples(file: string, options: LoadEmpiricalOptions = {}): number[] {
  return readEmpiricalFile(file, options).values;
}

/** `loadEmpiricalSamples`, with what was read and in which unit. */
export function readEmpiricalFile(
  file: string,
  options: LoadEmpiricalOptions = {},
): EmpiricalFileData {
  const path = options.path ?? file;
  const fail = (detail: string, cause?: unknown): DistributionError =>
    new DistributionError(path, detail, cause === undefined ? undefined : { cause });
  const fullPath = resolve(options.baseDir ?? process.cwd(), file);
  const shown = JSON.stringify(file);
  if ((options.start === undefined) !== (options.end === undefined)) {
    throw fail(
      'start and end go together: give the columns of both times, each row a run from start to end',
    );
  }
  if (options.column !== undefined && options.start !== undefined) {
    throw fail(
      'give either column (the durations) or start and end (the times each run started and ended), not both',
    );
  }

  let text: string;
  try {
    text = readBoundedText(fullPath, simLimits.latencyFileBytes);
  } catch (error) {
    if (error instanceof BoundedReadError) {
      if (error.reason === 'directory')
        throw fail(`${shown} is a folder; give the CSV or JSON file inside it`, error);
      const advice =
        error.reason === 'too-large'
          ? `; keep only the duration column, or a sample of at most ${formatLimit(simLimits.observations)} rows`
          : '';
      throw fail(`${shown} ${error.detail}${advice}`, error);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw fail(
        `cannot read ${shown}: no such file (looked for ${fullPath}); relative paths start from ${options.baseDir ?? 'the working directory'}`,
        error,
      );
    }
    if (code === 'EISDIR')
      throw fail(`${shown} is a folder; give the CSV or JSON file inside it`, error);
    throw fail(`cannot read ${shown}: ${(error as Error).message}`, error);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    throw fail(
      `${shown} is empty; it needs a header row and one duration per row, or a JSON array of durations`,
    );
  }

  const reader: Reader = {
    shown,
    fail,
    failAtUnit: (detail) => new DistributionError(options.unitPath ?? path, detail),
    request: options,
  };
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return fromJson(text, reader);
  if (extension === '.csv' || extension === '.tsv' || extension === '.txt') {
    return fromCsv(text, reader);
  }
  throw fail(
    `${shown} is not a .csv or .json file; give a CSV with a header row and one duration per row, or a JSON array of durations`,
  );
}

type Fail = (detail: string, cause?: unknown) => DistributionError;

/** What every part of reading one file shares. */
interface Reader {
  /** The file name as the user wrote it, quoted. */
  readonly shown: string;
  readonly fail: Fail;
  /** For a `unit:` that contradicts a column's name. */
  readonly failAtUnit: (detail: string) => DistributionError;
  readonly request: LoadEmpiricalOptions;
}

/** Refuses more observations than an empirical distribution keeps. */
function checkObservations(observations: number, shown: string, fail: Fail): void {
  if (observations > simLimits.observations) {
    throw fail(
      `${shown} holds more than ${formatLimit(simLimits.observations)} observations, the most read (resampling from a million is as good as from more); give a random sample of them`,
    );
  }
}

/** The unit plain numbers are read in, and where it came from. */
interface UnitChoice {
  readonly unit: DurationUnit;
  readonly from: UnitSource;
}

/**
 * The unit of the numbers under `names` (the columns or keys read): `unit:` or the one the
 * names state, which must agree; seconds when neither says.
 */
function chooseUnit(names: readonly string[], reader: Reader): UnitChoice {
  const stated = names.flatMap((name) => {
    const { unit } = interpretColumnName(name);
    return unit === undefined ? [] : [{ name, unit }];
  });
  const first = stated[0];
  const other = stated.find((s) => s.unit !== first?.unit);
  if (first !== undefined && other !== undefined) {
    throw reader.fail(
      `${reader.shown}: the column "${first.name}" is in ${UNIT_NAMES[first.unit]} by its name, "${other.name}" in ${UNIT_NAMES[other.unit]}; timestamps of one row must be in one unit, so rename one of the columns`,
    );
  }
  const option = reader.request.unit;
  if (option !== undefined && first !== undefined && option !== first.unit) {
    throw reader.failAtUnit(
      `unit: ${option} contradicts the column "${first.name}" of ${reader.shown}, whose name says ${UNIT_NAMES[first.unit]}; remove unit: if the name is right (it already gives the unit), or rename the column if the values are in ${UNIT_NAMES[option]}`,
    );
  }
  if (option !== undefined) return { unit: option, from: 'unit' };
  if (first !== undefined) return { unit: first.unit, from: 'name' };
  return { unit: 's', from: 'default' };
}

/** Advice for a plain number too large to be a duration in seconds, read so only by default. */
function millisecondsHint(choice: UnitChoice): string {
  return choice.from === 'default'
    ? '; if the file holds milliseconds, add unit: ms to the latency (no unit is given, so plain numbers are seconds)'
    : '';
}

/** A duration from a cell or element, with plain numbers in the chosen unit. */
function durationOf(
  value: unknown,
  choice: UnitChoice,
  where: string,
  fail: Fail,
): { readonly seconds: number; readonly plain: boolean } {
  if (typeof value === 'string' && value.trim() === '') {
    throw fail(`${where} is empty; fill it in or remove the row`);
  }
  if (typeof value !== 'number' && typeof value !== 'string') {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
    throw fail(
      `${where} is ${got}, not a duration; write seconds (90) or a duration string ("250ms")`,
    );
  }
  const plain =
    typeof value === 'number' ? Number.isFinite(value) && value >= 0 : isPlainNumber(value);
  if (!plain) {
    // A duration string ("250ms") carries its own unit; a negative or odd number is refused.
    try {
      return { seconds: parseDuration(value), plain: false };
    } catch (error) {
      if (error instanceof DurationError) throw fail(`${where}: ${error.detail}`, error);
      throw error;
    }
  }
  const amount = typeof value === 'number' ? value : Number(value.trim());
  const seconds = unitToSeconds(amount, choice.unit) + 0;
  if (seconds > simLimits.maxDuration) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    const what =
      choice.from === 'name'
        ? `${value} in this column's unit`
        : choice.from === 'unit'
          ? `${value} ${choice.unit}`
          : shown;
    throw fail(
      `${where}: ${what} is ${describeSeconds(seconds)}; ${DURATIONS_ARE_AT_MOST}${millisecondsHint(choice)}`,
    );
  }
  return { seconds, plain: true };
}

/** A run's latency from its start and end timestamps. */
function spanOf(
  startValue: unknown,
  endValue: unknown,
  names: readonly [string, string],
  choice: UnitChoice,
  where: string,
  fail: Fail,
): { readonly seconds: number; readonly plain: boolean } {
  const instant = (value: unknown, name: string): Instant => {
    const at = `${where}, column "${name}"`;
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
      throw fail(
        `${at} is empty; fill it in or remove the row (a subagent that never ended is a hang: model it with subagents.failures.hang)`,
      );
    }
    const parsed = parseInstant(value, choice.unit);
    if (typeof parsed === 'string')
      throw fail(parsed.startsWith('is ') ? `${at} ${parsed}` : `${at}: ${parsed}`);
    return parsed;
  };
  const start = instant(startValue, names[0]);
  const end = instant(endValue, names[1]);
  const [startName, endName] = names.map((n) => JSON.stringify(n));
  if (start.zoned !== undefined && end.zoned !== undefined && start.zoned !== end.zoned) {
    throw fail(
      `${where}: ${start.zoned ? startName : endName} has a time zone and ${start.zoned ? endName : startName} has none; write both with their zone (Z for UTC), since a difference across zones is meaningless without it`,
    );
  }
  const seconds = secondsBetween(start, end) + 0;
  if (seconds < 0) {
    throw fail(
      `${where}: it ends (${endName}: ${String(endValue).trim()}) before it starts (${startName}: ${String(startValue).trim()}); check that the columns are not swapped`,
    );
  }
  if (seconds > simLimits.maxDuration) {
    throw fail(
      `${where}: from ${String(startValue).trim()} to ${String(endValue).trim()} is ${describeSeconds(seconds)}; ${DURATIONS_ARE_AT_MOST}${start.plain || end.plain ? millisecondsHint(choice) : ''}`,
    );
  }
  return { seconds, plain: start.plain || end.plain };
}

/** What is read from a table (CSV rows or JSON records): one column, or two of timestamps. */
type Selection =
  | { readonly kind: 'duration'; readonly index: number }
  | { readonly kind: 'span'; readonly start: number; readonly end: number };

/** The indices a selection reads, in order: a kept row holds only these cells. */
function selected(selection: Selection): readonly number[] {
  return selection.kind === 'duration' ? [selection.index] : [selection.start, selection.end];
}

/** The column named `requested`: exact, else the one equal ignoring case. */
function findColumn(header: readonly string[], requested: string, reader: Reader): number {
  const exact = header.indexOf(requested);
  if (exact >= 0) return exact;
  const loose = header.flatMap((name, index) =>
    name.toLowerCase() === requested.toLowerCase() ? [index] : [],
  );
  if (loose.length === 1 && loose[0] !== undefined) return loose[0];
  const listed = header.map((name) => JSON.stringify(name)).join(', ');
  throw reader.fail(
    `${reader.shown} has no column "${requested}"; ${didYouMean(requested, header)}its columns are ${listed}`,
  );
}

/**
 * What the header decides: the column requested, the start and end columns requested, the
 * only column, the one named like a duration, or the pair named like start and end times;
 * undefined when only the content can tell. Throws when a requested column is missing or
 * several are named alike.
 */
function selectFromHeader(header: readonly string[], reader: Reader): Selection | undefined {
  const { column, start, end } = reader.request;
  const { shown, fail } = reader;
  if (column !== undefined) return { kind: 'duration', index: findColumn(header, column, reader) };
  if (start !== undefined && end !== undefined) {
    return {
      kind: 'span',
      start: findColumn(header, start, reader),
      end: findColumn(header, end, reader),
    };
  }
  if (header.length === 1) return { kind: 'duration', index: 0 };

  // A column named like a duration wins over the "only numeric column" rule: with
  // `task_id,latency` and one bad latency cell, reporting that cell beats silently
  // resampling task ids. It wins over start and end columns too: a measured duration is
  // what the file says the latency is.
  const quoted = (indices: readonly number[]) =>
    indices.map((index) => JSON.stringify(header[index])).join(', ');
  const named = header.flatMap((name, index) => (isDurationName(name) ? [index] : []));
  if (named.length === 1 && named[0] !== undefined) return { kind: 'duration', index: named[0] };
  if (named.length > 1) {
    throw fail(
      `${shown}: cannot tell which column holds the durations: several columns look like durations (${quoted(named)}); name it with column: <name>`,
    );
  }
  const starts = header.flatMap((name, index) => (isStartName(name) ? [index] : []));
  const ends = header.flatMap((name, index) => (isEndName(name) ? [index] : []));
  if (starts.length === 1 && ends.length === 1)
    return { kind: 'span', start: starts[0]!, end: ends[0]! };
  if (starts.length > 1 || ends.length > 1) {
    throw fail(
      `${shown}: cannot tell which columns hold each run's start and end times: ${quoted([...starts, ...ends])} look like them; name them with start: <column> and end: <column>`,
    );
  }
  return undefined;
}

function isDuration(cell: unknown): boolean {
  if (typeof cell === 'number') return Number.isFinite(cell) && cell >= 0;
  return typeof cell === 'string' && tryParseDuration(cell) !== undefined;
}

/** With no column named like a duration or a time: the only column whose every cell is a duration. */
function chooseColumnByContent(
  header: readonly string[],
  body: readonly (readonly unknown[])[],
  reader: Reader,
): Selection {
  const numeric = header.flatMap((_, index) =>
    body.every((row) => isDuration(row[index] ?? '')) ? [index] : [],
  );
  if (numeric.length === 1 && numeric[0] !== undefined)
    return { kind: 'duration', index: numeric[0] };
  const listed = header.map((name) => JSON.stringify(name)).join(', ');
  throw reader.fail(
    `${reader.shown}: cannot tell which column holds the durations: its columns are ${listed}; name it with column: <name>, or give start: and end: for columns of timestamps`,
  );
}

/**
 * The observations of a table: `rows` hold either every cell (`kept` false) or only the
 * selected ones, in selection order. `where(i)` names row i for messages.
 */
function readTable(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
  kept: boolean,
  selection: Selection,
  where: (row: number) => string,
  reader: Reader,
  headerless = false,
): EmpiricalFileData {
  const indices = selected(selection);
  const names = indices.map((index) => header[index] ?? '');
  const choice = chooseUnit(names, reader);
  const cell = (row: readonly unknown[], which: number): unknown =>
    row[kept ? which : indices[which]!];
  let plain = 0;
  const values = rows.map((row, i) => {
    const read =
      selection.kind === 'duration'
        ? durationOf(
            cell(row, 0) ?? '',
            choice,
            headerless ? where(i) : `${where(i)}, column "${names[0]}"`,
            reader.fail,
          )
        : spanOf(cell(row, 0), cell(row, 1), [names[0]!, names[1]!], choice, where(i), reader.fail);
    if (read.plain) plain++;
    return read.seconds;
  });
  const from =
    selection.kind === 'duration'
      ? headerless
        ? ''
        : `column "${names[0]}"`
      : `columns "${names[0]}" and "${names[1]}"`;
  return { values, from, unit: choice.unit, unitFrom: choice.from, plain };
}

function fromJson(text: string, reader: Reader): EmpiricalFileData {
  const { shown, fail } = reader;
  const key = reader.request.column;
  if (scanJson(text, simLimits.jsonValues).values > simLimits.jsonValues) {
    throw fail(
      `${shown} holds more than ${formatLimit(simLimits.jsonValues)} JSON values, the most read from a latency file (each costs tens of bytes once parsed); keep only the durations, at most ${formatLimit(simLimits.observations)} of them`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw fail(`${shown} is not valid JSON (${(error as Error).message})`, error);
  }
  let values: unknown;
  let arrayKey: string | undefined;
  if (Array.isArray(data)) {
    values = data;
  } else if (typeof data === 'object' && data !== null) {
    arrayKey = key ?? 'durations';
    const record = data as Record<string, unknown>;
    const keys = Object.keys(record);
    if (!Object.hasOwn(record, arrayKey)) {
      throw fail(
        `${shown} has no "${arrayKey}" array; ${didYouMean(arrayKey, keys)}expected an array of durations or an object with a "${arrayKey}" array (keys found: ${keys.join(', ') || 'none'})`,
      );
    }
    values = record[arrayKey];
  } else {
    throw fail(
      `${shown} holds ${JSON.stringify(data)}; expected an array of durations or an object with a "durations" array`,
    );
  }
  const prefix = arrayKey ?? '';
  if (!Array.isArray(values)) {
    throw fail(`${shown}: "${arrayKey}" is not an array; write "${arrayKey}": [1.5, "250ms", ...]`);
  }
  if (values.length === 0)
    throw fail(`${shown} contains no durations; the empirical distribution needs at least one`);
  checkObservations(values.length, shown, fail);
  if (isRecord(values[0])) {
    // Records, one per run: their keys are the columns. `column` named the array, if any.
    const request =
      arrayKey === undefined ? reader.request : { ...reader.request, column: undefined };
    return fromRecords(values, prefix, { ...reader, request });
  }
  // A list of durations: the unit is `unit:`, or the one in the array's key (`durations_ms`).
  const choice = chooseUnit(arrayKey === undefined ? [] : [arrayKey], reader);
  let plain = 0;
  const seconds = values.map((value, index) => {
    if (isRecord(value)) {
      throw fail(
        `${shown} ${prefix}[${index}] is an object in a list of durations; give either durations or records (objects), not both`,
      );
    }
    const read = durationOf(value, choice, `${shown} ${prefix}[${index}]`, fail);
    if (read.plain) plain++;
    return read.seconds;
  });
  return {
    values: seconds,
    from: arrayKey === undefined ? '' : `"${arrayKey}"`,
    unit: choice.unit,
    unitFrom: choice.from,
    plain,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON records as a table: the keys, in order of first appearance, are its columns. */
function fromRecords(
  records: readonly unknown[],
  prefix: string,
  reader: Reader,
): EmpiricalFileData {
  const header: string[] = [];
  const seen = new Set<string>();
  records.forEach((record, index) => {
    if (!isRecord(record)) {
      throw reader.fail(
        `${reader.shown} ${prefix}[${index}] is not an object like the records before it; give one object per run, e.g. {"latency_ms": 1250}`,
      );
    }
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
  });
  const rows = (records as Record<string, unknown>[]).map((record) =>
    header.map((key) => record[key]),
  );
  const selection = selectFromHeader(header, reader) ?? chooseColumnByContent(header, rows, reader);
  return readTable(
    header,
    rows,
    false,
    selection,
    (i) => `${reader.shown} ${prefix}[${i}]`,
    reader,
  );
}

/** The first line that is neither blank nor a comment: the header row. */
function headerLine(text: string): string {
  // Line by line rather than text.split: a file may hold millions of lines.
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    if (line.trim() !== '' && !line.trimStart().startsWith('#')) return line;
    if (end === -1) break;
    start = end + 1;
  }
  return '';
}

/** The delimiter the header row uses: a comma unless it only has tabs or semicolons. */
function detectDelimiter(text: string): string {
  const header = headerLine(text);
  if (header.includes(',')) return ',';
  if (header.includes('\t')) return '\t';
  if (header.includes(';')) return ';';
  return ',';
}

/**
 * Refuses a CSV with more cells, or more columns on one line, than are parsed: counted on
 * the raw text (a delimiter inside quotes counts too, so this is an upper bound), in one pass
 * that keeps nothing.
 */
function checkCsvSize(text: string, delimiter: string, shown: string, fail: Fail): void {
  const d = delimiter.charCodeAt(0);
  let cells = 0;
  let fields = 1;
  let line = 1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x0a;
    if (c === d) fields++;
    else if (c === 0x0a) {
      if (fields > simLimits.csvColumns) {
        throw fail(
          `${shown} line ${line} has ${formatLimit(fields)} fields, more than the ${formatLimit(simLimits.csvColumns)} columns read; keep only the columns you need`,
        );
      }
      cells += fields;
      if (cells > simLimits.csvCells) {
        throw fail(
          `${shown} has more than ${formatLimit(simLimits.csvCells)} cells (rows × columns), the most parsed (each cell is kept until the column is chosen); keep only the duration column, or fewer rows`,
        );
      }
      fields = 1;
      line++;
    }
  }
}

function fromCsv(text: string, reader: Reader): EmpiricalFileData {
  const { shown, fail } = reader;
  const delimiter = detectDelimiter(text);
  checkCsvSize(text, delimiter, shown, fail);
  const lines: number[] = [];
  // What to read, when the header alone decides it (nearly always): then each row keeps only
  // the cells read, not every field, which matters for a log of a million rows.
  let chosen: Selection | undefined;
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      delimiter,
      trim: true,
      skip_empty_lines: true,
      comment: '#',
      comment_no_infix: true,
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        // One more than the observations: the header.
        checkObservations(lines.length - 1, shown, fail);
        if (lines.length === 1) {
          chosen = isHeaderless(record, reader.request)
            ? { kind: 'duration', index: 0 }
            : selectFromHeader(record, reader);
          return record;
        }
        return chosen === undefined ? record : selected(chosen).map((index) => record[index] ?? '');
      },
    });
  } catch (error) {
    if (error instanceof DistributionError) throw error;
    const line = (error as { lines?: number }).lines;
    throw fail(
      `${shown}${line === undefined ? '' : ` line ${line}`} is not valid CSV (${(error as Error).message}); check the quotes and that every row has as many fields as the header`,
      error,
    );
  }
  const [first] = rows;
  if (first === undefined)
    throw fail(`${shown} has no header row; start it with a line such as "latency"`);
  // A single column of bare numbers is common enough to accept without a header.
  const headerless = isHeaderless(first, reader.request);
  const header = headerless ? ['(no header)'] : first;
  const body = headerless ? rows : rows.slice(1);
  const lineOf = (index: number): number | string => lines[headerless ? index : index + 1] ?? '?';
  if (body.length === 0) {
    throw fail(
      `${shown} has a header row but no data; add one duration per row under "${header.join(',')}"`,
    );
  }
  checkObservations(body.length, shown, fail);
  // Rows after the header hold only the chosen cells when the header chose them.
  const kept = chosen !== undefined && !headerless;
  const selection = chosen ?? chooseColumnByContent(header, body, reader);
  return readTable(
    header,
    body,
    kept,
    selection,
    (i) => `${shown} line ${lineOf(i)}`,
    reader,
    headerless,
  );
}

/** A first row that is one bare duration: the file has no header. */
function isHeaderless(first: readonly string[], request: LoadEmpiricalOptions): boolean {
  return (
    first.length === 1 &&
    request.column === undefined &&
    request.start === undefined &&
    isDuration(first[0] ?? '')
  );
}
