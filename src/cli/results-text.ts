/**
 * A results document as text: per metric, each strategy's mean with its 95% CI, then each
 * strategy against the baseline as paired differences (same seeds), with a verdict only
 * where the CI excludes zero.
 *
 * Which metrics: those asked for (`--metrics`), else a core set that every scenario is
 * about (coreMetrics) and every metric on which the strategies differ: some comparison
 * against the baseline has a paired 95% CI that excludes 0 (or, with a single seed and so
 * no CI, a mean difference other than 0).
 *
 * Verdicts: `better` or `worse` by the metric's reading (metric-names.ts), `higher` or
 * `lower` for a neutral metric, `no clear difference` when the CI contains 0 (the seeds
 * do not tell the strategies apart; it is not evidence that they are equal). A strategy
 * equal to the baseline on every seed gets no row; a line after the table names those
 * metrics.
 *
 * Deadlocks: a strategy that deadlocked in some run shows `deadlocked` instead of a mean
 * for every metric a deadlock cuts short (all but deadlockFinalMetrics), a note says in
 * how many runs and on which seeds, with the command that replays one, and it is compared
 * on the task outcomes only (results.ts). A strategy that returned with tasks unresolved in
 * some run (an `incomplete` run: a strategy of one's own) is shown and compared the same
 * way, `incomplete` in place of `deadlocked`.
 */
import {
  deadlockFinalMetrics,
  type MetricName,
  metricReading,
} from '../experiment/metric-names.js';
import type {
  Comparison,
  ResultsBody,
  ResultsDocument,
  StrategyResult,
} from '../experiment/results.js';
import type { Verdict } from '../experiment/verdict.js';
import { formatSigned, shellWord, table, wrap } from '../report/format.js';
import { meanCell } from '../report/means.js';
import { verdictText } from '../report/verdict-text.js';

/** Shown whatever the differences: what every scenario is judged on. */
export const coreMetrics: readonly MetricName[] = [
  'makespan',
  'idleTime',
  'utilization',
  'succeeded',
  'givenUp',
  'undetectedFailures',
  'correctShare',
];

/** The order rows are shown in (unless --metrics gives one): related metrics together. */
export const readingOrder = [
  'makespan',
  'idleTime',
  'utilization',
  'throughput',
  'succeeded',
  'givenUp',
  'unresolved',
  'tasks',
  'dispatchTime',
  'planTime',
  'processTime',
  'pollTime',
  'answerTime',
  'synthesizeTime',
  'compactionTime',
  'turnTime',
  'turns',
  'peakInFlight',
  'meanInFlight',
  'agentSeconds',
  'wastedAgentSeconds',
  'wastedCancelled',
  'wastedFailed',
  'wastedGhost',
  'subagentTokens',
  'wastedTokens',
  'spawns',
  'retries',
  'redispatches',
  'duplicateSpawns',
  'ghosts',
  'failures',
  'failuresDetected',
  'undetectedFailures',
  'detectionLatency',
  'maxDetectionLatency',
  'permissionRequests',
  'permissionsDenied',
  'peakContext',
  'orchestratorInputTokens',
  'orchestratorOutputTokens',
  'compactions',
  'forgottenHandles',
  'correctShare',
  'errorAmplification',
  'wrongCaught',
  'cost',
  'costPerSuccess',
] as const satisfies readonly MetricName[];

// Compile-time completeness: `never` unless a metric is missing above.
type Unordered = Exclude<MetricName, (typeof readingOrder)[number]>;
const ordered: [Unordered] extends [never] ? true : Unordered = true;
void ordered;

/** How many deadlocked seeds a note lists before "and N more". */
const seedsListed = 5;

export interface ResultsTextOptions {
  /** The metrics to show, in this order, or every one; by default shownMetrics(doc). */
  readonly metrics?: readonly MetricName[] | 'all' | undefined;
  /** The scenario file as the user wrote it, for the command that replays a deadlocked run. */
  readonly file?: string | undefined;
}

/**
 * How far from 0 a difference may be and still be rounding: a billionth of the larger of
 * the two means. Floating-point sums taken in different orders differ in their last bits
 * (a worst detection latency of 1.819287231197947 s against 1.8192872311979613 s), and
 * such a difference, constant over the seeds, has a CI that excludes 0.
 */
function roundingOf(c: Comparison, body: ResultsBody): number {
  const mean = (label: string) =>
    Math.abs(body.strategies.find((s) => s.label === label)?.metrics[c.metric].mean ?? 0);
  return 1e-9 * Math.max(mean(c.a), mean(c.b));
}

