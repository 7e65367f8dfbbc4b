/**
 * `dispatchlab sweep`: a compare at every point of a parameter grid (vary.ts): which
 * strategy the verdict recommends where, and where that answer flips; and, beside it, the
 * race view: which strategy wins where.
 *
 * Two questions, two answers. The *verdict* (verdict.ts, the one `compare` prints) answers
 * "which strategy do I adopt?": the simplest safe strategy, unless another beats it beyond
 * the margin; it always answers (the reference on a tie), or says nothing is safe. The
 * *race* answers "which strategy is fastest (best on the metric), clearly?": the best
 * mean, when it clearly beats every other; else a tie. Where async leads blocking by
 * less than the margin, the race calls a tie and the verdict keeps blocking.
 *
 * Document (`format: "dispatchlab-sweep"`, `version: 3`), keys in this order:
 * - `scenario`, `seeds`: as in a results document; every point runs the same seeds, so
 *   points are compared under common random numbers too.
 * - `vary`: `[{ path, values }]` as given (range values expanded).
 * - `winnerBy`: `{ metric, direction, margin }`: the metric that decides (the scenario's
 *   `objective`, makespan by default, as for compare's verdict), which way is better in
 *   the race (`lower` or `higher`; the metric's usual reading by default), and the
 *   practical margin (0.05 by default; margin.ts).
 * - `points`: the grid in nested-loop order (first vary outermost), each
 *   `{ values: { PATH: value, … }, winner, lead, tied, verdict, results }` — `results` is
 *   a results document's body for that point (`{ baseline, strategies, comparisons,
 *   omitted }`).
 *   - `verdict`: the verdict a results document of this point carries, by the same code
 *     (compare.ts, verdictOf) on `results`, with `objective` = `winnerBy.metric` and
 *     `margin` = `winnerBy.margin` (a share of the *reference's* mean, there): exactly
 *     what `compare --objective METRIC --margin MARGIN` gives for the point's scenario on
 *     the same seeds. It reads the metric its usual way (its own `direction`), whatever
 *     `--direction` says: that option is the race's only. `verdict.recommended` is the
 *     strategy to adopt, null when no strategy is safe.
 *   - The race: only strategies that completed every run (a strategy that deadlocked or
 *     ended incomplete on any seed cannot win) and have a mean of the metric *qualify*.
 *     The *leader* is the qualifier with the best mean (exactly equal means: the one
 *     listed first in the scenario).
 *   - `lead`: `"clear"` when, against every other qualifier b, the paired 95% CI of
 *     leader − b lies wholly beyond the margin (a share of b's mean: b is what the leader
 *     must beat) on the better side; `"tie"` otherwise — the leader is not shown to be
 *     ahead by more than the margin, whether because the strategies are practically equal
 *     or because the seeds cannot tell them apart. null when fewer than two qualify.
 *   - `winner`: the leader's label when the lead is clear or it is the only qualifier;
 *     null for a tie and when nothing qualifies.
 *   - `tied`: for a tie, the leader and every qualifier it does not clearly beat, best
 *     mean first; `[]` otherwise.
 * - `changes` (the race): where the clear winner changes. Along each line of the grid
 *   (one vary moving, the others fixed), the points with a winner are taken in order, and
 *   each two consecutive ones with different winners make a change: `{ along, at, from,
 *   to, between: [value at from, value at to], before, after }`, `at` the other varies'
 *   values (`{}` with one vary), `from`/`to` indexes into `points`, `before`/`after` the
 *   winners' labels. Points without a winner (ties, nothing qualifying) in between are
 *   passed over: a winner A, then a tie, then a winner B is one change, from A to B,
 *   somewhere between the two clear points, and a tie between two points won by A is no
 *   change. So a change is never claimed on a lead that is not clear, and a reader is
 *   never told of a change to or from a tie. Ordered by `from`, then by vary order.
 * - `flips` (the verdict): where the answer flips. Along each line of the grid, as for
 *   `changes`, each two consecutive points whose `verdict.recommended` differ make a flip
 *   `{ along, at, from, to, between, before, after }`, the fields as in a change but
 *   `before`/`after` the recommended labels, or null where nothing is safe. No point is
 *   passed over: the verdict answers at every point, and a tie is settled by the rule
 *   itself (a candidate inside the margin does not displace the simpler reference), so
 *   flips join adjacent points. Ordered as `changes`.
 *
 * Strategies are told apart by their position in the scenario's strategy list, not by
 * label, in `changes` and `flips` alike, so that varying a strategy's own field (whose
 * default label shows it) is not taken for a change of winner or a flip.
 *
 * Version 3 (from 2): each point has `verdict`, and the document `flips`; the deciding
 * metric defaults to the scenario's `objective` (it was makespan whatever the scenario
 * said). A version-2 document has neither; run the sweep again.
 * Version 2 (from 1): `winnerBy.margin` is new; `decisive` (the CI of winner − runner-up
 * excludes 0) gave way to `lead` and `tied`; a tied point's `winner` is null; a change
 * joins the nearest clear points along a line, not two adjacent points, and gained `at`.
 */
