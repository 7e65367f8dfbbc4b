import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/experiment/errors.js';
import {
  clearsMargin,
  formatMargin,
  marginThreshold,
  parseMargin,
} from '../../src/experiment/margin.js';
import { type MetricName, metricNames } from '../../src/experiment/metric-names.js';
import type { PartialDocument } from '../../src/experiment/partial.js';
import { toJson } from '../../src/experiment/results.js';
import type { StrategyRuns } from '../../src/experiment/run-seeds.js';
import { merge, sweepShard } from '../../src/experiment/shard.js';
import { type PointRuns, sweep, sweepDocument } from '../../src/experiment/sweep.js';
import type { Vary, VaryValue } from '../../src/experiment/vary.js';
import { ScenarioError } from '../../src/scenario/index.js';
import { processingInput, scenarioOf } from './helpers.js';

describe('sweep', () => {
  const scenario = scenarioOf(processingInput(), 'processing.yaml');

  it('finds where async starts to win as the per-result processing time grows', async () => {
    const doc = await sweep(scenario, { vary: ['orchestrator.process=0..60:4'] });
    expect(doc.format).toBe('dispatchlab-sweep');
    expect(doc.version).toBe(3);
    expect(doc.vary).toEqual([{ path: 'orchestrator.process', values: [0, 20, 40, 60] }]);
    expect(doc.winnerBy).toEqual({ metric: 'makespan', direction: 'lower', margin: 0.05 });
    expect(doc.points.map((p) => p.values)).toEqual(
      [0, 20, 40, 60].map((v) => ({ 'orchestrator.process': v })),
    );

    // With nothing to do per result, blocking and async finish at the same instant on
    // every seed: an exact tie, which no strategy wins; the leader (equal means: the one
    // listed first) comes first in `tied`.
    const [zero, ...rest] = doc.points;
    const [blocking, async] = zero!.results.strategies;
    expect(blocking!.metrics.makespan.mean).toBe(async!.metrics.makespan.mean);
    expect(zero).toMatchObject({
      winner: null,
      lead: 'tie',
      tied: ['blocking', 'async(events)'],
    });
    // With work per result, async overlaps it with the waiting, clearly.
    for (const p of rest) {
      expect(p).toMatchObject({ winner: 'async(events)', lead: 'clear', tied: [] });
    }
    // From a tie to a winner is no change of winner.
    expect(doc.changes).toEqual([]);
  });

  it('calls a lead within the margin a tie; --margin 0 takes any significant lead', async () => {
    const vary = ['orchestrator.process=0..10:6'];
    // Async's lead grows by about 1% of blocking's makespan per second of processing.
    const byDefault = await sweep(scenario, { vary });
    expect(byDefault.points.map((p) => p.lead)).toEqual([
      'tie',
      'tie',
      'tie',
      'clear',
      'clear',
      'clear',
    ]);
    for (const p of byDefault.points.slice(1, 3)) {
      // Ahead on every seed (significant), but by less than 5% of blocking's mean.
      const [b, a] = p.results.strategies.map((s) => s.metrics.makespan.mean!);
      expect(a).toBeLessThan(b!);
      expect(b! - a!).toBeLessThan(0.05 * b!);
      expect(p.tied).toEqual(['async(events)', 'blocking']);
    }
    const any = await sweep(scenario, { vary, margin: 0 });
    expect(any.winnerBy.margin).toBe(0);
    expect(any.points.map((p) => p.lead)).toEqual(['tie', ...Array(5).fill('clear')]);
    const wide = await sweep(scenario, { vary, margin: '20%' });
    expect(wide.winnerBy.margin).toBe(0.2);
    expect(wide.points.every((p) => p.lead === 'tie' && p.winner === null)).toBe(true);
  });

  it('finds changes of clear winner along each axis of a grid, naming the line, and follows a strategy whose label changes', async () => {
    const doc = await sweep(scenario, {
      seeds: { start: 0, count: 8 },
      vary: ['orchestrator.process=0,30', 'strategies[1].wip=1,unbounded'],
    });
    expect(doc.points.map((p) => p.values)).toEqual([
      { 'orchestrator.process': 0, 'strategies[1].wip': 1 },
      { 'orchestrator.process': 0, 'strategies[1].wip': 'unbounded' },
      { 'orchestrator.process': 30, 'strategies[1].wip': 1 },
      { 'orchestrator.process': 30, 'strategies[1].wip': 'unbounded' },
    ]);
    // One subagent at a time loses to fanning out; unbounded async ties at 0 and wins at 30.
    expect(doc.points.map((p) => p.winner)).toEqual([
      'blocking',
      null,
      'blocking',
      'async(events)',
    ]);
    // Along orchestrator.process at wip=unbounded the tie at 0 is no change; along the
    // wip at process=0, neither.
    expect(doc.changes).toEqual([
      {
        along: 'strategies[1].wip',
        at: { 'orchestrator.process': 30 },
        from: 2,
        to: 3,
        between: [1, 'unbounded'],
        before: 'blocking',
        after: 'async(events)',
      },
    ]);
  });

  it('picks the winner by another metric and direction', async () => {
    const doc = await sweep(scenario, {
      seeds: { start: 0, count: 5 },
      vary: ['orchestrator.process=0,30'],
      metric: 'idleTime',
      direction: 'higher',
    });
    expect(doc.winnerBy).toEqual({ metric: 'idleTime', direction: 'higher', margin: 0.05 });
    expect(doc.points[1]!.winner).toBe('blocking');
    await expect(sweep(scenario, { vary: ['tasks.count=3'], metric: 'speed' })).rejects.toThrow(
      /"speed" is not a metric/,
    );
  });

  it('checks every grid point before running: bad values get the scenario error naming the path', async () => {
    // The bad point is the last: nothing may have run when it is refused.
    let progressed = 0;
    const bad = sweep(scenario, { vary: ['tasks.count=4,0'], onProgress: () => progressed++ });
    await expect(bad).rejects.toBeInstanceOf(ScenarioError);
    expect(progressed).toBe(0);
    await sweep(scenario, {
      vary: ['tasks.count=4,5'],
      seeds: { start: 0, count: 2 },
      onProgress: () => progressed++,
    });
    expect(progressed).toBeGreaterThan(0); // so the count above could have moved
    await expect(sweep(scenario, { vary: ['tasks.count=4,0'] })).rejects.toThrow(
      /processing.yaml \(sweep point tasks.count=0\): tasks.count/,
    );
    await expect(sweep(scenario, { vary: ['orchestrator.procss=1'] })).rejects.toThrow(
      /orchestrator/,
    );
    await expect(sweep(scenario, { vary: ['strategies[5].wip=1'] })).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(
      sweep(scenario, { vary: ['strategies[0].label=a,b'], baseline: 'a' }),
    ).rejects.toThrow(/at sweep point strategies\[0\].label=b: no strategy is labelled "a"/);
  });
});

