/**
 * A job: a parsed scenario and the seeds to run it on. In-process, the scenario is run as
 * it is. Scenarios hold Distribution objects and Strategy objects, which cannot cross to a
 * worker thread, so a worker gets only the checked plain input and the compiled code of
 * the strategy modules it names (workerTask), imports that code and rebuilds the scenario
 * with parseScenario, the function that built the original: the same input and the same
 * code give the same world and the same strategies, so the results do not depend on the
 * number of workers.
 */
import type { MessagePort } from 'node:worker_threads';
import { isModuleStrategy } from '../scenario/module-strategy.js';
import { isOrchestratorModule } from '../scenario/orchestrator-module.js';
import { type AnyScenario, parseScenario, type Scenario } from '../scenario/parse.js';
import type { ScenarioInput } from '../scenario/schema.js';
import {
  type CompiledModule,
  importStrategyModule,
  type StrategyModule,
} from '../scenario/strategy-modules.js';
import { UsageError } from './errors.js';

export interface SeedJob {
  readonly scenario: AnyScenario;
  readonly seeds: readonly number[];
}

/**
 * What a worker thread gets for a chunk of a job's seeds: plain, structured-clonable data,
 * and the port it reports progress on (transferred, not cloned).
 */
export interface WorkerTask {
  readonly input: ScenarioInput;
  /** For messages, as Scenario.source. */
  readonly source: string;
  /** The scenario file, when it came from one (Scenario.file: messages name it to replay a run). */
  readonly file?: string | undefined;
  /** Relative data files (empirical latencies) and modules are resolved from here. */
  readonly baseDir: string;
  /** The strategy and orchestrator modules the input names, compiled (strategy-modules.ts); none without. */
  readonly modules: readonly CompiledModule[];
  readonly seeds: readonly number[];
  /**
   * Where the worker posts how many of `seeds` it has run so far (a number, rising):
   * after every `every` seeds and after the last one. None when absent.
   */
  readonly progress?: WorkerProgress | undefined;
}

/** The progress half of a worker task. MessagePort is the Node class, a transferable. */
export interface WorkerProgress {
  readonly port: MessagePort;
  readonly every: number;
}

export function workerTask(
  scenario: AnyScenario,
  seeds: readonly number[],
  progress?: WorkerProgress,
): WorkerTask {
  const modules: CompiledModule[] = [];
  for (const s of scenario.strategies) {
    const named = isModuleStrategy(s) || isOrchestratorModule(s);
    if (!named || modules.some((m) => m.file === s.file)) continue;
    const loaded = scenario.modules.get(s.file);
    if (loaded === undefined) throw new Error(`the module ${s.file} of "${s.label}" is not loaded`);
    // The code only: the module's exports stay in this thread.
    const { file, code, digest, sourceMap } = loaded;
    modules.push({ file, code, digest, sourceMap });
  }
  return {
    input: scenario.input,
    source: scenario.source,
    ...(scenario.file === undefined ? {} : { file: scenario.file }),
    baseDir: scenario.baseDir,
    modules,
    seeds,
    ...(progress !== undefined ? { progress } : {}),
  };
}

let cached: { key: string; scenario: Scenario } | undefined;

/**
 * The scenario a worker task describes, its strategies of the built-in kinds (a kind
 * registered in memory exists in the thread that registered it only) or from the modules it
 * carries. The last one is kept: a worker gets many chunks of the same scenario, and
 * re-reading an empirical latency file for each would be wasted work.
 */
export async function scenarioOf(task: WorkerTask): Promise<Scenario> {
  const key = `${task.source}\0${task.file ?? ''}\0${task.baseDir}\0${JSON.stringify(task.input)}\0${task.modules.map((m) => `${m.file}\0${m.digest}`).join('\0')}`;
  if (cached?.key !== key) {
    const modules = new Map<string, StrategyModule>();
    for (const compiled of task.modules) {
      const loaded = await importStrategyModule(compiled, task.baseDir);
      // The main thread imported this very code: a module whose top-level code does not
      // do the same in every thread (reads something that changed since) is the user's.
      if ('problem' in loaded) {
        throw new UsageError(
          `${task.source}: a module loaded in the main thread failed in a worker thread: ${loaded.problem} A module's top-level code must do the same in every thread (or run with --workers 1).`,
        );
      }
      modules.set(compiled.file, loaded);
    }
    cached = {
      key,
      scenario: parseScenario(task.input, {
        source: task.source,
        ...(task.file === undefined ? {} : { file: task.file }),
        baseDir: task.baseDir,
        modules,
      }),
    };
  }
  return cached.scenario;
}
