/**
 * One run of one of a scenario's strategies, checked against the invariants as its trace is
 * written (no trace is kept unless asked for): what `check` does with every run, on the
 * scenario's own seeds and on generated workloads.
 *
 * A run that the strategy's program cut short is a finding, not a crash: a strategy that
 * spins without letting time pass (the kernel's guard stops it) or whose program throws, and
 * an orchestrator module whose code throws, leave a trace without a run.end, which is what
 * `runEnds` reports; the message says why, as the trace alone cannot. A strategy runs in
 * the model, synchronously (checkedRun); an orchestrator module under the harness,
 * asynchronously (checkedRunAsync, which runs either).
 */
import { type InvariantCheck, TraceChecker } from '../invariants/check-trace.js';
import type { Invariant } from '../invariants/invariant.js';
import { buildTaskGraph } from '../model/dependencies.js';
import { traceHeader } from '../model/trace-recorder.js';
import type { ModelTrace, ModelTraceRecord } from '../model/trace-records.js';
import { strategyOf } from '../scenario/module-strategy.js';
import {
  isOrchestratorModule,
  type OrchestratorModuleConfig,
} from '../scenario/orchestrator-module.js';
import type { AnyScenario } from '../scenario/parse.js';
import type { MemoryTrace } from '../sim/trace.js';
import { scenarioInputHash } from './canonical.js';
import { runOrchestratorOnce } from './orchestrator-run.js';
import { StalledRun, StrategyThrew } from './run-errors.js';
import { runOnce } from './run-seeds.js';

/** The outcome of one checked run: one result per invariant, in the order given. */
export interface RunOutcome {
  readonly results: readonly InvariantCheck[];
}

/** A trace sink writing to two: the online checker, and the records kept for the story. */
function both(a: TraceChecker, b: MemoryTrace<ModelTraceRecord>): ModelTrace {
  return {
    enabled: true,
    write(record: ModelTraceRecord) {
      a.write(record);
      b.write(record);
    },
    close() {},
  };
}

/** Why a run cut short by its own program never ends, or undefined for any other failure. */
function neverEnds(err: unknown, what: string): string | undefined {
  if (err instanceof StalledRun) return err.stall;
  if (err instanceof StrategyThrew) return `the run never ends: ${what} threw: ${err.threw}`;
  return undefined;
}

/** The checker's results, runEnds's violation worded as `why` says. */
function endedBy(checker: TraceChecker, why: string): RunOutcome {
  const results = checker
    .finish()
    .results.map((r) =>
      r.invariant === 'runEnds' && r.violation !== undefined
        ? { ...r, violation: { ...r.violation, message: why } }
        : r,
    );
  return { results };
}

/**
 * One run of the strategy at `index` of `scenario` on `seed`, checked, its records also kept
 * in `trace` when given. A strategy's only: an orchestrator module's runs asynchronously
 * (checkedRunAsync).
 */
export function checkedRun(
  scenario: AnyScenario,
  index: number,
  seed: number,
  invariants: readonly Invariant[],
  trace?: MemoryTrace<ModelTraceRecord>,
): RunOutcome {
  const checker = new TraceChecker(invariants);
  const sink = trace === undefined ? checker : both(checker, trace);
  const config = scenario.strategies[index]!;
  try {
    runOnce(scenario, config, seed, sink);
  } catch (err) {
    const why = neverEnds(err, "the strategy's program");
    if (why === undefined) throw err;
    return endedBy(checker, why);
  }
  return { results: checker.finish().results };
}

/** checkedRun for any of the scenario's strategies, orchestrator modules included. */
export async function checkedRunAsync(
  scenario: AnyScenario,
  index: number,
  seed: number,
  invariants: readonly Invariant[],
  trace?: MemoryTrace<ModelTraceRecord>,
): Promise<RunOutcome> {
  const config = scenario.strategies[index]!;
  if (!isOrchestratorModule(config)) return checkedRun(scenario, index, seed, invariants, trace);
  const checker = new TraceChecker(invariants);
  const sink = trace === undefined ? checker : both(checker, trace);
  try {
    await runOrchestratorOnce(scenario, config, seed, sink);
  } catch (err) {
    const why = neverEnds(err, "the orchestrator's code");
    if (why === undefined) throw err;
    // The harness keeps no records of a run whose code threw: the trace is its header
    // alone, as the harness writes it, which is enough for runEnds to say the run never
    // ended.
    sink.write(harnessHeader(scenario, config, seed));
    return endedBy(checker, why);
  }
  return { results: checker.finish().results };
}

/** The header the harness writes for `config`'s run on `seed` (src/harness/simulated-run.ts). */
function harnessHeader(
  scenario: AnyScenario,
  config: OrchestratorModuleConfig,
  seed: number,
): ModelTraceRecord {
  const tasks = scenario.world.tasks.count;
  return traceHeader(
    scenario.world,
    strategyOf(config),
    seed,
    buildTaskGraph(tasks, { shape: 'none' }, seed),
    { name: scenario.name, hash: scenarioInputHash(scenario) },
  );
}