import { type AnyScenario, parseScenario } from '../scenario/parse.js';
import { type LoadedModules, loadStrategyModules } from '../scenario/strategy-modules.js';
import { type CompareOptions, scenarioHeader, strategyHeaders, verdictOf } from './compare.js';
import { UsageError } from './errors.js';
import { clearsMargin, defaultMargin, parseMargin } from './margin.js';
import { type Direction, defaultDirection, isMetricName, type MetricName } from './metric-names.js';
import { runJobs } from './pool.js';
import {
  buildBody,
  compareMetric,
  type ResultsBody,
  resolveBaseline,
  type ScenarioHeader,
  type SeedsHeader,
  type StrategyHeader,
} from './results.js';
import { checkRunBudget } from './run-budget.js';
import { resolveSeeds, type SeedRuns, seedRange } from './run-seeds.js';
import {
  gridPoints,
  gridStride,
  parseVaries,
  pointValues,
  type Vary,
  type VaryValue,
  withValue,
} from './vary.js';
import type { Verdict } from './verdict.js';

export interface WinnerRule {
  readonly metric: MetricName;
  readonly direction: Direction;
  /** The practical margin, a share of the beaten strategy's mean (margin.ts). */
  readonly margin: number;
}

export interface SweepOptions extends CompareOptions {
  /** `--vary` arguments (`PATH=FROM..TO:STEPS`, `PATH=v1,v2`) or parsed varies. */
  readonly vary: readonly (string | Vary)[];
  /** The metric that decides the winner and the verdict (default: the scenario's objective, else makespan). */
  readonly metric?: string | undefined;
  /** Which way is better; the metric's usual reading by default (metric-names.ts). */
  readonly direction?: Direction | undefined;
  /** The practical margin: `5%`, `0.05`, `0` (margin.ts); 5% by default. */
  readonly margin?: string | number | undefined;
}

/** Whether a point's leader is clearly ahead (see the module doc). */
export type Lead = 'clear' | 'tie';

export interface SweepPoint {
  readonly values: Readonly<Record<string, VaryValue>>;
  readonly winner: string | null;
  readonly lead: Lead | null;
  readonly tied: readonly string[];
  /** What `compare` would recommend at this point (module doc). */
  readonly verdict: Verdict;
  readonly results: ResultsBody;
}

export interface WinnerChange {
  readonly along: string;
  /** The other varies' values on this line of the grid. */
  readonly at: Readonly<Record<string, VaryValue>>;
  readonly from: number;
  readonly to: number;
  readonly between: readonly [VaryValue, VaryValue];
  readonly before: string;
  readonly after: string;
}

