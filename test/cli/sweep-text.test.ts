/**
 * What `dispatchlab sweep` prints: the winner column shows ties as ties, a change of
 * winner is printed only between two clear winners and names its line of the grid, no
 * line is printed twice, and the closing line never passes a tie off as a win. On made-up
 * runs (every case, exactly) and through the real CLI (--margin).
 */
import { describe, expect, it } from 'vitest';
import { sweepText } from '../../src/cli/commands/sweep.js';
import { type MetricName, metricNames } from '../../src/experiment/metric-names.js';
import type { StrategyRuns } from '../../src/experiment/run-seeds.js';
import { type PointRuns, sweepDocument } from '../../src/experiment/sweep.js';
import type { Vary, VaryValue } from '../../src/experiment/vary.js';
import { cli, expectInputError } from './helpers.js';

/** Made-up runs: makespans per strategy, one per seed; every other metric 0. */
function madeUp(
  values: Record<string, VaryValue>,
  makespans: Record<string, readonly number[]>,
): PointRuns {
  const labels = Object.keys(makespans);
  const seeds = makespans[labels[0]!]!.map((_, i) => i);
  const strategies: StrategyRuns[] = labels.map((label) => {
    const v = {} as Record<MetricName, number[]>;
    for (const m of metricNames)
      v[m] = m === 'makespan' ? [...makespans[label]!] : seeds.map(() => 0);
    return { label, deadlocks: [], incompletes: [], values: v };
  });
  return {
    values,
    strategies: labels.map((label) => ({
      label,
      config: { kind: 'blocking', timeout: 'none', retries: 0 },
    })),
    runs: { seeds, strategies },
  };
}

const aWins = { A: [100, 102, 98, 100], B: [150, 153, 147, 151] };
const close = { A: [100, 102, 98, 100], B: [101, 103, 99, 101] };
const bWins = { A: [150, 153, 147, 151], B: [100, 102, 98, 100] };

/** The text of a sweep over `varies` whose points (in grid order) are given. */
function text(varies: Vary[], points: Record<string, readonly number[]>[], margin = 0.05) {
  const grid: Record<string, VaryValue>[] = varies.reduce<Record<string, VaryValue>[]>(
    (acc, v) => acc.flatMap((p) => v.values.map((x) => ({ ...p, [v.path]: x }))),
    [{}],
  );
  const doc = sweepDocument(
    { name: 'made-up', description: '', inputHash: 'sha256:0' },
    { start: 0, count: 4 },
    varies,
    { metric: 'makespan', direction: 'lower', margin },
    grid.map((values, i) => madeUp(values, points[i]!)),
    undefined,
  );
  return sweepText(doc).split('\n');
}

/** The lines after the rule under the table. */
const closing = (lines: string[]) => {
  const rule = lines.findIndex((l) => l.startsWith('A winner completed every run'));
  return lines.slice(rule + 1).filter((l) => l !== '');
};

