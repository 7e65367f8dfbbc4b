/**
 * `dispatchlab sweep`: a compare at every point of a parameter grid (vary.ts), and which
 * strategy wins where.
 *
 * Document (`format: "dispatchlab-sweep"`, `version: 2`), keys in this order:
 * - `scenario`, `seeds`: as in a results document; every point runs the same seeds, so
 *   points are compared under common random numbers too.
 * - `vary`: `[{ path, values }]` as given (range values expanded).
 * - `winnerBy`: `{ metric, direction, margin }`: the metric that decides (makespan by
 *   default), which way is better (`lower` or `higher`; the metric's usual reading by
 *   default), and the practical margin a lead must clear, as a share of the mean of the
 *   strategy beaten (0.05 by default; margin.ts).
 * - `points`: the grid in nested-loop order (first vary outermost), each
 *   `{ values: { PATH: value, … }, winner, lead, tied, results: { baseline, strategies,
 *   comparisons } }` — `results` is a results document's body for that point.
 *   - Only strategies that completed every run (a strategy that deadlocked or ended
 *     incomplete on any seed cannot win) and have a mean of the metric *qualify*. The *leader* is the qualifier
 *     with the best mean (exactly equal means: the one listed first in the scenario).
 *   - `lead`: `"clear"` when, against every other qualifier b, the paired 95% CI of
 *     leader − b lies wholly beyond the margin (a share of b's mean: b is what the leader
 *     must beat) on the better side; `"tie"` otherwise — the leader is not shown to be
 *     ahead by more than the margin, whether because the strategies are practically equal
 *     or because the seeds cannot tell them apart. null when fewer than two qualify.
 *   - `winner`: the leader's label when the lead is clear or it is the only qualifier;
 *     null for a tie and when nothing qualifies.
 *   - `tied`: for a tie, the leader and every qualifier it does not clearly beat, best
 *     mean first; `[]` otherwise.
 * - `changes`: where the clear winner changes. Along each line of the grid (one vary
 *   moving, the others fixed), the points with a winner are taken in order, and each two
 *   consecutive ones with different winners make a change: `{ along, at, from, to,
 *   between: [value at from, value at to], before, after }`, `at` the other varies'
 *   values (`{}` with one vary), `from`/`to` indexes into `points`, `before`/`after` the
 *   winners' labels. Points without a winner (ties, nothing qualifying) in between are
 *   passed over: a winner A, then a tie, then a winner B is one change, from A to B,
 *   somewhere between the two clear points, and a tie between two points won by A is no
 *   change. So a change is never claimed on a lead that is not clear, and a reader is
 *   never told of a change to or from a tie. Ordered by `from`, then by vary order.
 *   Winners are told apart by their position in the scenario's strategy list, not by
 *   label, so that varying a strategy's own field (whose default label shows it) is not
 *   taken for a change of winner.
 *
 * Version 2 (from 1): `winnerBy.margin` is new; `decisive` (the CI of winner − runner-up
 * excludes 0) gave way to `lead` and `tied`; a tied point's `winner` is null; a change
 * joins the nearest clear points along a line, not two adjacent points, and gained `at`.
 */
import { type AnyScenario, parseScenario } from '../scenario/parse.js';
import { type LoadedModules, loadStrategyModules } from '../scenario/strategy-modules.js';
import { type CompareOptions, scenarioHeader, strategyHeaders } from './compare.js';
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

export interface WinnerRule {
  readonly metric: MetricName;
  readonly direction: Direction;
  /** The practical margin, a share of the beaten strategy's mean (margin.ts). */
  readonly margin: number;
}

export interface SweepOptions extends CompareOptions {
  /** `--vary` arguments (`PATH=FROM..TO:STEPS`, `PATH=v1,v2`) or parsed varies. */
  readonly vary: readonly (string | Vary)[];
  /** The metric that decides the winner (default makespan). */
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

export interface SweepDocument {
  readonly format: 'dispatchlab-sweep';
  readonly version: 2;
  readonly scenario: ScenarioHeader;
  readonly seeds: SeedsHeader;
  readonly vary: readonly Vary[];
  readonly winnerBy: WinnerRule;
  readonly points: readonly SweepPoint[];
  readonly changes: readonly WinnerChange[];
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

function winnerRule(metric?: string, direction?: Direction, margin?: string | number): WinnerRule {
  const m = metric ?? 'makespan';
  if (!isMetricName(m)) {
    throw new UsageError(
      `"${m}" is not a metric; choose one of the RunMetrics fields, e.g. makespan, idleTime, throughput, correctShare`,
    );
  }
  if (direction !== undefined && direction !== 'lower' && direction !== 'higher') {
    throw new UsageError(`the direction must be "lower" or "higher", got "${String(direction)}"`);
  }
  return {
    metric: m,
    direction: direction ?? defaultDirection(m),
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
  const rule = winnerRule(options.metric, options.direction, options.margin);
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

/** A point's verdict, strategies as indexes into the scenario's list. */
interface PointVerdict {
  readonly winner: number | null;
  readonly lead: Lead | null;
  readonly tied: readonly number[];
}

/** The leader, and whether its lead over every other qualifier clears the margin (module doc). */
function judgePoint(body: ResultsBody, runs: SeedRuns, rule: WinnerRule): PointVerdict {
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

/**
 * The changes of clear winner along every line of the grid (module doc). `winners[i]` is
 * point i's winner as an index into the strategy list, or null.
 */
function winnerChanges(
  varies: readonly Vary[],
  gridValues: readonly (readonly VaryValue[])[],
  winners: readonly (number | null)[],
  labels: readonly (readonly string[])[],
): WinnerChange[] {
  // Point i's neighbour one step further along vary d is i + stride[d].
  const strides = varies.map((_, d) => gridStride(varies, d));
  const changes: { change: WinnerChange; vary: number }[] = [];
  varies.forEach((v, d) => {
    const stride = strides[d]!;
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
        const winner = winners[point];
        if (winner === null || winner === undefined) continue;
        if (last !== undefined && winners[last.point] !== winner) {
          changes.push({
            vary: d,
            change: {
              along: v.path,
              at,
              from: last.point,
              to: point,
              between: [v.values[last.position]!, v.values[position]!],
              before: labels[last.point]![winners[last.point]!]!,
              after: labels[point]![winner]!,
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
  const built = points.map((p): SweepPoint => {
    const results = buildBody(p.strategies, p.runs, baseline);
    const verdict = judgePoint(results, p.runs, rule);
    winners.push(verdict.winner);
    const label = (i: number) => p.strategies[i]!.label;
    return {
      values: p.values,
      winner: verdict.winner === null ? null : label(verdict.winner),
      lead: verdict.lead,
      tied: verdict.tied.map(label),
      results,
    };
  });
  const changes = winnerChanges(
    varies,
    gridPoints(varies),
    winners,
    points.map((p) => p.strategies.map((s) => s.label)),
  );
  return {
    format: 'dispatchlab-sweep',
    version: 2,
    scenario,
    seeds: { start: seeds.start, count: seeds.count },
    vary: varies.map((v) => ({ path: v.path, values: [...v.values] })),
    winnerBy: { metric: rule.metric, direction: rule.direction, margin: rule.margin },
    points: built,
    changes,
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
