/**
 * One run: a world, a strategy and a seed in; metrics (and optionally a trace) out. The
 * model states what happens as facts (facts.ts); the metrics consume them always, a trace
 * file when one is asked for.
 */
import { describeDeadlock } from '../sim/errors.js';
import type { Seed } from '../sim/random.js';
import { Simulation } from '../sim/simulation.js';
import type { WorldConfig } from './config.js';
import { buildTaskGraph } from './dependencies.js';
import type { RunFacts } from './facts.js';
import { MetricsCollector, type RunMetrics, type RunOutcome } from './metrics.js';
import { ModelOrchestrator } from './orchestrator.js';
import type { Strategy } from './strategy.js';
import { TraceRecorder, type TraceSource, traceHeader } from './trace-recorder.js';
import type { ModelTrace } from './trace-records.js';

export interface RunOptions {
  readonly world: WorldConfig;
  readonly strategy: Strategy;
  readonly seed: Seed;
  /** Where the trace goes; off by default. The caller closes it. */
  readonly trace?: ModelTrace;
  /** The scenario the run comes from, named in the trace's header. */
  readonly source?: TraceSource;
  /** Kernel guard: events before the run is called a runaway. */
  readonly maxEvents?: number;
}

export interface RunReport {
  readonly metrics: RunMetrics;
  /** Set when the run deadlocked (e.g. a hung subagent and no timeout). */
  readonly deadlock?: string;
  /** Kernel events processed: the unit of the model's speed. */
  readonly events: number;
  /** Set when the outcome is `incomplete`: what the strategy left when it returned. */
  readonly left?: LeftUndone;
}

/** What a strategy that returned early left undone. */
export interface LeftUndone {
  /** Tasks neither succeeded nor given up. */
  readonly unresolved: number;
  /** Results received and not processed (buffered, or handed to the strategy and dropped). */
  readonly unprocessed: number;
  /** Subagents the orchestrator still believed out. */
  readonly outstanding: number;
}

export function runStrategy(options: RunOptions): RunReport {
  const { world, strategy, seed } = options;
  const sim = new Simulation();
  const graph = buildTaskGraph(world.tasks.count, world.tasks.dependencies, seed);
  const metrics = new MetricsCollector(graph.count, world.context.base, world.tokens, world.prices);
  // With a trace, the recorder, which hands every fact to the metrics first; without, the
  // metrics alone. Either way one consumer: it keeps the model's calls monomorphic.
  const recorder =
    options.trace?.enabled === true
      ? new TraceRecorder(
          metrics,
          options.trace,
          traceHeader(world, strategy, seed, graph, options.source ?? null),
        )
      : null;
  const facts: RunFacts = recorder ?? metrics;
  const o = new ModelOrchestrator(sim, world, strategy.settings, seed, graph, facts);
  const main = sim.process(o.program(strategy), { name: 'orchestrator' });
  const result = sim.run({ until: main, onDeadlock: 'report', maxEvents: options.maxEvents });
  const makespan = sim.now;
  const deadlock = result.deadlock ? describeDeadlock(result.deadlock) : undefined;
  const unresolved = graph.count - o.resolvedTasks;
  const outcome: RunOutcome =
    deadlock !== undefined ? 'deadlock' : unresolved > 0 ? 'incomplete' : 'completed';
  recorder?.runEnded(makespan, outcome, deadlock, unresolved);
  const finished = metrics.finish(outcome, makespan, graph.count, 1 - world.quality.base);
  const events = sim.eventsProcessed;
  if (deadlock !== undefined) return { metrics: finished, deadlock, events };
  if (outcome === 'incomplete') {
    const left = { unresolved, unprocessed: o.unprocessedResults, outstanding: o.outstanding };
    return { metrics: finished, events, left };
  }
  return { metrics: finished, events };
}
