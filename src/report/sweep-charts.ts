/**
 * The charts of a sweep document, as vega-lite specs: a metric's mean against the swept
 * parameter, one line per strategy with its 95% CI; on the deciding metric's chart, the
 * strategy to adopt (the verdict) and the race's winner or tie at each point; on every
 * chart, where the answer flips (a solid frame) and where the clear winner changes (a
 * dashed one), each labelled, the key under the title.
 * With several varies, the first is the x axis and the chart has a panel for each
 * combination of the others' values (in grid order), all on one y scale so that panels
 * compare. A parameter whose values are not all numbers gets an ordinal axis in the order
 * given. Data inline and built in grid order, so the same document gives the same bytes;
 * colours as in a compare's charts (charts.ts), by the strategy's place in the scenario.
 */
import type { TopLevelSpec } from 'vega-lite';
import { finalAtDeadlock, type MetricName } from '../experiment/metric-names.js';
import type { StrategyResult } from '../experiment/results.js';
import type { AnswerFlip, SweepDocument, SweepPoint, WinnerChange } from '../experiment/sweep.js';
import type { VaryValue } from '../experiment/vary.js';
import { axisTitle, type Chart, cutShort, schema, strategyScale, width } from './charts.js';
import { atText, strategyNames } from './sweep-text.js';

/**
 * Whether a strategy's mean of `metric` at a point may be drawn: it must exist, and a
 * strategy cut short at that point (deadlocked or incomplete in some run) is drawn only on
 * the metrics a run's stop leaves final (the task outcomes, finalAtDeadlock): its time
 * figures stop where it stuck and would read as fast or frugal (charts.ts leaves it out
 * the same way).
 */
function drawable(s: StrategyResult, metric: MetricName): boolean {
  return s.metrics[metric].mean !== null && (finalAtDeadlock(metric) || !cutShort(s));
}

/**
 * The metrics charted: the one that decides the winner, then those that say why it wins
 * and at what price, each once.
 * - makespan: how long the job takes, the first question whatever decides;
 * - utilization: how busy the orchestrator is, which is why a way of dispatching wins (it
 *   fills the waits with work) or loses (there is nothing to fill them with);
 * - cost: only where prices are modelled (some mean above 0), else it is a flat 0;
 * - givenUp: only where some strategy gives up tasks, the price of its timeouts;
 * - unresolved: only where some strategy is cut short at some point: the time charts
 *   leave it out there, and this, final at a deadlock, shows how many tasks it left stuck.
 * Other metrics stay in results.csv; more charts would bury these.
 */
function chartedMetrics(doc: SweepDocument): MetricName[] {
  const strategies = doc.points.flatMap((p) => p.results.strategies);
  const someAbove0 = (metric: MetricName) =>
    strategies.some((s) => drawable(s, metric) && s.metrics[metric].mean! > 0);
  const optional: [MetricName, boolean][] = [
    ['cost', someAbove0('cost')],
    ['givenUp', someAbove0('givenUp')],
    ['unresolved', strategies.some(cutShort)],
  ];
  return [
    ...new Set<MetricName>([
      doc.winnerBy.metric,
      'makespan',
      'utilization',
      ...optional.filter(([, shown]) => shown).map(([m]) => m),
    ]),
  ];
}

const isNumber = (v: VaryValue): v is number => typeof v === 'number';

/** The x axis: the first vary, quantitative when every value is a number. */
interface XAxis {
  readonly path: string;
  readonly quantitative: boolean;
  /** A value as the data holds it: the number, or its text on an ordinal axis. */
  readonly of: (v: VaryValue) => number | string;
  /** Where a value lies along the axis, from 0 (left) to 1 (right). */
  readonly position: (v: VaryValue) => number;
}

function xAxis(doc: SweepDocument): XAxis {
  const first = doc.vary[0]!;
  const quantitative = first.values.every(isNumber);
  const numbers = first.values.filter(isNumber);
  const [min, max] = [Math.min(...numbers), Math.max(...numbers)];
  const words = [...new Set(first.values.map(String))];
  return {
    path: first.path,
    quantitative,
    of: (v) => (quantitative ? (v as number) : String(v)),
    position: (v) =>
      quantitative
        ? max > min
          ? ((v as number) - min) / (max - min)
          : 0
        : words.length > 1
          ? words.indexOf(String(v)) / (words.length - 1)
          : 0,
  };
}

