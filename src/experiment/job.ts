/**
 * A job: a parsed scenario and the seeds to run it on. In-process, the scenario is run as
 * it is. Scenarios hold Distribution objects, which cannot cross to a worker thread, so a
 * worker gets only the checked plain input (workerTask) and rebuilds the scenario with
 * parseScenario, the function that built the original: the same input gives the same
 * world, so the results do not depend on the number of workers.
 */
import type { MessagePort } from 'node:worker_threads';
import { type AnyScenario, parseScenario, type Scenario } from '../scenario/parse.js';
import type { ScenarioInput } from '../scenario/schema.js';

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
  /** Relative data files (empirical latencies) are resolved from here. */
  readonly baseDir: string;
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
  return {
    input: scenario.input,
    source: scenario.source,
    baseDir: scenario.baseDir,
    seeds,
    ...(progress !== undefined ? { progress } : {}),
  };
}

let cached: { key: string; scenario: Scenario } | undefined;

/**
 * The scenario a worker task describes, its strategies of the built-in kinds (a kind
 * registered in memory exists in the thread that registered it only). The last one is kept: a worker gets many chunks of
 * the same scenario, and re-reading an empirical latency file for each would be wasted work.
 */
export function scenarioOf(task: WorkerTask): Scenario {
  const key = `${task.source}\0${task.baseDir}\0${JSON.stringify(task.input)}`;
  if (cached?.key !== key) {
    cached = {
      key,
      scenario: parseScenario(task.input, { source: task.source, baseDir: task.baseDir }),
    };
  }
  return cached.scenario;
}
