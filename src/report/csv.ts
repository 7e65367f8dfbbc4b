/**
 * A results document as CSV: one row per strategy and metric, with every statistic of its
 * summary, for spreadsheets and scripts that do not read JSON. Fields are quoted as RFC 4180
 * says (labels hold commas); a statistic that does not exist is an empty field.
 */
import { metricNames } from '../experiment/metric-names.js';
import type { MetricSummary, ResultsDocument } from '../experiment/results.js';

/** The columns of a metric's summary, in the order summaryFields gives them. */
export const summaryColumns = [
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

/** A CSV field's value; null is an empty field (a statistic that does not exist). */
export type CsvValue = string | number | null;

/** A metric's summary as fields, one per summaryColumns entry. */
export function summaryFields(m: MetricSummary): CsvValue[] {
  return [
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
  ];
}

function field(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows (the header first) as CSV: fields quoted as RFC 4180 says, CRLF after every row. */
export function csvText(rows: readonly (readonly CsvValue[])[]): string {
  return `${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}

export function resultsCsv(doc: ResultsDocument): string {
  const rows: CsvValue[][] = [['strategy', 'metric', ...summaryColumns]];
  for (const s of doc.strategies) {
    for (const metric of metricNames)
      rows.push([s.label, metric, ...summaryFields(s.metrics[metric])]);
  }
  return csvText(rows);
}