/**
 * Whether the CI is a band (an area needs two x positions, and reads as a range only
 * on a continuous axis) rather than error bars, which show on any axis.
 */
function drawsBand(doc: SweepDocument, x: XAxis): boolean {
  return x.quantitative && new Set(doc.vary[0]!.values).size >= 2;
}

/** Which panel a point is drawn in: the other varies' values (`a=1, b=2`); '' with one vary. */
function panelOf(doc: SweepDocument, values: SweepPoint['values']): string {
  return atText(Object.fromEntries(doc.vary.slice(1).map((v) => [v.path, values[v.path]!])));
}

/**
 * Where a strategy stands at a point on the deciding metric: the clear (or unopposed)
 * winner, one of the tied, or neither ('').
 */
function standing(p: SweepPoint, label: string): 'winner' | 'tied' | '' {
  if (p.winner === label) return 'winner';
  return p.tied.includes(label) ? 'tied' : '';
}

type XValue = number | string;
type Side = 'left' | 'right';

/**
 * A label over a panel, at `anchor` on the x axis: `side` is the end of its text that is
 * there ('left': the text runs rightwards from it).
 */
interface Label {
  readonly panel: string;
  readonly anchor: XValue;
  readonly side: Side;
  /** Its line, counted from the top of the panel. */
  readonly line: number;
  readonly text: string;
}

/** A chart's data, one list told apart by `kind` (a panel's layers cannot have data of their own). */
type Row =
  | {
      readonly kind: 'mean';
      readonly x: XValue;
      readonly panel: string;
      readonly strategy: string;
      readonly label: string;
      readonly mean: number | null;
      readonly low: number | null;
      readonly high: number | null;
      readonly standing: 'winner' | 'tied' | '';
      /** The strategy the verdict recommends at this point (the deciding chart only). */
      readonly adopted: boolean;
      readonly cut: boolean;
    }
  | {
      readonly kind: 'tie';
      readonly x: XValue;
      readonly panel: string;
      readonly mean: number | null;
    }
  | ({ readonly kind: Span; readonly x: XValue; readonly x2: XValue } & Label)
  | ({ readonly kind: `${Span}-across` } & Label);

/** A change of clear winner (the race), or a flip of the verdict's answer. */
type Span = 'change' | 'flip';

/** The rows that carry a label (labelled spans and their notes across panels). */
const labelled = (r: Row): r is Extract<Row, Label> =>
  r.kind === 'change' ||
  r.kind === 'change-across' ||
  r.kind === 'flip' ||
  r.kind === 'flip-across';

