/**
 * report.md: the verdict, the charts (as linked SVG files) and the table of means, for
 * GitHub and any Markdown reader. User strings (names, descriptions, labels) are escaped
 * where Markdown would read them as markup.
 */
import type { ResultsDocument } from '../experiment/results.js';
import type { Chart } from './charts.js';
import { meanCell, meansMetrics } from './means.js';
import { verdictText } from './verdict-text.js';

/** Text that Markdown shows as written: its markup characters escaped. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~-]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

/** Text as inline code: in backticks, more of them than any run of backticks inside. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\s+/g, ' ')}${pad}${fence}`;
}

/** Each chart as an image linked to its SVG file, each followed by a blank line. */
export function chartLinks(charts: readonly Chart[]): string[] {
  return charts.flatMap((chart) => [
    `![${markdownText(chart.title)}](charts/${chart.name}.svg)`,
    '',
  ]);
}

export function reportMarkdown(doc: ResultsDocument, charts: readonly Chart[]): string {
  const { seeds } = doc;
  const lines: string[] = [
    `# ${markdownText(doc.scenario.name)}: which way to dispatch`,
    '',
    markdownText(doc.scenario.description),
    '',
    '## Verdict',
    '',
    '```text',
    verdictText(doc.verdict, seeds.count),
    '```',
    '',
  ];
  lines.push(...chartLinks(charts));
  lines.push(
    `## Means over ${seeds.count} seeds (${seeds.start}..${seeds.start + seeds.count - 1}), ± half the 95% CI`,
    '',
    `| metric | ${doc.strategies.map((s) => markdownText(s.label)).join(' | ')} |`,
    `| --- | ${doc.strategies.map(() => '---:').join(' | ')} |`,
  );
  for (const metric of meansMetrics(doc)) {
    lines.push(`| ${metric} | ${doc.strategies.map((s) => meanCell(s, metric)).join(' | ')} |`);
  }
  lines.push(
    '',
    'Every figure comes from `results.json` (the results document); `results.csv` has every metric of every strategy.',
    '',
  );
  return lines.join('\n');
}
