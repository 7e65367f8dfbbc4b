/**
 * One run of an orchestrator module (src/scenario/orchestrator-module.ts) at one seed: the
 * user's async code run by the real-code harness (src/harness/run-orchestrator.ts) against
 * the scenario's world, into the model's RunReport, so that compare, sweep, run and check
 * take it as they take a strategy's run. The harness's records are the run's trace.
 *
 * The harness installs fake timers on the thread's global object for the run: runs are
 * awaited one after the other, never two at once in one thread (worker threads each have
 * their own global object, so a pool may run one per thread).
 *
 * What can go wrong is the user's to fix, and said so: code that throws (its own error, or a
 * use of the runtime no orchestrator can make) is a StrategyThrew naming the module, the
 * seed and, through the module's source map, the line; code that never returns while it
 * keeps setting timers is stopped by the harness's guard (a usage error: exit 2). A
 * deadlock is neither: it is the run's outcome, as for a strategy.
 */
import { HarnessRunawayError, runOrchestrator } from '../harness/run-orchestrator.js';
import type { OrchestratorRuntime } from '../harness/runtime.js';
import type { RunReport } from '../model/run.js';
import type { ModelTrace } from '../model/trace-records.js';
import type { OrchestratorModuleConfig } from '../scenario/orchestrator-module.js';
import type { AnyScenario } from '../scenario/parse.js';
import { whereInModule } from '../scenario/strategy-modules.js';
import { scenarioInputHash } from './canonical.js';
import { UsageError } from './errors.js';
import { StrategyThrew } from './run-errors.js';

/** What the user's code threw, kept apart from a failure of the harness around it. */
class CodeThrew {
  constructor(readonly error: unknown) {}
}

/**
 * How a message ends: the command that replays the run, when the scenario is a file `run`
 * can read (a generated workload, or the generic world of check, is not).
 */
function replay(scenario: AnyScenario, label: string, seed: number): string {
  if (scenario.file === undefined) return '.';
  return `. Replay the run with: dispatchlab run ${scenario.file} --strategy ${JSON.stringify(label)} --seed ${seed}`;
}

/**
 * Runs the orchestrator module `config` of `scenario` on `seed`; its records go to `trace`
 * when one is given and enabled (the caller closes it), its header naming the scenario.
 */
export async function runOrchestratorOnce(
  scenario: AnyScenario,
  config: OrchestratorModuleConfig,
  seed: number,
  trace?: ModelTrace,
): Promise<RunReport> {
  const traced = trace?.enabled === true;
  // The runtime is the harness's: the scenario layer holds the code without its type.
  const code = config.code as (rt: OrchestratorRuntime) => Promise<unknown>;
  const who = `orchestrator "${config.label}" (the module ${JSON.stringify(config.orchestrator)})`;
  let run: Awaited<ReturnType<typeof runOrchestrator>>;
  try {
    run = await runOrchestrator({
      world: scenario.world,
      seed,
      orchestrator: async (rt) => {
        try {
          return await code(rt);
        } catch (err) {
          throw new CodeThrew(err);
        }
      },
      settings: config.settings,
      label: config.label,
      ...(config.description === undefined ? {} : { description: config.description }),
      // As for a strategy: the hash is computed for a traced run only.
      ...(traced ? { source: { name: scenario.name, hash: scenarioInputHash(scenario) } } : {}),
    });
  } catch (err) {
    if (err instanceof CodeThrew) {
      const error = err.error;
      const message = error instanceof Error ? error.message : String(error);
      const module = scenario.modules.get(config.file);
      const where = module === undefined ? undefined : whereInModule(error, module);
      const threw = `${message}${where === undefined ? '' : ` (at ${where})`}`;
      throw new StrategyThrew(
        `${scenario.source}: ${who} threw on seed ${seed}: ${threw}. Fix the orchestrator's code (a call the runtime refuses says why in its message)${replay(scenario, config.label, seed)}`,
        threw,
      );
    }
    if (err instanceof HarnessRunawayError) {
      throw new UsageError(
        `${scenario.source}: ${who} did not finish on seed ${seed}: ${err.message}. Its code keeps setting timers without returning: look for a loop that polls or sleeps with no end, one that never sees its last task finish (a subagent that hangs never does: declare settings.timeout, which the polling runtime enforces, or cancel it at a deadline of the code's own)${replay(scenario, config.label, seed)}`,
      );
    }
    throw new Error(`${scenario.source}: ${who} failed on seed ${seed}: ${String(err)}`, {
      cause: err,
    });
  }
  if (traced) for (const record of run.records) trace.write(record);
  return {
    metrics: run.metrics,
    // The model counts kernel events; the harness's unit of work is a fact.
    events: run.records.length,
    ...(run.deadlock === undefined ? {} : { deadlock: run.deadlock }),
  };
}
