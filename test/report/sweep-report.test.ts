/**
 * The report of a sweep document: its files, their bytes, what its text and charts say
 * (the rule, ties, changes of winner, the strategy to adopt and where the answer flips, a
 * strategy cut short left undrawn where its figures mislead), what it makes of hostile
 * names and labels, and the check `report` runs on a sweep document before trusting it.
 * On real sweeps of a small scenario.
 */
import { describe, expect, it } from 'vitest';
import { metricNames } from '../../src/experiment/metric-names.js';
import { type SweepDocument, sweep } from '../../src/experiment/sweep.js';
import { sweepDocumentProblem } from '../../src/experiment/sweep-schema.js';
import { htmlText } from '../../src/report/html.js';
import { markdownText } from '../../src/report/markdown.js';
import { buildSweepReport } from '../../src/report/sweep-report.js';
import {
  adoptCell,
  changesText,
  flipsText,
  ruleText,
  strategyNames,
  verdictRuleText,
  winnerCell,
} from '../../src/report/sweep-text.js';
import { scenarioOf } from '../experiment/helpers.js';

const hostileName = '<script>alert(1)</script>';
const hostileLabel = `b &<>"'`;

/**
 * Blocking against async (whose wip is swept) and a batch without a timeout, priced, with
 * hangs swept too: async loses at wip 1, ties blocking at 5 and wins at 10, so the winner
 * changes along the wip past a tie, and the answer flips from blocking to async between 5
 * and 10; where subagents hang, the batch deadlocks.
 */
function input(): Record<string, unknown> {
  return {
    name: hostileName,
    description: 'Says <img src=x onerror=alert(1)> & *stars* | pipes.',
    tasks: { count: 10 },
    subagents: {
      latency: { dist: 'lognormal', median: '2m', p95: '8m' },
      failures: { hang: 0.05 },
    },
    orchestrator: { dispatch: '2s', process: '5s', synthesize: '30s' },
    tokens: { output: { dispatch: 100, process: 500 }, subagentPerSecond: 3000 },
    prices: { orchestrator: { input: 5, output: 25 }, subagent: { input: 3 } },
    strategies: [
      { kind: 'blocking', timeout: '15m', label: hostileLabel },
      { kind: 'async', timeout: '15m' },
      { kind: 'batch', size: 5 },
    ],
    seeds: { count: 20 },
  };
}

const scenario = scenarioOf(input());
const docPromise: Promise<SweepDocument> = sweep(scenario, {
  vary: ['strategies[1].wip=1,5,10', 'subagents.failures.hang=0,0.05'],
});

/** The report of docPromise's document, built once for the tests that only read it. */
const filesPromise = docPromise.then(buildSweepReport);

const file = (files: { path: string; content: string }[], path: string) =>
  files.find((f) => f.path === path)!.content;

interface Spec {
  title: string | { text: string; subtitle: string[] };
  data: { values: Record<string, unknown>[] };
  facet?: { field: string; sort: string[] };
  spec?: { layer: Layer[] };
  layer?: Layer[];
}
interface Layer {
  mark: { type: string; filled?: boolean; shape?: string; strokeDash?: number[] };
  transform?: { filter: string }[];
  encoding: { x?: { type: string; sort?: string[] } };
}

async function chartSpec(doc: SweepDocument, name: string): Promise<Spec> {
  const files = doc === (await docPromise) ? await filesPromise : await buildSweepReport(doc);
  return JSON.parse(file(files, `charts/${name}.vl.json`)) as Spec;
}

/** Fields quoted as RFC 4180 says, read back. */
function csvRows(csv: string): string[][] {
  expect(csv.endsWith('\r\n')).toBe(true);
  return csv
    .slice(0, -2)
    .split('\r\n')
    .map((row) =>
      [...row.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
        .filter((m, i, all) => !(m[0] === '' && i === all.length - 1))
        .map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replaceAll('""', '"') : m[1]!)),
    );
}

