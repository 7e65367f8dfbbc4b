/**
 * Small worlds with fixed latencies whose makespans are worked out by hand from the conventions of
 * docs/model.md, "Conventions that fix the arithmetic". Each comment is the arithmetic; the
 * assertion is exact.
 */
import { describe, expect, it } from 'vitest';
import { drawAttempt } from '../../src/model/attempt-draws.js';
import { noTokens, type WorldConfig, world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import { maxRedispatches } from '../../src/model/task-life.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { LognormalDistribution } from '../../src/sim/distributions/lognormal.js';
import { StreamFactory } from '../../src/sim/random.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';
import { fixed } from './helpers.js';

const run = (w: WorldConfig, strategy: Strategy) =>
  runStrategy({ world: w, strategy, seed: 1 }).metrics;

describe('hand-computed makespans (fixed latencies)', () => {
  const costs = { dispatch: 1, process: 2, synthesize: 5 };

  it('blocking: dispatch all, wait for all, process N, synthesize', () => {
    // Dispatches end at 1, 2, 3; subagents end at 11, 12, 13; join at 13;
    // 3 results × 2 = 6 → 19; synthesize 5 → 24. Idle from 3 to 13.
    const m = run(world({ tasks: 3, latency: fixed(10), orchestrator: costs }), blocking());
    expect(m.makespan).toBe(24);
    expect(m.idleTime).toBe(10);
    expect([m.dispatchTime, m.processTime, m.synthesizeTime]).toEqual([3, 6, 5]);
  });

  it('batch: dispatch k, wait, process them, plan, next k', () => {
    // Batch 1: dispatches end at 1, 2; ends 11, 12; process 12→16; plan 16→19;
    // batch 2: dispatches end at 20, 21; ends 30, 31; process 31→35; synthesize → 40.
    const w = world({ tasks: 4, latency: fixed(10), orchestrator: { ...costs, plan: 3 } });
    const m = run(w, batch({ size: 2 }));
    expect(m.makespan).toBe(40);
    expect(m.planTime).toBe(3);
    expect(m.peakInFlight).toBe(2);
  });

  it('async: slots refilled the instant a subagent ends, results processed FIFO while others run', () => {
    // WIP 2, 4 tasks: dispatches end at 1, 2, 3, 4; agents 0 and 1 start at 1 and 2, agents 2 and 3 queue.
    // Agent 0 ends at 11 → agent 2 starts (ends 21); agent 1 ends at 12 → agent 3 starts (ends 22).
    // Orchestrator: idle 4→11; process 11→13, 13→15; idle →21; process 21→23, 23→25; synthesize → 30.
    const m = run(
      world({ tasks: 4, latency: fixed(10), orchestrator: costs }),
      asyncDispatch({ wip: 2 }),
    );
    expect(m.makespan).toBe(30);
    expect(m.idleTime).toBe(13);
    expect(m.peakInFlight).toBe(2);
    // The same world in blocking: ends at 11..14, join at 14, process 14→22, synthesize → 27.
    expect(
      run(world({ tasks: 4, latency: fixed(10), orchestrator: costs }), blocking()).makespan,
    ).toBe(27);
  });

  it('async with waves and gating: a wave waits for its share of the previous one', () => {
    // Waves of 2, gating 1 (all of the previous wave resolved), plan 3, process 2, dispatch 0.
    // Wave 1 at 0: ends at 10, 10; process 10→12, 12→14; plan 14→17; wave 2 at 17 ends 27;
    // process 27→29, 29→31; synthesize 0.
    const w = world({ tasks: 4, latency: fixed(10), orchestrator: { process: 2, plan: 3 } });
    expect(run(w, asyncDispatch({ waveSize: 2, gating: 1 })).makespan).toBe(31);
    // Without gating both waves go out at once (after the plan: 0→3): ends 10, 10, 13, 13;
    // process 10→12, 12→14, 14→16, 16→18.
    expect(run(w, asyncDispatch({ waveSize: 2 })).makespan).toBe(18);
  });

  it('polling: a result is seen at the first check after it ends', () => {
    // 2 tasks of 10 s dispatched at 0; polls every 4 s from the first dispatch, 0.5 s per check.
    // Rounds at 4 (→5), 8 (→9), 12: both found ended (12→13); process 13→14, 14→15.
    const w = world({ tasks: 2, latency: fixed(10), orchestrator: { poll: 0.5, process: 1 } });
    const m = run(w, asyncDispatch({ continuation: 'polling', pollInterval: 4 }));
    expect(m.makespan).toBe(15);
    expect(m.pollTime).toBe(3);
    // Events see both ends at 10: process 10→11, 11→12.
    expect(run(w, asyncDispatch()).makespan).toBe(12);
  });

  it('permissions: foreground waits for the answer, background is auto-denied', () => {
    // One task, 10 s of work, needs a permission part-way; answering takes 3 s.
    const w = world({
      tasks: 1,
      latency: fixed(10),
      failures: { needsPermission: 1 },
      orchestrator: { answer: 3 },
    });
    const fg = run(w, blocking());
    expect([fg.makespan, fg.answerTime, fg.permissionRequests, fg.permissionsDenied]).toEqual([
      13, 3, 1, 0,
    ]);
    const bg = run(w, asyncDispatch());
    expect([bg.makespan, bg.answerTime, bg.permissionRequests, bg.permissionsDenied]).toEqual([
      10, 0, 0, 1,
    ]);
  });

  it('timeouts: a hang is cancelled at the deadline and retried, then given up', () => {
    // Every attempt hangs. Dispatch 0→2, start 2, deadline 32: retry dispatched 32→34,
    // deadline 64: retries exhausted, the task is given up. Nothing to process.
    const w = world({
      tasks: 1,
      latency: fixed(10),
      failures: { hang: 1 },
      orchestrator: { dispatch: 2 },
    });
    const m = run(w, blocking({ timeout: 30, retries: 1 }));
    expect(m.makespan).toBe(64);
    expect([m.succeeded, m.givenUp, m.failures, m.failuresDetected, m.retries]).toEqual([
      0, 1, 2, 2, 1,
    ]);
    expect(m.wastedCancelled).toBe(60);
    expect(m.detectionLatency).toBe(0);
  });

  it('resume: a retry after a reported error runs only the remaining share of its own draw', () => {
    // All attempts error; with progress reporting the retry's work is (1 − f) of its draw.
    const w = world({
      tasks: 1,
      latency: fixed(100),
      failures: { error: 1 },
      reportsProgress: true,
    });
    const fresh = run(w, asyncDispatch({ retries: 1 }));
    const resumed = run(w, asyncDispatch({ retries: 1, resume: true }));
    // The first attempt's reported progress f is part of the world (seed 1, task 0, attempt 0).
    const f = drawAttempt(
      new StreamFactory(1).family('attempt'),
      0,
      0,
      fixed(100),
      w.subagents.failures,
    ).progress;
    expect(fresh.makespan).toBe(200);
    expect(resumed.makespan).toBeCloseTo(100 + 100 * (1 - f), 9);
    expect(resumed.makespan).toBeLessThan(200);
  });

  it('validation: a caught wrong result is dispatched again, at most maxRedispatches times', () => {
    // Every result is wrong and every wrong result is caught: each task is dispatched
    // 1 + maxRedispatches times, and the last wrong result is accepted.
    const w = world({ tasks: 3, latency: fixed(10), quality: { base: 0, validation: 1 } });
    const m = run(w, blocking());
    expect(m.wrongCaught).toBe(3 * maxRedispatches);
    expect(m.spawns).toBe(3 * (1 + maxRedispatches));
    expect(m.correctShare).toBe(0);
    expect(m.wastedFailed).toBe(3 * maxRedispatches * 10);
  });
});

describe('turns (orchestrator.turn): one at the start, one at every passage from waiting to working', () => {
  const worked = (orchestrator: Partial<WorldConfig['orchestrator']>, extra = {}) =>
    world({ tasks: 4, latency: fixed(10), orchestrator, ...extra });

  it("the issue's worked example: fixed latency 10, 4 tasks, process 1, turn 1", () => {
    const w = worked({ process: 1, turn: 1 });
    // Blocking: turn 0→1; all four run 1→11; turn 11→12; process 12→16.
    const b = run(w, blocking());
    expect([b.makespan, b.turns, b.turnTime]).toEqual([16, 2, 2]);
    // Batch of 2: turn 0→1; t1, t2 run 1→11; turn 11→12; process 12→14; t3, t4 run
    // 14→24; turn 24→25; process 25→27.
    const k = run(w, batch({ size: 2 }));
    expect([k.makespan, k.turns, k.turnTime]).toEqual([27, 3, 3]);
    // Async, WIP 2, events: turn 0→1; t1, t2 run 1→11, t3, t4 start at 11; turn 11→12;
    // process 12→14; t3, t4 end at 21; turn 21→22; process 22→24.
    const a = run(w, asyncDispatch({ wip: 2 }));
    expect([a.makespan, a.turns, a.turnTime]).toEqual([24, 3, 3]);
    // The time split still sums to the makespan, turns counted as busy, not productive.
    expect(a.idleTime).toBe(24 - 3 - 4);
    expect(a.utilization).toBe(4 / 24);
  });

  it('a foreground join collects results by itself: one turn when it returns', () => {
    // Dispatch 1, turn 1: turn 0→1; dispatches 1→5, subagents run 2→12, 3→13, 4→14,
    // 5→15; the join returns at 15: turn 15→16. Async with events instead wakes for an
    // end that finds it idle: at 12 (turn 12→13, and t2's end at 13 comes as it ends, in
    // the same turn) and at 14 (turn 14→15, with t4's end at 15): three turns, done at 15.
    const w = worked({ dispatch: 1, turn: 1 });
    const b = run(w, blocking());
    expect([b.makespan, b.turns]).toEqual([16, 2]);
    const a = run(w, asyncDispatch());
    expect([a.makespan, a.turns]).toEqual([15, 3]);
  });

  it('polling: a poll round that finds the orchestrator idle wakes it for a turn', () => {
    // 2 tasks of 10 s, polls every 4 s (checks free), process 1, turn 1. Turn 0→1; both
    // run 1→11; rounds due from 1 + 4: turn 5→6, a round finds both running (next due
    // 10); turn 10→11, the round at 11 finds both ended; process 11→12, 12→13.
    const w = world({ tasks: 2, latency: fixed(10), orchestrator: { process: 1, turn: 1 } });
    const p = run(w, asyncDispatch({ continuation: 'polling', pollInterval: 4 }));
    expect([p.makespan, p.turns]).toEqual([13, 3]);
    // Events: turn 0→1; both end at 11; turn 11→12; process 12→14.
    const e = run(w, asyncDispatch());
    expect([e.makespan, e.turns]).toEqual([14, 2]);
  });

  it('a foreground permission request wakes the idle orchestrator for a turn', () => {
    // One task of 10 s that asks for a permission part-way (at a drawn point p), answer 0,
    // process 1, turn 1. Turn 0→1; it works 1→1+10p and asks; turn →2+10p, answered; it
    // works the rest, ending at 12; turn 12→13; process 13→14.
    const w = world({
      tasks: 1,
      latency: fixed(10),
      failures: { needsPermission: 1 },
      orchestrator: { process: 1, turn: 1 },
    });
    const m = run(w, blocking());
    expect(m.makespan).toBeCloseTo(14, 9);
    expect([m.turns, m.turnTime, m.permissionRequests]).toEqual([3, 3, 1]);
  });

  it('a foreground join woken by a failure takes a turn to dispatch it again', () => {
    // One task whose attempts all error after 10 s, one retry, turn 1. Turn 0→1; attempt
    // 1→11 errors; turn 11→12, dispatched again; 12→22 errors; turn 22→23: given up.
    const w = world({
      tasks: 1,
      latency: fixed(10),
      failures: { error: 1 },
      orchestrator: { turn: 1 },
    });
    const m = run(w, blocking({ retries: 1 }));
    expect([m.makespan, m.turns, m.givenUp]).toEqual([23, 3, 1]);
  });

  it('notices that arrive while the orchestrator works, or as its last action ends, cost no turn', () => {
    // Dispatch 1, turn 2, process 1: turn 0→2; dispatch t1 2→3 (runs 3→13), t2 3→4 (runs
    // 4→14); idle; turn 13→15, and t2's end at 14 comes inside it; process 15→16, 16→17.
    const w = world({
      tasks: 2,
      latency: fixed(10),
      orchestrator: { dispatch: 1, process: 1, turn: 2 },
    });
    const m = run(w, asyncDispatch());
    expect([m.makespan, m.turns, m.turnTime]).toEqual([17, 2, 4]);
    // Dispatch 5, process 4, turn 1: turn 0→1; t1 dispatched 1→6 (runs 6→16), t2 6→11
    // (runs 11→21); turn 16→17; process t1 17→21, and t2 ends at that instant: it is
    // processed 21→25 in the same turn.
    const v = world({
      tasks: 2,
      latency: fixed(10),
      orchestrator: { dispatch: 5, process: 4, turn: 1 },
    });
    const n = run(v, asyncDispatch());
    expect([n.makespan, n.turns]).toEqual([25, 2]);
  });

  it("a ghost's end wakes the waiting orchestrator to nothing: no turn, as in a join", () => {
    // Two tasks of 10 s, dispatch 1, turn 0.5; 100 tokens a handle against 150, a volatile
    // registry (seed 1 keeps agent 0, forgets agent 1). Turn 0→0.5; dispatch t0 →1.5 (runs
    // →11.5), t1 →2.5 (runs →12.5); the compaction 2.5→3.5 forgets agent 1; t1 again
    // →4.5 (agent 2 runs →14.5). 11.5: agent 0's result, turn →12, processed (free).
    // 12.5: agent 1, a ghost, ends; its notice is dropped and the strategy gets nothing:
    // no turn, the orchestrator waits on. 14.5: agent 2's result, turn →15. Three turns,
    // reading 0, 100 (agent 2's handle) and 0 tokens.
    const w = world({
      tasks: 2,
      latency: fixed(10),
      orchestrator: { dispatch: 1, turn: 0.5 },
      context: { perHandle: 100, budget: 150, compactionCost: 1, forgetProbability: 0.5 },
    });
    const trace = new MemoryTrace<ModelTraceRecord>();
    const { metrics: m } = runStrategy({
      world: w,
      strategy: asyncDispatch({ registry: 'volatile' }),
      seed: 1,
      trace,
    });
    const at = (type: string) => trace.records.flatMap((r) => (r.type === type ? [r.t] : []));
    expect([at('forget'), at('drop'), at('turn')]).toEqual([[3.5], [12.5], [0, 11.5, 14.5]]);
    expect([m.makespan, m.ghosts, m.turns, m.turnTime]).toEqual([15, 1, 3, 1.5]);
    expect(m.orchestratorInputTokens).toBe(100);
  });

  it('a turn drawn from a distribution: the n-th from the stream (seed, "turn", n), every other draw unchanged', () => {
    const turn = new LognormalDistribution({ median: 4, p95: 15 });
    const base = world({ tasks: 6, latency: new LognormalDistribution({ median: 60, p95: 300 }) });
    const drawn = { ...base, orchestrator: { ...base.orchestrator, turn } };
    const traced = (w: WorldConfig) => {
      const trace = new MemoryTrace<ModelTraceRecord>();
      runStrategy({ world: w, strategy: asyncDispatch({ wip: 2 }), seed: 7, trace });
      return trace.records;
    };
    const records = traced(drawn);
    const turns = records.flatMap((r) => (r.type === 'busy' && r.kind === 'turn' ? [r] : []));
    const streams = new StreamFactory(7).family('turn');
    expect(turns.length).toBeGreaterThan(2);
    turns.forEach((r, n) => {
      expect(r.t - r.start).toBeCloseTo(turn.sample(streams.get(n)), 9);
    });
    // The subagents drew what they draw without turns.
    const work = (rs: readonly ModelTraceRecord[]) =>
      rs.flatMap((r) => (r.type === 'start' ? [r.world.work] : []));
    expect(work(records)).toEqual(work(traced(base)));
  });

  it('turns cost nothing by default, and are counted; each reads the context it starts with', () => {
    // No costs at all: the same turns as above, in no time. Context: base 100, 10 a
    // handle, 50 a result in full, 5 a summary; a turn reads what woke it. Blocking reads
    // 100 at 0 and, at 10, the four results the join returns (300): 400. Async, WIP 2,
    // reads 100 at 0; at 10 the results of t1 and t2 and the handles of t3 and t4 (220);
    // at 20 those of t3 and t4 and two summaries (210): 530.
    const w = worked({}, { context: { base: 100, perHandle: 10, perResult: 50, perSummary: 5 } });
    const b = run(w, blocking());
    expect([b.makespan, b.turns, b.turnTime, b.orchestratorInputTokens]).toEqual([10, 2, 0, 400]);
    const a = run(w, asyncDispatch({ wip: 2 }));
    expect([a.makespan, a.turns, a.turnTime, a.orchestratorInputTokens]).toEqual([20, 3, 0, 530]);
  });
});

describe('tokens: read at each turn, written per action, spent per second of subagent work', () => {
  // Two tasks of 10 s; process 1 s; context: base 100, 10 a handle, 50 a result in full,
  // 5 a summary; output: 20 a dispatch, 200 a processed result, 500 the synthesis; a
  // subagent spends 3 tokens a second.
  const w = world({
    tasks: 2,
    latency: fixed(10),
    orchestrator: { process: 1 },
    context: { base: 100, perHandle: 10, perResult: 50, perSummary: 5 },
  });
  const tokens = {
    output: { ...noTokens.output, dispatch: 20, process: 200, synthesize: 500 },
    subagentPerSecond: 3,
  };
  const withTokens = { ...w, tokens };

  it('blocking: two turns, the second reading both results', () => {
    // Turn at 0 reads 100; both run 0→10; the join returns at 10 with both results: the
    // turn reads 100 + 2 × 50 = 200. Written: 2 × 20 + 2 × 200 + 500 = 940. Spent: 3 × 20.
    const m = run(withTokens, blocking());
    expect(m.makespan).toBe(12);
    expect([m.turns, m.orchestratorInputTokens, m.orchestratorOutputTokens]).toEqual([2, 300, 940]);
    expect([m.subagentTokens, m.wastedTokens]).toEqual([60, 0]);
  });

  it('async, one at a time: a turn per result, each reading what is in context then', () => {
    // WIP 1. Turn at 0 reads 100; t1 runs 0→10, t2 queues; at 10 t2 starts and t1's
    // result wakes a turn reading 100 + t2's handle 10 + t1's result 50 = 160; process
    // 10→11; at 20 t2's result: 100 + 50 + t1's summary 5 = 155; process 20→21.
    // Read 415, written 940 as blocking, spent 60.
    const m = run(withTokens, asyncDispatch({ wip: 1 }));
    expect(m.makespan).toBe(21);
    expect([m.turns, m.orchestratorInputTokens, m.orchestratorOutputTokens]).toEqual([3, 415, 940]);
    expect([m.subagentTokens, m.wastedTokens]).toEqual([60, 0]);
  });

  it('the tokens of failed attempts are wasted', () => {
    // Every attempt errors after 10 s, one retry each: 4 attempts, 40 s, all wasted; the
    // dispatches are written, no result is processed, the synthesis is.
    const failing = {
      ...withTokens,
      subagents: { ...w.subagents, failures: { ...w.subagents.failures, error: 1 } },
    };
    const m = run(failing, blocking({ retries: 1 }));
    expect([m.subagentTokens, m.wastedTokens]).toEqual([120, 120]);
    expect(m.orchestratorOutputTokens).toBe(4 * 20 + 500);
  });
});

describe('money: the price table applied to the tokens, per role', () => {
  // The two-task world above. The orchestrator's model: 10 a million tokens read, 1 from
  // the cache, half of what it reads cached, 50 a million written. The subagents' model:
  // 2 read, 0.5 cached, a quarter cached, 8 written, a tenth of their tokens written.
  const w = world({
    tasks: 2,
    latency: fixed(10),
    orchestrator: { process: 1 },
    context: { base: 100, perHandle: 10, perResult: 50, perSummary: 5 },
  });
  const priced = {
    ...w,
    tokens: {
      output: { ...noTokens.output, dispatch: 20, process: 200, synthesize: 500 },
      subagentPerSecond: 3,
    },
    prices: {
      orchestrator: { input: 10, cachedInput: 1, cacheHitShare: 0.5, output: 50 },
      subagent: { input: 2, cachedInput: 0.5, cacheHitShare: 0.25, output: 8, outputShare: 0.1 },
    },
  };

  it('blocking and async on the same world: what each turn read, at the cached share', () => {
    // Blocking read 300: 150 at 10 and 150 at 1 a million, 1650e-6; wrote 940 at 50,
    // 47000e-6. Subagents: 60 tokens, 6 written at 8 (48e-6), 54 read: 40.5 at 2, 13.5 at
    // 0.5 (87.75e-6). Total 48785.75e-6, half of it per succeeded task.
    const b = run(priced, blocking());
    expect(b.cost).toBeCloseTo(0.04878575, 12);
    expect(b.costPerSuccess).toBeCloseTo(0.04878575 / 2, 12);
    // Async, WIP 1, read 415: 207.5 × 10 + 207.5 × 1 = 2282.5e-6; the rest as blocking.
    // It costs more: 634.5e-6, the 115 more tokens it read in its extra turn.
    const a = run(priced, asyncDispatch({ wip: 1 }));
    expect(a.cost).toBeCloseTo(0.04941825, 12);
    expect(a.cost - b.cost).toBeCloseTo(115 * 5.5e-6, 12);
  });

  it('nothing costs anything without a price table, and no success has no cost per success', () => {
    const { prices: _, ...unpriced } = priced;
    const m = run(unpriced, blocking());
    expect([m.cost, m.costPerSuccess]).toEqual([0, 0]);
    const failing = {
      ...priced,
      subagents: { ...w.subagents, failures: { ...w.subagents.failures, error: 1 } },
    };
    const f = run(failing, blocking());
    expect(f.succeeded).toBe(0);
    expect(f.cost).toBeGreaterThan(0);
    expect(f.costPerSuccess).toBeNaN();
  });
});
