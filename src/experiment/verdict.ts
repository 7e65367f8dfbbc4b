/**
 * The verdict: which strategy to adopt for the workload, by the decision rule of
 * docs/model.md ("The decision rule"), from the summaries and paired comparisons of a
 * results document and nothing else.
 *
 * 1. Safety first. A strategy is unsafe when, in any run, it deadlocked, returned with
 *    tasks unresolved, left a failure undetected or left a ghost; or when it gives up more
 *    tasks than the reference (the paired 95% CI of givenUp lies above 0). An unsafe
 *    strategy is never recommended, whatever its objective.
 * 2. The reference is the simplest strategy safe by the run-level tests: blocking, then
 *    batch, then async with events, then async with polling, then any other kind or module;
 *    ties by the scenario's order. Not necessarily the first listed.
 * 3. A safe strategy beats the reference only when the whole paired 95% CI of its
 *    difference on the objective lies beyond the practical margin (margin.ts) on the
 *    better side. Among those that do, the best mean is recommended; when none does, the
 *    reference is: async must buy something to be chosen.
 */

import { simplicityOf } from '../strategies/config.js';
import { unrankedSimplicity } from '../strategies/descriptor.js';
import { clearsMargin, defaultMargin, marginThreshold } from './margin.js';
import { type Direction, defaultDirection, type MetricName } from './metric-names.js';
import type {
  Comparison,
  MetricSummary,
  Stat,
  StrategyConfigJson,
  StrategyResult,
} from './results.js';

/** Why a strategy is unsafe: one entry per test it fails, with the figure behind it. */
export type UnsafeReason =
  | { readonly kind: 'deadlock'; readonly runs: number }
  | { readonly kind: 'incomplete'; readonly runs: number }
  /** The most failures left undetected in one run. */
  | { readonly kind: 'undetectedFailures'; readonly worst: number }
  /** Ghosts a run, on average and at worst. */
  | { readonly kind: 'ghosts'; readonly mean: number; readonly worst: number }
  /** More tasks given up than the reference: givenUp, this strategy minus the reference. */
  | { readonly kind: 'givenUp'; readonly difference: Comparison };

/** A strategy set aside, and why. */
export interface UnsafeStrategy {
  readonly label: string;
  readonly reasons: readonly UnsafeReason[];
}

/** A safe strategy other than the reference, against it on the objective. */
export interface Candidate {
  readonly label: string;
  /** Candidate minus reference, paired by seed. */
  readonly difference: Comparison;
  /** The mean difference as a share of the reference's mean; null without one. */
  readonly share: Stat;
  /** Whether the whole CI lies beyond the margin on the better side. */
  readonly clears: boolean;
}

/**
 * What limits the recommended strategy, read from its means (thresholds of 80% and 30%:
 * where a limit dominates, not a fine line):
 * - `orchestrator`: it is busy at least 80% of the makespan; more subagents won't help,
 *   less work per result (or per turn) will;
 * - `slots`: its WIP limit is at least 80% used on average; a higher limit would help;
 * - `subagents`: otherwise, the orchestrator mostly waits for subagents to report; their
 *   latency (its tail, above all) sets the pace.
 * Besides, `polling` when poll checks take at least 30% of the orchestrator's busy time.
 */
export type Limit =
  | { readonly kind: 'orchestrator'; readonly busyShare: number }
  | { readonly kind: 'slots'; readonly meanInFlight: number; readonly wip: number }
  | { readonly kind: 'subagents'; readonly idleShare: number }
  | { readonly kind: 'polling'; readonly pollShare: number };

