import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/experiment/errors.js';
import { sweep } from '../../src/experiment/sweep.js';
import { ScenarioError } from '../../src/scenario/index.js';
import { processingInput, scenarioOf } from './helpers.js';

describe('sweep', () => {
  const scenario = scenarioOf(processingInput(), 'processing.yaml');

  it('finds where async starts to win as the per-result processing time grows', async () => {
    const doc = await sweep(scenario, { vary: ['orchestrator.process=0..60:4'] });
    expect(doc.format).toBe('dispatchlab-sweep');
    expect(doc.vary).toEqual([{ path: 'orchestrator.process', values: [0, 20, 40, 60] }]);
    expect(doc.winnerBy).toEqual({ metric: 'makespan', direction: 'lower' });
    expect(doc.points.map((p) => p.values)).toEqual(
      [0, 20, 40, 60].map((v) => ({ 'orchestrator.process': v })),
    );

    // With nothing to do per result, blocking and async finish at the same instant on
    // every seed: an exact tie, which goes to the strategy listed first, not decisively.
    const [zero, ...rest] = doc.points;
    const [blocking, async] = zero!.results.strategies;
    expect(blocking!.metrics.makespan.mean).toBe(async!.metrics.makespan.mean);
    expect(zero!.winner).toBe('blocking');
    expect(zero!.decisive).toBe(false);
    // With work per result, async overlaps it with the waiting, decisively.
    for (const p of rest) {
      expect(p.winner).toBe('async(wip=unbounded,events)');
      expect(p.decisive).toBe(true);
    }
    expect(doc.changes).toEqual([
      {
        along: 'orchestrator.process',
        from: 0,
        to: 1,
        between: [0, 20],
        before: 'blocking',
        after: 'async(wip=unbounded,events)',
      },
    ]);
  });

  it('finds changes along each axis of a grid, and follows a strategy whose label changes', async () => {
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
      'blocking',
      'blocking',
      'async(wip=unbounded,events)',
    ]);
    expect(doc.changes.map((c) => [c.along, c.from, c.to])).toEqual([
      // Ordered by the first point's index.
      ['orchestrator.process', 1, 3],
      ['strategies[1].wip', 2, 3],
    ]);
  });

  it('picks the winner by another metric and direction', async () => {
    const doc = await sweep(scenario, {
      seeds: { start: 0, count: 5 },
      vary: ['orchestrator.process=0,30'],
      metric: 'idleTime',
      direction: 'higher',
    });
    expect(doc.winnerBy).toEqual({ metric: 'idleTime', direction: 'higher' });
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
