/**
 * The charts of the representative seed: their names and titles, their bytes, what they
 * draw checked against the trace records (counted here, not by the charts' code), their
 * sizes on long runs, and their rendering.
 */
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import {
  type RepresentativeRuns,
  representativeRuns,
} from '../../src/experiment/representative-seed.js';
import type { ResultsDocument } from '../../src/experiment/results.js';
import { runOnce } from '../../src/experiment/run-seeds.js';
import { runStrategy } from '../../src/model/run.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import type { Chart } from '../../src/report/charts.js';
import { renderSvg } from '../../src/report/render-svg.js';
import {
  downsampleSteps,
  laneCap,
  orchestratorSlices,
  type StepPoint,
  seedCharts,
  seriesCap,
} from '../../src/report/seed-charts.js';
import { loadScenario } from '../../src/scenario/load.js';
import { strategyOf } from '../../src/scenario/module-strategy.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { scenarioOf } from '../experiment/helpers.js';
import { seedInput, unsafeInput } from '../experiment/seed-input.js';

type Row = Record<string, string | number>;

/** A spec's views and layers, flattened: each mark with the data it draws. */
interface Drawn {
  readonly mark: string;
  readonly values: readonly Row[];
}

function drawn(spec: unknown, data?: readonly Row[]): Drawn[] {
  const view = spec as {
    mark?: string | { type: string };
    data?: { values: Row[] };
    layer?: unknown[];
    vconcat?: unknown[];
  };
  const values = view.data?.values ?? data ?? [];
  const out: Drawn[] = [];
  if (view.mark !== undefined) {
    out.push({ mark: typeof view.mark === 'string' ? view.mark : view.mark.type, values });
  }
  for (const child of [...(view.layer ?? []), ...(view.vconcat ?? [])]) {
    out.push(...drawn(child, values));
  }
  return out;
}

function chartNamed(charts: readonly Chart[], name: string): Chart {
  const chart = charts.find((c) => c.name === name);
  if (chart === undefined) throw new Error(`no chart ${name}: ${charts.map((c) => c.name)}`);
  return chart;
}

function subtitle(chart: Chart): string[] {
  return (chart.spec as { title: { subtitle: string[] } }).title.subtitle;
}

/**
 * Subagents in flight after each instant of the run, counted from the records: the starts
 * so far less the ends and cancels. Keyed by the instants' times (every record's).
 */
function inFlightCounts(records: readonly ModelTraceRecord[]): Map<number, number> {
  const counts = new Map<number, number>();
  let n = 0;
  for (const r of records) {
    if (r.type === 'start') n++;
    else if (r.type === 'end' || r.type === 'cancel') n--;
    counts.set(r.t, n);
  }
  return counts;
}

function makespanOf(records: readonly ModelTraceRecord[]): number {
  const end = records[records.length - 1]!;
  return end.type === 'run.end' ? end.makespan : Number.NaN;
}

const scenario = scenarioOf(seedInput());
const small: Promise<{ doc: ResultsDocument; runs: RepresentativeRuns }> = (async () => {
  const doc = await compare(scenario);
  return { doc, runs: await representativeRuns(scenario, doc) };
})();

/** One long run: more subagents, series points and orchestrator bars than a chart keeps. */
const long: Promise<{ doc: ResultsDocument; runs: RepresentativeRuns }> = (async () => {
  const input = seedInput();
  input.tasks = { count: 1500 };
  input.strategies = [{ kind: 'blocking', timeout: '15m', retries: 1 }];
  input.seeds = { count: 1 };
  const big = scenarioOf(input);
  const doc = await compare(big);
  return { doc, runs: await representativeRuns(big, doc) };
})();