/** Runs made up for the winner rules: makespans per strategy, one per seed; every other metric 0. */
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

const header = { name: 'made-up', description: '', inputHash: 'sha256:0' };
const rule = { metric: 'makespan', direction: 'lower', margin: 0.05 } as const;
// A ahead of B by far, by less than 5%, or behind; C far behind both.
const aWins = { A: [100, 102, 98, 100], B: [150, 153, 147, 151] };
const close = { A: [100, 102, 98, 100], B: [101, 103, 99, 101] };
const bWins = { A: [150, 153, 147, 151], B: [100, 102, 98, 100] };

function madeUpSweep(varies: Vary[], points: PointRuns[], margin = 0.05) {
  return sweepDocument(
    header,
    { start: 0, count: 4 },
    varies,
    { ...rule, margin },
    points,
    undefined,
  );
}

describe('winners, ties and changes (made-up runs)', () => {
  it('a lead within the margin is a tie; 0 takes any significant lead', () => {
    const varies = [{ path: 'x', values: [1] }];
    const tie = madeUpSweep(varies, [madeUp({ x: 1 }, close)]);
    expect(tie.points[0]).toMatchObject({ winner: null, lead: 'tie', tied: ['A', 'B'] });
    const any = madeUpSweep(varies, [madeUp({ x: 1 }, close)], 0);
    expect(any.winnerBy).toEqual({ metric: 'makespan', direction: 'lower', margin: 0 });
    expect(any.points[0]).toMatchObject({ winner: 'A', lead: 'clear', tied: [] });
  });

  it('the leader must clear the margin against every other strategy, not only the runner-up', () => {
    const varies = [{ path: 'x', values: [1] }];
    // B (second best) is clearly beaten; C's mean is further off but so noisy that A is
    // not shown to beat it.
    const doc = madeUpSweep(varies, [
      madeUp({ x: 1 }, { A: [100, 100, 100, 100], B: [120, 121, 119, 120], C: [10, 250, 20, 240] }),
    ]);
    expect(doc.points[0]).toMatchObject({ winner: null, lead: 'tie', tied: ['A', 'C'] });
    // Three close strategies are listed best mean first.
    const three = madeUpSweep(varies, [
      madeUp({ x: 1 }, { C: [101, 103, 99, 101], A: [100, 102, 98, 100], B: [300, 300, 300, 300] }),
    ]);
    expect(three.points[0]!.tied).toEqual(['A', 'C']);
  });

  it('a strategy alone in completing every run wins unopposed; nothing qualifying, no winner', () => {
    const varies = [{ path: 'x', values: [1, 2] }];
    const doc = madeUpSweep(varies, [
      madeUp({ x: 1 }, bWins, ['B']),
      madeUp({ x: 2 }, bWins, ['A', 'B']),
    ]);
    expect(doc.points.map((p) => [p.winner, p.lead, p.tied])).toEqual([
      ['A', null, []],
      [null, null, []],
    ]);
  });

  it('A, then ties, then B is one change between the two clear points; A, tie, A is none', () => {
    const varies = [{ path: 'x', values: [1, 2, 3, 4, 5, 6] }];
    const doc = madeUpSweep(varies, [
      madeUp({ x: 1 }, aWins),
      madeUp({ x: 2 }, close),
      madeUp({ x: 3 }, aWins),
      madeUp({ x: 4 }, close),
      madeUp({ x: 5 }, close),
      madeUp({ x: 6 }, bWins),
    ]);
    expect(doc.points.map((p) => p.winner)).toEqual(['A', null, 'A', null, null, 'B']);
    expect(doc.changes).toEqual([
      { along: 'x', at: {}, from: 2, to: 5, between: [3, 6], before: 'A', after: 'B' },
    ]);
  });

  it('in a grid, follows each line and names the other parameters; ordered by point, then vary', () => {
    const varies = [
      { path: 'x', values: [1, 2, 3] },
      { path: 'y', values: ['a', 'b'] },
    ];
    // x=1: A, A; x=2: tie, B; x=3: B, B.
    const doc = madeUpSweep(varies, [
      madeUp({ x: 1, y: 'a' }, aWins),
      madeUp({ x: 1, y: 'b' }, aWins),
      madeUp({ x: 2, y: 'a' }, close),
      madeUp({ x: 2, y: 'b' }, bWins),
      madeUp({ x: 3, y: 'a' }, bWins),
      madeUp({ x: 3, y: 'b' }, bWins),
    ]);
    expect(doc.changes.map((c) => [c.along, c.at, c.from, c.to, c.between])).toEqual([
      ['x', { y: 'a' }, 0, 4, [1, 3]],
      ['x', { y: 'b' }, 1, 3, [1, 2]],
    ]);
  });

  it('a reference mean of 0 leaves no share to take: the CI must exclude 0', () => {
    const varies = [{ path: 'x', values: [1, 2] }];
    const higher = { ...rule, metric: 'succeeded' as const, direction: 'higher' as const };
    const point = (x: number, a: number[], b: number[]) => {
      const p = madeUp({ x }, { A: [1, 1, 1, 1], B: [1, 1, 1, 1] });
      p.runs.strategies[0]!.values.succeeded.splice(0, 4, ...a);
      p.runs.strategies[1]!.values.succeeded.splice(0, 4, ...b);
      return p;
    };
    const doc = sweepDocument(
      header,
      { start: 0, count: 4 },
      varies,
      higher,
      [point(1, [0, 0, 0, 0], [0, 1, 0, 0]), point(2, [0, 0, 0, 0], [1, 2, 1, 1])],
      undefined,
    );
    // B's one success in four seeds is not significant; 1.25 a seed against 0 is.
    expect(doc.points.map((p) => [p.winner, p.lead])).toEqual([
      [null, 'tie'],
      ['B', 'clear'],
    ]);
  });
});

