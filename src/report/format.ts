/** Text output for people: aligned tables and readable numbers. JSON output lives elsewhere. */
import { type MetricName, metricUnit } from '../experiment/metric-names.js';
import { formatDuration } from '../sim/format.js';

/** Pads columns to their widest cell; the first column is left-aligned, the rest right-aligned. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A table with a header and a rule under it, columns aligned as by alignColumns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return alignColumns([header, widths.map((w) => '-'.repeat(w)), ...rows]);
}

/**
 * Seconds for reading, not for computing: whole seconds from a minute up, tenths below,
 * milliseconds below a second (the JSON documents keep full precision).
 */
function formatSeconds(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 0.0005) return '0s';
  const rounded =
    s >= 60 ? Math.round(s) : s >= 1 ? Math.round(s * 10) / 10 : Math.round(s * 1000) / 1000;
  return `${sign}${formatDuration(rounded)}`;
}

/**
 * Tokens as people count them: whole below ten thousand, then thousands (k) and millions
 * (M) to three significant digits. A token count is an estimate; its last digits say nothing.
 */
function formatTokens(value: number): string {
  const size = Math.abs(value);
  if (size < 10_000) return String(Math.round(value));
  if (size < 999_500) return `${Number((value / 1e3).toPrecision(3))}k`;
  return `${Number((value / 1e6).toPrecision(3))}M`;
}

/**
 * An amount in the price table's currency: cents from 10 up, four significant digits below
 * (a run's cost is often a fraction of a cent per task). No currency sign: the table's
 * currency is the user's.
 */
function formatMoney(value: number): string {
  if (value === 0) return '0';
  return Math.abs(value) >= 10 ? value.toFixed(2) : String(Number(value.toPrecision(4)));
}

/** A metric value in its unit (metricUnit): durations as 1m30s, shares as %, counts as numbers. */
export function formatMetric(name: MetricName, value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  switch (metricUnit[name]) {
    case 'seconds':
      return formatSeconds(value);
    case 'share':
      return `${(value * 100).toFixed(1)}%`;
    case 'perHour':
      return `${value.toFixed(1)}/h`;
    case 'tokens':
      return formatTokens(value);
    case 'count':
    case 'ratio':
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
    case 'money':
      return formatMoney(value);
  }
}

/** A difference in a metric's unit, with its sign: +3m22s, -0.1132. */
export function formatSigned(metric: MetricName, value: number): string {
  return value < 0 ? `-${formatMetric(metric, -value)}` : `+${formatMetric(metric, value)}`;
}

/**
 * A word as a POSIX shell reads it back: as it is when it holds only characters no shell
 * treats specially, else in single quotes (a quote inside written '\''). For commands
 * printed for the user to copy.
 */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Text broken at spaces into lines of at most `width` characters (a longer word keeps its own line). */
export function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
