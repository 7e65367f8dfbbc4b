/**
 * The charts of a results document, as vega-lite specs: what a design review puts on
 * screen. Each spec carries its data inline, so a `.vl.json` file opens and restyles on its
 * own; `render-svg.ts` turns them into SVG. Every strategy keeps one colour across every
 * chart (Okabe–Ito, a palette for colour-blind readers), in the document's order.
 */
import type { TopLevelSpec } from 'vega-lite';
import { type MetricName, metricUnit } from '../experiment/metric-names.js';
import type { ResultsDocument, StrategyResult } from '../experiment/results.js';
import type { ActivityKind } from '../model/activity.js';
import type { ReportFile } from './report.js';

/** Okabe & Ito's eight colours, black last; past eight strategies they repeat. */
export const palette = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000',
] as const;

export interface Chart {
  /** The file name's stem: `charts/<name>.svg`, `charts/<name>.vl.json`. */
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/**
 * A report's files of its charts, `svgs[i]` being chart i drawn: each as SVG and as its
 * vega-lite spec (indented, with a final newline, to open and restyle).
 */
export function chartFiles(charts: readonly Chart[], svgs: readonly string[]): ReportFile[] {
  return charts.flatMap((c, i) => [
    { path: `charts/${c.name}.svg`, content: svgs[i]! },
    { path: `charts/${c.name}.vl.json`, content: `${JSON.stringify(c.spec, null, 2)}\n` },
  ]);
}

/** The vega-lite version every chart's spec is written for (its `$schema`). */
export const schema = 'https://vega.github.io/schema/vega-lite/v6.json';
/** A chart's plotting width in pixels: a report page's column, less the axes. */
export const width = 560;

/** The colour of the strategy at `index` in the scenario's order: past eight, they repeat. */
export function strategyColourAt(index: number): string {
  return palette[index % palette.length]!;
}

/**
 * The colour scale every chart shares: one colour per strategy, palette colours in the
 * order of `labels` (the scenario's order, so a strategy has the same colour everywhere).
 */
export function strategyScale(labels: readonly string[]) {
  return {
    scale: { domain: [...labels], range: labels.map((_, i) => strategyColourAt(i)) },
    legend: null,
  };
}

/** The colour scale every chart shares: one colour per strategy, in the document's order. */
function strategyColour(doc: ResultsDocument) {
  return strategyScale(doc.strategies.map((s) => s.label));
}

/** The strategies' axis: in the document's order, labels long enough for a full label. */
const y = {
  field: 'strategy',
  type: 'nominal' as const,
  sort: null,
  title: null,
  axis: { labelLimit: 420 },
};

/** An axis title with the unit of `metric`'s values. */
export function axisTitle(metric: MetricName): string {
  const unit = metricUnit[metric];
  const suffix: Record<typeof unit, string> = {
    seconds: ' (seconds)',
    share: ' (share)',
    perHour: ' (per hour)',
    count: '',
    tokens: ' (tokens)',
    ratio: '',
    money: ' (price-table currency)',
  };
  return `${metric}${suffix[unit]}`;
}

/**
 * Whether some run of the strategy was cut short (deadlocked, or ended incomplete): then
 * its time figures cover only part of the work and must not be drawn as if whole.
 */
export function cutShort(s: StrategyResult): boolean {
  return s.outcomes.deadlock + s.outcomes.incomplete > 0;
}

/** Strategies whose summaries of `metric` exist (a strategy cut short has no time figures). */
function summarized(doc: ResultsDocument, metric: MetricName): StrategyResult[] {
  return doc.strategies.filter((s) => s.metrics[metric].mean !== null && !cutShort(s));
}

/** The objective per strategy: its mean and 95% CI, and its p50–p95 range across seeds. */
function objectiveChart(doc: ResultsDocument): Chart {
  const metric = doc.verdict.objective;
  const values = summarized(doc, metric).map((s) => {
    const m = s.metrics[metric];
    return {
      strategy: s.label,
      mean: m.mean,
      low: m.ci95?.[0] ?? m.mean,
      high: m.ci95?.[1] ?? m.mean,
      p50: m.p50,
      p95: m.p95,
    };
  });
  const colour = { field: 'strategy', type: 'nominal' as const, ...strategyColour(doc) };
  return {
    name: 'objective',
    title: `${metric}: mean with its 95% CI (thick), median to p95 across seeds (thin)`,
    spec: {
      $schema: schema,
      title: `${metric} per strategy over ${doc.seeds.count} seeds`,
      width,
      data: { values },
      encoding: { y },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 1, opacity: 0.6 },
          encoding: {
            x: { field: 'p50', type: 'quantitative', title: axisTitle(metric) },
            x2: { field: 'p95' },
            color: colour,
          },
        },
        {
          mark: { type: 'rule', strokeWidth: 4 },
          encoding: {
            x: { field: 'low', type: 'quantitative' },
            x2: { field: 'high' },
            color: colour,
          },
        },
        {
          mark: { type: 'point', filled: true, size: 80 },
          encoding: { x: { field: 'mean', type: 'quantitative' }, color: colour },
        },
      ],
    },
  };
}

