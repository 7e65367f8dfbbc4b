/**
 * Properties of every run, over random worlds and strategies (fast-check, fixed seed):
 * the bookkeeping the metrics and the invariant checkers rely on must hold whatever the
 * parameters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DependencyShape, world } from '../../src/model/config.js';
import { activityKinds, type RunMetrics } from '../../src/model/metrics.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import type { Distribution } from '../../src/sim/distributions/distribution.js';
import { ExponentialDistribution } from '../../src/sim/distributions/exponential.js';
import { FixedDistribution } from '../../src/sim/distributions/fixed.js';
import { LognormalDistribution } from '../../src/sim/distributions/lognormal.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';

const latencyArb: fc.Arbitrary<Distribution> = fc.oneof(
  fc.integer({ min: 1, max: 200 }).map((value) => new FixedDistribution({ value })),
  fc.integer({ min: 1, max: 200 }).map((mean) => new ExponentialDistribution({ mean })),
  fc
    .integer({ min: 5, max: 100 })
    .map((median) => new LognormalDistribution({ median, p95: median * 6 })),
);

const dependenciesArb: fc.Arbitrary<DependencyShape> = fc.oneof(
  fc.constant({ shape: 'none' as const }),
  fc.constant({ shape: 'chain' as const }),
  fc.integer({ min: 1, max: 4 }).map((width) => ({ shape: 'layered' as const, width })),
  fc
    .double({ min: 0, max: 0.3, noNaN: true })
    .map((edgeProbability) => ({ shape: 'random' as const, edgeProbability })),
);

const cost = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }));
const share = (max: number) => fc.double({ min: 0, max, noNaN: true });

const worldArb = fc.record({
  tasks: fc.integer({ min: 1, max: 25 }),
  dependencies: dependenciesArb,
  latency: latencyArb,
  error: share(0.3),
  hang: share(0.2),
  needsPermission: share(0.3),
  reportsProgress: fc.boolean(),
  dispatch: cost,
  poll: cost,
  process: cost,
  plan: cost,
  answer: cost,
  synthesize: cost,
  budget: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 2000, max: 20000 })),
  forgetProbability: share(0.5),
  base: fc.double({ min: 0.5, max: 1, noNaN: true }),
  learningRate: share(0.2),
  validation: share(1),
  propagation: share(1),
});

const strategyArb: fc.Arbitrary<Strategy> = fc.oneof(
  fc
    .record({
      timeout: fc.integer({ min: 100, max: 2000 }),
      retries: fc.integer({ min: 0, max: 3 }),
    })
    .map((o) => blocking(o)),
  fc
    .record({
      size: fc.integer({ min: 1, max: 8 }),
      timeout: fc.integer({ min: 100, max: 2000 }),
      retries: fc.integer({ min: 0, max: 3 }),
    })
    .map((o) => batch(o)),
  fc
    .record({
      wip: fc.oneof(fc.constant('unbounded' as const), fc.integer({ min: 1, max: 10 })),
      continuation: fc.constantFrom('events' as const, 'polling' as const),
      pollInterval: fc.integer({ min: 1, max: 60 }),
      waveSize: fc.integer({ min: 1, max: 30 }),
      gating: share(1),
      timeout: fc.integer({ min: 100, max: 2000 }),
      retries: fc.integer({ min: 0, max: 3 }),
      registry: fc.constantFrom('durable' as const, 'volatile' as const),
      resume: fc.boolean(),
    })
    .map((o) => asyncDispatch(o)),
);

type WorldParameters = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function build(p: WorldParameters) {
  return world({
    tasks: { count: p.tasks, dependencies: p.dependencies },
    latency: p.latency,
    failures: { error: p.error, hang: p.hang, needsPermission: p.needsPermission },
    reportsProgress: p.reportsProgress,
    orchestrator: {
      dispatch: p.dispatch,
      poll: p.poll,
      process: p.process,
      plan: p.plan,
      answer: p.answer,
      synthesize: p.synthesize,
    },
    context: {
      base: 1000,
      perHandle: 100,
      perResult: 2000,
      perSummary: 300,
      budget: p.budget,
      compactionCost: 15,
      compactionKeeps: 0.3,
      forgetProbability: p.forgetProbability,
    },
    quality: {
      base: p.base,
      learningRate: p.learningRate,
      validation: p.validation,
      propagation: p.propagation,
      deniedPenalty: 0.3,
    },
  });
}

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
