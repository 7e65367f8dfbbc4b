/**
 * The verdict on hand-built documents whose right answer is known: summaries and paired
 * comparisons written out, not produced by runs, so the rule is checked against the
 * answer, not against itself.
 */
import { describe, expect, it } from 'vitest';
import { type MetricName, metricNames } from '../../src/experiment/metric-names.js';
import type {
  Comparison,
  MetricSummary,
  StrategyConfigJson,
  StrategyResult,
} from '../../src/experiment/results.js';
import {
  conditionsOf,
  decide,
  limitsOf,
  type PairedComparer,
  simplicity,
} from '../../src/experiment/verdict.js';

const blocking: StrategyConfigJson = { kind: 'blocking' };
const batch: StrategyConfigJson = { kind: 'batch', size: 5 };
const events: StrategyConfigJson = { kind: 'async', continuation: 'events' };
const polling: StrategyConfigJson = { kind: 'async', continuation: 'polling' };

function summary(mean: number, max = mean): MetricSummary {
  return {
    mean,
    sd: 0,
    ci95: [mean, mean],
    p50: mean,
    p95: mean,
    min: mean,
    max,
    n: 20,
    undefined: 0,
    infinite: 0,
  };
}

interface Made {
  label: string;
  config: StrategyConfigJson;
  makespan: number;
  deadlocks?: number;
  undetected?: number;
  ghosts?: number;
}

function strategy(m: Made): StrategyResult {
  const metrics = {} as Record<MetricName, MetricSummary>;
  for (const name of metricNames) metrics[name] = summary(0);
  metrics.makespan = summary(m.makespan);
  metrics.undetectedFailures = summary(m.undetected ?? 0);
  metrics.ghosts = summary(m.ghosts ?? 0);
  const deadlock = m.deadlocks ?? 0;
  return {
    label: m.label,
    config: m.config,
    outcomes: {
      completed: 20 - deadlock,
      deadlock,
      deadlockSeeds: Array.from({ length: deadlock }, (_, i) => i),
      incomplete: 0,
      incompleteSeeds: [],
    },
    metrics,
  };
}

/** Paired comparisons from a table `a|b|metric` → [mean, low, high]; not listed: equal on every seed. */
function comparer(table: Record<string, [number, number, number]>): PairedComparer {
  return (a, b, metric): Comparison => {
    const [meanDiff, low, high] = table[`${a}|${b}|${metric}`] ?? [0, 0, 0];
    return { a, b, metric, meanDiff, ci95: [low, high], n: 20, excluded: 0 };
  };
}

