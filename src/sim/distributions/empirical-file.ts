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
 * Errors are `DistributionError`s naming the file, the line and column, and the fix.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  DurationError,
  isPlainNumber,
  parseDuration,
  tryParseDuration,
  UNIT_WORD_SECONDS,
} from '../duration.js';
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
    text = readFileSync(fullPath, 'utf8');
  } catch (error) {
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
    return secondsPerUnit < 1 ? seconds / Math.round(1 / secondsPerUnit) : seconds * secondsPerUnit;
  } catch (error) {
    if (error instanceof DurationError) throw fail(`${where}: ${error.detail}`, error);
    throw error;
  }
}

function fromJson(text: string, shown: string, key: string | undefined, fail: Fail): number[] {
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
  return values.map((value, index) => durationOf(value, 1, `${shown} ${prefix}[${index}]`, fail));
}

/** The delimiter the header row uses: a comma unless it only has tabs or semicolons. */
function detectDelimiter(text: string): string {
  const header =
    text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#')) ??
    '';
  if (header.includes(',')) return ',';
  if (header.includes('\t')) return '\t';
  if (header.includes(';')) return ';';
  return ',';
}

function fromCsv(text: string, shown: string, requested: string | undefined, fail: Fail): number[] {
  const lines: number[] = [];
  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text),
      trim: true,
      skip_empty_lines: true,
      comment: '#',
      comment_no_infix: true,
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        return record;
      },
    });
  } catch (error) {
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
  const headerless = first.length === 1 && requested === undefined && isDuration(first[0] ?? '');
  const header = headerless ? ['(no header)'] : first;
  const body = headerless ? rows : rows.slice(1);
  const lineOf = (index: number): number | string => lines[headerless ? index : index + 1] ?? '?';
  if (body.length === 0) {
    throw fail(
      `${shown} has a header row but no data; add one duration per row under "${header.join(',')}"`,
    );
  }

  const columnIndex = chooseColumn(header, body, shown, requested, fail);
  const name = header[columnIndex] ?? '';
  const { secondsPerUnit } = interpretColumnName(name);
  const column = headerless ? '' : `, column "${name}"`;
  return body.map((row, index) =>
    durationOf(
      row[columnIndex] ?? '',
      secondsPerUnit,
      `${shown} line ${lineOf(index)}${column}`,
      fail,
    ),
  );
}

function isDuration(cell: string): boolean {
  return tryParseDuration(cell) !== undefined;
}

function chooseColumn(
  header: readonly string[],
  body: readonly (readonly string[])[],
  shown: string,
  requested: string | undefined,
  fail: Fail,
): number {
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
  if (named.length === 0) {
    const numeric = header.flatMap((_, index) =>
      body.every((row) => isDuration(row[index] ?? '')) ? [index] : [],
    );
    if (numeric.length === 1 && numeric[0] !== undefined) return numeric[0];
  }
  const reason =
    named.length > 1
      ? `several columns look like durations (${named.map((index) => JSON.stringify(header[index])).join(', ')})`
      : `its columns are ${listed}`;
  throw fail(
    `${shown}: cannot tell which column holds the durations: ${reason}; name it with column: <name>`,
  );
}
