/**
 * Small worlds with fixed latencies whose makespans are worked out by hand from the conventions of
 * docs/model.md, "Conventions that fix the arithmetic". Each comment is the arithmetic; the
 * assertion is exact.
 */
import { describe, expect, it } from 'vitest';
import { drawAttempt } from '../../src/model/attempt-draws.js';
import { type WorldConfig, world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import { maxRedispatches } from '../../src/model/task-life.js';
import { StreamFactory } from '../../src/sim/random.js';
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
