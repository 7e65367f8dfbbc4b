/**
 * Observed durations from a file, for the empirical distribution.
 *
 * CSV (`.csv`, `.tsv`, `.txt`): a header row, then one observation per row. Quotes, a
 * byte-order mark, blank lines and whole-line `#` comments are fine; the delimiter is a
 * comma, or a tab or semicolon when the header uses those instead. The column is, checked
 * in this order,
 *   1. the one named by `column` (exact, else case-insensitive), or
 *   2. the only column, or
 *   3. the one column named duration, latency, seconds or elapsed (plural too, with or
 *      without a unit suffix), or
 *   4. when no column has such a name, the only column whose every cell is a duration,
 * and an error lists the columns otherwise. A file of bare numbers in one column, without
 * a header, is accepted too.
 *
 * JSON (`.json`): an array of durations, or an object with a `durations` array (or the
 * array named by `column`).
 *
 * Cells and elements are seconds, or duration strings such as "250ms". A unit in a CSV
 * column's name — `latency_ms`, `duration (ms)`, `elapsedSeconds` — applies to the plain
 * numbers in it, because a column of milliseconds read as seconds would silently make
 * every subagent 1000 times slower.
 *
 * What is read is bounded (src/sim/limits.ts): a regular file (never a pipe or a device),
 * of at most 64 MiB, with at most 10^6 observations; a CSV of at most 10^7 cells and 1,000
 * columns, a JSON file of at most 2·10^6 values, both counted before parsing, since parsing
 * keeps every cell or value at tens of bytes each.
 *
 * Errors are `DistributionError`s naming the file, the line and column, and the fix.
 */
