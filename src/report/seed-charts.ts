/**
 * The charts of one representative seed (experiment/representative-seed.ts): its runs as
 * they happened, drawn from their trace records alone, as vega-lite specs with the data
 * inline (the same document and runs give the same bytes).
 *
 * - `seed-timeline-<n>`, one per run (1: the chosen strategy, 2: the reference): one lane
 *   per subagent (attempt), from its spawn to its end, coloured by its fate as the
 *   records show it, under the orchestrator's own lane of activities;
 * - `seed-in-flight`: subagents in flight over time, a step line per run, with its WIP
 *   limit drawn where it has one;
 * - `seed-context`: the orchestrator's context over time, with the budget and the
 *   compactions (only when some run's context changes).
 *
 * Long runs are thinned so that no chart is needlessly large, by the rules of
 * downsampleSteps (series), pickLanes (subagent lanes) and orchestratorBars (the
 * orchestrator's lane); a chart that was thinned says so in its subtitle.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RepresentativeRun, RepresentativeRuns } from '../experiment/representative-seed.js';
import type { ResultsDocument } from '../experiment/results.js';
import type { ActivityKind } from '../model/activity.js';
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import { activityParts, type Chart, schema, strategyColourAt, width } from './charts.js';

const timeTitle = 'time since the run began (seconds)';

/** A whole number as people read it: 2,184. */
const count = (n: number) => n.toLocaleString('en-US');

/** Most points a step series keeps per run (downsampleSteps). */
export const seriesCap = 2000;
/** Most subagent lanes a timeline draws (pickLanes). */
export const laneCap = 150;
/** Most bars the orchestrator's lane draws before it is drawn in slices (orchestratorBars). */
export const orchestratorBarCap = 2000;
/** The equal slices of time an orchestrator's lane past orchestratorBarCap is drawn in. */
export const orchestratorSlices = 1000;

/** A point of a step series: `value` from `t` until the next point. */
export interface StepPoint {
  readonly t: number;
  readonly value: number;
}

/**
 * A step series cut to at most `cap` points: when longer, the time it spans is cut into
 * ⌊cap / 4⌋ equal slices and each slice keeps its first, lowest, highest and last points
 * (the first of equal ones; each point once, in time order). Peaks and troughs stay drawn,
 * and so do the series' first and last points.
 */
export function downsampleSteps(points: readonly StepPoint[], cap = seriesCap): StepPoint[] {
  if (!Number.isInteger(cap) || cap < 4) {
    throw new RangeError(`downsampleSteps keeps at least 4 points, got a cap of ${cap}`);
  }
  if (points.length <= cap) return [...points];
  const slices = Math.floor(cap / 4);
  const t0 = points[0]!.t;
  const span = points[points.length - 1]!.t - t0;
  const sliceOf = (t: number) =>
    span > 0 ? Math.min(slices - 1, Math.floor(((t - t0) / span) * slices)) : 0;
  const kept: StepPoint[] = [];
  let first = 0;
  while (first < points.length) {
    const slice = sliceOf(points[first]!.t);
    let last = first;
    let low = first;
    let high = first;
    while (last + 1 < points.length && sliceOf(points[last + 1]!.t) === slice) {
      last++;
      if (points[last]!.value < points[low]!.value) low = last;
      if (points[last]!.value > points[high]!.value) high = last;
    }
    for (const i of [...new Set([first, low, high, last])].sort((a, b) => a - b)) {
      kept.push(points[i]!);
    }
    first = last + 1;
  }
  return kept;
}

/**
 * The step series of a quantity that starts at `initial` at time 0 and changes as
 * `changes` say (in time order): at each instant, the value after its last change, and a
 * point only where it differs from the one before; held until `end`.
 */
function stepSeries(initial: number, changes: readonly StepPoint[], end: number): StepPoint[] {
  const points: StepPoint[] = [{ t: 0, value: initial }];
  for (const { t, value } of changes) {
    // A later change at the same instant replaces an earlier one: a slot handed from an
    // ending subagent to a queued one is no dip. The initial point stays.
    if (points.length > 1 && points[points.length - 1]!.t === t) points.pop();
    if (value !== points[points.length - 1]!.value) points.push({ t, value });
  }
  const last = points[points.length - 1]!;
  if (end > last.t) points.push({ t: end, value: last.value });
  return points;
}

/** At most `cap` of `items`, evenly spread, the first and last kept. */
function thin<T>(items: readonly T[], cap: number): T[] {
  if (items.length <= cap) return [...items];
  return Array.from(
    { length: cap },
    (_, i) => items[Math.round((i * (items.length - 1)) / (cap - 1))]!,
  );
}

