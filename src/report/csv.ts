/**
 * A results document as CSV: one row per strategy and metric, with every statistic of its
 * summary, for spreadsheets and scripts that do not read JSON. Fields are quoted as RFC 4180
 * says (labels hold commas); a statistic that does not exist is an empty field.
 */
import { metricNames } from '../experiment/metric-names.js';
import type { ResultsDocument } from '../experiment/results.js';

const columns = [
  'strategy',
  'metric',
  'mean',
  'sd',
  'ci95_low',
  'ci95_high',
  'p50',
  'p95',
  'min',
  'max',
  'n',
  'undefined',
  'infinite',
] as const;

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function resultsCsv(doc: ResultsDocument): string {
  const rows: (string | number | null)[][] = [[...columns]];
  for (const s of doc.strategies) {
    for (const metric of metricNames) {
      const m = s.metrics[metric];
      rows.push([
        s.label,
        metric,
        m.mean,
        m.sd,
        m.ci95?.[0] ?? null,
        m.ci95?.[1] ?? null,
        m.p50,
        m.p95,
        m.min,
        m.max,
        m.n,
        m.undefined,
        m.infinite,
      ]);
    }
  }
  return `${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