/** Equal on every seed, to rounding: the same world seen the same way. */
export function equalEverywhere(c: Comparison, body: ResultsBody): boolean {
  const r = roundingOf(c, body);
  const small = (x: number) => Math.abs(x) <= r;
  return (
    c.meanDiff !== null &&
    small(c.meanDiff) &&
    (c.ci95 === null || (small(c.ci95[0]) && small(c.ci95[1])))
  );
}

/**
 * Whether a comparison shows a difference: not equal everywhere, and its CI excludes 0,
 * or there is no CI (a single seed) and the means differ.
 */
export function differs(c: Comparison, body: ResultsBody): boolean {
  if (c.meanDiff === null || equalEverywhere(c, body)) return false;
  return c.ci95 === null || c.ci95[0] > 0 || c.ci95[1] < 0;
}

/** The default rows: the core set, the verdict's objective, and every metric some comparison shows a difference on, in reading order. */
export function shownMetrics(body: ResultsBody & { readonly verdict?: Verdict }): MetricName[] {
  // The verdict's objective too: the table must show what the verdict speaks of.
  const shown = new Set<MetricName>([
    ...coreMetrics,
    ...(body.verdict ? [body.verdict.objective] : []),
  ]);
  for (const c of body.comparisons) if (differs(c, body)) shown.add(c.metric);
  return readingOrder.filter((m) => shown.has(m));
}

/** `better`, `worse`, `higher`, `lower` or `no clear difference`; empty without a CI. */
export function verdict(c: Comparison): string {
  if (c.ci95 === null) return '';
  const sign = c.ci95[0] > 0 ? 1 : c.ci95[1] < 0 ? -1 : 0;
  if (sign === 0) return 'no clear difference';
  const reading = metricReading[c.metric];
  if (reading === 'neutral') return sign > 0 ? 'higher' : 'lower';
  return sign > 0 === (reading === 'higher') ? 'better' : 'worse';
}

function isDeadlocked(s: StrategyResult): boolean {
  return s.outcomes.deadlock > 0;
}

function isIncomplete(s: StrategyResult): boolean {
  return s.outcomes.incomplete > 0;
}