/** A run as the charts read it: its header, its makespan and its colour. */
interface DrawnRun {
  readonly label: string;
  readonly colour: string;
  readonly header: TraceHeader;
  readonly makespan: number;
  readonly records: readonly ModelTraceRecord[];
}

function drawnRun(doc: ResultsDocument, run: RepresentativeRun): DrawnRun {
  const header = run.records[0];
  const end = run.records[run.records.length - 1];
  if (header?.type !== 'run.start' || end?.type !== 'run.end') {
    throw new Error(
      `the trace of "${run.label}" does not begin with run.start and end with run.end`,
    );
  }
  // The colour of charts.ts: the strategy's place in the document.
  const index = doc.strategies.findIndex((s) => s.label === run.label);
  if (index < 0) throw new Error(`"${run.label}" is not a strategy of the results document`);
  return {
    label: run.label,
    colour: strategyColourAt(index),
    header,
    makespan: end.makespan,
    records: run.records,
  };
}

/** A colour scale over the runs, with a legend: no axis names them. */
function runColour(runs: readonly DrawnRun[]) {
  return {
    field: 'strategy',
    type: 'nominal' as const,
    scale: { domain: runs.map((r) => r.label), range: runs.map((r) => r.colour) },
    legend: { title: null, orient: 'bottom' as const, columns: 1, labelLimit: 600 },
  };
}

// ---------------------------------------------------------------------------------------
// The timeline

/** What became of a subagent, as its records show it (docs/trace-format.md, "Facts, not verdicts"). */
const fates = [
  ['ok', '#009E73'],
  ['error', '#D55E00'],
  ['hang', '#CC79A7'],
  ['cancelled', '#E69F00'],
  ['ghost', '#000000'],
  ['duplicate', '#0072B2'],
  ['unfinished', '#56B4E9'],
  ['waiting for a slot', '#BBBBBB'],
] as const;
type Fate = (typeof fates)[number][0];

/** The orchestrator's activities, in the order and colours of the time split (charts.ts). */
const activities = activityParts.map((p) => [p.activity, p.colour] as const);

/** One subagent's life, gathered from its records. */
interface Life {
  readonly agent: number;
  readonly task: number;
  readonly duplicate: boolean;
  readonly spawn: number;
  start?: number;
  stop?: number;
  hang?: boolean;
  error?: boolean;
  cancelled?: boolean;
  ghost?: boolean;
  readonly detected: number[];
}

function lives(records: readonly ModelTraceRecord[]): Life[] {
  const all: Life[] = [];
  for (const r of records) {
    if (r.type === 'spawn') {
      // Agents are numbered in spawn order from 0: all[agent] is its life.
      all.push({
        agent: r.agent,
        task: r.task,
        duplicate: r.reason === 'first' && r.attempt > 0,
        spawn: r.t,
        detected: [],
      });
      continue;
    }
    if (!('agent' in r)) continue;
    const life = all[r.agent];
    if (life === undefined) continue;
    switch (r.type) {
      case 'start':
        life.start = r.t;
        life.hang = r.world.fate === 'hang';
        break;
      case 'end':
        life.stop = r.t;
        life.error = r.fate === 'error';
        break;
      case 'cancel':
        life.stop = r.t;
        life.cancelled = true;
        break;
      case 'forget':
        // Cancelled for its timeout before it was forgotten, it ran no further: no ghost.
        if (life.cancelled !== true) life.ghost = true;
        break;
      case 'detect':
        life.detected.push(r.t);
        break;
    }
  }
  return all;
}

function fateOf(life: Life): Exclude<Fate, 'waiting for a slot'> {
  if (life.ghost === true) return 'ghost';
  if (life.hang === true) return 'hang';
  if (life.error === true) return 'error';
  if (life.cancelled === true) return 'cancelled';
  if (life.stop === undefined) return 'unfinished';
  return life.duplicate ? 'duplicate' : 'ok';
}

/**
 * The lanes a timeline draws, in spawn order: every subagent up to laneCap; past it, the
 * ones that did not end ok first (in spawn order), then the first ones that did.
 */
function pickLanes(all: readonly Life[]): Life[] {
  if (all.length <= laneCap) return [...all];
  const notOk = all.filter((l) => fateOf(l) !== 'ok');
  const ok = all.filter((l) => fateOf(l) === 'ok');
  const picked = new Set([...notOk, ...ok].slice(0, laneCap));
  return all.filter((l) => picked.has(l));
}