describe('where the answer flips (made-up runs)', () => {
  // Every strategy here is a blocking one: equally simple, so the reference is the first
  // listed, A, and B is recommended only where it beats A beyond the margin.
  const line = [{ path: 'x', values: [1, 2, 3] }];

  it('a tie is no flip: the reference stays recommended where the race has no winner', () => {
    const doc = madeUpSweep(
      [{ path: 'x', values: [1, 2] }],
      [madeUp({ x: 1 }, aWins), madeUp({ x: 2 }, close)],
    );
    expect(doc.points.map((p) => p.winner)).toEqual(['A', null]);
    expect(doc.points.map((p) => p.verdict.recommended)).toEqual(['A', 'A']);
    expect(doc.flips).toEqual([]);
  });

  it('flips next to a tie where the race sees no change: the verdict always answers', () => {
    const doc = madeUpSweep(line, [
      madeUp({ x: 1 }, close),
      madeUp({ x: 2 }, close),
      madeUp({ x: 3 }, bWins),
    ]);
    expect(doc.points.map((p) => p.winner)).toEqual([null, null, 'B']);
    expect(doc.changes).toEqual([]);
    expect(doc.flips).toEqual([
      { along: 'x', at: {}, from: 1, to: 2, between: [2, 3], before: 'A', after: 'B' },
    ]);
  });

  it('joins adjacent points only, and says null where nothing is safe', () => {
    // At x=2 both strategies deadlock on a seed: nothing is safe, nothing recommended.
    const doc = madeUpSweep(line, [
      madeUp({ x: 1 }, aWins),
      madeUp({ x: 2 }, aWins, ['A', 'B']),
      madeUp({ x: 3 }, bWins),
    ]);
    expect(doc.points[1]!.verdict).toMatchObject({ reference: null, recommended: null });
    expect(doc.flips).toEqual([
      { along: 'x', at: {}, from: 0, to: 1, between: [1, 2], before: 'A', after: null },
      { along: 'x', at: {}, from: 1, to: 2, between: [2, 3], before: null, after: 'B' },
    ]);
    // The race passes over the point without a winner: one change, A to B.
    expect(doc.changes.map((c) => [c.from, c.to])).toEqual([[0, 2]]);
  });

  it('tells strategies apart by position: a label changed by a varied field is no flip', () => {
    const varies = [{ path: 'b', values: ['one', 'two', 'three'] }];
    const doc = madeUpSweep(varies, [
      madeUp({ b: 'one' }, { A: bWins.A, B1: bWins.B }),
      madeUp({ b: 'two' }, { A: bWins.A, B2: bWins.B }),
      madeUp({ b: 'three' }, { A: aWins.A, B3: aWins.B }),
    ]);
    expect(doc.points.map((p) => p.verdict.recommended)).toEqual(['B1', 'B2', 'A']);
    expect(doc.flips).toEqual([
      {
        along: 'b',
        at: {},
        from: 1,
        to: 2,
        between: ['two', 'three'],
        before: 'B2',
        after: 'A',
      },
    ]);
  });

  it('in a grid, follows each line, naming the other parameters; ordered by point, then vary', () => {
    const varies = [
      { path: 'x', values: [1, 2] },
      { path: 'y', values: ['a', 'b'] },
    ];
    // x=1: A, A; x=2: A, B.
    const doc = madeUpSweep(varies, [
      madeUp({ x: 1, y: 'a' }, aWins),
      madeUp({ x: 1, y: 'b' }, aWins),
      madeUp({ x: 2, y: 'a' }, close),
      madeUp({ x: 2, y: 'b' }, bWins),
    ]);
    expect(doc.flips.map((f) => [f.along, f.at, f.from, f.to, f.before, f.after])).toEqual([
      ['x', { y: 'b' }, 1, 3, 'A', 'B'],
      ['y', { x: 2 }, 2, 3, 'A', 'B'],
    ]);
  });

  it("judges each point by the sweep's metric and margin, as compare's verdict does", () => {
    const doc = madeUpSweep([{ path: 'x', values: [1] }], [madeUp({ x: 1 }, bWins)], 0.5);
    expect(doc.points[0]!.verdict).toMatchObject({
      objective: 'makespan',
      direction: 'lower',
      margin: 0.5,
      reference: 'A',
      // B is a third faster: inside a 50% margin, so the reference stays.
      recommended: 'A',
    });
  });
});