describe('the charts of the representative seed', () => {
  it('are a timeline per run, in flight and context, each title naming the seed and why', async () => {
    const { doc, runs } = await small;
    const charts = seedCharts(doc, runs);
    expect(charts.map((c) => c.name)).toEqual([
      'seed-timeline-1',
      'seed-timeline-2',
      'seed-in-flight',
      'seed-context',
    ]);
    for (const c of charts) {
      expect(c.title, c.name).toContain(runs.why);
      const title = (c.spec as { title: { text: string } }).title;
      expect(title.text, c.name).toContain(`seed ${runs.seed}`);
      expect(subtitle(c)[0], c.name).toBe(runs.why);
      expect(JSON.stringify(c.spec), c.name).toMatch(
        /"title":"time since the run began \(seconds\)"/,
      );
    }
  });

  it('are the same bytes for the same document and runs, and for runs made again', async () => {
    const { doc, runs } = await small;
    const a = JSON.stringify(seedCharts(doc, runs));
    expect(JSON.stringify(seedCharts(structuredClone(doc), structuredClone(runs)))).toBe(a);
    expect(JSON.stringify(seedCharts(doc, await representativeRuns(scenario, doc)))).toBe(a);
  });

  it('draws in flight as the records count it, never above the WIP limit drawn, which is reached', async () => {
    const { doc, runs } = await small;
    const chart = chartNamed(seedCharts(doc, runs), 'seed-in-flight');
    const layers = drawn(chart.spec);
    const series = layers.find((l) => l.mark === 'line')!.values;
    const limits = layers.find((l) => l.mark === 'rule')!.values;
    // Only async has a limit, the one its configuration gives.
    const wip = (c: ResultsDocument['strategies'][number]['config']) =>
      'wip' in c && typeof c.wip === 'number' ? [c.wip] : [];
    expect(limits.map((l) => [l.strategy, l.wip])).toEqual(
      doc.strategies.flatMap((s) => wip(s.config).map((w) => [s.label, w])),
    );
    for (const run of runs.runs) {
      const points = series.filter((p) => p.strategy === run.label);
      expect(points.length, run.label).toBeGreaterThan(2);
      expect(points[0]).toMatchObject({ t: 0, inFlight: 0 });
      expect(points[points.length - 1]!.t).toBe(makespanOf(run.records));
      const counts = inFlightCounts(run.records);
      for (const p of points) {
        expect(p.inFlight, `${run.label} at ${p.t}`).toBe(counts.get(p.t as number));
      }
      // Every change of the count is drawn: the peak over the records is the chart's.
      const peak = Math.max(...counts.values());
      expect(Math.max(...points.map((p) => p.inFlight as number))).toBe(peak);
      const limit = limits.find((l) => l.strategy === run.label);
      if (limit !== undefined) expect(peak).toBe(limit.wip);
    }
  });

  it('draws each subagent from its start to its end, by fate, under the orchestrator', async () => {
    const { doc, runs } = await small;
    for (const [i, run] of runs.runs.entries()) {
      const chart = chartNamed(seedCharts(doc, runs), `seed-timeline-${i + 1}`);
      const [orchestrator, waits, works, ticks] = drawn(chart.spec);
      const spawns = run.records.filter((r) => r.type === 'spawn');
      const starts = run.records.filter((r) => r.type === 'start');
      expect(works!.values).toHaveLength(starts.length);
      expect(new Set(works!.values.map((b) => b.lane)).size).toBe(spawns.length);
      const count = (fate: string) => works!.values.filter((b) => b.fate === fate).length;
      const errors = run.records.filter((r) => r.type === 'end' && r.fate === 'error').length;
      const hangs = starts.filter((r) => r.world.fate === 'hang').length;
      expect(count('error')).toBe(errors);
      expect(count('hang')).toBe(hangs);
      expect(errors + hangs, run.label).toBeGreaterThan(0); // the run has failures to show
      expect(ticks!.values).toHaveLength(run.records.filter((r) => r.type === 'detect').length);
      // The first subagent's bar is its start to its end.
      const first = starts[0]!;
      const stop = run.records.find(
        (r) => (r.type === 'end' || r.type === 'cancel') && r.agent === first.agent,
      )!;
      expect(works!.values[0]).toMatchObject({ from: first.t, to: stop.t });
      // The orchestrator's lane covers the run with its busy and idle records, end to end.
      const busy = orchestrator!.values;
      expect(busy).toHaveLength(
        run.records.filter((r) => r.type === 'busy' || r.type === 'idle').length,
      );
      const covered = busy.reduce((sum, b) => sum + (b.to as number) - (b.from as number), 0);
      expect(covered).toBeCloseTo(makespanOf(run.records), 6);
      // Only async waits for slots (blocking has no WIP limit).
      expect(waits!.values.length > 0, run.label).toBe(run.label.startsWith('async'));
    }
  });

  it("draws the context from the header's base, the budget and every compaction", async () => {
    const { doc, runs } = await small;
    const layers = drawn(chartNamed(seedCharts(doc, runs), 'seed-context').spec);
    const series = layers.find((l) => l.mark === 'line')!.values;
    const marks = layers.find((l) => l.mark === 'point')!.values;
    const budget = layers.find((l) => l.mark === 'rule')!.values;
    expect(budget.map((b) => b.budget)).toEqual([12000]);
    for (const run of runs.runs) {
      expect(series.find((p) => p.strategy === run.label)).toEqual({
        strategy: run.label,
        t: 0,
        tokens: 2000,
      });
      const compactions = run.records.filter((r) => r.type === 'compaction');
      expect(compactions.length, run.label).toBeGreaterThan(0);
      expect(marks.filter((m) => m.strategy === run.label).map((m) => [m.t, m.before])).toEqual(
        compactions.map((c) => [c.t, c.before]),
      );
    }
  });

  it('leaves the context chart out where the context never changes', async () => {
    const input = seedInput();
    input.context = { base: 0 };
    const flat = scenarioOf(input);
    const doc = await compare(flat);
    const charts = seedCharts(doc, await representativeRuns(flat, doc));
    expect(charts.map((c) => c.name)).not.toContain('seed-context');
    expect(charts.map((c) => c.name)).toContain('seed-in-flight');
  });

  it('colours ghosts and duplicates where compaction made the orchestrator forget', async () => {
    const file = await loadScenario('scenarios/frequent-compaction.yaml');
    const doc = await compare(file, { seeds: { start: 0, count: 2 } });
    const config = file.strategies.find((s) => s.label === 'async-volatile-registry')!;
    const trace = new MemoryTrace<ModelTraceRecord>();
    runOnce(file, config, 0, trace);
    const runs = {
      seed: 0,
      why: 'seed 0: for its ghosts',
      runs: [{ label: config.label, records: trace.records }],
    };
    const [, , works] = drawn(seedCharts(doc, runs)[0]!.spec);
    const { metrics } = runStrategy({
      world: file.world,
      strategy: strategyOf(config, file.kinds),
      seed: 0,
    });
    expect(metrics.ghosts).toBeGreaterThan(0);
    expect(works!.values.filter((b) => b.fate === 'ghost')).toHaveLength(metrics.ghosts);
    expect(works!.values.some((b) => b.fate === 'duplicate')).toBe(true);
  });

  it('keeps long runs small: lanes, bars and points capped, and the titles say so', async () => {
    const { doc, runs } = await long;
    const [run] = runs.runs;
    const charts = seedCharts(doc, runs);
    const timeline = chartNamed(charts, 'seed-timeline-1');
    const [orchestrator, , works] = drawn(timeline.spec);
    const spawns = run!.records.filter((r) => r.type === 'spawn').length;
    expect(spawns).toBeGreaterThan(laneCap);
    expect(new Set(works!.values.map((b) => b.lane)).size).toBe(laneCap);
    expect(subtitle(timeline).join('\n')).toContain(
      `${laneCap} of ${spawns.toLocaleString('en-US')} subagents shown`,
    );
    expect(orchestrator!.values.length).toBeLessThanOrEqual(orchestratorSlices);
    expect(subtitle(timeline).join('\n')).toContain('equal slices of time');

    const inFlight = chartNamed(charts, 'seed-in-flight');
    const series = drawn(inFlight.spec).find((l) => l.mark === 'line')!.values;
    expect(series.length).toBeLessThanOrEqual(seriesCap);
    expect(series[0]).toMatchObject({ t: 0, inFlight: 0 });
    expect(series[series.length - 1]!.t).toBe(makespanOf(run!.records));
    // Thinned, yet every point kept is the count at its time, the peak among them.
    const counts = inFlightCounts(run!.records);
    for (const p of series) expect(p.inFlight).toBe(counts.get(p.t as number));
    const peak = Math.max(...counts.values());
    expect(Math.max(...series.map((p) => p.inFlight as number))).toBe(peak);
    expect(subtitle(inFlight).join('\n')).toContain(
      `at most ${seriesCap.toLocaleString('en-US')} points`,
    );
    for (const c of charts) {
      expect(JSON.stringify(c.spec).length, c.name).toBeLessThan(250_000);
    }
  });

  it("renders every chart to SVG, a deadlocked run's too", async () => {
    const unsafe = scenarioOf(unsafeInput());
    const doc = await compare(unsafe);
    const deadlocked = await representativeRuns(unsafe, doc);
    const [run] = deadlocked.runs;
    const end = run!.records[run!.records.length - 1]!;
    expect(end.type === 'run.end' && end.outcome).toBe('deadlock');
    const stuck = seedCharts(doc, deadlocked);
    const charts = [
      ...seedCharts((await small).doc, (await small).runs),
      ...seedCharts((await long).doc, (await long).runs),
      ...stuck,
    ];
    // The hang the run waits on runs on to its end.
    const [, , works] = drawn(chartNamed(stuck, 'seed-timeline-1').spec);
    expect(works!.values.some((b) => b.fate === 'hang' && b.to === end.t)).toBe(true);
    for (const c of charts) {
      const svg = await renderSvg(c.spec);
      expect(svg, c.name).toMatch(/^<svg[^>]* width="\d+" height="\d+"/);
      expect(svg, c.name).toContain('<path');
    }
  });
});