/** Deadlocked or incomplete in some run: compared on the task outcomes only. */
function isCutShort(s: StrategyResult): boolean {
  return isDeadlocked(s) || isIncomplete(s);
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The lines under the means table for a strategy that deadlocked (or returned with tasks
 * unresolved: `what` says which): how often, where, how to replay.
 */
function deadlockLines(
  s: StrategyResult,
  runs: number,
  file: string | undefined,
  what: 'deadlocked' | 'returned with tasks unresolved' = 'deadlocked',
): string[] {
  const seeds = what === 'deadlocked' ? s.outcomes.deadlockSeeds : s.outcomes.incompleteSeeds;
  const shown = seeds.slice(0, seedsListed).join(', ');
  const more = seeds.length > seedsListed ? ` and ${seeds.length - seedsListed} more` : '';
  const lines = [
    `${s.label} ${what} in ${seeds.length} of ${runs} runs (seed${seeds.length === 1 ? '' : 's'} ${shown}${more}).`,
  ];
  if (file !== undefined && seeds[0] !== undefined) {
    lines.push(
      `  Replay one: dispatchlab run ${shellWord(file)} --strategy ${shellWord(s.label)} --seed ${seeds[0]}`,
    );
  }
  return lines;
}

/** What "deadlocked" means, once under the deadlock lines. */
const deadlockExplained = wrap(
  'In a deadlocked run the orchestrator waits forever on a subagent that will never report. ' +
    'Such a run never ends: its time figures (makespan, idle time, utilization, latencies...) have no ' +
    'final value, and its counts cover only the work done before it stuck. So a strategy that deadlocked ' +
    'shows "deadlocked" for all of these and is not compared on them (pairing only the seeds where both completed would leave out ' +
    `its hardest ones). Its task outcomes are final at the deadlock, and shown and compared: ${list(deadlockFinalMetrics)}.`,
  90,
);

/** What "incomplete" means, once under the lines of the strategies that returned early. */
const incompleteExplained = wrap(
  'In an incomplete run the strategy returned while tasks were still unresolved (the run ends when ' +
    'its program returns). Its time figures and counts cover only what it did before it gave up, so ' +
    'it would look fast: such a strategy shows "incomplete" for them and is compared, as a deadlocked ' +
    `one is, on the task outcomes only: ${list(deadlockFinalMetrics)}. Replay a run to see what it left.`,
  90,
);

export function resultsText(doc: ResultsDocument, options: ResultsTextOptions = {}): string {
  const { seeds, strategies } = doc;
  const metrics =
    options.metrics === 'all'
      ? [...readingOrder]
      : options.metrics !== undefined
        ? [...options.metrics]
        : shownMetrics(doc);
  const out: string[] = [];
  if (strategies.length > 1) out.push(verdictText(doc.verdict, seeds.count), '');
  out.push(
    `Means over ${seeds.count} seed${seeds.count === 1 ? '' : 's'} (${seeds.start}..${seeds.start + seeds.count - 1}), ± half the 95% CI:`,
  );
  out.push('');
  out.push(
    table(
      ['metric', ...strategies.map((s) => s.label)],
      metrics.map((m) => [m, ...strategies.map((s) => meanCell(s, m))]),
    ),
  );
  const deadlocked = strategies.filter(isDeadlocked);
  if (deadlocked.length > 0) {
    out.push('');
    for (const s of deadlocked) out.push(...deadlockLines(s, seeds.count, options.file));
    out.push('', deadlockExplained);
  }
  const incomplete = strategies.filter(isIncomplete);
  if (incomplete.length > 0) {
    out.push('');
    for (const s of incomplete) {
      out.push(...deadlockLines(s, seeds.count, options.file, 'returned with tasks unresolved'));
    }
    out.push('', incompleteExplained);
  }
  if (strategies.length > 1) out.push('', ...pairedSection(doc, metrics));
  return `${out.join('\n')}\n`;
}

function pairedSection(doc: ResultsDocument, metrics: readonly MetricName[]): string[] {
  const out: string[] = [];
  const cutShort = doc.strategies.filter(isCutShort);
  const requested = doc.strategies.find((s) => s.label === doc.requestedBaseline);
  if (requested !== undefined) {
    out.push(
      `The baseline, ${requested.label}, ${isDeadlocked(requested) ? 'deadlocked' : 'returned with tasks unresolved'}: the strategies are compared against ${doc.baseline} instead, the first that completed every run.`,
      '',
    );
  } else if (cutShort.some((s) => s.label === doc.baseline)) {
    const how = cutShort.some(isIncomplete)
      ? cutShort.some(isDeadlocked)
        ? 'deadlocked or returned with tasks unresolved'
        : 'returned with tasks unresolved'
      : 'deadlocked';
    out.push(`Every strategy ${how} in some run: they are compared on the task outcomes only.`, '');
  }
  out.push(`Against ${doc.baseline}, paired by seed (difference of means, 95% CI):`, '');
  const rows: string[][] = [];
  // metric → the strategies equal to the baseline on every seed.
  const equal = new Map<MetricName, string[]>();
  const compared = new Map<MetricName, number>();
  for (const s of doc.strategies) {
    if (s.label === doc.baseline) continue;
    for (const metric of metrics) {
      const c = doc.comparisons.find((x) => x.a === s.label && x.metric === metric);
      if (c === undefined || c.meanDiff === null) continue;
      compared.set(metric, (compared.get(metric) ?? 0) + 1);
      if (equalEverywhere(c, doc)) {
        equal.set(metric, [...(equal.get(metric) ?? []), s.label]);
        continue;
      }
      const ci =
        c.ci95 === null
          ? 'n/a'
          : `[${formatSigned(metric, c.ci95[0])}, ${formatSigned(metric, c.ci95[1])}]`;
      rows.push([c.a, metric, formatSigned(metric, c.meanDiff), ci, verdict(c)]);
    }
  }
  out.push(
    rows.length > 0
      ? table(['strategy', 'metric', 'difference', '95% CI', 'verdict'], rows)
      : '(no differences)',
  );
  // Grouped by the strategies they hold for: "(every strategy)" when all compared on it.
  const groups = new Map<string, { metrics: MetricName[]; labels: string[]; all: boolean }>();
  for (const m of metrics) {
    const labels = equal.get(m);
    if (labels === undefined) continue;
    const all = labels.length === compared.get(m);
    const key = all ? '' : labels.join('\n');
    const group = groups.get(key) ?? { metrics: [], labels, all };
    group.metrics.push(m);
    groups.set(key, group);
  }
  if (groups.size > 0) {
    const parts = [...groups.values()].map(
      (g) => `${list(g.metrics)} (${g.all ? 'every strategy' : list(g.labels)})`,
    );
    out.push('', `Equal to the baseline on every seed: ${parts.join('; ')}.`);
  }
  const others = cutShort.filter((s) => s.label !== doc.baseline);
  const cut = others.filter(isDeadlocked).map((s) => s.label);
  if (cut.length > 0) {
    out.push('', `Compared on the task outcomes only (deadlocked): ${list(cut)}.`);
  }
  const early = others.filter((s) => !isDeadlocked(s)).map((s) => s.label);
  if (early.length > 0) {
    out.push('', `Compared on the task outcomes only (incomplete): ${list(early)}.`);
  }
  return out;
}