/** Where the verdict's recommendation differs between two neighbouring points (module doc). */
export interface AnswerFlip {
  readonly along: string;
  /** The other varies' values on this line of the grid. */
  readonly at: Readonly<Record<string, VaryValue>>;
  readonly from: number;
  readonly to: number;
  readonly between: readonly [VaryValue, VaryValue];
  /** The strategy recommended at `from`, and at `to`; null where nothing is safe. */
  readonly before: string | null;
  readonly after: string | null;
}

export interface SweepDocument {
  readonly format: 'dispatchlab-sweep';
  readonly version: 3;
  readonly scenario: ScenarioHeader;
  readonly seeds: SeedsHeader;
  readonly vary: readonly Vary[];
  readonly winnerBy: WinnerRule;
  readonly points: readonly SweepPoint[];
  readonly changes: readonly WinnerChange[];
  readonly flips: readonly AnswerFlip[];
}

/** A sweep checked and laid out before anything runs: every grid point already parsed. */
export interface SweepPlan {
  readonly varies: readonly Vary[];
  readonly rule: WinnerRule;
  readonly seeds: SeedsHeader;
  readonly points: readonly {
    readonly values: readonly VaryValue[];
    readonly scenario: AnyScenario;
  }[];
}

function winnerRule(metric: string, direction?: Direction, margin?: string | number): WinnerRule {
  if (!isMetricName(metric)) {
    throw new UsageError(
      `"${metric}" is not a metric; choose one of the RunMetrics fields, e.g. makespan, idleTime, throughput, correctShare`,
    );
  }
  if (direction !== undefined && direction !== 'lower' && direction !== 'higher') {
    throw new UsageError(`the direction must be "lower" or "higher", got "${String(direction)}"`);
  }
  return {
    metric,
    direction: direction ?? defaultDirection(metric),
    margin: margin === undefined ? defaultMargin : parseMargin(margin),
  };
}

function describePoint(varies: readonly Vary[], values: readonly VaryValue[]): string {
  return varies.map((v, i) => `${v.path}=${String(values[i])}`).join(', ');
}

/**
 * Parses the varies and every grid point's scenario, and checks the baseline at every
 * point: all errors come before the first simulation. A point whose strategy entries name a
 * module the scenario did not load (a varied `module:`) loads it first.
 */
async function planSweep(
  scenario: AnyScenario,
  options: SweepOptions,
  shards?: number,
): Promise<SweepPlan> {
  const varies = parseVaries(options.vary);
  // By default the scenario's objective decides, as it does compare's verdict: so each
  // point's verdict is the one compare gives for that point's scenario.
  const rule = winnerRule(options.metric ?? scenario.objective, options.direction, options.margin);
  const seeds = resolveSeeds(scenario.seeds, options.seeds);
  const grid = gridPoints(varies);
  checkRunBudget({
    points: grid.length,
    seeds: seeds.count,
    strategies: scenario.strategies.length,
    shards,
  });
  let modules: LoadedModules = scenario.modules;
  const points: SweepPlan['points'][number][] = [];
  for (const values of grid) {
    let input: unknown = scenario.input;
    varies.forEach((v, i) => {
      input = withValue(input, v.path, values[i]!);
    });
    const where = describePoint(varies, values);
    const source = `${scenario.source} (sweep point ${where})`;
    modules = await loadStrategyModules(input, { baseDir: scenario.baseDir, loaded: modules });
    const pointScenario = parseScenario(input, {
      source,
      baseDir: scenario.baseDir,
      kinds: scenario.kinds,
      modules,
    });
    try {
      resolveBaseline(
        pointScenario.strategies.map((s) => s.label),
        options.baseline,
      );
    } catch (err) {
      if (err instanceof UsageError)
        throw new UsageError(`at sweep point ${where}: ${err.message}`);
      throw err;
    }
    points.push({ values, scenario: pointScenario });
  }
  return { varies, rule, seeds, points };
}

