/**
 * The table of means a report shows: the objective first, then the metrics a reader of a
 * dispatch decision looks at, each mean with half its 95% CI, in the metric's unit.
 */
import { finalAtDeadlock, type MetricName } from '../experiment/metric-names.js';
import type { ResultsDocument, StrategyResult } from '../experiment/results.js';
import { formatMetric } from './format.js';

const readerMetrics: readonly MetricName[] = [
  'makespan',
  'idleTime',
  'utilization',
  'succeeded',
  'givenUp',
  'undetectedFailures',
  'ghosts',
  'correctShare',
  'turns',
  'orchestratorInputTokens',
  'cost',
  'costPerSuccess',
  'agentSeconds',
  'wastedAgentSeconds',
  'peakContext',
];

/** The metrics shown: the objective, then the others, each once. */
export function meansMetrics(doc: ResultsDocument): MetricName[] {
  return [...new Set([doc.verdict.objective, ...readerMetrics])];
}

/**
 * A cell of a table of means: the mean ± half its 95% CI, in the metric's unit;
 * `deadlocked` or `incomplete` where a run cut short leaves no value to trust (the task
 * outcomes aside, final when a run stops); `n/a` where no run had a value.
 */
export function meanCell(s: StrategyResult, metric: MetricName): string {
  if (!finalAtDeadlock(metric)) {
    if (s.outcomes.deadlock > 0) return 'deadlocked';
    if (s.outcomes.incomplete > 0) return 'incomplete';
  }
  const m = s.metrics[metric];
  if (m.mean === null) return 'n/a';
  const mean = formatMetric(metric, m.mean);
  if (m.ci95 === null || m.ci95[0] === m.ci95[1]) return mean;
  return `${mean} ±${formatMetric(metric, (m.ci95[1] - m.ci95[0]) / 2)}`;
}
