/**
 * A results document as text: per metric, each strategy's mean with its 95% CI, then each
 * strategy against the baseline as paired differences (same seeds), with a verdict only
 * where the CI excludes zero.
 */
import type { MetricName } from '../experiment/metric-names.js';
import type { MetricSummary, ResultsDocument } from '../experiment/results.js';
import { formatMetric, table } from './format.js';

/** The metrics a person reads first; the JSON document has all of them. */
const headlineMetrics: readonly MetricName[] = [
  'makespan',
  'idleTime',
  'utilization',
  'throughput',
  'succeeded',
  'givenUp',
  'peakInFlight',
  'wastedAgentSeconds',
  'failuresDetected',
  'undetectedFailures',
  'detectionLatency',
  'ghosts',
  'duplicateSpawns',
  'peakContext',
  'correctShare',
  'errorAmplification',
];

function cell(metric: MetricName, s: MetricSummary): string {
  if (s.mean === null) return 'n/a';
  const mean = formatMetric(metric, s.mean);
  if (s.ci95 === null || s.ci95[0] === s.ci95[1]) return mean;
  return `${mean} ±${formatMetric(metric, (s.ci95[1] - s.ci95[0]) / 2)}`;
}

export function resultsText(doc: ResultsDocument): string {
  const { seeds, strategies } = doc;
  const out: string[] = [];
  out.push(
    `Means over ${seeds.count} seeds (${seeds.start}..${seeds.start + seeds.count - 1}), ± half the 95% CI:`,
  );
  out.push('');
  out.push(
    table(
      ['metric', ...strategies.map((s) => s.label)],
      headlineMetrics.map((m) => [m, ...strategies.map((s) => cell(m, s.metrics[m]))]),
    ),
  );
  const deadlocked = strategies.filter((s) => s.outcomes.deadlock > 0);
  for (const s of deadlocked) {
    out.push(
      '',
      `${s.label}: ${s.outcomes.deadlock} of ${seeds.count} runs deadlocked (a hang with no timeout); their time figures stop at the deadlock.`,
    );
  }
  if (doc.comparisons.length > 0) {
    out.push('', `Against ${doc.baseline}, paired by seed (difference of means, 95% CI):`, '');
    const rows: string[][] = [];
    for (const c of doc.comparisons) {
      if (!headlineMetrics.includes(c.metric) || c.meanDiff === null) continue;
      // Equal on every seed (the same world seen the same way): nothing to report.
      if (c.meanDiff === 0 && (c.ci95 === null || (c.ci95[0] === 0 && c.ci95[1] === 0))) continue;
      const ci =
        c.ci95 === null
          ? 'n/a'
          : `[${formatSigned(c.metric, c.ci95[0])}, ${formatSigned(c.metric, c.ci95[1])}]`;
      const verdict =
        c.ci95 === null
          ? ''
          : c.ci95[0] > 0
            ? 'higher'
            : c.ci95[1] < 0
              ? 'lower'
              : 'no clear difference';
      rows.push([c.a, c.metric, formatSigned(c.metric, c.meanDiff), ci, verdict]);
    }
    out.push(
      rows.length > 0
        ? table(['strategy', 'metric', 'difference', '95% CI', 'verdict'], rows)
        : '(no differences)',
    );
  }
  return `${out.join('\n')}\n`;
}

function formatSigned(metric: MetricName, value: number): string {
  return value < 0 ? `-${formatMetric(metric, -value)}` : `+${formatMetric(metric, value)}`;
}