describe('sweep text (made-up runs)', () => {
  it('shows a tie as a tie and states the rule with the margin', () => {
    const lines = text([{ path: 'x', values: [1, 2] }], [aWins, close]);
    expect(lines.find((l) => l.startsWith('2 '))).toMatch(/tie: A ≈ B$/);
    expect(lines.find((l) => l.startsWith('1 '))).toMatch(/ A$/);
    expect(lines).toContain(
      "A winner completed every run, has the best mean, and leads every other strategy by more than 5% of that strategy's mean across the whole paired 95% CI; where the best mean's lead is less clear, the point is a tie (≈).",
    );
    expect(closing(lines)).toEqual([
      'A wins at every point that has a clear winner (1 of 2); the others have none.',
    ]);
    const any = text([{ path: 'x', values: [1, 2] }], [aWins, close], 0);
    expect(any.join('\n')).toContain('leads every other strategy significantly');
    expect(closing(any)).toEqual(['The winner is the same at every point: A.']);
  });

  it('prints A → tie → B as one change between the clear points, saying where there was none', () => {
    const lines = text([{ path: 'x', values: [1, 2, 3, 4] }], [aWins, close, close, bWins]);
    expect(closing(lines)).toEqual([
      'The winner changes along x between 1 and 4 (no clear winner at 2 and 3): A → B.',
    ]);
    // A tie between two points won by A is no change.
    expect(closing(text([{ path: 'x', values: [1, 2, 3] }], [aWins, close, aWins]))).toEqual([
      'A wins at every point that has a clear winner (2 of 3); the others have none.',
    ]);
    expect(closing(text([{ path: 'x', values: [1, 2] }], [close, close]))).toEqual([
      'No point has a clear winner.',
    ]);
  });

  it('names the other parameters of each change, and prints no line twice', () => {
    // y lists 50 twice: its two lines of the grid make two changes with the same sentence.
    const lines = text(
      [
        { path: 'x', values: [10, 20] },
        { path: 'y', values: [50, 50, 80] },
      ],
      [aWins, aWins, aWins, bWins, bWins, close],
    );
    expect(closing(lines)).toEqual([
      'The winner changes along x between 10 and 20 (at y=50): A → B.',
    ]);
    const both = text(
      [
        { path: 'x', values: [10, 20, 30] },
        { path: 'y', values: [1, 2] },
      ],
      [aWins, aWins, close, aWins, bWins, bWins],
    );
    expect(closing(both)).toEqual([
      'The winner changes along x between 10 and 30 (at y=1; no clear winner at 20): A → B.',
      'The winner changes along x between 20 and 30 (at y=2): A → B.',
    ]);
  });

  it('says when clear winners differ but no line of the grid joins them', () => {
    const lines = text(
      [
        { path: 'x', values: [1, 2] },
        { path: 'y', values: [1, 2] },
      ],
      [aWins, close, close, bWins],
    );
    expect(closing(lines)).toEqual([
      'The clear winners are A (1 point) and B (1 point), but no line of the grid holds two different clear winners (they differ in more than one varied value); see the table.',
    ]);
  });
});

describe('dispatchlab sweep --margin', () => {
  const scenario = 'scenarios/docs-audit.yaml';
  const args = ['sweep', scenario, '--seeds', '20', '--vary', 'orchestrator.process=0..12:4'];

  it('writes the margin into the document; 0 makes a close lead a win', () => {
    const byDefault = cli(...args, '--json', '--quiet');
    const zero = cli(...args, '--margin', '0', '--json', '--quiet');
    expect(byDefault.code).toBe(0);
    expect(zero.code).toBe(0);
    type Doc = {
      version: number;
      winnerBy: { margin: number };
      points: { winner: string | null; lead: string | null; tied: string[] }[];
    };
    const d = JSON.parse(byDefault.stdout) as Doc;
    const z = JSON.parse(zero.stdout) as Doc;
    expect(d.version).toBe(2);
    expect(d.winnerBy.margin).toBe(0.05);
    expect(z.winnerBy.margin).toBe(0);
    // Every point's lead is at least as clear at margin 0, and somewhere clearer.
    const clear = (doc: Doc) => doc.points.filter((p) => p.lead === 'clear').length;
    expect(clear(z)).toBeGreaterThan(clear(d));
    for (const [i, p] of d.points.entries()) {
      if (p.lead === 'clear') expect(z.points[i]!.winner).toBe(p.winner);
      else expect(p.tied.length).toBeGreaterThanOrEqual(2);
    }
  });

  it.each([
    ['5', /--margin 5: a margin is a share .* would be 500%/],
    ['30s', /--margin 30s: a margin is .* not an amount/],
    ['-1%', /cannot be negative/],
  ])('refuses --margin %s with exit code 2', (margin, pattern) => {
    expectInputError(cli(...args, '--margin', margin, '--quiet'), pattern);
  });
});
