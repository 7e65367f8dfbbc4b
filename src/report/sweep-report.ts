/**
 * A report of a sweep document, the files `dispatchlab report` (and `sweep --out`) write,
 * by path, in a fixed order, each a string with the same bytes for the same document:
 *
 * - `index.html`: one self-contained page (no script, nothing fetched, charts as inline
 *   SVG), every user string escaped: the scenario, the rule a winner meets, the table of
 *   points with each strategy's mean of the deciding metric, the winner and the strategy
 *   to adopt (the verdict), where the clear winner changes, the rule the verdict follows
 *   and where the answer flips, then the charts;
 * - `report.md`: the same for GitHub, the charts linked as `charts/*.svg`;
 * - `results.json`: the document itself;
 * - `results.csv`: one row per point, strategy and metric, the varied values first;
 * - `charts/<metric>.svg` and `.vl.json` for each chart (sweep-charts.ts).
 *
 * The sentences are the ones `dispatchlab sweep` prints (sweep-text.ts).
 */
import { metricNames } from '../experiment/metric-names.js';
import { toJson } from '../experiment/results.js';
import type { SweepDocument } from '../experiment/sweep.js';
import { type Chart, chartFiles } from './charts.js';
import { type CsvValue, csvText, summaryColumns, summaryFields } from './csv.js';
import { figuresHtml, htmlPage, htmlText } from './html.js';
import { chartLinks, markdownText } from './markdown.js';
import { meanCell } from './means.js';
import { renderSvg } from './render-svg.js';
import type { ReportFile } from './report.js';
import { sweepChartsOf } from './sweep-charts.js';
import {
  adoptCell,
  changesText,
  flipsText,
  ruleText,
  strategyNames,
  verdictRuleText,
  winnerCell,
} from './sweep-text.js';

/** The page's heading. */
const heading = (doc: SweepDocument) => `${doc.scenario.name}: where each way to dispatch wins`;

/** What was swept and how the winner is decided, in a sentence. */
function sweptText(doc: SweepDocument): string {
  const { seeds, winnerBy } = doc;
  const grid = doc.vary.map((v) => `${v.path} (${v.values.map(String).join(', ')})`);
  const points = doc.points.length;
  return `A sweep of ${grid.join(' × ')}: ${points} ${points === 1 ? 'point' : 'points'}, each run on the same ${seeds.count} seeds (${seeds.start}..${seeds.start + seeds.count - 1}). The winner is decided by ${winnerBy.metric}, ${winnerBy.direction} is better; the strategy to adopt by compare's verdict on ${winnerBy.metric}.`;
}

/**
 * The table of points: the varied values, each strategy's mean of the deciding metric, the
 * winner, the strategy to adopt.
 */
function pointsTable(doc: SweepDocument) {
  const { metric } = doc.winnerBy;
  const names = strategyNames(doc);
  return {
    caption: `Mean ${metric} at each point, ± half the 95% CI, the winner and the strategy to adopt`,
    header: [...doc.vary.map((v) => v.path), ...names, 'winner', 'adopt'],
    rows: doc.points.map((p) => [
      ...doc.vary.map((v) => String(p.values[v.path])),
      ...names.map((_, i) => {
        const s = p.results.strategies[i];
        return s === undefined ? 'n/a' : meanCell(s, metric);
      }),
      winnerCell(p),
      adoptCell(p),
    ]),
  };
}

const closing =
  'Every figure comes from results.json (the sweep document); results.csv has every metric of every strategy at every point.';

function sweepHtml(
  doc: SweepDocument,
  charts: readonly { readonly title: string; readonly svg: string }[],
): string {
  const t = pointsTable(doc);
  const row = (cells: readonly string[], tag: 'td' | 'th') =>
    `<tr>${cells.map((c) => `<${tag}>${htmlText(c)}</${tag}>`).join('')}</tr>`;
  const changes = changesText(doc, strategyNames(doc));
  return htmlPage(
    htmlText(heading(doc)),
    `<p>${htmlText(doc.scenario.description)}</p>
<p>${htmlText(sweptText(doc))}</p>
<p id="rule">${htmlText(ruleText(doc))}</p>
<h2>${htmlText(t.caption)}</h2>
<table>
${row(t.header, 'th')}
${t.rows.map((r) => row(r, 'td')).join('\n')}
</table>
<h2>Where the winner changes</h2>
<ul id="changes">
${changes.map((c) => `<li>${htmlText(c)}</li>`).join('\n')}
</ul>
<h2>Where the answer flips</h2>
<p id="verdict-rule">${htmlText(verdictRuleText(doc))}</p>
<ul id="flips">
${flipsText(doc, strategyNames(doc))
  .map((f) => `<li>${htmlText(f)}</li>`)
  .join('\n')}
</ul>
${figuresHtml(charts)}
<p>${htmlText(closing)}</p>`,
  );
}

function sweepMarkdown(doc: SweepDocument, charts: readonly Chart[]): string {
  const t = pointsTable(doc);
  const row = (cells: readonly string[]) => `| ${cells.map(markdownText).join(' | ')} |`;
  return [
    `# ${markdownText(heading(doc))}`,
    '',
    markdownText(doc.scenario.description),
    '',
    markdownText(sweptText(doc)),
    '',
    markdownText(ruleText(doc)),
    '',
    `## ${markdownText(t.caption)}`,
    '',
    row(t.header),
    // The means right-aligned, as numbers are; the winner and adopt columns are words.
    `| ${t.header.map((_, i) => (i < doc.vary.length || i >= t.header.length - 2 ? '---' : '---:')).join(' | ')} |`,
    ...t.rows.map(row),
    '',
    '## Where the winner changes',
    '',
    ...changesText(doc, strategyNames(doc)).map((c) => `- ${markdownText(c)}`),
    '',
    '## Where the answer flips',
    '',
    markdownText(verdictRuleText(doc)),
    '',
    ...flipsText(doc, strategyNames(doc)).map((f) => `- ${markdownText(f)}`),
    '',
    ...chartLinks(charts),
    markdownText(closing),
    '',
  ].join('\n');
}

/** One row per point, strategy and metric: the varied values, then as results.csv has it. */
function sweepCsv(doc: SweepDocument): string {
  const rows: CsvValue[][] = [
    [...doc.vary.map((v) => v.path), 'strategy', 'metric', ...summaryColumns],
  ];
  for (const p of doc.points) {
    // A boolean value is written as the word the sweep was given (true, false).
    const values = doc.vary.map((v) => {
      const x = p.values[v.path]!;
      return typeof x === 'boolean' ? String(x) : x;
    });
    for (const s of p.results.strategies) {
      for (const metric of metricNames) {
        rows.push([...values, s.label, metric, ...summaryFields(s.metrics[metric])]);
      }
    }
  }
  return csvText(rows);
}

export async function buildSweepReport(doc: SweepDocument): Promise<ReportFile[]> {
  const charts = sweepChartsOf(doc);
  const svgs = await Promise.all(charts.map((c) => renderSvg(c.spec)));
  return [
    {
      path: 'index.html',
      content: sweepHtml(
        doc,
        charts.map((c, i) => ({ title: c.title, svg: svgs[i]! })),
      ),
    },
    { path: 'report.md', content: sweepMarkdown(doc, charts) },
    { path: 'results.json', content: toJson(doc) },
    { path: 'results.csv', content: sweepCsv(doc) },
    ...chartFiles(charts, svgs),
  ];
}
