/** Text output for people: aligned tables and readable numbers. JSON output lives elsewhere. */
import { formatDuration } from '../sim/duration.js';

/** Pads columns to their widest cell; the first column is left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const secondsMetrics = new Set([
  'makespan',
  'dispatchTime',
  'planTime',
  'processTime',
  'pollTime',
  'answerTime',
  'synthesizeTime',
  'compactionTime',
  'idleTime',
  'detectionLatency',
  'maxDetectionLatency',
]);
const shareMetrics = new Set(['utilization', 'correctShare']);

/**
 * Seconds for reading, not for computing: whole seconds from a minute up, tenths below,
 * milliseconds below a second (the JSON documents keep full precision).
 */
export function formatSeconds(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 0.0005) return '0s';
  const rounded =
    s >= 60 ? Math.round(s) : s >= 1 ? Math.round(s * 10) / 10 : Math.round(s * 1000) / 1000;
  return `${sign}${formatDuration(rounded)}`;
}

/** A metric value in its natural unit: durations as 1m30s, shares as %, counts as numbers. */
export function formatMetric(name: string, value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (secondsMetrics.has(name) || name === 'agentSeconds' || name.startsWith('wasted')) {
    return formatSeconds(value);
  }
  if (shareMetrics.has(name)) return `${(value * 100).toFixed(1)}%`;
  if (name === 'throughput') return `${value.toFixed(1)}/h`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
