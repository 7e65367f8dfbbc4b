/**
 * What `dispatchlab sweep` prints: the winner column shows ties as ties, a change of
 * winner is printed only between two clear winners and names its line of the grid, no
 * line is printed twice, and the closing line never passes a tie off as a win; the adopt
 * column shows the verdict, and each flip of the answer is a sentence saying what to adopt
 * on either side, over which values. On made-up runs (every case, exactly) and through the
 * real CLI (--margin; no-work-during-waits, whose answer flips).
 */
import { readFileSync } from 'node:fs';
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
  deadlocked: readonly string[] = [],
): PointRuns {
  const labels = Object.keys(makespans);
  const seeds = makespans[labels[0]!]!.map((_, i) => i);
  const strategies: StrategyRuns[] = labels.map((label) => {
    const v = {} as Record<MetricName, number[]>;
    for (const m of metricNames)
      v[m] = m === 'makespan' ? [...makespans[label]!] : seeds.map(() => 0);
    return {
      label,
      deadlocks: deadlocked.includes(label) ? [0] : [],
      incompletes: [],
      values: v,
    };
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
type Makespans = Record<string, readonly number[]>;
/** A point's makespans, with the strategies that deadlock on a seed. */
type Point = Makespans | readonly [Makespans, readonly string[]];
/** Both strategies deadlock on a seed: nothing is safe. */
const stuck: Point = [aWins, ['A', 'B']];

/** The text of a sweep over `varies` whose points (in grid order) are given. */
function text(
  varies: Vary[],
  points: Point[],
  margin = 0.05,
  direction: 'lower' | 'higher' = 'lower',
) {
  const grid: Record<string, VaryValue>[] = varies.reduce<Record<string, VaryValue>[]>(
    (acc, v) => acc.flatMap((p) => v.values.map((x) => ({ ...p, [v.path]: x }))),
    [{}],
  );
  const doc = sweepDocument(
    { name: 'made-up', description: '', inputHash: 'sha256:0' },
    { start: 0, count: 4 },
    varies,
    { metric: 'makespan', direction, margin },
    grid.map((values, i) => {
      const point = points[i]!;
      const [makespans, deadlocked] = Array.isArray(point) ? point : [point, []];
      return madeUp(values, makespans, deadlocked);
    }),
    undefined,
  );
  return sweepText(doc).split('\n');
}

/** The lines after the rule under the table, up to the flips. */
const closing = (lines: string[]) => {
  const rule = lines.findIndex((l) => l.startsWith('A winner completed every run'));
  return lines.slice(rule + 1, lines.indexOf('Where the answer flips')).filter((l) => l !== '');
};

/** The lines after the verdict's rule, under "Where the answer flips". */
const flips = (lines: string[]) => {
  const rule = lines.findIndex((l) => l.startsWith('The strategy to adopt is the one'));
  expect(lines.slice(rule - 2, rule)).toEqual(['Where the answer flips', '']);
  return lines.slice(rule + 1).filter((l) => l !== '');
};

describe('sweep text (made-up runs)', () => {
  it('shows a tie as a tie and states the rule with the margin', () => {
    const lines = text([{ path: 'x', values: [1, 2] }], [aWins, close]);
    // The winner, then the strategy to adopt.
    expect(lines.find((l) => l.startsWith('2 '))).toMatch(/tie: A ≈ B +A$/);
    expect(lines.find((l) => l.startsWith('1 '))).toMatch(/ A +A$/);
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

describe('sweep text: what to adopt, and where the answer flips (made-up runs)', () => {
  it('shows the verdict in the adopt column, and nothing safe where no strategy is', () => {
    const lines = text([{ path: 'x', values: [1, 2, 3] }], [close, stuck, bWins]);
    expect(lines[2]).toMatch(/ winner +adopt$/);
    // Close: a tie in the race, the reference A to adopt.
    expect(lines.find((l) => l.startsWith('1 '))).toMatch(/tie: A ≈ B +A$/);
    expect(lines.find((l) => l.startsWith('2 '))).toMatch(/ nothing safe$/);
    expect(lines.find((l) => l.startsWith('3 '))).toMatch(/ B +B$/);
    expect(lines).toContain(
      "The strategy to adopt is the one compare's verdict recommends at the point: unsafe strategies are set aside, the simplest safe one is the reference, and another is recommended only if the whole paired 95% CI of its difference on makespan lies beyond 5% of the reference's mean on the better side (lower makespan is better); a lead over the reference within the margin keeps it.",
    );
    expect(flips(lines)).toEqual([
      'Along x, the answer flips between 1 and 2: adopt A at 1, nothing at 2 (no strategy is safe there).',
      'Along x, the answer flips between 2 and 3: adopt nothing at 2 (no strategy is safe there), B at 3.',
    ]);
  });

  it('names the values on either side of a flip, up to the next flip or the end of the line', () => {
    const lines = text(
      [{ path: 'x', values: [1, 2, 3, 4, 5, 6] }],
      [aWins, close, close, bWins, bWins, aWins],
    );
    expect(flips(lines)).toEqual([
      'Along x, the answer flips between 3 and 4: adopt A from 1 to 3, B at 4 and 5.',
      'Along x, the answer flips between 5 and 6: adopt B at 4 and 5, A at 6.',
    ]);
  });

  it('says once what it recommends when the answer never flips, a tie being no flip', () => {
    expect(flips(text([{ path: 'x', values: [1, 2] }], [aWins, close]))).toEqual([
      'The verdict recommends A at every point.',
    ]);
    expect(flips(text([{ path: 'x', values: [1, 2] }], [stuck, stuck]))).toEqual([
      'No strategy is safe at any point: the verdict recommends nothing.',
    ]);
    // --direction turns the race, not the verdict: the rule says so, and A (the
    // reference, faster) stays the answer while B wins the race.
    const turned = text([{ path: 'x', values: [1] }], [aWins], 0.05, 'higher');
    expect(turned.find((l) => l.startsWith('1 '))).toMatch(/ B +A$/);
    expect(turned).toContainEqual(
      expect.stringContaining(
        'on the better side (lower makespan is better, as compare reads it; --direction ranks the winners only); a lead over the reference within the margin keeps it.',
      ),
    );
    // --margin 0: the rule says so.
    expect(text([{ path: 'x', values: [1] }], [aWins], 0)).toContainEqual(
      expect.stringContaining(
        'on makespan lies wholly on the better side of 0 (--margin 0) (lower makespan is better)',
      ),
    );
  });

  it('names the other parameters of a flip, and prints no line twice', () => {
    const lines = text(
      [
        { path: 'x', values: [10, 20] },
        { path: 'y', values: [50, 50, 80] },
      ],
      [aWins, aWins, aWins, bWins, bWins, aWins],
    );
    expect(flips(lines)).toEqual([
      'Along x at y=50, the answer flips between 10 and 20: adopt A at 10, B at 20.',
      'Along y at x=20, the answer flips between 50 and 80: adopt B at 50, A at 80.',
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
    expect(d.version).toBe(3);
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

describe('dispatchlab sweep on no-work-during-waits', () => {
  it('prints where the answer flips: blocking up to 3 s of work per result, async at 5 s', () => {
    const r = cli(
      'sweep',
      'scenarios/no-work-during-waits.yaml',
      '--vary',
      'orchestrator.process=1,3,5',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const cells = (value: string) =>
      lines
        .find((l) => l.startsWith(`${value} `))!
        .trim()
        .split(/\s{2,}/);
    expect(lines[2]!.trim().split(/\s{2,}/)).toEqual([
      'orchestrator.process',
      'blocking(retries=1)',
      'async(events,retries=1)',
      'winner',
      'adopt',
    ]);
    expect(cells('1').slice(3)).toEqual([
      'tie: async(events,retries=1) ≈ blocking(retries=1)',
      'blocking(retries=1)',
    ]);
    expect(cells('5').slice(3)).toEqual(['async(events,retries=1)', 'async(events,retries=1)']);
    // The race has no change to tell (a tie, then a winner); the answer flips.
    expect(closing(lines)).toEqual([
      'async(events,retries=1) wins at every point that has a clear winner (1 of 3); the others have none.',
    ]);
    const flip =
      'Along orchestrator.process, the answer flips between 3 and 5: adopt blocking(retries=1) at 1 and 3, async(events,retries=1) at 5.';
    expect(flips(lines)).toEqual([flip]);
    // The README quotes it as printed.
    expect(readFileSync('README.md', 'utf8').replace(/\s+/g, ' ')).toContain(flip);
  });
});