describe('the sweep report', () => {
  it('is the sweep the tests need: a change past a tie, a flip, a deadlock at some points only', async () => {
    const doc = await docPromise;
    expect(doc.changes.length).toBeGreaterThan(0);
    expect(doc.flips.length).toBeGreaterThan(0);
    expect(doc.points.some((p) => p.lead === 'tie')).toBe(true);
    const batch = doc.points.map((p) => p.results.strategies[2]!.outcomes.deadlock > 0);
    expect(batch).toContain(true);
    expect(batch).toContain(false);
  });

  it('writes the page, the Markdown, the documents and every chart with its spec, in a fixed order', async () => {
    const files = await filesPromise;
    const charts = ['makespan', 'utilization', 'cost', 'givenUp', 'unresolved'];
    expect(files.map((f) => f.path)).toEqual([
      'index.html',
      'report.md',
      'results.json',
      'results.csv',
      ...charts.flatMap((c) => [`charts/${c}.svg`, `charts/${c}.vl.json`]),
    ]);
    for (const f of files.filter((x) => x.path.endsWith('.svg'))) {
      const size = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(f.content);
      expect(size, f.path).not.toBeNull();
      expect(Number(size![1]), f.path).toBeGreaterThan(100);
      expect(f.content, f.path).toContain('<path'); // marks were drawn
    }
    expect(JSON.parse(file(files, 'results.json'))).toEqual(
      JSON.parse(JSON.stringify(await docPromise)),
    );
  });

  it('charts the deciding metric first, and cost only where prices are modelled', async () => {
    const doc = await sweep(scenarioOf({ ...input(), prices: undefined, tokens: undefined }), {
      seeds: { start: 0, count: 5 },
      vary: ['subagents.failures.hang=0,0.05'],
      metric: 'utilization',
    });
    const names = (await buildSweepReport(doc))
      .filter((f) => f.path.endsWith('.svg'))
      .map((f) => f.path);
    expect(names[0]).toBe('charts/utilization.svg');
    expect(names).toContain('charts/makespan.svg');
    expect(names).not.toContain('charts/cost.svg');
  });

  it('gives the same bytes for the same document', async () => {
    const doc = await docPromise;
    // Built at once (their drawing interleaves) and after other reports were drawn: nothing
    // the renderer keeps from one drawing to the next may show in the bytes.
    const [a, b] = await Promise.all([
      buildSweepReport(doc),
      buildSweepReport(structuredClone(doc)),
    ]);
    expect(b).toEqual(a);
    expect(a).toEqual(await filesPromise);
  });

  it('shows hostile names, descriptions and labels as text, in HTML, Markdown and CSV', async () => {
    const files = await filesPromise;
    const html = file(files, 'index.html');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain(`<h1>${htmlText(hostileName)}: where each way to dispatch wins</h1>`);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain(`<th>${htmlText(hostileLabel)}</th>`);
    // Nowhere raw: not in the text, nor in the charts' SVG (legends, change labels).
    expect(html).not.toContain(hostileLabel);
    expect(html).toContain('b &#38;&#60;&#62;&#34;&#39;');
    expect(html).not.toMatch(/src="http|href="http/); // nothing fetched: the page is whole
    const md = file(files, 'report.md');
    expect(md).toContain(`# ${markdownText(hostileName)}: where each way to dispatch wins`);
    expect(md).not.toContain('<script>');
    expect(md).toContain(markdownText(hostileLabel));
    const csv = file(files, 'results.csv');
    expect(csv).toContain(`,"b &<>""'",makespan,`);
  });

  it('states the rule, the winner or the tie at every point, and every change of winner', async () => {
    const doc = await docPromise;
    const files = await filesPromise;
    const html = file(files, 'index.html');
    const md = file(files, 'report.md');
    expect(html).toContain(`<p id="rule">${htmlText(ruleText(doc))}</p>`);
    for (const p of doc.points) expect(html).toContain(`<td>${htmlText(winnerCell(p))}</td>`);
    expect(html).toMatch(/<td>tie: b &#38;&#60;&#62;&#34;&#39; ≈ async\(wip=5,[^<]*\)<\/td>/);
    const changes = changesText(doc, strategyNames(doc));
    expect(changes).toHaveLength(doc.changes.length);
    for (const c of changes) {
      expect(c).toMatch(/^The winner changes along strategies\[1\]\.wip between 1 and 10 /);
      expect(html).toContain(`<li>${htmlText(c)}</li>`);
      expect(md).toContain(`- ${markdownText(c)}`);
    }
  });

  it('marks each change of winner on the charts, between the two clear points, labelled A → B', async () => {
    const doc = await docPromise;
    const spec = await chartSpec(doc, 'makespan');
    const changes = spec.data.values.filter((r) => r.kind === 'change');
    // Here one change per panel (a hang rate), along the x axis: each its panel's first label.
    expect(changes).toEqual(
      doc.changes.map((c) => ({
        kind: 'change',
        panel: `subagents.failures.hang=${String(doc.points[c.to]!.values['subagents.failures.hang'])}`,
        x: c.between[0],
        x2: c.between[1],
        anchor: c.between[0],
        side: 'left',
        line: 0,
        text: `${c.before} → ${c.after}`,
      })),
    );
    const marks = spec.spec!.layer.map((l) => `${l.mark.type} ${l.transform?.[0]?.filter ?? ''}`);
    expect(marks).toContain("rect datum.kind === 'change'");
    expect(marks).toContain("text datum.line === 0 && datum.side === 'left'");
    // Other metrics' charts show where the winner by makespan changes too.
    expect((await chartSpec(doc, 'utilization')).data.values).toEqual(
      expect.arrayContaining(changes),
    );
  });

  it('shows the strategy to adopt at every point, the rule it follows, and every flip', async () => {
    const doc = await docPromise;
    const files = await filesPromise;
    const html = file(files, 'index.html');
    const md = file(files, 'report.md');
    expect(html).toContain('<th>winner</th><th>adopt</th></tr>');
    for (const p of doc.points) {
      // The last two cells of the point's row.
      const cells = `<td>${htmlText(winnerCell(p))}</td><td>${htmlText(adoptCell(p))}</td></tr>`;
      expect(html).toContain(cells);
      expect(md).toContain(`| ${markdownText(winnerCell(p))} | ${markdownText(adoptCell(p))} |`);
    }
    expect(html).toContain(`<p id="verdict-rule">${htmlText(verdictRuleText(doc))}</p>`);
    expect(md).toContain(markdownText(verdictRuleText(doc)));
    const flips = flipsText(doc, strategyNames(doc));
    expect(flips).toHaveLength(doc.flips.length);
    for (const f of flips) {
      expect(f).toMatch(
        /^Along strategies\[1\]\.wip at subagents\.failures\.hang=0(\.05)?, the answer flips between 5 and 10: adopt /,
      );
      expect(html).toContain(`<li>${htmlText(f)}</li>`);
      expect(md).toContain(`- ${markdownText(f)}`);
    }
    // After the changes of winner, under their own heading.
    expect(html.indexOf('<h2>Where the answer flips</h2>')).toBeGreaterThan(
      html.indexOf('<ul id="changes">'),
    );
    expect(md.indexOf('## Where the answer flips')).toBeGreaterThan(
      md.indexOf('## Where the winner changes'),
    );
  });

  it('marks the strategy to adopt on the deciding chart, and each flip on every chart in a solid frame', async () => {
    const doc = await docPromise;
    const spec = await chartSpec(doc, 'makespan');
    const rows = spec.data.values;
    // A diamond per point, on the recommended strategy's line.
    expect(rows.filter((r) => r.adopted === true).map((r) => r.label)).toEqual(
      doc.points.map((p) => p.verdict.recommended),
    );
    const layers = spec.spec!.layer;
    const diamond = layers.find((l) => l.transform?.[0]?.filter === 'datum.adopted')!;
    expect(diamond.mark).toMatchObject({ type: 'point', shape: 'diamond', filled: true });
    // One flip per panel, its label under the panel's change label.
    const flips = rows.filter((r) => r.kind === 'flip');
    expect(flips).toEqual(
      doc.flips.map((f) => ({
        kind: 'flip',
        panel: `subagents.failures.hang=${String(doc.points[f.to]!.values['subagents.failures.hang'])}`,
        x: f.between[0],
        x2: f.between[1],
        anchor: f.between[0],
        side: 'left',
        line: 1,
        text: `adopt: ${f.before} → ${f.after}`,
      })),
    );
    expect(flips.length).toBeGreaterThan(0);
    const frame = (k: string) =>
      layers.find((l) => l.transform?.[0]?.filter === `datum.kind === '${k}'`)!.mark;
    expect(frame('flip')).toMatchObject({ type: 'rect' });
    expect(frame('flip').strokeDash).toBeUndefined();
    expect(frame('change').strokeDash).toEqual([4, 3]);
    // The key says which frame is which, under the title and in the caption.
    expect(spec.title).toMatchObject({
      subtitle: [
        'Diamond: the strategy to adopt (the verdict). Large dot: the clear winner. Ring: tied.',
        'Solid frame: the answer (what to adopt) flips.',
        'Dashed frame: the clear winner changes.',
      ],
    });
    const html = file(await filesPromise, 'index.html');
    expect(html).toContain('in a solid frame where the answer (the verdict by makespan) flips');
    expect(html).toContain('in a dashed frame where the clear winner by makespan changes');
    // Other charts show the flips too, but no diamonds.
    const other = (await chartSpec(doc, 'utilization')).data.values;
    expect(other).toEqual(expect.arrayContaining(flips));
    expect(other.filter((r) => r.adopted === true)).toEqual([]);
  });

  it('marks the tied points on the deciding chart only', async () => {
    const doc = await docPromise;
    const tied = doc.points.filter((p) => p.lead === 'tie');
    const rows = (await chartSpec(doc, 'makespan')).data.values;
    expect(rows.filter((r) => r.kind === 'tie')).toHaveLength(tied.length);
    expect(rows.filter((r) => r.standing === 'tied')).toHaveLength(
      tied.reduce((n, p) => n + p.tied.length, 0),
    );
    expect(rows.filter((r) => r.standing === 'winner')).toHaveLength(
      doc.points.filter((p) => p.winner !== null).length,
    );
    const other = (await chartSpec(doc, 'utilization')).data.values;
    expect(
      other.filter((r) => r.kind === 'tie' || (r.kind === 'mean' && r.standing !== '')),
    ).toEqual([]);
  });

  it("does not draw a cut-short strategy's time figures, but draws its final task outcomes", async () => {
    const doc = await docPromise;
    const makespan = (await chartSpec(doc, 'makespan')).data.values;
    const unresolved = (await chartSpec(doc, 'unresolved')).data.values;
    const batchRows = (rows: Record<string, unknown>[]) =>
      rows.filter((r) => r.kind === 'mean' && r.strategy === 'batch(k=5)');
    let checked = 0;
    doc.points.forEach((p, i) => {
      const batch = p.results.strategies[2]!;
      const drawn = batchRows(makespan)[i]!;
      if (batch.outcomes.deadlock > 0) {
        checked++;
        // The document keeps the misleading figure; the chart must not show it.
        expect(batch.metrics.makespan.mean).not.toBeNull();
        expect(drawn).toMatchObject({ mean: null, low: null, high: null, cut: true });
        expect(batchRows(unresolved)[i]).toMatchObject({
          mean: batch.metrics.unresolved.mean,
          cut: false,
        });
      } else {
        expect(drawn).toMatchObject({ mean: batch.metrics.makespan.mean, cut: false });
      }
    });
    expect(checked).toBeGreaterThan(0);
    expect(JSON.stringify(makespan)).not.toContain(
      String(
        doc.points.find((p) => p.results.strategies[2]!.outcomes.deadlock > 0)!.results
          .strategies[2]!.metrics.makespan.mean,
      ),
    );
  });

  it('puts the first vary on x and a panel per value of the others; words on an ordinal axis in order', async () => {
    const doc = await docPromise;
    const spec = await chartSpec(doc, 'makespan');
    expect(spec.facet).toMatchObject({
      field: 'panel',
      sort: ['subagents.failures.hang=0', 'subagents.failures.hang=0.05'],
    });
    expect(spec.spec!.layer[0]!.encoding.x!.type).toBe('quantitative');
    const words = await sweep(scenario, {
      seeds: { start: 0, count: 5 },
      vary: ['strategies[1].wip=unbounded,1'],
    });
    const one = await chartSpec(words, 'makespan');
    expect(one.facet).toBeUndefined();
    const x = one.layer!.find((l) => l.mark.type === 'line')!.encoding.x!;
    expect(x).toMatchObject({ type: 'ordinal', scale: { domain: ['unbounded', '1'] } });
    // Every layer on that axis keeps the order given (a label layer places text by another field).
    for (const l of one.layer!) {
      const lx = l.encoding.x as { type?: string; scale?: unknown } | undefined;
      if (lx?.type === 'ordinal') expect(lx.scale).toEqual({ domain: ['unbounded', '1'] });
    }
    // One x position per value: the CI is drawn as error bars, not a band.
    expect(one.layer!.map((l) => l.mark.type)).not.toContain('area');
  });

  it('writes a CSV row per point, strategy and metric, the varied values first', async () => {
    const doc = await docPromise;
    const rows = csvRows(file(await filesPromise, 'results.csv'));
    expect(rows[0]).toEqual([
      'strategies[1].wip',
      'subagents.failures.hang',
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
    ]);
    expect(rows).toHaveLength(1 + doc.points.length * 3 * metricNames.length);
    expect(new Set(rows.map((r) => r.length))).toEqual(new Set([15]));
    const last = doc.points.at(-1)!;
    const s = last.results.strategies[1]!;
    expect(rows.at(-metricNames.length * 2)).toEqual([
      '10',
      '0.05',
      s.label,
      metricNames[0],
      String(s.metrics[metricNames[0]!].mean),
      ...rows.at(-metricNames.length * 2)!.slice(5),
    ]);
  });
});

/** A copy of `doc` with the field at `path` set to `value`, or deleted for undefined. */
function withField(doc: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc);
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

describe('a sweep document, as report reads it', () => {
  it('is accepted as sweep writes it', async () => {
    expect(sweepDocumentProblem(JSON.parse(JSON.stringify(await docPromise)))).toBeUndefined();
  });

  it('is refused, saying why and where, when it is something else or broken', async () => {
    const doc = JSON.parse(JSON.stringify(await docPromise)) as SweepDocument;
    const problem = (path: (string | number)[], value: unknown) =>
      sweepDocumentProblem(withField(doc, path, value));
    expect(sweepDocumentProblem([])).toMatch(/not a JSON object/);
    expect(problem(['format'], 'dispatchlab-results')).toMatch(
      /its format is "dispatchlab-results", not "dispatchlab-sweep"/,
    );
    expect(problem(['format'], 'dispatchlab-partial')).toMatch(/dispatchlab merge/);
    expect(problem(['version'], 1)).toMatch(/version is 1.*earlier version/);
    expect(problem(['version'], 2)).toMatch(
      /^its version is 2, not 3: it was written by an earlier version of dispatchlab .*; run the sweep again$/,
    );
    expect(problem(['version'], 4)).toMatch(
      /version is 4, not 3: this version .* does not read it/,
    );
    expect(problem(['points', 0, 'verdict'], undefined)).toMatch(/^at points\.0\.verdict: /);
    expect(problem(['points', 1, 'verdict', 'recommended'], 7)).toMatch(
      /^at points\.1\.verdict\.recommended: /,
    );
    expect(problem(['points', 1, 'verdict', 'recommended'], 'nobody')).toMatch(
      /^at points\.1: "nobody" is not one of the point's strategies$/,
    );
    expect(problem(['flips'], undefined)).toMatch(/^at flips: /);
    expect(problem(['flips', 0, 'before'], 5)).toMatch(/^at flips\.0\.before: /);
    // Null is "nothing safe", but here a strategy is recommended at that point.
    expect(problem(['flips', 0, 'after'], null)).toMatch(
      /^at flips\.0\.after: null, but points\.\d+ recommends "async\(wip=10,/,
    );
    expect(problem(['flips', 0, 'before'], doc.flips[0]!.after)).toMatch(
      /^at flips\.0\.before: "async\(wip=10,.*, but points\.\d+ recommends /,
    );
    expect(problem(['flips', 0, 'from'], 99)).toMatch(/^at flips\.0\.from: there is no point 99/);
    expect(problem(['flips', 0, 'along'], 'tasks.count')).toMatch(
      /^at flips\.0\.along: "tasks.count" is not a path in vary$/,
    );
    expect(problem(['winnerBy', 'metric'], undefined)).toMatch(/^at winnerBy\.metric: /);
    expect(problem(['winnerBy', 'metric'], 'speed')).toMatch(/^at winnerBy\.metric: /);
    expect(problem(['points', 1, 'lead'], 'maybe')).toMatch(/^at points\.1\.lead: /);
    expect(
      problem(['points', 0, 'results', 'strategies', 2, 'metrics', 'makespan'], undefined),
    ).toMatch(/^at points\.0\.results\.strategies\.2\.metrics\.makespan: /);
    expect(problem(['vary', 0, 'values'], 'all')).toMatch(/^at vary\.0\.values: /);
    expect(problem(['points'], doc.points.slice(0, -1))).toMatch(
      /^at points: 5 points, but the values in vary make a grid of 6$/,
    );
    expect(problem(['points', 3, 'values', 'subagents.failures.hang'], undefined)).toMatch(
      /^at points\.3\.values: no value for subagents\.failures\.hang$/,
    );
    expect(
      problem(['points', 2, 'results', 'strategies'], doc.points[2]!.results.strategies.slice(1)),
    ).toMatch(/^at points\.2\.results\.strategies: 2 strategies, but points\.0 has 3$/);
    expect(problem(['points', 0, 'winner'], 'nobody')).toMatch(
      /^at points\.0: "nobody" is not one of the point's strategies$/,
    );
    expect(problem(['changes', 0, 'to'], 99)).toMatch(/^at changes\.0\.to: there is no point 99/);
    expect(problem(['changes', 0, 'along'], 'tasks.count')).toMatch(
      /^at changes\.0\.along: "tasks.count" is not a path in vary$/,
    );
  });
});

describe('strategyNames', () => {
  it('names a module whose label varies across points by its file, strategy or orchestrator', () => {
    const point = (label: string, config: Record<string, unknown>) => ({
      results: { strategies: [{ label, config }] },
    });
    const names = (config: Record<string, unknown>) =>
      strategyNames({
        points: [point('a(1)', config), point('a(2)', config)],
      } as unknown as Parameters<typeof strategyNames>[0]);
    expect(names({ orchestrator: './fan-out.ts', options: {} })).toEqual([
      './fan-out.ts #1 (label varies)',
    ]);
    expect(names({ module: './one.ts', options: {} })).toEqual(['./one.ts #1 (label varies)']);
    expect(names({ kind: 'async', wip: 2 })).toEqual(['async #1 (label varies)']);
  });
});