/** Every row a chart of `metric` draws. */
function chartRows(doc: SweepDocument, metric: MetricName, deciding: boolean, x: XAxis): Row[] {
  const names = strategyNames(doc);
  const rows: Row[] = [];
  for (const p of doc.points) {
    const at = { x: x.of(p.values[x.path]!), panel: panelOf(doc, p.values) };
    p.results.strategies.forEach((s, i) => {
      const m = s.metrics[metric];
      // A row for a strategy not drawn here keeps null figures, so its line breaks there
      // instead of joining its neighbours across the point; `cut` marks why.
      const shown = drawable(s, metric);
      rows.push({
        kind: 'mean',
        ...at,
        strategy: names[i]!,
        label: s.label,
        mean: shown ? m.mean : null,
        low: shown ? (m.ci95?.[0] ?? m.mean) : null,
        high: shown ? (m.ci95?.[1] ?? m.mean) : null,
        standing: deciding && shown ? standing(p, s.label) : '',
        adopted: deciding && shown && p.verdict.recommended === s.label,
        cut: cutShort(s) && !finalAtDeadlock(metric),
      });
    });
    if (deciding && p.lead === 'tie') {
      const leader = p.results.strategies.find((s) => s.label === p.tied[0]);
      rows.push({ kind: 'tie', ...at, mean: leader?.metrics[metric].mean ?? null });
    }
  }
  // Changes along the x axis span the two clear points they lie between, flips the two
  // neighbouring points; those along another vary are noted at the later point, in its
  // panel. Labels are stacked downwards, changes then flips, so that two in one panel do
  // not overlap, and run rightwards from the span's left end when that is in the panel's
  // left half, else leftwards from its right end: so a label no longer than half the panel
  // stays inside it.
  const stacked = new Map<string, number>();
  const span = (
    kind: Span,
    c: Pick<WinnerChange | AnswerFlip, 'along' | 'to' | 'between'>,
    text: string,
  ) => {
    const to = doc.points[c.to]!;
    const panel = panelOf(doc, to.values);
    const line = stacked.get(panel) ?? 0;
    stacked.set(panel, line + 1);
    if (c.along === x.path) {
      const [from, until] = c.between;
      // The span's ends as drawn (a range may run downwards: 10..1:4).
      const [leftEnd, rightEnd] =
        x.position(from) <= x.position(until) ? [from, until] : [until, from];
      const left = x.position(leftEnd) <= 0.5;
      rows.push({
        kind,
        panel,
        x: x.of(from),
        x2: x.of(until),
        anchor: x.of(left ? leftEnd : rightEnd),
        side: left ? 'left' : 'right',
        line,
        text,
      });
    } else {
      const at = to.values[x.path]!;
      rows.push({
        kind: `${kind}-across`,
        panel,
        anchor: x.of(at),
        side: x.position(at) <= 0.5 ? 'left' : 'right',
        line,
        text: `${text} (from ${c.along}=${String(c.between[0])})`,
      });
    }
  };
  for (const c of doc.changes) span('change', c, `${c.before} → ${c.after}`);
  const adopt = (label: string | null) => label ?? 'nothing safe';
  for (const f of doc.flips) span('flip', f, `adopt: ${adopt(f.before)} → ${adopt(f.after)}`);
  return rows;
}

const kind = (k: Row['kind']) => ({ filter: `datum.kind === '${k}'` });

/** A strategy cut short at a point, whose figure there is not drawn. */
const isCut = (r: Row) => r.kind === 'mean' && r.cut;

