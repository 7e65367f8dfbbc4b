/**
 * A job: one scenario input and the seeds to run it on. Scenarios hold Distribution
 * objects, which cannot cross to a worker thread, so a job carries the checked plain
 * input and every runner — in-process or in a worker — rebuilds the scenario from it with
 * the same parseScenario. That one code path is what makes the results independent of the
 * number of workers.
 */
import { parseScenario, type Scenario } from '../scenario/parse.js';
import type { ScenarioInput } from '../scenario/schema.js';

export interface SeedJob {
  readonly input: ScenarioInput;
  /** For messages, as Scenario.source. */
  readonly source: string;
  /** Relative data files (empirical latencies) are resolved from here. */
  readonly baseDir: string;
  readonly seeds: readonly number[];
}

let cached: { key: string; scenario: Scenario } | undefined;

/**
 * The scenario a job describes. The last one is kept: a worker gets many chunks of the
 * same scenario, and re-reading an empirical latency file for each would be wasted work.
 */
export function scenarioOf(job: SeedJob): Scenario {
  const key = `${job.source}\0${job.baseDir}\0${JSON.stringify(job.input)}`;
  if (cached?.key !== key) {
    cached = {
      key,
      scenario: parseScenario(job.input, { source: job.source, baseDir: job.baseDir }),
    };
  }
  return cached.scenario;
}
