/**
 * Random worlds and strategies for property tests (fast-check): small enough to run by the
 * hundred, with every mechanism of the model switched on somewhere.
 */
import fc from 'fast-check';
import { type DependencyShape, world } from '../../src/model/config.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { Distribution } from '../../src/sim/distributions/distribution.js';
import { ExponentialDistribution } from '../../src/sim/distributions/exponential.js';
import { FixedDistribution } from '../../src/sim/distributions/fixed.js';
import { LognormalDistribution } from '../../src/sim/distributions/lognormal.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';

const cost = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }));
/**
 * A share in [0, max], spread evenly: fc.double favours the ends of its range (0 and max
 * nearly always), which left e.g. forgotten handles almost never drawn.
 */
const share = (max: number) => fc.integer({ min: 0, max: 1000 }).map((k) => (k / 1000) * max);

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
  share(0.3).map((edgeProbability) => ({ shape: 'random' as const, edgeProbability })),
);

export const worldArb = fc.record({
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
  base: share(0.5).map((x) => 1 - x),
  learningRate: share(0.2),
  validation: share(1),
  propagation: share(1),
});

/** A timeout, or none (the default: hangs then deadlock, and polling can be futile). */
const timeoutArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(Number.POSITIVE_INFINITY) },
  { weight: 3, arbitrary: fc.integer({ min: 100, max: 2000 }) },
);

const asyncOptionsArb = fc.record({
  wip: fc.oneof(fc.constant('unbounded' as const), fc.integer({ min: 1, max: 10 })),
  continuation: fc.constantFrom('events' as const, 'polling' as const),
  pollInterval: fc.integer({ min: 1, max: 60 }),
  waveSize: fc.integer({ min: 1, max: 30 }),
  gating: share(1),
  timeout: timeoutArb,
  retries: fc.integer({ min: 0, max: 3 }),
  registry: fc.constantFrom('durable' as const, 'volatile' as const),
  resume: fc.boolean(),
});

export const strategyArb: fc.Arbitrary<Strategy> = fc.oneof(
  fc
    .record({ timeout: timeoutArb, retries: fc.integer({ min: 0, max: 3 }) })
    .map((o) => blocking(o)),
  fc
    .record({
      size: fc.integer({ min: 1, max: 8 }),
      timeout: timeoutArb,
      retries: fc.integer({ min: 0, max: 3 }),
    })
    .map((o) => batch(o)),
  asyncOptionsArb.map((o) => asyncDispatch(o)),
  // No built-in strategy polls in the foreground (asking the orchestrator for permissions):
  // a user's strategy may, through the same settings.
  asyncOptionsArb.map((o): Strategy => {
    const s = asyncDispatch({ ...o, continuation: 'polling' });
    return {
      ...s,
      label: `${s.label},foreground`,
      settings: { ...s.settings, mode: 'foreground' },
    };
  }),
);

export type WorldParameters = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

export function build(p: WorldParameters) {
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
