/**
 * The verdict of a results document as text (src/experiment/verdict.ts decides it): one
 * sentence saying what to adopt and by how much it wins, then why the others were not
 * chosen and what the choice costs. Every figure is one the document holds.
 */

import { formatMargin } from '../experiment/margin.js';
import type { Comparison } from '../experiment/results.js';
import type { Candidate, Conditions, Limit, UnsafeReason, Verdict } from '../experiment/verdict.js';
import { formatMetric, formatSigned, wrap } from './format.js';

const width = 90;

function ci(c: Comparison): string {
  if (c.ci95 === null) return 'no CI';
  return `[${formatSigned(c.metric, c.ci95[0])}, ${formatSigned(c.metric, c.ci95[1])}]`;
}

/** `makespan -3m22s [-4m1s, -2m43s], -11.2% of the reference's mean`: a candidate against the reference. */
function against(c: Candidate): string {
  const d = c.difference;
  if (d.meanDiff === null) return `${d.metric}: no paired values`;
  const share =
    c.share === null
      ? ''
      : `, ${c.share >= 0 ? '+' : '-'}${formatShare(Math.abs(c.share))} of the reference's mean`;
  return `${d.metric} ${formatSigned(d.metric, d.meanDiff)} ${ci(d)}${share}`;
}

/** How a candidate that was not chosen stands against the reference. */
function standing(c: Candidate, v: Verdict): string {
  const d = c.difference;
  if (c.clears) return 'also beyond the margin, with a worse mean';
  if (d.ci95 === null) return 'no CI (a single seed): not beyond the margin';
  if (d.meanDiff === 0 && d.ci95[0] === 0 && d.ci95[1] === 0) return 'the same on every seed';
  const worse = v.direction === 'lower' ? d.ci95[0] > 0 : d.ci95[1] < 0;
  const inside = d.ci95[0] >= -v.threshold && d.ci95[1] <= v.threshold;
  // A difference the seeds tell apart from none can still be far too small to matter (a
  // millisecond of a real-code run's clock): "worse" alone would read as a reason.
  if (worse) return inside ? 'worse, but by less than the margin' : 'worse';
  return inside ? 'within the margin' : 'not clearly beyond the margin (its CI reaches past it)';
}

/** `1 task`, `3 tasks`, `2.5 compactions`: a figure and its noun, singular only for exactly 1. */
function counted(
  metric: 'tasks' | 'compactions' | 'peakInFlight',
  n: number,
  noun: string,
): string {
  return `${formatMetric(metric, n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** `3 of 100 runs`, `1 of 1 run`. */
function ofRuns(count: number, runs: number): string {
  return `${count} of ${runs} run${runs === 1 ? '' : 's'}`;
}

function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function reasonText(r: UnsafeReason, runs: number): string {
  switch (r.kind) {
    case 'deadlock':
      return `deadlocked in ${ofRuns(r.runs, runs)}`;
    case 'incomplete':
      return `returned with tasks unresolved in ${ofRuns(r.runs, runs)}`;
    case 'undetectedFailures':
      return `left failures undetected (up to ${r.worst} in a run)`;
    case 'ghosts':
      return `left ghost agents (${formatMetric('ghosts', r.mean)} a run on average, up to ${r.worst})`;
    case 'givenUp':
      return `gave up more tasks than the reference (givenUp ${formatSigned('givenUp', r.difference.meanDiff ?? 0)} ${ci(r.difference)})`;
  }
}

function limitText(l: Limit): string {
  switch (l.kind) {
    case 'orchestrator':
      return `What limits it: the orchestrator, busy ${formatShare(l.busyShare)} of the time; more subagents won't help, less work per result (or per turn) will.`;
    case 'slots':
      return `What limits it: its WIP limit, ${formatMetric('meanInFlight', l.meanInFlight)} of ${l.wip} slots in use on average; a higher limit would help.`;
    case 'subagents':
      return `What limits it: the subagents; the orchestrator waits for them ${formatShare(l.idleShare)} of the time, so their latency (its tail above all) sets the pace.`;
    case 'polling':
      return `Polling takes ${formatShare(l.pollShare)} of the orchestrator's work: poll less often, or use events.`;
  }
}

/** The four "blocking is better" conditions as figures of the reference's runs. */
function conditionsText(c: Conditions, reference: string): string {
  return (
    `The four conditions, on the runs of ${reference}: work to overlap with the waits ` +
    `${formatMetric('processTime', c.overlappableWork)} a run (processing and planning, ` +
    `${formatShare(c.overlappableShare)} of its makespan); a peak of ` +
    `${counted('peakInFlight', c.peakInFlight, 'subagent')} in flight; ` +
    `${counted('tasks', c.tasks, 'task')}; ${counted('compactions', c.compactions, 'compaction')} a run.`
  );
}

/** The verdict block, ending without a newline. `runs`: the seeds each strategy ran on. */
export function verdictText(v: Verdict, runs: number): string {
  const margin = formatMargin(v.margin);
  const lines: string[] = [];
  // A paragraph, or an item under the verdict: indented, its continuation lines more so.
  const para = (text: string, item = false) =>
    lines.push(
      ...wrap(text, width - (item ? 4 : 0))
        .split('\n')
        .map((l, i) => (item ? (i === 0 ? `  ${l}` : `    ${l}`) : l)),
    );
  if (v.reference === null || v.recommended === null) {
    para('Verdict: no strategy is safe to adopt on this workload; every one is set aside below.');
  } else if (v.recommended === v.reference) {
    const beaten =
      v.candidates.length === 0
        ? 'it is the only safe strategy'
        : `no other safe strategy beats it on ${v.objective} by more than the ${margin} margin (${formatMetric(v.objective, v.threshold)})`;
    para(`Verdict: adopt ${v.reference}, the simplest safe strategy: ${beaten}.`);
  } else {
    const winner = v.candidates.find((c) => c.label === v.recommended)!;
    para(
      `Verdict: adopt ${winner.label}. Against ${v.reference}, the simplest safe strategy: ${against(winner)}, beyond the ${margin} margin.`,
    );
  }
  for (const c of v.candidates) {
    if (c.label === v.recommended) continue;
    para(`${c.label}: ${against(c)}; ${standing(c, v)}.`, true);
  }
  if (v.tradeOffs.length > 0) {
    const items = v.tradeOffs.map(
      (t) => `${t.metric} ${formatSigned(t.metric, t.meanDiff ?? 0)} ${ci(t)}`,
    );
    para(`What it costs or saves against ${v.reference}: ${items.join('; ')}.`, true);
  }
  for (const limit of v.limits) para(limitText(limit), true);
  if (v.conditions !== null && v.reference !== null)
    para(conditionsText(v.conditions, v.reference), true);
  for (const u of v.unsafe) {
    const reasons = u.reasons.map((r) => reasonText(r, runs)).join('; ');
    para(`Unsafe, never recommended: ${u.label}: ${reasons}.`, true);
  }
  return lines.join('\n');
}