interface Bar {
  readonly from: number;
  readonly to: number;
  readonly activity: ActivityKind | 'idle';
}

/**
 * The orchestrator's lane: one bar per `busy` and `idle` record, up to orchestratorBarCap;
 * past it, the run is cut into orchestratorSlices equal slices, each drawn in the activity
 * that fills most of it (the first in `activities` order on a tie; a slice with no record
 * is left blank), adjacent slices of one activity merged.
 */
function orchestratorBars(
  records: readonly ModelTraceRecord[],
  makespan: number,
): { bars: Bar[]; sliced: boolean } {
  const bars: Bar[] = [];
  for (const r of records) {
    if (r.type === 'busy') bars.push({ from: r.start, to: r.t, activity: r.kind });
    else if (r.type === 'idle') bars.push({ from: r.start, to: r.t, activity: 'idle' });
  }
  if (bars.length <= orchestratorBarCap || makespan <= 0) return { bars, sliced: false };
  const size = makespan / orchestratorSlices;
  const filled = Array.from(
    { length: orchestratorSlices },
    () => new Map<Bar['activity'], number>(),
  );
  for (const b of bars) {
    const last = Math.min(orchestratorSlices - 1, Math.floor(b.to / size));
    for (let s = Math.floor(b.from / size); s <= last; s++) {
      const overlap = Math.min(b.to, (s + 1) * size) - Math.max(b.from, s * size);
      const slice = filled[s]!;
      if (overlap > 0) slice.set(b.activity, (slice.get(b.activity) ?? 0) + overlap);
    }
  }
  const sliced: Bar[] = [];
  filled.forEach((slice, s) => {
    let main: Bar['activity'] | undefined;
    for (const [activity] of activities) {
      const time = slice.get(activity) ?? 0;
      if (time > 0 && (main === undefined || time > slice.get(main)!)) main = activity;
    }
    if (main === undefined) return;
    const previous = sliced[sliced.length - 1];
    if (previous?.activity === main && previous.to === s * size) {
      sliced[sliced.length - 1] = { ...previous, to: (s + 1) * size };
    } else {
      sliced.push({ from: s * size, to: (s + 1) * size, activity: main });
    }
  });
  return { bars: sliced, sliced: true };
}

/** A colour scale over the categories present, each in its fixed colour, in a fixed order. */
function fixedColours(
  all: readonly (readonly [string, string])[],
  present: ReadonlySet<string>,
  field: string,
  title: string,
  orient: 'right' | 'top' = 'right',
) {
  const shown = all.filter(([name]) => present.has(name));
  return {
    field,
    type: 'nominal' as const,
    scale: { domain: shown.map(([name]) => name), range: shown.map(([, colour]) => colour) },
    // Above its lane, in a row: beside it, a legend would push the lanes below far down.
    legend:
      orient === 'top'
        ? { title, orient, direction: 'horizontal' as const, titleLimit: width }
        : { title, orient },
  };
}