/** A point's race, strategies as indexes into the scenario's list. */
interface PointRace {
  readonly winner: number | null;
  readonly lead: Lead | null;
  readonly tied: readonly number[];
}

/** The leader, and whether its lead over every other qualifier clears the margin (module doc). */
function judgePoint(body: ResultsBody, runs: SeedRuns, rule: WinnerRule): PointRace {
  const better = (x: number, y: number) => (rule.direction === 'lower' ? x < y : x > y);
  const ranked: { index: number; mean: number }[] = [];
  body.strategies.forEach((s, index) => {
    const mean = s.metrics[rule.metric].mean;
    const completed = s.outcomes.deadlock === 0 && s.outcomes.incomplete === 0;
    if (completed && mean !== null) ranked.push({ index, mean });
  });
  // Stable sort: equal means keep the scenario's order, so the first listed leads.
  ranked.sort((p, q) => (better(p.mean, q.mean) ? -1 : better(q.mean, p.mean) ? 1 : 0));
  const [leader, ...others] = ranked;
  if (leader === undefined) return { winner: null, lead: null, tied: [] };
  if (others.length === 0) return { winner: leader.index, lead: null, tied: [] };
  const w = runs.strategies[leader.index]!;
  const tied = [leader.index];
  for (const other of others) {
    const r = runs.strategies[other.index]!;
    const d = compareMetric(
      w.label,
      r.label,
      rule.metric,
      w.values[rule.metric],
      r.values[rule.metric],
    );
    if (!clearsMargin(d.ci95, other.mean, rule.direction, rule.margin)) tied.push(other.index);
  }
  return tied.length === 1
    ? { winner: leader.index, lead: 'clear', tied: [] }
    : { winner: null, lead: 'tie', tied };
}

/** Two consecutive points along a line of the grid whose keys differ (changesAlong). */
interface KeyChange {
  readonly along: string;
  readonly at: Readonly<Record<string, VaryValue>>;
  readonly from: number;
  readonly to: number;
  readonly between: readonly [VaryValue, VaryValue];
}

/**
 * Along every line of the grid (one vary moving, the others fixed at `at`), each two
 * consecutive points whose keys differ. `keys[i]` is point i's key (a strategy's index
 * into the scenario's list, or null for none); a point whose key is undefined is passed
 * over, so the points on either side of it are consecutive. Ordered by `from`, then by
 * vary order. Both the changes of winner and the flips of the verdict are walked here.
 */
function changesAlong<K>(
  varies: readonly Vary[],
  gridValues: readonly (readonly VaryValue[])[],
  keys: readonly (K | undefined)[],
): KeyChange[] {
  const changes: { change: KeyChange; vary: number }[] = [];
  varies.forEach((v, d) => {
    // Point i's neighbour one step further along vary d is i + stride.
    const stride = gridStride(varies, d);
    gridValues.forEach((values, start) => {
      // Each line once, from its first point.
      if (Math.floor(start / stride) % v.values.length !== 0) return;
      const at: Record<string, VaryValue> = {};
      varies.forEach((other, e) => {
        if (e !== d) at[other.path] = values[e]!;
      });
      let last: { point: number; position: number } | undefined;
      for (let position = 0; position < v.values.length; position++) {
        const point = start + position * stride;
        const key = keys[point];
        if (key === undefined) continue;
        if (last !== undefined && keys[last.point] !== key) {
          changes.push({
            vary: d,
            change: {
              along: v.path,
              at,
              from: last.point,
              to: point,
              between: [v.values[last.position]!, v.values[position]!],
            },
          });
        }
        last = { point, position };
      }
    });
  });
  // Ordered by the first point's index, then by vary order (the sort is stable).
  changes.sort((p, q) => p.change.from - q.change.from || p.vary - q.vary);
  return changes.map((c) => c.change);
}