import { extname, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { BoundedReadError, readBoundedText } from '../bounded-read.js';
import {
  DURATIONS_ARE_AT_MOST,
  DurationError,
  describeSeconds,
  isPlainNumber,
  parseDuration,
  tryParseDuration,
  UNIT_WORD_SECONDS,
} from '../duration.js';
import { scanJson } from '../json-scan.js';
import { simLimits } from '../limits.js';
import { DistributionError } from './distribution.js';
import { didYouMean } from './suggest.js';

export interface LoadEmpiricalOptions {
  /** CSV: the column holding the durations; JSON: the key of the array in an object. */
  readonly column?: string;
  /** Relative file names are resolved against this folder (default: the working directory). */
  readonly baseDir?: string;
  /** The field path to report errors at, e.g. `subagents.latency.file` (default: the file name). */
  readonly path?: string;
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
  /** Seconds per plain number in the column. */
  readonly secondsPerUnit: number;
}

/** Splits a header into base name and unit: "latency_ms" → latency in milliseconds. */
export function interpretColumnName(name: string): ColumnName {
  const trimmed = name.trim();
  const normalize = (text: string): string => text.toLowerCase().replace(/[\s_-]+/g, '');
  const whole = UNIT_WORD_SECONDS.get(trimmed.toLowerCase());
  if (whole !== undefined) return { base: normalize(trimmed), secondsPerUnit: whole };
  const match =
    BRACKETED_UNIT.exec(trimmed) ?? SEPARATED_UNIT.exec(trimmed) ?? CAMEL_UNIT.exec(trimmed);
  const unit = match ? UNIT_WORD_SECONDS.get((match[2] ?? '').toLowerCase()) : undefined;
  if (match && unit !== undefined && (match[1] ?? '') !== '') {
    return { base: normalize(match[1] ?? ''), secondsPerUnit: unit };
  }
  return { base: normalize(trimmed), secondsPerUnit: 1 };
}

/**
 * Reads observed durations (in seconds) from a CSV or JSON file; see the file comment for
 * the formats. Throws a DistributionError if the file is missing, empty, has no usable
 * column, or holds a value that is not a duration.
 */
export function loadEmpiricalSamples(file: string, options: LoadEmpiricalOptions = {}): number[] {
  const path = options.path ?? file;
  const fail = (detail: string, cause?: unknown): DistributionError =>
    new DistributionError(path, detail, cause === undefined ? undefined : { cause });
  const fullPath = resolve(options.baseDir ?? process.cwd(), file);
  const shown = JSON.stringify(file);

  let text: string;
  try {
    text = readBoundedText(fullPath, simLimits.latencyFileBytes);
  } catch (error) {
    if (error instanceof BoundedReadError) {
      if (error.reason === 'directory')
        throw fail(`${shown} is a folder; give the CSV or JSON file inside it`, error);
      const advice =
        error.reason === 'too-large'
          ? `; keep only the duration column, or a sample of at most ${count(simLimits.observations)} rows`
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

  const extension = extname(file).toLowerCase();
  if (extension === '.json') return fromJson(text, shown, options.column, fail);
  if (extension === '.csv' || extension === '.tsv' || extension === '.txt') {
    return fromCsv(text, shown, options.column, fail);
  }
  throw fail(
    `${shown} is not a .csv or .json file; give a CSV with a header row and one duration per row, or a JSON array of durations`,
  );
}

type Fail = (detail: string, cause?: unknown) => DistributionError;

/** 1000000 → "1,000,000", for messages. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Refuses more observations than an empirical distribution keeps. */
function checkObservations(observations: number, shown: string, fail: Fail): void {
  if (observations > simLimits.observations) {
    throw fail(
      `${shown} holds more than ${count(simLimits.observations)} observations, the most read (resampling from a million is as good as from more); give a random sample of them`,
    );
  }
}

/** A duration from a cell or element, with plain numbers in `secondsPerUnit`. */
function durationOf(value: unknown, secondsPerUnit: number, where: string, fail: Fail): number {
  if (typeof value === 'string' && value.trim() === '') {
    throw fail(`${where} is empty; fill it in or remove the row`);
  }
  if (typeof value !== 'number' && typeof value !== 'string') {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
    throw fail(
      `${where} is ${got}, not a duration; write seconds (90) or a duration string ("250ms")`,
    );
  }
  try {
    const seconds = parseDuration(value);
    // A plain number takes the column's unit; "250ms" already carries its own.
    const plain = typeof value === 'number' || isPlainNumber(value);
    if (!plain || secondsPerUnit === 1) return seconds;
    // Divide by 1000 rather than multiply by 0.001, so 250 (ms) is exactly 0.25.
    const inSeconds =
      secondsPerUnit < 1 ? seconds / Math.round(1 / secondsPerUnit) : seconds * secondsPerUnit;
    // parseDuration checked the number as seconds; in the column's unit it may be longer.
    if (inSeconds > simLimits.maxDuration) {
      throw fail(
        `${where}: ${value} in this column's unit is ${describeSeconds(inSeconds)}; ${DURATIONS_ARE_AT_MOST}`,
      );
    }
    return inSeconds;
  } catch (error) {
    if (error instanceof DistributionError) throw error;
    if (error instanceof DurationError) throw fail(`${where}: ${error.detail}`, error);
    throw error;
  }
}

function fromJson(text: string, shown: string, key: string | undefined, fail: Fail): number[] {
  if (scanJson(text, simLimits.jsonValues).values > simLimits.jsonValues) {
    throw fail(
      `${shown} holds more than ${count(simLimits.jsonValues)} JSON values, the most read from a latency file (each costs tens of bytes once parsed); keep only the durations, at most ${count(simLimits.observations)} of them`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw fail(`${shown} is not valid JSON (${(error as Error).message})`, error);
  }
  const arrayKey = key ?? 'durations';
  let values: unknown;
  let prefix: string;
  if (Array.isArray(data)) {
    values = data;
    prefix = '';
  } else if (typeof data === 'object' && data !== null) {
    const record = data as Record<string, unknown>;
    const keys = Object.keys(record);
    if (!Object.hasOwn(record, arrayKey)) {
      throw fail(
        `${shown} has no "${arrayKey}" array; ${didYouMean(arrayKey, keys)}expected an array of durations or an object with a "${arrayKey}" array (keys found: ${keys.join(', ') || 'none'})`,
      );
    }
    values = record[arrayKey];
    prefix = arrayKey;
  } else {
    throw fail(
      `${shown} holds ${JSON.stringify(data)}; expected an array of durations or an object with a "durations" array`,
    );
  }
  if (!Array.isArray(values)) {
    throw fail(`${shown}: "${arrayKey}" is not an array; write "${arrayKey}": [1.5, "250ms", ...]`);
  }
  if (values.length === 0)
    throw fail(`${shown} contains no durations; the empirical distribution needs at least one`);
  checkObservations(values.length, shown, fail);
  return values.map((value, index) => durationOf(value, 1, `${shown} ${prefix}[${index}]`, fail));
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
          `${shown} line ${line} has ${count(fields)} fields, more than the ${count(simLimits.csvColumns)} columns read; keep only the columns you need`,
        );
      }
      cells += fields;
      if (cells > simLimits.csvCells) {
        throw fail(
          `${shown} has more than ${count(simLimits.csvCells)} cells (rows × columns), the most parsed (each cell is kept until the column is chosen); keep only the duration column, or fewer rows`,
        );
      }
      fields = 1;
      line++;
    }
  }
}

