/**
 * The results document: what `dispatchlab compare` writes and what reports read. Built
 * only from per-seed values in seed order, so the same scenario, seeds and options give
 * the same document, byte for byte, however the seeds were run (in-process, on worker
 * threads, or sharded and merged).
 *
 * Format (`format: "dispatchlab-results"`, `version: 2`); keys appear in this order:
 *
 * - `scenario`: `{ name, description, inputHash, file }`. `inputHash` is `sha256:<hex>` of
 *   the scenario input in canonical JSON, without `$schema` and `seeds` (see canonical.ts).
 *   `file` is the scenario file's path as it was given (relative to the working folder
 *   then, unless given absolute), absent when the scenario did not come from a file: a
 *   report re-runs one seed from it, after checking its inputHash.
 * - `seeds`: `{ start, count }`: the runs used seeds start … start + count - 1.
 * - `baseline`: the label every comparison's `b` is. The strategy asked for (`--baseline`;
 *   the first one by default), unless that one deadlocked or ended incomplete in some run
 *   and another completed every run: then the first such strategy in the scenario's order,
 *   and
 * - `requestedBaseline` (only then) names the one asked for.
 * - `strategies`: in the scenario's order, each
 *   `{ label, config, outcomes: { completed, deadlock, deadlockSeeds, incomplete,
 *   incompleteSeeds }, metrics }`.
 *   - `config` is the strategy's configuration as JSON, a valid scenario entry: `{ kind,
 *     ...options }`, every option of its kind in the order its descriptor declares them
 *     (src/strategies: blocking.ts, batch.ts, async.ts), with defaults filled in; durations
 *     in seconds, `"none"` for no timeout and `"unbounded"` (no WIP limit, every ready task
 *     in a wave) where the model has Infinity. An option that does not apply is left out
 *     (`pollInterval` with `continuation: "events"`), and so is `validation` unless the
 *     strategy overrides the scenario's `quality.validation`. A strategy from a module is
 *     `{ module, options }`, the module's path and the options as its entry writes them
 *     (`{}` when it gives none); the module's sources are in `inputHash`. An orchestrator
 *     module's (real code the harness runs) is `{ orchestrator, options }`, alike.
 *   - `outcomes` counts the runs that completed and those that ended in a deadlock (the
 *     orchestrator waits on a subagent that will never report: a hang with no timeout, or
 *     a forgotten one behind a WIP limit); `deadlockSeeds` lists the latter's seeds,
 *     ascending. Deadlocked runs are *included* in `metrics` as measured: a deadlocked run
 *     never ends, so only its task outcomes are final (metric-names.ts,
 *     deadlockFinalMetrics); its other figures stop where it stuck and make the strategy
 *     look faster and more frugal than it is. `omitted` lists the metrics not to read.
 *     `incomplete` counts the runs whose strategy returned with tasks unresolved (a
 *     strategy of one's own: the built-in ones never do) and `incompleteSeeds` lists their
 *     seeds, ascending; such a run ended, but only its task outcomes say what the strategy
 *     did (returning early makes it look fast), so it is treated as a deadlocked run is:
 *     included in `metrics`, compared on the task outcomes only, listed in `omitted`.
 *     `completed` counts the rest.
 *   - `metrics`: one entry per numeric RunMetrics field, in metricNames order
 *     (makespan, throughput, …), each a MetricSummary (below).
 * - `comparisons`: for each strategy other than the baseline (scenario order), for each
 *   metric (metricNames order) they can be compared on, `{ a, b, metric, meanDiff, ci95,
 *   n, excluded }`: the per-seed difference a − b (a and b run on the same seed, hence the
 *   same world) and the 95% CI of its mean. `b` is the baseline. This is the interval
 *   that backs a claim "a beats b": with common random numbers it is much narrower than
 *   the two strategies' own intervals suggest. When a or b deadlocked or ended incomplete
 *   in any run, only the task outcomes are compared (deadlockFinalMetrics): pairing only
 *   the seeds where both completed would leave out that strategy's hardest seeds and keep
 *   the bias.
 * - `omitted`: each strategy that deadlocked or ended incomplete in some run, in the
 *   scenario's order, `{ label, reason, runs, metrics }`: `reason` is `"deadlock"` or
 *   `"incomplete"` (a strategy with runs of both kinds is listed twice, deadlock first),
 *   `runs` how many runs ended so, and `metrics` (in metricNames order) are the ones not
 *   compared for it — no comparison with it as `a` or `b` has them — and not to be read in
 *   its `metrics`. `[]` when every run completed.
 * - `verdict`: which strategy to adopt, and why, by the decision rule (verdict.ts gives its
 *   fields): the objective and margin, the reference, the recommended strategy, the unsafe
 *   ones with their reasons, each candidate's difference, the limits and the conditions.
 *
 * Version 2 (from 1): `comparisons` no longer holds every metric for every strategy (see
 * `omitted`, new); `baseline` may differ from the one asked for (`requestedBaseline`,
 * new); `outcomes.deadlockSeeds` is new. Still version 2, since added without changing
 * what any earlier field says of the documents version 2 could describe:
 * `outcomes.incomplete` and `outcomes.incompleteSeeds`, the reason `"incomplete"` in
 * `omitted`, and `config` as `{ module, options }`. Runs could end incomplete only with
 * strategies of one's own, which arrived with them: every document written before reads
 * the same with `incomplete: 0, incompleteSeeds: []`. `scenario.file` is new and optional.
 * `verdict` is new too; `dispatchlab report` refuses a document without one, saying so.
 *
 * Numbers: nothing is rounded; every number is the double computed, written by
 * JSON.stringify (shortest round-trip form). JSON has no NaN or Infinity, so:
 * - a run's value that is NaN (undefined, e.g. errorAmplification when no error rate is
 *   set but a result is wrong) or ±Infinity is left out of that metric's statistics and
 *   counted in `undefined` / `infinite`; a pair with either value non-finite is left out
 *   of a comparison and counted in `excluded`;
 * - a statistic that does not exist is `null`: everything with `n` = 0; `sd` and `ci95`
 *   with `n` = 1 (one value says nothing about spread: a zero-width interval would be a
 *   false claim of certainty).
 */

