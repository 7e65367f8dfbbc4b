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

/** A cell: the mean ± half the CI; `cut short` where a deadlock or early return left no value to trust. */
export function meanCell(s: StrategyResult, metric: MetricName): string {
  const cutShort = s.outcomes.deadlock + s.outcomes.incomplete > 0;
  if (cutShort && !finalAtDeadlock(metric)) return 'cut short';
  const m = s.metrics[metric];
  if (m.mean === null) return 'n/a';
  const mean = formatMetric(metric, m.mean);
  if (m.ci95 === null || m.ci95[0] === m.ci95[1]) return mean;
  return `${mean} ±${formatMetric(metric, (m.ci95[1] - m.ci95[0]) / 2)}`;
}