function fromCsv(text: string, shown: string, requested: string | undefined, fail: Fail): number[] {
  const delimiter = detectDelimiter(text);
  checkCsvSize(text, delimiter, shown, fail);
  const lines: number[] = [];
  // The column, when the header alone decides it (nearly always): then each row keeps only
  // its cell, not every field, which matters for a log of a million rows.
  let named: number | undefined;
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
          named = isHeaderless(record, requested)
            ? 0
            : columnFromHeader(record, shown, requested, fail);
          return record;
        }
        return named === undefined ? record : [record[named] ?? ''];
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
  const headerless = isHeaderless(first, requested);
  const header = headerless ? ['(no header)'] : first;
  const body = headerless ? rows : rows.slice(1);
  const lineOf = (index: number): number | string => lines[headerless ? index : index + 1] ?? '?';
  if (body.length === 0) {
    throw fail(
      `${shown} has a header row but no data; add one duration per row under "${header.join(',')}"`,
    );
  }
  checkObservations(body.length, shown, fail);

  const columnIndex = named ?? chooseColumnByContent(header, body, shown, fail);
  // Rows after the header hold only the chosen cell when the header chose it.
  const cellIndex = named === undefined ? columnIndex : 0;
  const name = header[columnIndex] ?? '';
  const { secondsPerUnit } = interpretColumnName(name);
  const column = headerless ? '' : `, column "${name}"`;
  return body.map((row, index) =>
    durationOf(
      row[cellIndex] ?? '',
      secondsPerUnit,
      `${shown} line ${lineOf(index)}${column}`,
      fail,
    ),
  );
}

/** A first row that is one bare duration: the file has no header. */
function isHeaderless(first: readonly string[], requested: string | undefined): boolean {
  return first.length === 1 && requested === undefined && isDuration(first[0] ?? '');
}

function isDuration(cell: string): boolean {
  return tryParseDuration(cell) !== undefined;
}

/**
 * The column the header decides: the one requested, the only one, or the one named like a
 * duration; undefined when only the content can tell (no column has such a name). Throws
 * when the requested column is missing or several are named like durations.
 */
function columnFromHeader(
  header: readonly string[],
  shown: string,
  requested: string | undefined,
  fail: Fail,
): number | undefined {
  const listed = header.map((name) => JSON.stringify(name)).join(', ');
  if (requested !== undefined) {
    const exact = header.indexOf(requested);
    if (exact >= 0) return exact;
    const loose = header.flatMap((name, index) =>
      name.toLowerCase() === requested.toLowerCase() ? [index] : [],
    );
    if (loose.length === 1 && loose[0] !== undefined) return loose[0];
    throw fail(
      `${shown} has no column "${requested}"; ${didYouMean(requested, header)}its columns are ${listed}`,
    );
  }
  if (header.length === 1) return 0;

  // A column named like a duration wins over the "only numeric column" rule: with
  // `task_id,latency` and one bad latency cell, reporting that cell beats silently
  // resampling task ids.
  const named = header.flatMap((name, index) =>
    DURATION_COLUMN_NAMES.has(interpretColumnName(name).base) ? [index] : [],
  );
  if (named.length === 1 && named[0] !== undefined) return named[0];
  if (named.length > 1) {
    throw fail(
      `${shown}: cannot tell which column holds the durations: several columns look like durations (${named.map((index) => JSON.stringify(header[index])).join(', ')}); name it with column: <name>`,
    );
  }
  return undefined;
}

/** With no column named like a duration: the only column whose every cell is a duration. */
function chooseColumnByContent(
  header: readonly string[],
  body: readonly (readonly string[])[],
  shown: string,
  fail: Fail,
): number {
  const numeric = header.flatMap((_, index) =>
    body.every((row) => isDuration(row[index] ?? '')) ? [index] : [],
  );
  if (numeric.length === 1 && numeric[0] !== undefined) return numeric[0];
  const listed = header.map((name) => JSON.stringify(name)).join(', ');
  throw fail(
    `${shown}: cannot tell which column holds the durations: its columns are ${listed}; name it with column: <name>`,
  );
}