import {
  isModuleStrategy,
  type JsonObject,
  type ModuleStrategyConfig,
} from '../scenario/module-strategy.js';
import {
  isOrchestratorModule,
  type OrchestratorModuleConfig,
} from '../scenario/orchestrator-module.js';
import { configEntry } from '../strategies/config.js';
import type {
  AnyStrategyConfig,
  AnyStrategyDescriptor,
  StrategyEntry,
} from '../strategies/descriptor.js';
import { UsageError } from './errors.js';
import { finalAtDeadlock, type MetricName, metricNames } from './metric-names.js';
import type { SeedRuns } from './run-seeds.js';
import { pairedDifference, summarize } from './stats.js';
import type { Verdict } from './verdict.js';

/** A statistic: a finite number, or null where it does not exist (see the module doc). */
export type Stat = number | null;

export interface MetricSummary {
  /** Mean of the n finite values. */
  readonly mean: Stat;
  /** Sample standard deviation (n − 1 denominator); null for n < 2. */
  readonly sd: Stat;
  /** 95% CI of the mean, Student's t with n − 1 degrees of freedom; null for n < 2. */
  readonly ci95: readonly [number, number] | null;
  /** Median and 95th percentile: linear interpolation between order statistics (R type 7, NumPy's default). */
  readonly p50: Stat;
  readonly p95: Stat;
  readonly min: Stat;
  readonly max: Stat;
  /** Runs whose value is a finite number: the ones summarized. */
  readonly n: number;
  /** Runs whose value is NaN (undefined for that run). */
  readonly undefined: number;
  /** Runs whose value is +Infinity or −Infinity. */
  readonly infinite: number;
}

/** A strategy from a module, as its scenario entry writes it (see the module doc). */
export interface ModuleConfigJson {
  readonly module: string;
  readonly options: JsonObject;
}

/** An orchestrator module, as its scenario entry writes it (see the module doc). */
export interface OrchestratorConfigJson {
  readonly orchestrator: string;
  readonly options: JsonObject;
  /**
   * Never written: an orchestrator entry has no kind. Declared so that code telling a
   * module's config from a kind's by `'module' in config` still reads `config.kind`.
   */
  readonly kind?: undefined;
}

/**
 * A strategy's configuration as JSON (see the module doc): its scenario entry, derived from
 * its kind's descriptor (src/strategies/descriptor.ts, strategyEntry), or its module's.
 */
export type StrategyConfigJson = StrategyEntry | ModuleConfigJson | OrchestratorConfigJson;

/** A strategy as the documents name it: its label and its configuration. */
export interface StrategyHeader {
  readonly label: string;
  readonly config: StrategyConfigJson;
}

