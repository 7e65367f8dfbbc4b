/**
 * What times out a subagent whose handle a compaction forgot (`forgottenTimeout`): the
 * runtime's watchdog, at its deadline (the default), or nothing (the timer lived in the
 * orchestrator's context and went with the handle). Small worlds worked out by hand, then
 * properties over random ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WorldConfig, world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { strategyFromConfig } from '../../src/strategies/config.js';
import { build, worldArb } from './arbitraries.js';
import { fixed } from './helpers.js';

function traced(w: WorldConfig, strategy: Strategy) {
  const trace = new MemoryTrace<ModelTraceRecord>();
  const report = runStrategy({ world: w, strategy, seed: 1, trace, maxEvents: 10_000 });
  const facts = trace.records
    .filter((r) => ['start', 'forget', 'cancel', 'detect', 'drop'].includes(r.type))
    .map(
      (r) =>
        `${r.t} ${r.type} ${'agent' in r ? r.agent : ''}${'reason' in r ? ` ${r.reason}` : ''}`,
    );
  return { ...report, facts };
}

/** One task whose attempts all hang; the first handle is forgotten at once (a compaction 1→2). */
const oneHang = world({
  tasks: 1,
  latency: fixed(10),
  failures: { hang: 1 },
  orchestrator: { dispatch: 1 },
  context: { perHandle: 100, budget: 50, compactionCost: 1, forgetProbability: 1 },
});

describe('forgottenTimeout: runtime (the default)', () => {
  it('with polling, the watchdog cancels a forgotten subagent at its deadline; tracked ones wait for a check', () => {
    // Polls every 10 s, free. 0→1 dispatch (agent 0 starts at 1, deadline 31); 1→2 the
    // compaction forgets it; 2→3 dispatch again (agent 1 queues; rounds due from 3 + 10).
    // 31: the watchdog cancels agent 0 (no poll ever sees it), agent 1 starts, the
    // orchestrator wakes to a due round. Rounds at 31, 41, 51, 61 find agent 1 running
    // (61 is its deadline, not past it); at 71 it is overdue: cancelled, detected 10 s late.
    const r = traced(
      oneHang,
      asyncDispatch({
        wip: 1,
        timeout: 30,
        registry: 'volatile',
        continuation: 'polling',
        pollInterval: 10,
      }),
    );
    expect(r.facts).toEqual([
      '1 start 0',
      '2 forget 0',
      '31 cancel 0 watchdog',
      '31 start 1',
      '71 cancel 1 timeout',
      '71 detect 1',
    ]);
    expect([r.metrics.makespan, r.metrics.ghosts]).toEqual([71, 1]);
    expect(r.metrics.detectionLatency).toBe(10);
    expect([r.metrics.wastedGhost, r.metrics.wastedCancelled]).toEqual([30, 40]);
  });

  it('times a subagent forgotten while it queued from its start', () => {
    // Two tasks, every attempt hangs, WIP 1, timeout 30; 100 tokens a handle against 150, so
    // the context is over budget once both are out; seed 1 forgets agent 1 (0.13 < 0.5),
    // keeps agent 0 (0.61). 0→1 dispatch (agent 0 starts at 1); 1→2 dispatch (agent 1
    // queues); 2→3 the compaction forgets agent 1; 3→4 dispatch again (agent 2 queues).
    // 31: agent 0's timer; its task given up; agent 1 starts, forgotten: the watchdog's
    // deadline is 61. 61: cancelled (dropped: the orchestrator knows it not); agent 2
    // starts. 91: agent 2's timer; task 1 given up.
    const w = world({
      tasks: 2,
      latency: fixed(10),
      failures: { hang: 1 },
      orchestrator: { dispatch: 1 },
      context: { perHandle: 100, budget: 150, compactionCost: 1, forgetProbability: 0.5 },
    });
    const r = traced(w, asyncDispatch({ wip: 1, timeout: 30, registry: 'volatile' }));
    expect(r.facts).toEqual([
      '1 start 0',
      '3 forget 1',
      '31 cancel 0 timeout',
      '31 start 1',
      '31 detect 0',
      '61 cancel 1 watchdog',
      '61 start 2',
      '61 drop 1',
      '91 cancel 2 timeout',
      '91 detect 2',
    ]);
    expect([r.metrics.makespan, r.metrics.givenUp, r.metrics.ghosts]).toEqual([91, 2, 1]);

    // With `none` nothing times agent 1: it holds the only slot from 31 for good.
    const none = traced(
      w,
      asyncDispatch({ wip: 1, timeout: 30, registry: 'volatile', forgottenTimeout: 'none' }),
    );
    expect(none.metrics.outcome).toBe('deadlock');
    expect(none.facts).toEqual([
      '1 start 0',
      '3 forget 1',
      '31 cancel 0 timeout',
      '31 start 1',
      '31 detect 0',
    ]);
    expect(none.metrics.ghosts).toBe(1);
  });
});

describe('forgottenTimeout: none', () => {
  it('forgets the timer with the handle: a forgotten hang holds its WIP slot and the run deadlocks', () => {
    for (const continuation of ['events', 'polling'] as const) {
      const r = traced(
        oneHang,
        asyncDispatch({
          wip: 1,
          timeout: 30,
          registry: 'volatile',
          continuation,
          forgottenTimeout: 'none',
        }),
      );
      expect(r.metrics.outcome, continuation).toBe('deadlock');
      expect(r.metrics.makespan, continuation).toBe(3);
      expect(r.deadlock, continuation).toMatch(
        /subagent-0 .* waits for event 'the reply of a hung/,
      );
      expect(r.facts, continuation).toEqual(['1 start 0', '2 forget 0']);
      expect(r.metrics.ghosts, continuation).toBe(1);
    }
  });
});

