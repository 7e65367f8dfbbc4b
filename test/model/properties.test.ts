/**
 * Properties of every run, over random worlds and strategies (fast-check, fixed seed):
 * the bookkeeping the metrics and the invariant checkers rely on must hold whatever the
 * parameters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { world } from '../../src/model/config.js';
import { activityKinds, type RunMetrics } from '../../src/model/metrics.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { LognormalDistribution } from '../../src/sim/distributions/lognormal.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';
import { build, strategyArb, worldArb } from './arbitraries.js';

function checkMetrics(m: RunMetrics, strategy: Strategy): void {
  const busy = activityKinds.reduce((sum, k) => sum + m[`${k}Time` as const], 0);
  expect(busy + m.idleTime).toBeCloseTo(m.makespan, 6);
  expect(m.peakInFlight).toBeLessThanOrEqual(strategy.settings.wip);
  expect(m.meanInFlight).toBeLessThanOrEqual(m.peakInFlight + 1e-9);
  expect(m.correctShare).toBeGreaterThanOrEqual(0);
  expect(m.correctShare).toBeLessThanOrEqual(1);
  expect(m.wastedAgentSeconds).toBeLessThanOrEqual(m.agentSeconds + 1e-6);
  expect(m.failuresDetected).toBeLessThanOrEqual(m.failures);
  if (m.outcome === 'completed') expect(m.succeeded + m.givenUp).toBe(m.tasks);
  if (strategy.settings.registry === 'durable' || strategy.settings.mode === 'foreground') {
    expect(m.ghosts).toBe(0);
    expect(m.duplicateSpawns).toBe(0);
    if (m.outcome === 'completed') expect(m.undetectedFailures).toBe(0);
  }
}

function checkTrace(records: readonly ModelTraceRecord[], makespan: number): void {
  let last = 0;
  let busyUntil = 0;
  for (const r of records) {
    expect(r.t).toBeGreaterThanOrEqual(last);
    last = r.t;
    if (r.type === 'busy') {
      // One thing at a time: activity intervals never overlap.
      expect(r.start).toBeGreaterThanOrEqual(busyUntil - 1e-9);
      busyUntil = r.t;
    }
  }
  expect(records[0]?.type).toBe('run.start');
  expect(records.at(-1)?.type).toBe('run.end');
  expect(last).toBe(makespan);
}

describe('every run, whatever the world and strategy', () => {
  it('keeps its books: time split, task outcomes, WIP, trace order, determinism', () => {
    fc.assert(
      fc.property(worldArb, strategyArb, fc.integer({ min: 0, max: 1000 }), (p, strategy, seed) => {
        const w = build(p);
        const trace = new MemoryTrace<ModelTraceRecord>();
        const r = runStrategy({ world: w, strategy, seed, trace });
        checkMetrics(r.metrics, strategy);
        checkTrace(trace.records, r.metrics.makespan);
        // Determinism: the same world, strategy and seed give the same bytes.
        const again = new MemoryTrace<ModelTraceRecord>();
        runStrategy({ world: w, strategy, seed, trace: again });
        expect(again.toJsonl()).toBe(trace.toJsonl());
      }),
      { seed: 424242, numRuns: 250 },
    );
  });
});

describe('common random numbers', () => {
  it('every strategy sees the same attempt for the same (seed, task, attempt)', () => {
    const w = world({ tasks: 12, latency: new LognormalDistribution({ median: 60, p95: 300 }) });
    const firstLatencies = (strategy: Strategy) => {
      const trace = new MemoryTrace<ModelTraceRecord>();
      runStrategy({ world: w, strategy, seed: 77, trace });
      const started = new Map<number, number>();
      const byTask = new Map<number, number>();
      const taskOf = new Map<number, number>();
      for (const r of trace.records) {
        if (r.type === 'spawn') taskOf.set(r.agent, r.task);
        if (r.type === 'start') started.set(r.agent, r.t);
        if (r.type === 'end') byTask.set(taskOf.get(r.agent)!, r.t - started.get(r.agent)!);
      }
      return [...byTask.entries()].sort((a, b) => a[0] - b[0]);
    };
    const reference = firstLatencies(blocking());
    expect(reference).toHaveLength(12);
    for (const s of [
      batch({ size: 5 }),
      asyncDispatch({ wip: 3 }),
      asyncDispatch({ continuation: 'polling' }),
    ]) {
      const latencies = firstLatencies(s);
      expect(latencies.map(([task]) => task)).toEqual(reference.map(([task]) => task));
      latencies.forEach(([task, l], i) => {
        expect(task).toBe(reference[i]![0]);
        expect(l).toBeCloseTo(reference[i]![1], 9);
      });
    }
  });
});
