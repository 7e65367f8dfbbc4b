/** Cases a second reading of the model found wrong once; each stays fixed. */
import { describe, expect, it } from 'vitest';
import { world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { blocking } from '../../src/strategies/blocking.js';
import { fixed } from './helpers.js';

describe('model regressions', () => {
  it('polling a hung subagent with no timeout ends as a deadlock instead of polling forever', () => {
    const w = world({ tasks: 1, latency: fixed(10), failures: { hang: 1 } });
    const r = runStrategy({
      world: w,
      strategy: asyncDispatch({ continuation: 'polling' }),
      seed: 1,
      maxEvents: 100_000,
    });
    expect(r.metrics.outcome).toBe('deadlock');
  });

  it('ends as a deadlock too when poll rounds come back to back (a round longer than the interval)', () => {
    // Three subagents polled at 5 s each every 1 s; one hangs, two end at 30 s. Before,
    // once only the hung one was left, the rounds went on forever.
    const w = world({
      tasks: 3,
      latency: fixed(30),
      failures: { hang: 0.5 },
      orchestrator: { poll: 5 },
    });
    const r = runStrategy({
      world: w,
      strategy: asyncDispatch({ continuation: 'polling', pollInterval: 1 }),
      seed: 0,
      maxEvents: 100_000,
    });
    expect(r.metrics.outcome).toBe('deadlock');
    expect(r.metrics.failures).toBe(1);
    expect(r.metrics.succeeded).toBe(2); // the others' results were still processed
    expect(r.metrics.pollTime).toBe(45); // three rounds of three checks, then it idles
  });

  it('answers permission requests between back-to-back poll rounds instead of starving them', () => {
    // Foreground polling (as a user's strategy may set it): three subagents each stop to
    // ask; rounds of 3 x 5 s every 1 s left no turn for the inbox, and nothing ever ended.
    const base = asyncDispatch({ continuation: 'polling', pollInterval: 1 });
    const strategy: Strategy = {
      ...base,
      label: 'foreground polling',
      settings: { ...base.settings, mode: 'foreground' },
    };
    const w = world({
      tasks: 3,
      latency: fixed(100),
      failures: { needsPermission: 1 },
      orchestrator: { poll: 5, answer: 2 },
    });
    const r = runStrategy({ world: w, strategy, seed: 1, maxEvents: 100_000 });
    expect(r.metrics.outcome).toBe('completed');
    expect(r.metrics.succeeded).toBe(3);
    expect(r.metrics.permissionRequests).toBe(3);
  });

  it('records an end before the start of the subagent that takes its slot', () => {
    const trace = new MemoryTrace<ModelTraceRecord>();
    runStrategy({
      world: world({ tasks: 2, latency: fixed(10) }),
      strategy: asyncDispatch({ wip: 1 }),
      seed: 1,
      trace,
    });
    const at10 = trace.records.filter((r) => r.t === 10).map((r) => r.type);
    expect(at10.indexOf('end')).toBeGreaterThanOrEqual(0);
    expect(at10.indexOf('end')).toBeLessThan(at10.indexOf('start'));
  });

  it('does not cancel a subagent that ends exactly at its timeout', () => {
    for (const strategy of [
      blocking({ timeout: 10 }),
      asyncDispatch({ timeout: 10 }),
      asyncDispatch({ timeout: 10, continuation: 'polling', pollInterval: 5 }),
    ]) {
      const m = runStrategy({
        world: world({ tasks: 1, latency: fixed(10) }),
        strategy,
        seed: 1,
      }).metrics;
      expect([strategy.label, m.succeeded, m.givenUp]).toEqual([strategy.label, 1, 0]);
    }
  });

  it("withdraws a finished subagent's timer, so timeouts cost no events", () => {
    const w = world({ tasks: 200, latency: fixed(10) });
    const without = runStrategy({ world: w, strategy: asyncDispatch({ wip: 10 }), seed: 1 });
    const withTimeout = runStrategy({
      world: w,
      strategy: asyncDispatch({ wip: 10, timeout: 15 }),
      seed: 1,
    });
    expect(withTimeout.metrics.makespan).toBe(without.metrics.makespan);
    expect(withTimeout.events).toBe(without.events);
  });
});