/** The layers of one panel (or of the whole chart, with one vary). */
function layers(
  doc: SweepDocument,
  metric: MetricName,
  deciding: boolean,
  x: XAxis,
  size: { readonly width: number; readonly height: number },
  rows: readonly Row[],
) {
  const values = doc.vary[0]!.values;
  const xEncoding = x.quantitative
    ? {
        field: 'x',
        type: 'quantitative' as const,
        title: x.path,
        // The axis spans exactly the values swept, as XAxis.position assumes.
        scale: { zero: false, nice: false },
        // Ticks at the grid's values, when few enough to label.
        axis: values.length <= 12 ? { values: [...new Set(values.filter(isNumber))] } : {},
      }
    : {
        field: 'x',
        type: 'ordinal' as const,
        title: x.path,
        // The order given, in every layer: the labels' layers place text by another field,
        // and vega-lite would sort a domain it unions across fields.
        scale: { domain: [...new Set(values.map(String))] },
        axis: { labelAngle: 0 },
      };
  const colour = {
    field: 'strategy',
    type: 'nominal' as const,
    ...strategyScale(strategyNames(doc)),
    // The lines need a legend (no axis names the strategies), drawn opaque though the
    // bands are not.
    legend: {
      title: null,
      orient: 'bottom' as const,
      columns: 1,
      labelLimit: 600,
      symbolOpacity: 1,
    },
  };
  const y = {
    field: 'mean',
    type: 'quantitative' as const,
    title: axisTitle(metric),
    scale: { zero: false },
  };
  const has = (k: Row['kind']) => rows.some((r) => r.kind === k);
  // Change and flip labels go from the top down, a line each, on the side chartRows
  // chose: a layer per line and side, since neither a mark's y in pixels nor its alignment
  // (nor its width limit) can come from the data. A label wider than the room its layer
  // leaves is cut short (not clipped: vega numbers its clip paths process-wide, which would
  // make the bytes depend on what ran before). The room is at least half the panel (the
  // side is chosen so); on a numeric axis, whose ends are the values swept, it is what lies
  // between the layer's nearest anchor to the edge and that edge.
  const room = (r: Label) => {
    if (!x.quantitative) return size.width / 2;
    const at = x.position(r.anchor);
    return Math.max(size.width / 2, (r.side === 'left' ? 1 - at : at) * size.width);
  };
  const slots = new Map<string, { readonly line: number; readonly side: Side; limit: number }>();
  for (const r of rows) {
    if (!labelled(r)) continue;
    const key = `${r.line} ${r.side}`;
    const slot = slots.get(key);
    if (slot === undefined) slots.set(key, { line: r.line, side: r.side, limit: room(r) });
    else slot.limit = Math.min(slot.limit, room(r));
  }
  const labels = [...slots.values()].map(({ line, side, limit }) => ({
    transform: [{ filter: `datum.line === ${line} && datum.side === '${side}'` }],
    mark: {
      type: 'text' as const,
      align: side,
      dx: side === 'left' ? 4 : -4,
      fontSize: 11,
      limit: limit - 8,
    },
    encoding: {
      x: { ...xEncoding, field: 'anchor' },
      y: { value: 12 + 13 * line },
      text: { field: 'text' },
    },
  }));
  const ci = drawsBand(doc, x)
    ? {
        transform: [kind('mean')],
        mark: { type: 'area' as const, opacity: 0.18 },
        encoding: {
          x: xEncoding,
          y: { field: 'low', type: 'quantitative' as const },
          y2: { field: 'high' },
          color: colour,
        },
      }
    : {
        transform: [kind('mean')],
        mark: { type: 'rule' as const, strokeWidth: 2, opacity: 0.6 },
        encoding: {
          x: xEncoding,
          y: { field: 'low', type: 'quantitative' as const },
          y2: { field: 'high' },
          color: colour,
        },
      };
  // A span shaded between its two points, framed: dashed for a change of winner (the
  // race), solid for a flip of the answer (the verdict).
  const spanLayer = (k: Span) => ({
    transform: [kind(k)],
    mark: {
      type: 'rect' as const,
      color: '#999999',
      // The shade faint, the frame plain enough to tell dashed from solid.
      fillOpacity: 0.15,
      stroke: '#666666',
      strokeOpacity: 0.8,
      ...(k === 'change' ? { strokeDash: [4, 3] } : { strokeWidth: 1.5 }),
    },
    encoding: { x: xEncoding, x2: { field: 'x2' } },
  });
  return [
    ...(has('change') ? [spanLayer('change')] : []),
    ...(has('flip') ? [spanLayer('flip')] : []),
    ci,
    {
      transform: [kind('mean')],
      mark: { type: 'line' as const, strokeWidth: 2 },
      encoding: { x: xEncoding, y, color: colour },
    },
    {
      transform: [kind('mean')],
      mark: { type: 'point' as const, filled: true, size: 30, opacity: 1 },
      encoding: { x: xEncoding, y, color: colour },
    },
    ...(deciding
      ? [
          {
            transform: [{ filter: "datum.standing === 'winner'" }],
            mark: { type: 'point' as const, filled: true, size: 130, opacity: 1 },
            encoding: { x: xEncoding, y, color: colour },
          },
          {
            transform: [{ filter: "datum.standing === 'tied'" }],
            mark: { type: 'point' as const, filled: false, size: 170, strokeWidth: 2 },
            encoding: { x: xEncoding, y, color: colour },
          },
          {
            // Over the race's marks, outlined so that it shows on a dot or in a ring: a
            // diamond on a dot is adopted and the clear winner, in a ring adopted and tied.
            transform: [{ filter: 'datum.adopted' }],
            mark: {
              type: 'point' as const,
              shape: 'diamond',
              filled: true,
              size: 110,
              opacity: 1,
              stroke: '#ffffff',
              strokeWidth: 1,
            },
            encoding: { x: xEncoding, y, color: colour },
          },
        ]
      : []),
    ...(has('tie')
      ? [
          {
            transform: [kind('tie')],
            mark: { type: 'text' as const, dy: -14, fontSize: 11, fontStyle: 'italic' },
            encoding: { x: xEncoding, y, text: { value: 'tie' } },
          },
        ]
      : []),
    ...labels,
    ...(rows.some(isCut)
      ? [
          {
            // A cross on the bottom edge where a strategy was cut short: not drawn, not gone.
            transform: [{ filter: 'datum.cut' }],
            mark: { type: 'point' as const, shape: 'cross', size: 60, filled: true },
            encoding: { x: xEncoding, y: { value: size.height - 4 }, color: colour },
          },
        ]
      : []),
  ];
}

