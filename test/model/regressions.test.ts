/** Cases a second reading of the model found wrong once; each stays fixed. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { blocking } from '../../src/strategies/blocking.js';
import { build, worldArb } from './arbitraries.js';
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

  it('dispatches a task again as soon as a compaction forgets its handle, instead of idling', () => {
    // Two tasks of 40 s, dispatch 1 s, a volatile registry; 100 tokens per handle against a
    // budget of 150, so the context is over budget once both are out. Seed 1's forget
    // draws: agent 0 kept (0.61), agent 1 forgotten (0.13) at the first compaction.
    //   0→1 dispatch task 0 (agent 0 runs 1→41); 1→2 dispatch task 1 (agent 1 runs 2→42);
    //   2→3 the compaction, in nextResult's housekeeping: agent 1 forgotten, task 1 ready;
    //   3→4 dispatch task 1 again (agent 2, a duplicate, runs 4→44; agent 1 still live);
    //   41 agent 0's result; 42 agent 1 ends, dropped (a ghost); 44 agent 2's result: done.
    // Before, nextResult went back to waiting at 3: idle until 41, the duplicate
    // dispatched 41→42, ending at 82.
    const trace = new MemoryTrace<ModelTraceRecord>();
    const w = world({
      tasks: 2,
      latency: fixed(40),
      orchestrator: { dispatch: 1 },
      context: { perHandle: 100, budget: 150, compactionCost: 1, forgetProbability: 0.5 },
    });
    const m = runStrategy({
      world: w,
      strategy: asyncDispatch({ registry: 'volatile' }),
      seed: 1,
      trace,
    }).metrics;
    const facts = trace.records
      .filter((r) => ['spawn', 'forget', 'end', 'drop', 'resolve'].includes(r.type))
      .map((r) => `${r.t} ${r.type} ${'agent' in r ? r.agent : ''}`);
    expect(facts).toEqual([
      '1 spawn 0',
      '2 spawn 1',
      '3 forget 1',
      '4 spawn 2',
      '41 end 0',
      '41 resolve 0',
      '42 end 1',
      '42 drop 1',
      '44 end 2',
      '44 resolve 2',
    ]);
    // The orchestrator believes it never dispatched task 1: it declares a first dispatch,
    // though it is the task's second attempt (a duplicate, judged by the metrics).
    expect(trace.records.find((r) => r.type === 'spawn' && r.agent === 2)).toMatchObject({
      reason: 'first',
      attempt: 1,
    });
    expect([m.makespan, m.idleTime, m.compactionTime, m.dispatchTime]).toEqual([44, 40, 1, 3]);
    expect([m.duplicateSpawns, m.ghosts, m.wastedGhost]).toEqual([1, 1, 40]);
  });

  it('never idles after a forget while the forgotten task waits to be dispatched again', () => {
    // Random worlds, async with a volatile registry and no gating: from each forget to the
    // dispatch of its task again, the orchestrator is busy throughout (it may finish what
    // it is doing, and process a result already buffered, but never waits).
    fc.assert(
      fc.property(
        worldArb,
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom('events' as const, 'polling' as const),
        fc.integer({ min: 0, max: 1000 }),
        (p, wip, continuation, seed) => {
          const trace = new MemoryTrace<ModelTraceRecord>();
          const strategy = asyncDispatch({
            wip,
            continuation,
            registry: 'volatile',
            timeout: 500,
            retries: 1,
          });
          const forgetProbability = Math.max(p.forgetProbability, 0.3);
          const r = runStrategy({
            world: build({ ...p, forgetProbability }),
            strategy,
            seed,
            trace,
            maxEvents: 200_000,
          });
          const records = trace.records;
          const busy = records.flatMap((b) => (b.type === 'busy' ? [b] : []));
          records.forEach((f, i) => {
            if (f.type !== 'forget') return;
            const again = records
              .slice(i)
              .find((s) => s.type === 'spawn' && s.task === f.task && s.reason === 'first');
            // Its dispatch began when the busy interval that ended with the spawn began.
            const until =
              again === undefined
                ? r.metrics.makespan
                : (busy.find((b) => b.t === again.t && b.kind === 'dispatch')?.start ?? again.t);
            let covered = 0;
            for (const b of busy)
              covered += Math.max(0, Math.min(b.t, until) - Math.max(b.start, f.t));
            expect(until - f.t - covered, `forget of agent ${f.agent} at ${f.t}`).toBeLessThan(
              1e-9,
            );
          });
        },
      ),
      { seed: 7, numRuns: 150 },
    );
  });

  it("cancels a forgotten hung subagent at its deadline (the runtime's watchdog), so a timeout prevents the deadlock", () => {
    // One task, every attempt hangs, WIP 1, timeout 30 s, dispatch 1 s; a compaction (1 s)
    // as soon as the first handle is out forgets it (forgetProbability 1).
    //   0→1 dispatch (agent 0 starts at 1, deadline 31); 1→2 the compaction forgets it;
    //   2→3 dispatch again (agent 1, a duplicate, queues behind agent 0's slot);
    //   31 the watchdog cancels agent 0: its slot frees, agent 1 starts (deadline 61);
    //   61 agent 1's timer: cancelled, detected, no retries left: given up.
    // Before, forgetting the handle withdrew agent 0's timer: it held the only slot for
    // good, agent 1 never started, and the run deadlocked at 3 although a timeout was set.
    const trace = new MemoryTrace<ModelTraceRecord>();
    const w = world({
      tasks: 1,
      latency: fixed(10),
      failures: { hang: 1 },
      orchestrator: { dispatch: 1 },
      context: { perHandle: 100, budget: 50, compactionCost: 1, forgetProbability: 1 },
    });
    const r = runStrategy({
      world: w,
      strategy: asyncDispatch({ wip: 1, timeout: 30, registry: 'volatile' }),
      seed: 1,
      trace,
      maxEvents: 10_000,
    });
    const m = r.metrics;
    expect(m.outcome).toBe('completed');
    expect(m.makespan).toBe(61);
    const cancels = trace.records.flatMap((x) => (x.type === 'cancel' ? [x] : []));
    expect(cancels).toEqual([
      { t: 31, type: 'cancel', agent: 0, reason: 'watchdog' },
      { t: 61, type: 'cancel', agent: 1, reason: 'timeout' },
    ]);
    expect(trace.records.find((x) => x.type === 'start' && x.agent === 1)?.t).toBe(31);
    // Agent 0 is a ghost all the same, its 30 s wasted as a ghost's; agent 1's as cancelled.
    expect([m.ghosts, m.wastedGhost, m.wastedCancelled, m.agentSeconds]).toEqual([1, 30, 30, 60]);
    expect([m.failures, m.failuresDetected, m.givenUp]).toEqual([2, 1, 1]);
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
