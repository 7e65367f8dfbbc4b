/** Cases a second reading of the model found wrong once; each stays fixed. */
import { describe, expect, it } from 'vitest';
import { world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
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

  it('records an end before the start of the subagent that takes its slot', () => {
    const trace = new MemoryTrace<ModelTraceRecord>();
    runStrategy({
      world: world({ tasks: 2, latency: fixed(10) }),
      strategy: asyncDispatch({ wip: 1 }),
      seed: 1,
      trace,
    });
    const at10 = trace.records.filter((r) => r.t === 10).map((r) => r.type);
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