/** The chart of one metric against the swept parameter. */
function metricChart(doc: SweepDocument, metric: MetricName): Chart {
  const deciding = metric === doc.winnerBy.metric;
  const x = xAxis(doc);
  const rows = chartRows(doc, metric, deciding, x);
  const panels = [...new Set(doc.points.map((p) => panelOf(doc, p.values)))];
  const faceted = doc.vary.length > 1;
  // Up to four panels stack at full width, one above the other on the same x positions;
  // more go two abreast, so that the page stays readable.
  const columns = panels.length <= 4 ? 1 : 2;
  const size = {
    width: columns === 1 ? width : (width - 40) / 2,
    height: faceted ? 200 : 280,
  };
  const title = `${metric} against ${x.path}: mean over ${doc.seeds.count} seeds, 95% CI`;
  const by = doc.winnerBy.metric;
  const marks = [
    `a line per strategy, its 95% CI ${drawsBand(doc, x) ? 'shaded' : 'as a bar'}`,
    deciding
      ? `a diamond on the strategy to adopt (the verdict), a large dot for the clear winner by ${metric}, hollow rings for the strategies tied`
      : undefined,
    doc.flips.length > 0
      ? `"adopt: A → B" in a solid frame where the answer (the verdict by ${by}) flips`
      : undefined,
    doc.changes.length > 0
      ? `"A → B" in a dashed frame where the clear winner by ${by} changes`
      : undefined,
    rows.some(isCut)
      ? 'a cross at the bottom where a strategy was cut short (deadlocked or incomplete) and its figure would mislead'
      : undefined,
  ].filter((m) => m !== undefined);
  const others = doc.vary.slice(1).map((v) => v.path);
  const panelled = faceted ? `, a panel per ${others.join(' and ')}` : '';
  const caption = `${metric} (mean over seeds) against ${x.path}${panelled}: ${marks.join('; ')}`;
  // The key to the marks that are not a strategy's line, under the title.
  const subtitle = [
    deciding
      ? 'Diamond: the strategy to adopt (the verdict). Large dot: the clear winner. Ring: tied.'
      : undefined,
    doc.flips.length > 0 ? 'Solid frame: the answer (what to adopt) flips.' : undefined,
    doc.changes.length > 0 ? 'Dashed frame: the clear winner changes.' : undefined,
  ].filter((t) => t !== undefined);
  const heading = subtitle.length > 0 ? { text: title, subtitle } : title;
  const layer = layers(doc, metric, deciding, x, size, rows);
  const spec: TopLevelSpec = faceted
    ? {
        $schema: schema,
        title: heading,
        data: { values: rows },
        facet: {
          field: 'panel',
          type: 'ordinal',
          sort: panels,
          title: null,
          header: { labelLimit: size.width, labelFontSize: 11 },
        },
        columns,
        spec: { ...size, layer },
      }
    : { $schema: schema, title: heading, ...size, data: { values: rows }, layer };
  return { name: metric, title: caption, spec };
}

/** Every chart of a sweep, the deciding metric's first. */
export function sweepChartsOf(doc: SweepDocument): Chart[] {
  return chartedMetrics(doc).map((m) => metricChart(doc, m));
}