export interface Verdict {
  readonly objective: MetricName;
  readonly direction: Direction;
  /** The practical margin, a share of the reference's mean. */
  readonly margin: number;
  /** How far beyond 0 a candidate's CI must lie: margin × |reference mean|. */
  readonly threshold: number;
  /** The simplest safe strategy; null when no strategy is safe. */
  readonly reference: string | null;
  /** The strategy to adopt; null when no strategy is safe. */
  readonly recommended: string | null;
  /** In the scenario's order. */
  readonly unsafe: readonly UnsafeStrategy[];
  /** Safe strategies other than the reference, in the scenario's order. */
  readonly candidates: readonly Candidate[];
  /**
   * What adopting the recommended strategy costs or saves against the reference, beyond
   * the objective: the comparisons among `costMetrics` whose CI excludes 0. Empty when the
   * reference is recommended.
   */
  readonly tradeOffs: readonly Comparison[];
  /** What limits the recommended strategy; empty when nothing is recommended or its means are missing. */
  readonly limits: readonly Limit[];
  /**
   * The four conditions under which blocking is the better choice, measured on the
   * reference's runs (means over seeds); null when nothing is safe. Figures to weigh, not
   * verdicts: the rule above decides.
   */
  readonly conditions: Conditions | null;
}

/** The workload as the four "blocking is better" conditions read it, on the reference's runs. */
export interface Conditions {
  /** Work the orchestrator could do while subagents run (processing results, planning waves), seconds a run. */
  readonly overlappableWork: number;
  /** That work as a share of the reference's makespan. */
  readonly overlappableShare: number;
  /** Most subagents ever in flight at once: 1 along a chain of dependencies. */
  readonly peakInFlight: number;
  /** Tasks in the job: the team's size, for a job split one task per subagent. */
  readonly tasks: number;
  /** Compactions a run. */
  readonly compactions: number;
}

/** The metrics a verdict reports as the price (or the bonus) of its choice. */
export const costMetrics: readonly MetricName[] = [
  'turns',
  'orchestratorInputTokens',
  'cost',
  'costPerSuccess',
  'agentSeconds',
  'wastedAgentSeconds',
  'peakContext',
  'compactions',
  'detectionLatency',
];

/** The paired comparison a − b on `metric`, over the document's seeds. */
export type PairedComparer = (a: string, b: string, metric: MetricName) => Comparison;

export interface VerdictOptions {
  /** What the strategies are judged on; makespan by default. */
  readonly objective?: MetricName | undefined;
  /** A share of the reference's mean; 5% by default. */
  readonly margin?: number | undefined;
}

/** How simple a strategy is (its kind's descriptor says); one from a module, after the rest. */
export function simplicity(config: StrategyConfigJson): number {
  return 'module' in config || 'orchestrator' in config ? unrankedSimplicity : simplicityOf(config);
}

/** Why a strategy is unsafe from its own runs: deadlocks, unfinished runs, missed failures, ghosts. */
function runLevelReasons(s: StrategyResult): UnsafeReason[] {
  const reasons: UnsafeReason[] = [];
  if (s.outcomes.deadlock > 0) reasons.push({ kind: 'deadlock', runs: s.outcomes.deadlock });
  if (s.outcomes.incomplete > 0) reasons.push({ kind: 'incomplete', runs: s.outcomes.incomplete });
  const undetected = s.metrics.undetectedFailures.max;
  if (undetected !== null && undetected > 0) {
    reasons.push({ kind: 'undetectedFailures', worst: undetected });
  }
  const ghosts = s.metrics.ghosts;
  if (ghosts.max !== null && ghosts.max > 0) {
    reasons.push({ kind: 'ghosts', mean: ghosts.mean ?? 0, worst: ghosts.max });
  }
  return reasons;
}

