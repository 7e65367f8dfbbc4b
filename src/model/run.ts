/**
 * One run: a world, a strategy and a seed in; metrics (and optionally a trace) out.
 */
import { describeDeadlock } from '../sim/errors.js';
import type { Seed } from '../sim/random.js';
import { Simulation } from '../sim/simulation.js';
import { noTrace } from '../sim/trace.js';
import type { WorldConfig } from './config.js';
import { buildTaskGraph } from './dependencies.js';
import type { RunMetrics } from './metrics.js';
import { ModelOrchestrator } from './orchestrator.js';
import type { Strategy } from './strategy.js';
import type { ModelTrace } from './trace-records.js';

export interface RunOptions {
  readonly world: WorldConfig;
  readonly strategy: Strategy;
  readonly seed: Seed;
  /** Where the trace goes; off by default. The caller closes it. */
  readonly trace?: ModelTrace;
  /** Kernel guard: events before the run is called a runaway. */
  readonly maxEvents?: number;
}

export interface RunReport {
  readonly metrics: RunMetrics;
  /** Set when the run deadlocked (e.g. a hung subagent and no timeout). */
  readonly deadlock?: string;
  /** Kernel events processed: the unit of the model's speed. */
  readonly events: number;
}

const nullable = (x: number) => (Number.isFinite(x) ? x : null);

export function runStrategy(options: RunOptions): RunReport {
  const { world, strategy, seed } = options;
  const trace: ModelTrace = options.trace ?? noTrace;
  const sim = new Simulation();
  const graph = buildTaskGraph(world.tasks.count, world.tasks.dependencies, seed);
  const o = new ModelOrchestrator(sim, world, strategy.settings, seed, graph, trace);
  const s = strategy.settings;
  if (trace.enabled) {
    trace.write({
      t: 0,
      type: 'run.start',
      strategy: strategy.label,
      seed,
      tasks: world.tasks.count,
      mode: s.mode,
      wip: nullable(s.wip),
      timeout: nullable(s.timeout),
      retries: s.retries,
      pollInterval: s.continuation.kind === 'polling' ? s.continuation.interval : null,
    });
  }
  const main = sim.process(strategy.run(o), { name: 'orchestrator' });
  const result = sim.run({ until: main, onDeadlock: 'report', maxEvents: options.maxEvents });
  const makespan = sim.now;
  const deadlock = result.deadlock ? describeDeadlock(result.deadlock) : undefined;
  o.finalize(makespan);
  const outcome = deadlock === undefined ? 'completed' : 'deadlock';
  if (trace.enabled) {
    trace.write({ t: makespan, type: 'run.end', outcome, makespan, deadlock: deadlock ?? null });
  }
  const metrics = o.metrics.finish(outcome, makespan, world.tasks.count, 1 - world.quality.base);
  return deadlock === undefined
    ? { metrics, events: sim.eventsProcessed }
    : { metrics, deadlock, events: sim.eventsProcessed };
}
