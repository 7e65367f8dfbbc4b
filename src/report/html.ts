/**
 * index.html: one self-contained page (no script, no network: the charts are inline SVG)
 * with the verdict, the charts and the table of means. Every user string is escaped.
 */
import type { ResultsDocument } from '../experiment/results.js';
import { meanCell, meansMetrics } from './means.js';
import { verdictText } from './verdict-text.js';

/** Text as HTML shows it: the five characters that are markup escaped. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
pre{background:#f6f6f6;padding:1rem;overflow-x:auto;white-space:pre-wrap}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}td{text-align:right}
td:first-child,th{text-align:left}figure{margin:1.5rem 0}figcaption{color:#555;font-size:.9rem}`;

/**
 * A whole page in the reports' one style: `title` (HTML, its user strings escaped) as the
 * page's title and heading, then `body` (HTML).
 */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>${style}</style>
</head>
<body>
<h1>${title}</h1>
${body}
</body>
</html>
`;
}

/** Each chart as a figure: its SVG inline, its title as the caption. */
export function figuresHtml(
  charts: readonly { readonly title: string; readonly svg: string }[],
): string {
  return charts
    .map(
      (c) =>
        `<figure>\n${c.svg.trimEnd()}\n<figcaption>${htmlText(c.title)}</figcaption>\n</figure>`,
    )
    .join('\n');
}

export function reportHtml(
  doc: ResultsDocument,
  charts: readonly { readonly title: string; readonly svg: string }[],
): string {
  const { seeds } = doc;
  const name = htmlText(doc.scenario.name);
  const header = doc.strategies.map((s) => `<th>${htmlText(s.label)}</th>`).join('');
  const rows = meansMetrics(doc)
    .map(
      (metric) =>
        `<tr><td>${metric}</td>${doc.strategies.map((s) => `<td>${htmlText(meanCell(s, metric))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return htmlPage(
    `${name}: which way to dispatch`,
    `<p>${htmlText(doc.scenario.description)}</p>
<h2>Verdict</h2>
<pre id="verdict">${htmlText(verdictText(doc.verdict, seeds.count))}</pre>
${figuresHtml(charts)}
<h2>Means over ${seeds.count} seeds (${seeds.start}..${seeds.start + seeds.count - 1}), ± half the 95% CI</h2>
<table>
<tr><th>metric</th>${header}</tr>
${rows}
</table>`,
  );
}
