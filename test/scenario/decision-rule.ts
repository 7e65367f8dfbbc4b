/**
 * The decision rule of docs/model.md ("The decision rule"), applied to the runs of a
 * bundled scenario, so that the scenarios' claims about which strategy to adopt are made
 * the way the tool will make them:
 *
 * - unsafe: a strategy with a deadlock, an undetected failure or a ghost in any run, or
 *   that gives up more tasks than the reference (paired 95% CI above 0);
 * - the reference: the simplest safe strategy (blocking, then batch, then async with
 *   events, then async with polling; ties by the scenario's order);
 * - a safe strategy beats the reference only when the whole paired 95% CI of its makespan
 *   minus the reference's lies beyond the practical margin (5% of the reference's mean)
 *   on the shorter side; the best mean among those is recommended, else the reference.
 */
import { marginThreshold } from '../../src/experiment/margin.js';
import { pairedDifference, type Summary, summarize } from '../../src/experiment/stats.js';
import type { RunMetrics } from '../../src/model/metrics.js';
import type { ScenarioStrategy } from '../../src/scenario/module-strategy.js';

export interface Decision {
  /** Positions (in the scenario's order) of the strategies set aside as unsafe, with why. */
  readonly unsafe: ReadonlyMap<number, string>;
  readonly reference: number;
  readonly recommended: number;
  /** Per safe strategy other than the reference: makespan minus the reference's, seed by seed. */
  readonly gains: ReadonlyMap<number, Summary>;
  /** How far beyond 0 a gain's CI must lie. */
  readonly threshold: number;
}

/** Lower is simpler. */
function simplicity(s: ScenarioStrategy): number {
  if (!('kind' in s)) return 4;
  if (s.kind === 'blocking') return 0;
  if (s.kind === 'batch') return 1;
  if (s.kind === 'async') return s.continuation === 'polling' ? 3 : 2;
  return 4;
}

function whyUnsafe(runs: readonly RunMetrics[]): string | undefined {
  const count = (f: (m: RunMetrics) => boolean) => runs.filter(f).length;
  const deadlocks = count((m) => m.outcome === 'deadlock');
  if (deadlocks > 0) return `${deadlocks} deadlocked runs`;
  const undetected = count((m) => m.undetectedFailures > 0);
  if (undetected > 0) return `undetected failures in ${undetected} runs`;
  const ghosts = count((m) => m.ghosts > 0);
  if (ghosts > 0) return `ghosts in ${ghosts} runs`;
  return undefined;
}

/** `runs[i]`: strategy i's metrics, seed by seed (the same seeds for every strategy). */
export function decide(
  strategies: readonly ScenarioStrategy[],
  runs: readonly (readonly RunMetrics[])[],
  margin = 0.05,
): Decision {
  const unsafe = new Map<number, string>();
  runs.forEach((r, i) => {
    const why = whyUnsafe(r);
    if (why !== undefined) unsafe.set(i, why);
  });
  const bySimplicity = strategies
    .map((s, i) => ({ i, rank: simplicity(s) }))
    .filter(({ i }) => !unsafe.has(i))
    .sort((a, b) => a.rank - b.rank || a.i - b.i);
  if (bySimplicity.length === 0) throw new Error('no safe strategy to take as the reference');
  const reference = bySimplicity[0]!.i;
  const makespans = (i: number) => runs[i]!.map((m) => m.makespan);
  const givenUp = (i: number) => runs[i]!.map((m) => m.givenUp);
  for (const { i } of bySimplicity.slice(1)) {
    const more = pairedDifference(givenUp(i), givenUp(reference));
    if (more.ci95[0] > 0) unsafe.set(i, `gives up more tasks than the reference`);
  }
  const threshold = marginThreshold(margin, summarize(makespans(reference)).mean);
  const gains = new Map<number, Summary>();
  let recommended = reference;
  let best = summarize(makespans(reference)).mean;
  for (const { i } of bySimplicity.slice(1)) {
    if (unsafe.has(i)) continue;
    const gain = pairedDifference(makespans(i), makespans(reference));
    gains.set(i, gain);
    const mean = summarize(makespans(i)).mean;
    if (gain.ci95[1] < -threshold && mean < best) {
      recommended = i;
      best = mean;
    }
  }
  return { unsafe, reference, recommended, gains, threshold };
}