/**
 * The forest plot: each safe strategy minus the reference, on the objective, with its
 * paired 95% CI, and the practical margin drawn on both sides of 0.
 */
function pairedChart(doc: ResultsDocument): Chart | undefined {
  const v = doc.verdict;
  if (v.reference === null || v.candidates.length === 0) return undefined;
  const values = v.candidates
    .filter((c) => c.difference.meanDiff !== null && c.difference.ci95 !== null)
    .map((c) => ({
      strategy: c.label,
      difference: c.difference.meanDiff,
      low: c.difference.ci95![0],
      high: c.difference.ci95![1],
    }));
  if (values.length === 0) return undefined;
  const colour = { field: 'strategy', type: 'nominal' as const, ...strategyColour(doc) };
  return {
    name: 'paired',
    title: `${v.objective}, each strategy minus ${v.reference}, paired by seed, with the practical margin shaded`,
    spec: {
      $schema: schema,
      title: `${v.objective} against ${v.reference} (paired 95% CI)`,
      width,
      layer: [
        {
          data: { values: [{ from: -v.threshold, to: v.threshold }] },
          mark: { type: 'rect', color: '#999999', opacity: 0.2 },
          encoding: {
            x: {
              field: 'from',
              type: 'quantitative',
              title: `difference in ${axisTitle(v.objective)}`,
            },
            x2: { field: 'to' },
          },
        },
        {
          data: { values: [{ zero: 0 }] },
          mark: { type: 'rule', color: '#444444', strokeDash: [4, 4] },
          encoding: { x: { field: 'zero', type: 'quantitative' } },
        },
        {
          data: { values },
          encoding: { y },
          layer: [
            {
              mark: { type: 'rule', strokeWidth: 3 },
              encoding: {
                x: { field: 'low', type: 'quantitative' },
                x2: { field: 'high' },
                color: colour,
              },
            },
            {
              mark: { type: 'point', filled: true, size: 80 },
              encoding: { x: { field: 'difference', type: 'quantitative' }, color: colour },
            },
          ],
        },
      ],
    },
  };
}

/**
 * The orchestrator's activities (model/activity.ts) and idle, in the order a run goes
 * through them, each with the RunMetrics field of its time and its colour: the same in
 * the time split and in a timeline, so that an activity reads the same in every chart.
 */
export const activityParts = [
  { activity: 'turn', metric: 'turnTime', colour: palette[0] },
  { activity: 'dispatch', metric: 'dispatchTime', colour: palette[1] },
  { activity: 'plan', metric: 'planTime', colour: palette[2] },
  { activity: 'process', metric: 'processTime', colour: palette[3] },
  { activity: 'poll', metric: 'pollTime', colour: palette[4] },
  { activity: 'answer', metric: 'answerTime', colour: palette[5] },
  { activity: 'compaction', metric: 'compactionTime', colour: palette[6] },
  { activity: 'synthesize', metric: 'synthesizeTime', colour: palette[7] },
  { activity: 'idle', metric: 'idleTime', colour: '#DDDDDD' },
] as const satisfies readonly {
  activity: ActivityKind | 'idle';
  metric: MetricName;
  colour: string;
}[];