describe('forgottenTimeout as an option', () => {
  it('is named in the label only when not the default, so that existing labels stay as they were', () => {
    expect(asyncDispatch({ wip: 10, timeout: 600 }).label).toBe('async(wip=10,events,timeout=10m)');
    expect(asyncDispatch({ wip: 10, timeout: 600, forgottenTimeout: 'runtime' }).label).toBe(
      'async(wip=10,events,timeout=10m)',
    );
    expect(asyncDispatch({ wip: 10, timeout: 600, forgottenTimeout: 'none' }).label).toBe(
      'async(wip=10,events,timeout=10m,forgottenTimeout=none)',
    );
  });

  it('passes from a typed configuration to the settings, runtime when absent', () => {
    const config = {
      kind: 'async',
      timeout: 600,
      retries: 0,
      wip: 10,
      continuation: 'events',
      pollInterval: 30,
      waveSize: Number.POSITIVE_INFINITY,
      gating: 0,
      registry: 'volatile',
      resume: false,
    } as const;
    expect(strategyFromConfig(config).settings.forgottenTimeout).toBe('runtime');
    expect(
      strategyFromConfig({ ...config, forgottenTimeout: 'none' }).settings.forgottenTimeout,
    ).toBe('none');
  });

  it('refuses anything but runtime or none', () => {
    expect(() =>
      asyncDispatch({ forgottenTimeout: 'watchdog' as unknown as 'runtime' }),
    ).toThrowError(/forgottenTimeout must be 'runtime' or 'none', got "watchdog"/);
  });
});

describe('forgotten subagents and timeouts, over random worlds', () => {
  // Hangs at least one attempt in ten, a volatile registry that forgets often, small WIP.
  const cases = fc.tuple(
    worldArb.map((p) => ({
      ...p,
      hang: Math.max(p.hang, 0.1),
      forgetProbability: Math.max(p.forgetProbability, 0.3),
    })),
    fc.integer({ min: 1, max: 4 }),
    fc.constantFrom('events' as const, 'polling' as const),
    fc.integer({ min: 100, max: 1000 }),
    fc.integer({ min: 0, max: 1000 }),
  );

  function facts(records: readonly ModelTraceRecord[]) {
    const startedAt = new Map<number, number>();
    const forgottenAt = new Map<number, number>();
    const cancels: { t: number; agent: number; reason: string }[] = [];
    for (const r of records) {
      if (r.type === 'start') startedAt.set(r.agent, r.t);
      if (r.type === 'forget') forgottenAt.set(r.agent, r.t);
      if (r.type === 'cancel') cancels.push(r);
    }
    return { startedAt, forgottenAt, cancels };
  }

  it('runtime: no run with a timeout deadlocks; the watchdog cancels forgotten subagents only, at their deadline', () => {
    let watchdogCancels = 0;
    fc.assert(
      fc.property(cases, ([p, wip, continuation, timeout, seed]) => {
        const trace = new MemoryTrace<ModelTraceRecord>();
        const strategy = asyncDispatch({
          wip,
          continuation,
          timeout,
          retries: 1,
          registry: 'volatile',
        });
        const r = runStrategy({ world: build(p), strategy, seed, trace, maxEvents: 200_000 });
        expect(r.deadlock).toBeUndefined();
        const { startedAt, forgottenAt, cancels } = facts(trace.records);
        for (const c of cancels) {
          const forgotten = forgottenAt.get(c.agent);
          if (c.reason === 'timeout') {
            // The orchestrator's own: before any forget of the agent.
            if (forgotten !== undefined) expect(forgotten).toBeGreaterThanOrEqual(c.t);
            continue;
          }
          watchdogCancels++;
          expect(c.reason).toBe('watchdog');
          expect(forgotten).toBeLessThanOrEqual(c.t);
          // At the deadline; at the forget if the deadline had passed unseen (polling).
          const deadline = startedAt.get(c.agent)! + timeout;
          expect(c.t).toBeCloseTo(Math.max(deadline, forgotten!), 6);
        }
      }),
      { seed: 5, numRuns: 150 },
    );
    expect(watchdogCancels).toBeGreaterThan(0);
  });

  it('none: nothing cancels a subagent after its handle is forgotten', () => {
    fc.assert(
      fc.property(cases, ([p, wip, continuation, timeout, seed]) => {
        const trace = new MemoryTrace<ModelTraceRecord>();
        const strategy = asyncDispatch({
          wip,
          continuation,
          timeout,
          retries: 1,
          registry: 'volatile',
          forgottenTimeout: 'none',
        });
        runStrategy({ world: build(p), strategy, seed, trace, maxEvents: 200_000 });
        const { forgottenAt, cancels } = facts(trace.records);
        for (const c of cancels) {
          expect(c.reason).toBe('timeout');
          const forgotten = forgottenAt.get(c.agent);
          if (forgotten !== undefined) expect(forgotten).toBeGreaterThanOrEqual(c.t);
        }
      }),
      { seed: 5, numRuns: 150 },
    );
  });
});
