/**
 * `dispatchlab sweep`: a compare at every point of a parameter grid (vary.ts), and which
 * strategy wins where.
 *
 * Document (`format: "dispatchlab-sweep"`, `version: 1`), keys in this order:
 * - `scenario`, `seeds`: as in a results document; every point runs the same seeds, so
 *   points are compared under common random numbers too.
 * - `vary`: `[{ path, values }]` as given (range values expanded).
 * - `winnerBy`: `{ metric, direction }`: the winner has the best mean of `metric`
 *   (`lower` or `higher` is better; makespan and lower by default).
 * - `points`: the grid in nested-loop order (first vary outermost), each
 *   `{ values: { PATH: value, … }, winner, decisive, results: { baseline, strategies,
 *   comparisons } }` — `results` is a results document's body for that point.
 *   - `winner`: the label of the strategy with the best mean among those that completed
 *     every run (a strategy that deadlocked on any seed cannot win) and have a mean;
 *     exactly equal means go to the strategy listed first in the scenario. null when no
 *     strategy qualifies.
 *   - `decisive`: whether the paired 95% CI of winner − runner-up (the next best
 *     qualifying strategy) on that metric excludes 0 on the winner's side; false for a
 *     tie; null when there is no winner or no runner-up.
 * - `changes`: pairs of adjacent points — differing by one step of one vary — whose
 *   winners differ, ordered by the first point's index, then by vary order:
 *   `{ along, from, to, between: [value at from, value at to], before, after }` with
 *   `from`/`to` indexes into `points` and `before`/`after` the winners' labels.
 *   Winners are told apart by their position in the scenario's strategy list, not by
 *   label, so that varying a strategy's own field (whose default label shows it) is not
 *   taken for a change of winner.
 */
import { formatLimit, limits } from '../scenario/limits.js';
import { parseScenario, type Scenario } from '../scenario/parse.js';
import { type CompareOptions, scenarioHeader, strategyHeaders } from './compare.js';
import { UsageError } from './errors.js';
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
import { resolveSeeds, type SeedRuns, seedRange } from './run-seeds.js';
import {
  gridPoints,
  parseVaries,
  pointValues,
  type Vary,
  type VaryValue,
  withValue,
} from './vary.js';

export interface WinnerRule {
  readonly metric: MetricName;
  readonly direction: Direction;
}

export interface SweepOptions extends CompareOptions {
  /** `--vary` arguments (`PATH=FROM..TO:STEPS`, `PATH=v1,v2`) or parsed varies. */
  readonly vary: readonly (string | Vary)[];
  /** The metric that decides the winner (default makespan). */
  readonly metric?: string | undefined;
  /** Which way is better; the metric's usual reading by default (metric-names.ts). */
  readonly direction?: Direction | undefined;
}

export interface SweepPoint {
  readonly values: Readonly<Record<string, VaryValue>>;
  readonly winner: string | null;
  readonly decisive: boolean | null;
  readonly results: ResultsBody;
}

export interface WinnerChange {
  readonly along: string;
  readonly from: number;
  readonly to: number;
  readonly between: readonly [VaryValue, VaryValue];
  readonly before: string | null;
  readonly after: string | null;
}

export interface SweepDocument {
  readonly format: 'dispatchlab-sweep';
  readonly version: 1;
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
    readonly scenario: Scenario;
  }[];
}

function winnerRule(metric?: string, direction?: Direction): WinnerRule {
  const m = metric ?? 'makespan';
  if (!isMetricName(m)) {
    throw new UsageError(
      `"${m}" is not a metric; choose one of the RunMetrics fields, e.g. makespan, idleTime, throughput, correctShare`,
    );
  }
  if (direction !== undefined && direction !== 'lower' && direction !== 'higher') {
    throw new UsageError(`the direction must be "lower" or "higher", got "${String(direction)}"`);
  }
  return { metric: m, direction: direction ?? defaultDirection(m) };
}

function describePoint(varies: readonly Vary[], values: readonly VaryValue[]): string {
  return varies.map((v, i) => `${v.path}=${String(values[i])}`).join(', ');
}

/**
 * Parses the varies and every grid point's scenario, and checks the baseline at every
 * point: all errors come before the first simulation.
 */