/** One grid point's strategies and their runs, with the point's values (pointValues). */
export interface PointRuns {
  readonly values: Readonly<Record<string, VaryValue>>;
  readonly strategies: readonly StrategyHeader[];
  readonly runs: SeedRuns;
}

/**
 * The document from every point's runs over all seeds, the points in grid order: shared
 * by sweep and merge.
 */
export function sweepDocument(
  scenario: ScenarioHeader,
  seeds: SeedsHeader,
  varies: readonly Vary[],
  rule: WinnerRule,
  points: readonly PointRuns[],
  baseline: string | undefined,
): SweepDocument {
  const winners: (number | null)[] = [];
  const recommended: (number | null)[] = [];
  const verdictBy = { objective: rule.metric, margin: rule.margin };
  const built = points.map((p): SweepPoint => {
    const results = buildBody(p.strategies, p.runs, baseline);
    const race = judgePoint(results, p.runs, rule);
    const verdict = verdictOf(results, p.runs, verdictBy);
    winners.push(race.winner);
    recommended.push(
      verdict.recommended === null
        ? null
        : p.strategies.findIndex((s) => s.label === verdict.recommended),
    );
    const label = (i: number) => p.strategies[i]!.label;
    return {
      values: p.values,
      winner: race.winner === null ? null : label(race.winner),
      lead: race.lead,
      tied: race.tied.map(label),
      verdict,
      results,
    };
  });
  const grid = gridPoints(varies);
  const labelOf = (point: number, index: number) => points[point]!.strategies[index]!.label;
  // A point without a clear winner is passed over: changes join clear points (module doc).
  const changes = changesAlong(
    varies,
    grid,
    winners.map((w) => w ?? undefined),
  ).map(
    (c): WinnerChange => ({
      ...c,
      before: labelOf(c.from, winners[c.from]!),
      after: labelOf(c.to, winners[c.to]!),
    }),
  );
  // The verdict answers at every point (null: nothing safe), so no point is passed over.
  const flips = changesAlong(varies, grid, recommended).map((c): AnswerFlip => {
    // Every point has an entry; `?? null` only says so to the type checker.
    const [before, after] = [recommended[c.from] ?? null, recommended[c.to] ?? null];
    return {
      ...c,
      before: before === null ? null : labelOf(c.from, before),
      after: after === null ? null : labelOf(c.to, after),
    };
  });
  return {
    format: 'dispatchlab-sweep',
    version: 3,
    scenario,
    seeds: { start: seeds.start, count: seeds.count },
    vary: varies.map((v) => ({ path: v.path, values: [...v.values] })),
    winnerBy: { metric: rule.metric, direction: rule.direction, margin: rule.margin },
    points: built,
    changes,
    flips,
  };
}

/**
 * What a sweep and a shard of it share: checks everything before anything runs (planSweep),
 * then runs every grid point on the seeds `pick` takes from the experiment's (all of them,
 * or a shard's share; `shards` is then their number).
 */
export async function runSweep(
  scenario: AnyScenario,
  options: SweepOptions,
  pick: (seeds: SeedsHeader) => readonly number[],
  shards?: number,
): Promise<{ readonly plan: SweepPlan; readonly points: PointRuns[] }> {
  const plan = await planSweep(scenario, options, shards);
  const seeds = pick(plan.seeds);
  const runs = await runJobs(
    plan.points.map((p) => ({ scenario: p.scenario, seeds })),
    options,
  );
  const points = plan.points.map((p, i) => ({
    values: pointValues(plan.varies, p.values),
    strategies: strategyHeaders(p.scenario),
    runs: runs[i]!,
  }));
  return { plan, points };
}

export async function sweep(scenario: AnyScenario, options: SweepOptions): Promise<SweepDocument> {
  const { plan, points } = await runSweep(scenario, options, seedRange);
  return sweepDocument(
    scenarioHeader(scenario),
    plan.seeds,
    plan.varies,
    plan.rule,
    points,
    options.baseline,
  );
}
