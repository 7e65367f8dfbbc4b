/**
 * The report of a results document: its files, their bytes, its charts, and what it makes
 * of hostile strings in names, descriptions and labels.
 */
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import type { ResultsDocument } from '../../src/experiment/results.js';
import { resultsDocumentProblem } from '../../src/experiment/results-schema.js';
import { markdownCode, markdownText } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { verdictText } from '../../src/report/verdict-text.js';
import { scenarioOf, tinyInput } from '../experiment/helpers.js';

const hostileName = '<script>alert("x")</script> & co';
const hostileLabel = 'mine, "quoted" <b>|</b>';

/** tiny, priced (for the cost chart), with a hostile name, description and label. */
function hostileInput(): Record<string, unknown> {
  const input = tinyInput();
  input.name = hostileName;
  input.description = 'Says <img src=x onerror=alert(1)> and *stars* | pipes.';
  input.tokens = { output: { dispatch: 100, process: 500 }, subagentPerSecond: 3000 };
  input.prices = { orchestrator: { input: 5, output: 25 }, subagent: { input: 3 } };
  const strategies = input.strategies as Record<string, unknown>[];
  strategies[2]!.label = hostileLabel;
  return input;
}

const docPromise: Promise<ResultsDocument> = compare(scenarioOf(hostileInput()));

describe('the report', () => {
  it('writes the page, the Markdown, the documents and every chart with its spec, in a fixed order', async () => {
    const files = await buildReport(await docPromise);
    expect(files.map((f) => f.path)).toEqual([
      'index.html',
      'report.md',
      'results.json',
      'results.csv',
      'charts/objective.svg',
      'charts/objective.vl.json',
      'charts/paired.svg',
      'charts/paired.vl.json',
      'charts/time-split.svg',
      'charts/time-split.vl.json',
      'charts/cost-makespan.svg',
      'charts/cost-makespan.vl.json',
    ]);
  });

  it('gives the same bytes for the same document', async () => {
    const doc = await docPromise;
    const [a, b] = await Promise.all([buildReport(doc), buildReport(structuredClone(doc))]);
    expect(b).toEqual(a);
  });

  it('draws every chart, and keeps its vega-lite spec with the data inline', async () => {
    const files = await buildReport(await docPromise);
    for (const f of files.filter((x) => x.path.endsWith('.svg'))) {
      const size = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(f.content);
      expect(size, f.path).not.toBeNull();
      expect(Number(size![1]), f.path).toBeGreaterThan(100);
      expect(Number(size![2]), f.path).toBeGreaterThan(50);
      expect(f.content, f.path).toContain('<path'); // marks were drawn
    }
    for (const f of files.filter((x) => x.path.endsWith('.vl.json'))) {
      const spec = JSON.parse(f.content) as { $schema: string };
      expect(spec.$schema).toMatch(/vega-lite\/v6/);
      expect(f.content).toContain('"values"');
    }
  });

  it('draws the practical margin around 0 on the paired chart', async () => {
    const doc = await docPromise;
    const files = await buildReport(doc);
    const spec = files.find((f) => f.path === 'charts/paired.vl.json')!.content;
    const band = { from: -doc.verdict.threshold, to: doc.verdict.threshold };
    expect(JSON.parse(spec).layer[0].data.values).toEqual([band]);
  });

  it('leaves out the cost chart where nothing is priced', async () => {
    const files = await buildReport(await compare(scenarioOf(tinyInput())));
    expect(files.map((f) => f.path)).not.toContain('charts/cost-makespan.svg');
  });

  it('shows hostile names, descriptions and labels as text, in HTML, Markdown and CSV', async () => {
    const doc = await docPromise;
    const files = await buildReport(doc);
    const html = files.find((f) => f.path === 'index.html')!.content;
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; co');
    expect(html).not.toMatch(/src="http|href="http/); // nothing fetched: the page is whole
    const md = files.find((f) => f.path === 'report.md')!.content;
    expect(md).toContain(`# ${markdownText(hostileName)}: which way to dispatch`);
    expect(md).not.toContain('<script>');
    expect(md).toContain(markdownText(hostileLabel));
    const csv = files.find((f) => f.path === 'results.csv')!.content;
    expect(csv).toContain('"mine, ""quoted"" <b>|</b>",makespan,');
    // Every row has the same number of fields, quoted commas aside.
    const fields = (row: string) => row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.length;
    const rows = csv.trimEnd().split('\r\n');
    expect(new Set(rows.map(fields)).size).toBe(1);
  });

  it('shows the verdict as compare prints it', async () => {
    const doc = await docPromise;
    const md = (await buildReport(doc)).find((f) => f.path === 'report.md')!.content;
    expect(md).toContain(`\`\`\`text\n${verdictText(doc.verdict, doc.seeds.count)}\n\`\`\``);
  });
});

describe('a results document, as report reads it', () => {
  it('is accepted as compare writes it', async () => {
    expect(resultsDocumentProblem(JSON.parse(JSON.stringify(await docPromise)))).toBeUndefined();
  });

  it('is refused, saying why, when it is something else or lacks what a report reads', async () => {
    const doc = JSON.parse(JSON.stringify(await docPromise)) as Record<string, unknown>;
    expect(resultsDocumentProblem([])).toMatch(/not a JSON object/);
    expect(resultsDocumentProblem({ ...doc, format: 'dispatchlab-partial' })).toMatch(
      /"dispatchlab-partial", not "dispatchlab-results".*dispatchlab merge/,
    );
    const { verdict: _, ...before } = doc;
    expect(resultsDocumentProblem(before)).toMatch(/no verdict.*earlier version/);
    const broken = structuredClone(doc) as { strategies: { metrics: Record<string, unknown> }[] };
    delete broken.strategies[1]!.metrics.makespan;
    expect(resultsDocumentProblem(broken)).toMatch(/^at strategies\.1\.metrics\.makespan: /);
  });
});

describe('Markdown text and code', () => {
  it('escapes markup in text, and fences code with more backticks than it holds', () => {
    expect(markdownText('a *b* [c](d) | e')).toBe('a \\*b\\* \\[c\\]\\(d\\) \\| e');
    expect(markdownCode('async(wip=10)')).toBe('`async(wip=10)`');
    expect(markdownCode('a `b` c')).toBe('``a `b` c``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
  });
});