function planSweep(scenario: Scenario, options: SweepOptions): SweepPlan {
  const varies = parseVaries(options.vary);
  const rule = winnerRule(options.metric, options.direction);
  const seeds = resolveSeeds(scenario.seeds, options.seeds);
  const grid = gridPoints(varies);
  const runs = grid.length * seeds.count * scenario.strategies.length;
  if (runs > limits.runs) {
    throw new UsageError(
      `the sweep would make ${formatLimit(runs)} runs (${formatLimit(grid.length)} grid points × ${formatLimit(seeds.count)} seeds × ${scenario.strategies.length} strategies), more than one experiment makes (at most ${formatLimit(limits.runs)}: every run's metrics are kept until the statistics are taken); use fewer grid points or seeds`,
    );
  }
  const points = grid.map((values) => {
    let input: unknown = scenario.input;
    varies.forEach((v, i) => {
      input = withValue(input, v.path, values[i]!);
    });
    const where = describePoint(varies, values);
    const source = `${scenario.source} (sweep point ${where})`;
    const pointScenario = parseScenario(input, { source, baseDir: scenario.baseDir });
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
    return { values, scenario: pointScenario };
  });
  return { varies, rule, seeds, points };
}

/** The winner's index in the strategy list, and whether its lead is backed by the paired CI. */
function chooseWinner(
  body: ResultsBody,
  runs: SeedRuns,
  rule: WinnerRule,
): { index: number | null; decisive: boolean | null } {
  const better = (x: number, y: number) => (rule.direction === 'lower' ? x < y : x > y);
  const ranked: { index: number; mean: number }[] = [];
  body.strategies.forEach((s, index) => {
    const mean = s.metrics[rule.metric].mean;
    if (s.outcomes.deadlock === 0 && mean !== null) ranked.push({ index, mean });
  });
  // Stable sort: equal means keep the scenario's order, so the first listed wins a tie.
  ranked.sort((p, q) => (better(p.mean, q.mean) ? -1 : better(q.mean, p.mean) ? 1 : 0));
  const [first, second] = ranked;
  if (first === undefined) return { index: null, decisive: null };
  if (second === undefined) return { index: first.index, decisive: null };
  const w = runs.strategies[first.index]!;
  const r = runs.strategies[second.index]!;
  const d = compareMetric(
    w.label,
    r.label,
    rule.metric,
    w.values[rule.metric],
    r.values[rule.metric],
  );
  const decisive = d.ci95 !== null && (rule.direction === 'lower' ? d.ci95[1] < 0 : d.ci95[0] > 0);
  return { index: first.index, decisive };
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
    const { index, decisive } = chooseWinner(results, p.runs, rule);
    winners.push(index);
    return {
      values: p.values,
      winner: index === null ? null : p.strategies[index]!.label,
      decisive,
      results,
    };
  });

  // Point i's neighbour one step further along vary d is i + stride[d] (nested loops:
  // the last vary has stride 1).
  const strides = varies.map((_, d) =>
    varies.slice(d + 1).reduce((n, v) => n * v.values.length, 1),
  );
  const changes: WinnerChange[] = [];
  built.forEach((point, i) => {
    varies.forEach((v, d) => {
      const stride = strides[d]!;
      const position = Math.floor(i / stride) % v.values.length;
      if (position === v.values.length - 1) return;
      const j = i + stride;
      if (winners[i] === winners[j]) return;
      changes.push({
        along: v.path,
        from: i,
        to: j,
        between: [v.values[position]!, v.values[position + 1]!],
        before: point.winner,
        after: built[j]!.winner,
      });
    });
  });

  return {
    format: 'dispatchlab-sweep',
    version: 1,
    scenario,
    seeds: { start: seeds.start, count: seeds.count },
    vary: varies.map((v) => ({ path: v.path, values: [...v.values] })),
    winnerBy: { metric: rule.metric, direction: rule.direction },
    points: built,
    changes,
  };
}

/**
 * What a sweep and a shard of it share: checks everything before anything runs (planSweep),
 * then runs every grid point on the seeds `pick` takes from the experiment's (all of them,
 * or a shard's share).
 */
export async function runSweep(
  scenario: Scenario,
  options: SweepOptions,
  pick: (seeds: SeedsHeader) => readonly number[],
): Promise<{ readonly plan: SweepPlan; readonly points: PointRuns[] }> {
  const plan = planSweep(scenario, options);
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

export async function sweep(scenario: Scenario, options: SweepOptions): Promise<SweepDocument> {
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