export interface Outcomes {
  readonly completed: number;
  readonly deadlock: number;
  /** The seeds whose run deadlocked, ascending. */
  readonly deadlockSeeds: readonly number[];
  /** Runs whose strategy returned with tasks unresolved. */
  readonly incomplete: number;
  /** Their seeds, ascending. */
  readonly incompleteSeeds: readonly number[];
}

/** Why a run did not complete: what an Omission gives as its reason. */
export type CutShort = 'deadlock' | 'incomplete';

export interface StrategyResult {
  readonly label: string;
  readonly config: StrategyConfigJson;
  readonly outcomes: Outcomes;
  readonly metrics: Readonly<Record<MetricName, MetricSummary>>;
}

/** A strategy whose comparisons leave out `metrics`, and why (see the module doc). */
export interface Omission {
  readonly label: string;
  readonly reason: CutShort;
  /** Runs that ended so. */
  readonly runs: number;
  /** The metrics not compared for this strategy, in metricNames order. */
  readonly metrics: readonly MetricName[];
}

export interface Comparison {
  /** The strategy compared. */
  readonly a: string;
  /** The baseline. */
  readonly b: string;
  readonly metric: MetricName;
  /** Mean over seeds of a − b. */
  readonly meanDiff: Stat;
  /** 95% CI of the mean difference (paired t); null for n < 2. */
  readonly ci95: readonly [number, number] | null;
  /** Seeds with both values finite: the pairs used. */
  readonly n: number;
  /** Seeds left out because a value on either side is NaN or infinite. */
  readonly excluded: number;
}

export interface ScenarioHeader {
  readonly name: string;
  readonly description: string;
  readonly inputHash: string;
  /**
   * The scenario file's path as it was given, when the scenario came from a file: where a
   * report finds it to re-run one seed (its inputHash checked).
   */
  readonly file?: string;
}

export interface SeedsHeader {
  readonly start: number;
  readonly count: number;
}

/** What one set of strategies on one set of seeds gives: a results document's body, and a sweep point's. */
export interface ResultsBody {
  /** The label every comparison's `b` is. */
  readonly baseline: string;
  /** Only when the baseline asked for did not complete every run and another took its place. */
  readonly requestedBaseline?: string;
  readonly strategies: readonly StrategyResult[];
  readonly comparisons: readonly Comparison[];
  readonly omitted: readonly Omission[];
}

export interface ResultsDocument extends ResultsBody {
  readonly format: 'dispatchlab-results';
  readonly version: 2;
  readonly scenario: ScenarioHeader;
  readonly seeds: SeedsHeader;
  /** Which strategy to adopt, and why (verdict.ts). */
  readonly verdict: Verdict;
}

/** Keeps numbers the document can carry; NaN and ±Infinity become null. */
function stat(x: number): Stat {
  return Number.isFinite(x) ? x : null;
}

function interval(ci: readonly [number, number], n: number): readonly [number, number] | null {
  return n >= 2 && Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? [ci[0], ci[1]] : null;
}

/** Summarizes one metric's per-seed values (see MetricSummary for what is left out). */
export function summarizeMetric(values: readonly number[]): MetricSummary {
  const finite: number[] = [];
  let undefinedRuns = 0;
  for (const v of values) {
    if (Number.isFinite(v)) finite.push(v);
    else if (Number.isNaN(v)) undefinedRuns++;
  }
  const s = summarize(finite);
  return {
    mean: stat(s.mean),
    sd: s.n >= 2 ? stat(s.sd) : null,
    ci95: interval(s.ci95, s.n),
    p50: stat(s.p50),
    p95: stat(s.p95),
    min: stat(s.min),
    max: stat(s.max),
    n: s.n,
    undefined: undefinedRuns,
    infinite: values.length - finite.length - undefinedRuns,
  };
}

/** The paired comparison a − b over the seeds where both values are finite. */
export function compareMetric(
  a: string,
  b: string,
  metric: MetricName,
  av: readonly number[],
  bv: readonly number[],
): Comparison {
  const x: number[] = [];
  const y: number[] = [];
  av.forEach((v, i) => {
    const w = bv[i];
    if (w !== undefined && Number.isFinite(v) && Number.isFinite(w)) {
      x.push(v);
      y.push(w);
    }
  });
  const d = pairedDifference(x, y);
  return {
    a,
    b,
    metric,
    meanDiff: stat(d.mean),
    ci95: interval(d.ci95, d.n),
    n: d.n,
    excluded: Math.max(av.length, bv.length) - d.n,
  };
}