/** How each strategy's orchestrator spends the makespan, stacked (means over seeds). */
function timeSplitChart(doc: ResultsDocument): Chart | undefined {
  const strategies = summarized(doc, 'makespan');
  if (strategies.length === 0) return undefined;
  const values = strategies.flatMap((s) =>
    activityParts.map(({ activity, metric }, order) => ({
      strategy: s.label,
      part: activity,
      order,
      seconds: s.metrics[metric].mean ?? 0,
    })),
  );
  return {
    name: 'time-split',
    title: "How the orchestrator's time is spent, per strategy (means over seeds)",
    spec: {
      $schema: schema,
      title: "The orchestrator's time, by activity (mean seconds a run)",
      width,
      data: { values },
      mark: 'bar',
      encoding: {
        y,
        x: { field: 'seconds', type: 'quantitative', stack: 'zero', title: 'seconds' },
        color: {
          field: 'part',
          type: 'nominal',
          sort: activityParts.map((p) => p.activity),
          scale: {
            domain: activityParts.map((p) => p.activity),
            range: activityParts.map((p) => p.colour),
          },
          title: 'activity',
        },
        order: { field: 'order', type: 'quantitative' },
      },
    },
  };
}

/** Cost against makespan, one point per strategy with both CIs: where costs are modelled. */
function costChart(doc: ResultsDocument): Chart | undefined {
  const strategies = summarized(doc, 'makespan').filter((s) => (s.metrics.cost.mean ?? 0) > 0);
  if (strategies.length === 0) return undefined;
  const values = strategies.map((s) => ({
    strategy: s.label,
    makespan: s.metrics.makespan.mean,
    makespanLow: s.metrics.makespan.ci95?.[0] ?? s.metrics.makespan.mean,
    makespanHigh: s.metrics.makespan.ci95?.[1] ?? s.metrics.makespan.mean,
    cost: s.metrics.cost.mean,
    costLow: s.metrics.cost.ci95?.[0] ?? s.metrics.cost.mean,
    costHigh: s.metrics.cost.ci95?.[1] ?? s.metrics.cost.mean,
  }));
  // Here the colours need a legend: no axis names the strategies.
  const colour = {
    field: 'strategy',
    type: 'nominal' as const,
    ...strategyColour(doc),
    legend: { title: null, orient: 'bottom' as const, columns: 1, labelLimit: 600 },
  };
  return {
    name: 'cost-makespan',
    title: 'Cost against makespan per strategy (means with 95% CIs): lower left is better',
    spec: {
      $schema: schema,
      title: 'Cost against makespan (means, 95% CIs)',
      width,
      height: 320,
      data: { values },
      layer: [
        {
          mark: 'rule',
          encoding: {
            x: {
              field: 'makespanLow',
              type: 'quantitative',
              title: axisTitle('makespan'),
              scale: { zero: false },
            },
            x2: { field: 'makespanHigh' },
            y: { field: 'cost', type: 'quantitative' },
            color: colour,
          },
        },
        {
          mark: 'rule',
          encoding: {
            y: {
              field: 'costLow',
              type: 'quantitative',
              title: axisTitle('cost'),
              scale: { zero: false },
            },
            y2: { field: 'costHigh' },
            x: { field: 'makespan', type: 'quantitative' },
            color: colour,
          },
        },
        {
          mark: { type: 'point', filled: true, size: 90 },
          encoding: {
            x: { field: 'makespan', type: 'quantitative' },
            y: { field: 'cost', type: 'quantitative' },
            color: colour,
          },
        },
      ],
    },
  };
}

/** Every chart the document supports, in reading order. */
export function chartsOf(doc: ResultsDocument): Chart[] {
  return [objectiveChart(doc), pairedChart(doc), timeSplitChart(doc), costChart(doc)].filter(
    (c): c is Chart => c !== undefined,
  );
}
