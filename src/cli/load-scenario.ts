/**
 * What every command that runs a scenario does first: load and check it, and tell the
 * user on stderr what looks like a mistake in it (a hang without a timeout, latencies in
 * the wrong unit...) without stopping: a warning is advice, exit code 0 stays possible.
 */
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/parse.js';
import { scenarioWarnings } from '../scenario/warnings.js';

export async function loadScenarioWithWarnings(
  file: string,
  /** Strategy entries instead of the file's (`check --strategy-module`). */
  strategies?: readonly unknown[],
): Promise<Scenario> {
  const scenario = await loadScenario(file, strategies === undefined ? {} : { strategies });
  for (const warning of scenarioWarnings(scenario)) process.stderr.write(`warning: ${warning}\n`);
  return scenario;
}
