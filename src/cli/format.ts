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

/** A metric value in its natural unit: durations as 1m30s, shares as %, counts as numbers. */
export function formatMetric(name: string, value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (secondsMetrics.has(name))
    return value < 0 ? `-${formatDuration(-value)}` : formatDuration(value);
  if (shareMetrics.has(name)) return `${(value * 100).toFixed(1)}%`;
  if (name === 'throughput') return `${value.toFixed(1)}/h`;
  if (name.endsWith('AgentSeconds') || name === 'agentSeconds')
    return formatDuration(Math.max(0, value));
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