/** The JSON form of a strategy's configuration, keys in its descriptor's order. */
export function configJson(
  config: AnyStrategyConfig | ModuleStrategyConfig | OrchestratorModuleConfig,
  kinds?: readonly AnyStrategyDescriptor[],
): StrategyConfigJson {
  if (isModuleStrategy(config)) return { module: config.module, options: config.options };
  if (isOrchestratorModule(config)) {
    return { orchestrator: config.orchestrator, options: config.options };
  }
  return configEntry(config, kinds);
}

/** The baseline's label: the one asked for, or the first strategy's. */
export function resolveBaseline(labels: readonly string[], baseline?: string): string {
  if (baseline === undefined) {
    const first = labels[0];
    if (first === undefined) throw new UsageError('there is no strategy to compare');
    return first;
  }
  if (!labels.includes(baseline)) {
    throw new UsageError(
      `no strategy is labelled "${baseline}" to be the baseline; the labels are: ${labels.map((l) => `"${l}"`).join(', ')}`,
    );
  }
  return baseline;
}

/**
 * Summaries and paired comparisons of strategies run on the same seeds. `strategies` and
 * `runs.strategies` are in the same order (the scenario's). A strategy that deadlocked or
 * ended incomplete in any run is compared on the task outcomes only, and does not serve as
 * the baseline when another completed every run (see the module doc).
 */
export function buildBody(
  strategies: readonly StrategyHeader[],
  runs: SeedRuns,
  baseline?: string,
): ResultsBody {
  const requested = resolveBaseline(
    strategies.map((s) => s.label),
    baseline,
  );
  const runsOf = (label: string) => {
    const r = runs.strategies.find((s) => s.label === label);
    if (r === undefined) throw new Error(`no runs for strategy "${label}"`);
    return r;
  };
  const cutShort = (label: string) => {
    const r = runsOf(label);
    return r.deadlocks.length > 0 || r.incompletes.length > 0;
  };
  const results = strategies.map((s): StrategyResult => {
    const r = runsOf(s.label);
    const metrics = {} as Record<MetricName, MetricSummary>;
    for (const name of metricNames) metrics[name] = summarizeMetric(r.values[name]);
    return {
      label: s.label,
      config: s.config,
      outcomes: {
        completed: runs.seeds.length - r.deadlocks.length - r.incompletes.length,
        deadlock: r.deadlocks.length,
        deadlockSeeds: [...r.deadlocks],
        incomplete: r.incompletes.length,
        incompleteSeeds: [...r.incompletes],
      },
      metrics,
    };
  });
  const replacement = cutShort(requested)
    ? strategies.find((s) => !cutShort(s.label))?.label
    : undefined;
  const base = replacement ?? requested;
  const notCompared = metricNames.filter((m) => !finalAtDeadlock(m));
  const omitted = strategies.flatMap((s): Omission[] => {
    const r = runsOf(s.label);
    const ended = (reason: CutShort, seeds: readonly number[]): Omission[] =>
      seeds.length === 0
        ? []
        : [{ label: s.label, reason, runs: seeds.length, metrics: notCompared }];
    return [...ended('deadlock', r.deadlocks), ...ended('incomplete', r.incompletes)];
  });
  const b = runsOf(base);
  const comparisons: Comparison[] = [];
  for (const s of strategies) {
    if (s.label === base) continue;
    const a = runsOf(s.label);
    const outcomesOnly = cutShort(s.label) || cutShort(base);
    for (const name of metricNames) {
      if (outcomesOnly && !finalAtDeadlock(name)) continue;
      comparisons.push(compareMetric(s.label, base, name, a.values[name], b.values[name]));
    }
  }
  return {
    baseline: base,
    ...(replacement !== undefined ? { requestedBaseline: requested } : {}),
    strategies: results,
    comparisons,
    omitted,
  };
}

/**
 * A document as text, with a final newline: results and sweep documents indented by two
 * spaces, partial documents compact (they are for machines and hold every seed's values).
 * Key order is the order the builders write them in, so equal documents give equal
 * bytes. A number that is not finite is a bug here (the builders turn them into null or
 * strings), not something to let JSON.stringify quietly write as null.
 */
export function toJson(document: { readonly format: string }): string {
  const indent = document.format === 'dispatchlab-partial' ? undefined : 2;
  return `${JSON.stringify(
    document,
    (key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new RangeError(`document field "${key}" is ${value}, which JSON cannot carry`);
      }
      return value;
    },
    indent,
  )}\n`;
}
