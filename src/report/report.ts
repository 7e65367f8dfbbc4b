/**
 * A report of a results document: the files `dispatchlab report` writes, by path, in a
 * fixed order, each a string with the same bytes for the same document (and scenario).
 */
import type { RepresentativeRuns } from '../experiment/representative-seed.js';
import { type ResultsDocument, toJson } from '../experiment/results.js';
import { chartFiles, chartsOf } from './charts.js';
import { resultsCsv } from './csv.js';
import { reportHtml } from './html.js';
import { reportMarkdown } from './markdown.js';
import { renderSvg } from './render-svg.js';
import { seedCharts } from './seed-charts.js';

export interface ReportFile {
  /** Relative to the report's folder, with `/`. */
  readonly path: string;
  readonly content: string;
}

/**
 * The report's files. `seed`, the runs of the representative seed (representative-seed.ts),
 * adds the charts of one run as it happened; without it the report has the charts of
 * means only.
 */
export async function buildReport(
  doc: ResultsDocument,
  seed?: RepresentativeRuns,
): Promise<ReportFile[]> {
  const charts = [...chartsOf(doc), ...(seed === undefined ? [] : seedCharts(doc, seed))];
  const svgs = await Promise.all(charts.map((c) => renderSvg(c.spec)));
  return [
    {
      path: 'index.html',
      content: reportHtml(
        doc,
        charts.map((c, i) => ({ title: c.title, svg: svgs[i]! })),
      ),
    },
    { path: 'report.md', content: reportMarkdown(doc, charts) },
    { path: 'results.json', content: toJson(doc) },
    { path: 'results.csv', content: resultsCsv(doc) },
    ...chartFiles(charts, svgs),
  ];
}