/** `end`: where the time axis ends, the same for every run's timeline so that they compare. */
function timelineChart(run: DrawnRun, n: number, seed: RepresentativeRuns, end: number): Chart {
  const all = lives(run.records);
  const lanes = pickLanes(all);
  const lane = (l: Life) => `agent ${l.agent} (task ${l.task})`;
  const waits = lanes
    .filter((l) => (l.start ?? run.makespan) > l.spawn)
    .map((l) => ({
      lane: lane(l),
      from: l.spawn,
      to: l.start ?? run.makespan,
      fate: 'waiting for a slot',
    }));
  const works = lanes
    .filter((l) => l.start !== undefined)
    .map((l) => ({ lane: lane(l), from: l.start!, to: l.stop ?? run.makespan, fate: fateOf(l) }));
  const detections = lanes.flatMap((l) => l.detected.map((t) => ({ lane: lane(l), t })));
  // One scale for both layers of bars: the fates present, each in its colour.
  const fateColour = fixedColours(
    fates,
    new Set([...works.map((w) => w.fate), ...waits.map((w) => w.fate)]),
    'fate',
    'subagent fate',
  );
  const { bars, sliced } = orchestratorBars(run.records, run.makespan);
  const x = {
    type: 'quantitative' as const,
    scale: { domain: [0, end], nice: false, zero: true },
  };
  const notes = [
    lanes.length < all.length
      ? `${count(lanes.length)} of ${count(all.length)} subagents shown: every one that did not end ok, then the first that did.`
      : undefined,
    sliced
      ? `The orchestrator's lane in ${count(orchestratorSlices)} equal slices of time, each in its main activity.`
      : undefined,
  ].filter((s): s is string => s !== undefined);
  const few = lanes.length <= 60;
  const spec: TopLevelSpec = {
    $schema: schema,
    title: {
      text: `${run.label} on seed ${seed.seed}: the orchestrator and each subagent`,
      subtitle: [
        seed.why,
        'A bar per subagent from its start to its end (grey before: waiting for a slot); a tick where the orchestrator learned it failed.',
        ...notes,
      ],
    },
    vconcat: [
      {
        width,
        height: { step: 16 },
        data: { values: bars },
        mark: 'bar',
        encoding: {
          // One lane, named on the axis where the subagents' lanes are.
          y: { datum: 'orchestrator', type: 'nominal', title: null },
          x: { ...x, field: 'from', axis: null },
          x2: { field: 'to' },
          color: fixedColours(
            activities,
            new Set(bars.map((b) => b.activity)),
            'activity',
            'orchestrator activity',
            'top',
          ),
        },
      },
      {
        title: { text: 'subagents, in spawn order', fontSize: 11, anchor: 'start' },
        width,
        height: { step: few ? 10 : 5 },
        encoding: {
          y: {
            field: 'lane',
            type: 'nominal',
            title: null,
            scale: { domain: lanes.map(lane) },
            axis: few ? { labelFontSize: 8 } : { labels: false, ticks: false },
          },
        },
        layer: [
          {
            data: { values: waits },
            mark: { type: 'bar', height: { band: 0.35 } },
            encoding: {
              x: { ...x, field: 'from', title: timeTitle },
              x2: { field: 'to' },
              color: fateColour,
            },
          },
          {
            data: { values: works },
            mark: { type: 'bar', height: { band: 0.8 } },
            encoding: {
              x: { ...x, field: 'from', title: timeTitle },
              x2: { field: 'to' },
              color: fateColour,
            },
          },
          {
            data: { values: detections },
            mark: { type: 'tick', color: '#000000', thickness: 2 },
            encoding: { x: { ...x, field: 't', title: timeTitle } },
          },
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
  return {
    name: `seed-timeline-${n}`,
    title: `Timeline of ${run.label} on ${seed.why}: the orchestrator's activities, and each subagent by fate`,
    spec,
  };
}

// ---------------------------------------------------------------------------------------
// In flight and context

/** Subagents in flight: the `start` records so far less the `end` and `cancel` ones. */
function inFlight(run: DrawnRun): StepPoint[] {
  const started = new Set<number>();
  const changes: StepPoint[] = [];
  for (const r of run.records) {
    if (r.type === 'start') started.add(r.agent);
    else if ((r.type === 'end' || r.type === 'cancel') && started.has(r.agent)) {
      started.delete(r.agent);
    } else continue;
    changes.push({ t: r.t, value: started.size });
  }
  return stepSeries(0, changes, run.makespan);
}

/** The context's size: the header's base, then each `context` record and compaction. */
function contextSize(run: DrawnRun): StepPoint[] {
  const changes: StepPoint[] = [];
  for (const r of run.records) {
    if (r.type === 'context') changes.push({ t: r.t, value: r.tokens });
    else if (r.type === 'compaction') changes.push({ t: r.t, value: r.after });
  }
  return stepSeries(run.header.context.base, changes, run.makespan);
}

/** Rows of each run's series, thinned, and a note when one was. */
function seriesRows(
  runs: readonly DrawnRun[],
  series: (run: DrawnRun) => StepPoint[],
  field: string,
) {
  let thinned = false;
  const rows = runs.flatMap((run) => {
    const full = series(run);
    const kept = downsampleSteps(full);
    thinned ||= kept.length < full.length;
    return kept.map((p) => ({ strategy: run.label, t: p.t, [field]: p.value }));
  });
  const note = thinned
    ? `Downsampled to at most ${count(seriesCap)} points a run: ${count(seriesCap / 4)} equal slices of time each keep their first, lowest, highest and last points.`
    : undefined;
  return { rows, note };
}

function inFlightChart(runs: readonly DrawnRun[], seed: RepresentativeRuns): Chart {
  const { rows, note } = seriesRows(runs, inFlight, 'inFlight');
  const end = Math.max(...runs.map((r) => r.makespan));
  const limits = runs
    .filter((r) => r.header.settings.wip !== null)
    .map((r) => ({
      strategy: r.label,
      t: end,
      wip: r.header.settings.wip!,
      note: `WIP limit ${r.header.settings.wip}`,
    }));
  const colour = runColour(runs);
  const x = {
    field: 't',
    type: 'quantitative' as const,
    title: timeTitle,
    scale: { domain: [0, end], nice: false },
  };
  return {
    name: 'seed-in-flight',
    title: `Subagents in flight over time on ${seed.why}, with the WIP limit where a strategy has one`,
    spec: {
      $schema: schema,
      title: {
        text: `Subagents in flight on seed ${seed.seed}`,
        subtitle: [
          seed.why,
          ...(limits.length > 0 ? ['Dashed: the WIP limit of a strategy that has one.'] : []),
          ...(note === undefined ? [] : [note]),
        ],
      },
      width,
      height: 240,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: {
            x,
            y: { field: 'inFlight', type: 'quantitative', title: 'subagents in flight (count)' },
            color: colour,
          },
        },
        ...(limits.length === 0
          ? []
          : [
              {
                data: { values: limits },
                layer: [
                  {
                    mark: { type: 'rule' as const, strokeDash: [6, 3] },
                    encoding: { y: { field: 'wip', type: 'quantitative' as const }, color: colour },
                  },
                  {
                    mark: { type: 'text' as const, align: 'right' as const, dy: -6 },
                    encoding: {
                      x: { field: 't', type: 'quantitative' as const },
                      y: { field: 'wip', type: 'quantitative' as const },
                      text: { field: 'note' },
                      color: colour,
                    },
                  },
                ],
              },
            ]),
      ],
    },
  };
}

function contextChart(runs: readonly DrawnRun[], seed: RepresentativeRuns): Chart | undefined {
  const changes = runs.some((r) =>
    r.records.some((x) => x.type === 'context' || x.type === 'compaction'),
  );
  if (!changes) return undefined;
  const { rows, note } = seriesRows(runs, contextSize, 'tokens');
  const end = Math.max(...runs.map((r) => r.makespan));
  const budgets = [
    ...new Set(runs.map((r) => r.header.context.budget).filter((b): b is number => b !== null)),
  ].map((budget) => ({ budget, t: end, note: `budget ${count(budget)} tokens` }));
  const compactions = runs.flatMap((r) =>
    thin(
      r.records.filter((x) => x.type === 'compaction'),
      seriesCap,
    ).map((x) => ({ strategy: r.label, t: x.t, before: x.before, after: x.after })),
  );
  const colour = runColour(runs);
  const x = {
    field: 't',
    type: 'quantitative' as const,
    title: timeTitle,
    scale: { domain: [0, end], nice: false },
  };
  const y = { type: 'quantitative' as const };
  return {
    name: 'seed-context',
    title: `The orchestrator's context over time on ${seed.why}, with its budget and compactions`,
    spec: {
      $schema: schema,
      title: {
        text: `The orchestrator's context on seed ${seed.seed}`,
        subtitle: [
          seed.why,
          ...(budgets.length > 0 ? ['Dashed grey: the budget past which it is compacted.'] : []),
          ...(compactions.length > 0
            ? ['A triangle: a compaction, at its end, at the size it started from.']
            : []),
          ...(note === undefined ? [] : [note]),
        ],
      },
      width,
      height: 240,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: {
            x,
            y: { ...y, field: 'tokens', title: 'context (tokens)' },
            color: colour,
          },
        },
        ...(compactions.length === 0
          ? []
          : [
              {
                data: { values: compactions },
                mark: { type: 'point' as const, shape: 'triangle-down', filled: true, size: 50 },
                encoding: { x, y: { ...y, field: 'before' }, color: colour },
              },
            ]),
        ...(budgets.length === 0
          ? []
          : [
              {
                data: { values: budgets },
                layer: [
                  {
                    mark: { type: 'rule' as const, color: '#666666', strokeDash: [6, 3] },
                    encoding: { y: { ...y, field: 'budget' } },
                  },
                  {
                    mark: {
                      type: 'text' as const,
                      align: 'right' as const,
                      dy: -6,
                      color: '#666666',
                    },
                    encoding: { x, y: { ...y, field: 'budget' }, text: { field: 'note' } },
                  },
                ],
              },
            ]),
      ],
    },
  };
}

/** The charts of the representative seed's runs, in reading order. */
export function seedCharts(doc: ResultsDocument, runs: RepresentativeRuns): Chart[] {
  const drawn = runs.runs.map((r) => drawnRun(doc, r));
  if (drawn.length === 0) return [];
  const end = Math.max(...drawn.map((r) => r.makespan));
  return [
    ...drawn.map((r, i) => timelineChart(r, i + 1, runs, end)),
    inFlightChart(drawn, runs),
    contextChart(drawn, runs),
  ].filter((c): c is Chart => c !== undefined);
}