describe('the margin (margin.ts)', () => {
  it('reads 5%, 0.05 and 0, and refuses amounts, bare numbers above 1 and negatives', () => {
    expect(parseMargin('5%')).toBe(0.05);
    expect(parseMargin(' 7% ')).toBe(0.07);
    expect(parseMargin('2.5%')).toBe(0.025);
    expect(parseMargin('0.05')).toBe(0.05);
    expect(parseMargin('0')).toBe(0);
    expect(parseMargin('0%')).toBe(0);
    expect(parseMargin('100%')).toBe(1);
    expect(parseMargin(0.1)).toBe(0.1);
    expect(formatMargin(0.05)).toBe('5%');
    expect(formatMargin(0.025)).toBe('2.5%');
    expect(() => parseMargin('5')).toThrow(/would be 500% \(write 5% if that is what you mean\)/);
    expect(() => parseMargin('30s')).toThrow(/not an amount/);
    expect(() => parseMargin('-5%')).toThrow(/cannot be negative/);
    expect(() => parseMargin('150%')).toThrow(/at most 100%/);
    expect(() => parseMargin('five')).toThrow(UsageError);
    expect(() => parseMargin(Number.NaN)).toThrow(UsageError);
    expect(() => parseMargin(2)).toThrow(/from 0 to 1/);
  });

  it('clears only when the whole CI lies beyond margin × |reference mean|, strictly', () => {
    // Lower is better: a − b must be below −5 with a reference mean of 100.
    expect(clearsMargin([-9, -5.01], 100, 'lower', 0.05)).toBe(true);
    expect(clearsMargin([-9, -5], 100, 'lower', 0.05)).toBe(false);
    expect(clearsMargin([-9, -1], 100, 'lower', 0.05)).toBe(false);
    expect(clearsMargin([-9, -1], 100, 'lower', 0)).toBe(true);
    expect(clearsMargin([-9, 0], 100, 'lower', 0)).toBe(false);
    expect(clearsMargin([5.01, 9], 100, 'higher', 0.05)).toBe(true);
    expect(clearsMargin([4, 9], 100, 'higher', 0.05)).toBe(false);
    // A negative reference mean gives the same threshold as its absolute value.
    expect(marginThreshold(0.05, -100)).toBe(5);
    // No reference mean to scale (0 or none): any significant difference.
    expect(marginThreshold(0.05, 0)).toBe(0);
    expect(marginThreshold(0.05, null)).toBe(0);
    expect(clearsMargin([0.01, 0.5], 0, 'higher', 0.05)).toBe(true);
    expect(clearsMargin([0, 0.5], 0, 'higher', 0.05)).toBe(false);
    // No CI (fewer than two pairs): no claim.
    expect(clearsMargin(null, 100, 'lower', 0)).toBe(false);
  });
});