describe('the verdict', () => {
  it('ranks kinds by simplicity: blocking, batch, async with events, async with polling, others', () => {
    const ranks = [blocking, batch, events, polling, { module: 'x.ts', options: {} }].map(
      simplicity,
    );
    expect(ranks.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(ranks[4]).toBeGreaterThan(3);
  });

  it('a clear win: the whole CI beyond the margin recommends the faster strategy', () => {
    const v = decide(
      [
        strategy({ label: 'b', config: blocking, makespan: 1000 }),
        strategy({ label: 'a', config: events, makespan: 850 }),
      ],
      comparer({ 'a|b|makespan': [-150, -180, -120], 'a|b|turns': [8, 6, 10] }),
    );
    expect(v.reference).toBe('b');
    expect(v.threshold).toBe(50);
    expect(v.recommended).toBe('a');
    expect(v.candidates).toEqual([
      expect.objectContaining({ label: 'a', clears: true, share: -0.15 }),
    ]);
    // The price it pays, from the comparisons: turns differ, nothing else does.
    expect(v.tradeOffs.map((t) => t.metric)).toEqual(['turns']);
  });

  it('a win inside the margin keeps the reference: async must buy something', () => {
    // Significant (the CI excludes 0) but its end, -40, is within 5% of 1000.
    const v = decide(
      [
        strategy({ label: 'async', config: events, makespan: 960 }),
        strategy({ label: 'blocking', config: blocking, makespan: 1000 }),
      ],
      comparer({ 'async|blocking|makespan': [-40, -45, -35] }),
    );
    expect(v.reference).toBe('blocking'); // the simplest, though listed second
    expect(v.recommended).toBe('blocking');
    expect(v.candidates[0]!.clears).toBe(false);
    expect(v.tradeOffs).toEqual([]);
  });

  it('a CI that ends exactly on the margin does not clear it', () => {
    const v = decide(
      [
        strategy({ label: 'b', config: blocking, makespan: 1000 }),
        strategy({ label: 'a', config: events, makespan: 900 }),
      ],
      comparer({ 'a|b|makespan': [-100, -150, -50] }),
    );
    expect(v.recommended).toBe('b');
  });

  it('the fastest strategy, unsafe, is never recommended, and the reference is the simplest safe one', () => {
    const v = decide(
      [
        strategy({ label: 'no-timeout', config: blocking, makespan: 500, deadlocks: 3 }),
        strategy({ label: 'volatile', config: events, makespan: 600, ghosts: 2 }),
        strategy({ label: 'timeout', config: blocking, makespan: 1000 }),
        strategy({ label: 'durable', config: events, makespan: 800 }),
      ],
      comparer({
        'volatile|timeout|makespan': [-400, -450, -350],
        'durable|timeout|makespan': [-200, -230, -170],
      }),
    );
    expect(v.reference).toBe('timeout');
    expect(v.recommended).toBe('durable');
    expect(v.unsafe).toEqual([
      { label: 'no-timeout', reasons: [{ kind: 'deadlock', runs: 3 }] },
      { label: 'volatile', reasons: [{ kind: 'ghosts', mean: 2, worst: 2 }] },
    ]);
    expect(v.candidates.map((c) => c.label)).toEqual(['durable']);
  });

  it('more tasks given up than the reference is unsafe too', () => {
    const v = decide(
      [
        strategy({ label: 'b', config: blocking, makespan: 1000 }),
        strategy({ label: 'a', config: events, makespan: 500 }),
      ],
      comparer({ 'a|b|makespan': [-500, -520, -480], 'a|b|givenUp': [1.5, 0.5, 2.5] }),
    );
    expect(v.recommended).toBe('b');
    expect(v.unsafe[0]!.reasons[0]!.kind).toBe('givenUp');
  });

  it('all strategies unsafe: nothing to recommend', () => {
    const v = decide(
      [
        strategy({ label: 'b', config: blocking, makespan: 1000, undetected: 1 }),
        strategy({ label: 'a', config: events, makespan: 500, ghosts: 1 }),
      ],
      comparer({}),
    );
    expect([v.reference, v.recommended]).toEqual([null, null]);
    expect(v.unsafe.map((u) => u.reasons[0]!.kind)).toEqual(['undetectedFailures', 'ghosts']);
  });

  it('a tie of three: two clear the margin, the best mean wins; the third does not', () => {
    const v = decide(
      [
        strategy({ label: 'polling', config: polling, makespan: 700 }),
        strategy({ label: 'batch', config: batch, makespan: 1000 }),
        strategy({ label: 'events', config: events, makespan: 680 }),
        strategy({ label: 'blocking', config: blocking, makespan: 990 }),
      ],
      comparer({
        'polling|blocking|makespan': [-290, -320, -260],
        'events|blocking|makespan': [-310, -340, -280],
        'batch|blocking|makespan': [10, -5, 25],
      }),
    );
    expect(v.reference).toBe('blocking');
    expect(v.recommended).toBe('events');
    expect(v.candidates.map((c) => [c.label, c.clears])).toEqual([
      ['polling', true],
      ['batch', false],
      ['events', true],
    ]);
  });

  it('judges a higher-is-better objective the other way', () => {
    const withShare = (s: StrategyResult, share: number): StrategyResult => ({
      ...s,
      metrics: { ...s.metrics, correctShare: summary(share) },
    });
    const strategies = [
      withShare(strategy({ label: 'bag', config: events, makespan: 100 }), 0.8),
      withShare(strategy({ label: 'gated', config: { ...events, wip: 5 }, makespan: 200 }), 0.9),
    ];
    const v = decide(
      strategies,
      comparer({
        'gated|bag|correctShare': [0.1, 0.07, 0.13],
        'gated|bag|makespan': [100, 90, 110],
      }),
      { objective: 'correctShare' },
    );
    expect(v.direction).toBe('higher');
    expect(v.recommended).toBe('gated');
    // A lower share would not do, however clear.
    const worse = decide(strategies, comparer({ 'gated|bag|correctShare': [-0.1, -0.13, -0.07] }), {
      objective: 'correctShare',
    });
    expect(worse.recommended).toBe('bag');
  });

  it('a margin of 0 takes any significant difference', () => {
    const v = decide(
      [
        strategy({ label: 'b', config: blocking, makespan: 1000 }),
        strategy({ label: 'a', config: events, makespan: 990 }),
      ],
      comparer({ 'a|b|makespan': [-10, -12, -8] }),
      { margin: 0 },
    );
    expect(v.recommended).toBe('a');
  });
});

describe('what limits a strategy', () => {
  const made = (config: StrategyConfigJson, means: Partial<Record<MetricName, number>>) => {
    const s = strategy({ label: 'x', config, makespan: 1000 });
    const metrics = { ...s.metrics };
    for (const [name, mean] of Object.entries(means)) metrics[name as MetricName] = summary(mean);
    return { ...s, metrics };
  };

  it('the orchestrator, when it is busy 80% of the time or more', () => {
    expect(limitsOf(made({ ...events, wip: 10 }, { idleTime: 150, meanInFlight: 9.5 }))).toEqual([
      { kind: 'orchestrator', busyShare: 0.85 },
    ]);
  });

  it('its slots, when its WIP limit is 80% used or more and the orchestrator is not the limit', () => {
    expect(limitsOf(made({ ...events, wip: 10 }, { idleTime: 600, meanInFlight: 8 }))).toEqual([
      { kind: 'slots', meanInFlight: 8, wip: 10 },
    ]);
    // Without a WIP limit there are no slots to fill.
    expect(limitsOf(made(blocking, { idleTime: 600, meanInFlight: 8 }))[0]!.kind).toBe('subagents');
  });

  it('the subagents otherwise; and polling besides, when it is 30% of the work or more', () => {
    expect(
      limitsOf(made({ ...polling, wip: 10 }, { idleTime: 500, meanInFlight: 5, pollTime: 200 })),
    ).toEqual([
      { kind: 'subagents', idleShare: 0.5 },
      { kind: 'polling', pollShare: 0.4 },
    ]);
  });
});

describe('the four conditions, on the reference', () => {
  it('reads the work to overlap, the peak in flight, the tasks and the compactions from its means', () => {
    const s = strategy({ label: 'b', config: blocking, makespan: 1000 });
    const metrics = {
      ...s.metrics,
      processTime: summary(150),
      planTime: summary(50),
      peakInFlight: summary(1),
      tasks: summary(10),
      compactions: summary(2.5),
    };
    expect(conditionsOf({ ...s, metrics })).toEqual({
      overlappableWork: 200,
      overlappableShare: 0.2,
      peakInFlight: 1,
      tasks: 10,
      compactions: 2.5,
    });
    const v = decide([{ ...s, metrics }], comparer({}));
    expect(v.conditions?.overlappableShare).toBe(0.2);
    expect(decide([strategy({ ...s, makespan: 1, deadlocks: 1 })], comparer({})).conditions).toBe(
      null,
    );
  });
});