describe('downsampling a step series', () => {
  /** A random walk of n points, from a fixed linear congruential generator. */
  function walk(n: number): StepPoint[] {
    let state = 12345;
    let value = 0;
    return Array.from({ length: n }, (_, i) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      value += state % 3 === 0 ? 1 : state % 3 === 1 ? -1 : 0;
      return { t: i * 0.7 + (state % 100) / 1000, value };
    });
  }

  it('keeps a series within the cap as it is', () => {
    const points = walk(500);
    expect(downsampleSteps(points, 500)).toEqual(points);
  });

  it('caps a long one, keeping its first and last points, its peak and its trough, in order', () => {
    const points = walk(20_000);
    for (const cap of [4, 100, 2000]) {
      const kept = downsampleSteps(points, cap);
      expect(kept.length).toBeLessThanOrEqual(cap);
      expect(kept.length).toBeGreaterThan(cap / 2);
      expect(kept[0]).toBe(points[0]);
      expect(kept[kept.length - 1]).toBe(points[points.length - 1]);
      const values = points.map((p) => p.value);
      expect(Math.max(...kept.map((p) => p.value))).toBe(Math.max(...values));
      expect(Math.min(...kept.map((p) => p.value))).toBe(Math.min(...values));
      // A subsequence of the original points, in their order.
      let at = -1;
      for (const p of kept) {
        const i = points.indexOf(p, at + 1);
        expect(i).toBeGreaterThan(at);
        at = i;
      }
    }
  });

  it('refuses a cap too small to keep a slice', () => {
    expect(() => downsampleSteps(walk(10), 3)).toThrow(RangeError);
  });
});