describe('sweep shards carry the margin', () => {
  const roundTrip = (doc: PartialDocument) =>
    JSON.parse(toJson(doc)) as { winnerBy: Record<string, unknown> };
  const scenario = scenarioOf(processingInput());
  const options = { seeds: { start: 0, count: 6 }, vary: ['orchestrator.process=0..10:3'] };

  it('merges into exactly the unsharded document at a margin of 10%', async () => {
    const whole = toJson(await sweep(scenario, { ...options, margin: '10%' }));
    const parts = await Promise.all(
      [1, 2].map((i) => sweepShard(scenario, { ...options, margin: '10%', shard: `${i}/2` })),
    );
    expect(parts[0]!.winnerBy).toEqual({ metric: 'makespan', direction: 'lower', margin: 0.1 });
    expect(toJson(merge(parts.map(roundTrip)))).toBe(whole);
    // Shards run at different margins are not one experiment.
    const other = roundTrip(await sweepShard(scenario, { ...options, shard: '2/2' }));
    expect(() => merge([roundTrip(parts[0]!), other])).toThrow(/--margin/);
  });

  it('reads a partial written before the margin existed as the default margin', async () => {
    const whole = toJson(await sweep(scenario, options));
    const parts = await Promise.all(
      [1, 2].map((i) => sweepShard(scenario, { ...options, shard: `${i}/2` })),
    );
    const old = parts.map(roundTrip);
    for (const p of old) delete p.winnerBy.margin;
    expect(toJson(merge(old))).toBe(whole);
  });

  it('refuses a bad margin before anything runs', async () => {
    let progressed = 0;
    await expect(
      sweep(scenario, { ...options, margin: '5', onProgress: () => progressed++ }),
    ).rejects.toThrow(/--margin 5: a margin is a share/);
    expect(progressed).toBe(0);
  });
});