/** The verdict on `strategies` (in the scenario's order), with `compare` giving paired comparisons. */
export function decide(
  strategies: readonly StrategyResult[],
  compare: PairedComparer,
  options: VerdictOptions = {},
): Verdict {
  const objective = options.objective ?? 'makespan';
  const direction = defaultDirection(objective);
  const margin = options.margin ?? defaultMargin;
  const reasons = new Map(strategies.map((s) => [s.label, runLevelReasons(s)]));
  const runLevelSafe = strategies
    .map((s, order) => ({ s, order }))
    .filter(({ s }) => reasons.get(s.label)!.length === 0)
    .sort((x, y) => simplicity(x.s.config) - simplicity(y.s.config) || x.order - y.order);
  const reference = runLevelSafe[0]?.s;
  if (reference !== undefined) {
    for (const { s } of runLevelSafe.slice(1)) {
      const givenUp = compare(s.label, reference.label, 'givenUp');
      if (givenUp.ci95 !== null && givenUp.ci95[0] > 0) {
        reasons.get(s.label)!.push({ kind: 'givenUp', difference: givenUp });
      }
    }
  }
  const unsafe = strategies
    .filter((s) => reasons.get(s.label)!.length > 0)
    .map((s) => ({ label: s.label, reasons: reasons.get(s.label)! }));
  if (reference === undefined) {
    return {
      objective,
      direction,
      margin,
      threshold: 0,
      reference: null,
      recommended: null,
      unsafe,
      candidates: [],
      tradeOffs: [],
      limits: [],
      conditions: null,
    };
  }
  const referenceMean = reference.metrics[objective].mean;
  const threshold = marginThreshold(margin, referenceMean);
  const candidates = strategies
    .filter((s) => s !== reference && reasons.get(s.label)!.length === 0)
    .map((s): Candidate => {
      const difference = compare(s.label, reference.label, objective);
      const share =
        difference.meanDiff !== null && referenceMean !== null && referenceMean !== 0
          ? difference.meanDiff / Math.abs(referenceMean)
          : null;
      return {
        label: s.label,
        difference,
        share,
        clears: clearsMargin(difference.ci95, referenceMean, direction, margin),
      };
    });
  const mean = (label: string) =>
    strategies.find((s) => s.label === label)!.metrics[objective].mean ?? Number.NaN;
  let recommended = reference.label;
  for (const c of candidates) {
    if (!c.clears) continue;
    const better =
      recommended === reference.label ||
      (direction === 'lower'
        ? mean(c.label) < mean(recommended)
        : mean(c.label) > mean(recommended));
    if (better) recommended = c.label;
  }
  const tradeOffs =
    recommended === reference.label
      ? []
      : // Judged on another objective, the makespan is a price (or a bonus) too.
        [...(objective === 'makespan' ? [] : (['makespan'] as const)), ...costMetrics]
          .filter((m) => m !== objective)
          .map((m) => compare(recommended, reference.label, m))
          .filter((c) => c.ci95 !== null && (c.ci95[0] > 0 || c.ci95[1] < 0));
  return {
    objective,
    direction,
    margin,
    threshold,
    reference: reference.label,
    recommended,
    unsafe,
    candidates,
    tradeOffs,
    limits: limitsOf(strategies.find((s) => s.label === recommended)!),
    conditions: conditionsOf(reference),
  };
}

/** The four conditions on a strategy's runs (see Conditions); null without a makespan. */
export function conditionsOf(s: StrategyResult): Conditions | null {
  const m = s.metrics;
  const mean = (x: MetricSummary) => x.mean ?? 0;
  const makespan = m.makespan.mean;
  if (makespan === null || makespan <= 0) return null;
  const overlappableWork = mean(m.processTime) + mean(m.planTime);
  return {
    overlappableWork,
    overlappableShare: overlappableWork / makespan,
    peakInFlight: mean(m.peakInFlight),
    tasks: mean(m.tasks),
    compactions: mean(m.compactions),
  };
}

/** What limits a strategy, from its means (see Limit). */
export function limitsOf(s: StrategyResult): Limit[] {
  const m = s.metrics;
  const makespan = m.makespan.mean;
  const idle = m.idleTime.mean;
  if (makespan === null || idle === null || makespan <= 0) return [];
  const busy = makespan - idle;
  const limits: Limit[] = [];
  const wip = 'wip' in s.config && typeof s.config.wip === 'number' ? s.config.wip : undefined;
  const inFlight = m.meanInFlight.mean;
  if (busy / makespan >= 0.8) {
    limits.push({ kind: 'orchestrator', busyShare: busy / makespan });
  } else if (wip !== undefined && inFlight !== null && inFlight >= 0.8 * wip) {
    limits.push({ kind: 'slots', meanInFlight: inFlight, wip });
  } else {
    limits.push({ kind: 'subagents', idleShare: idle / makespan });
  }
  const poll = m.pollTime.mean;
  if (poll !== null && busy > 0 && poll / busy >= 0.3) {
    limits.push({ kind: 'polling', pollShare: poll / busy });
  }
  return limits;
}
