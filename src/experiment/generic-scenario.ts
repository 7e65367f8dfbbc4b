/**
 * The world `dispatchlab check` starts from without a scenario FILE:
 * scenarios/check/generic-world.yaml, every phenomenon of the model switched on at a
 * typical size (errors, hangs, permission requests, orchestrator costs, a context budget
 * with compaction that forgets handles in a volatile registry), so that the generated
 * workloads around it (workload-variations.ts) cover every dimension. A strategy is then
 * checked against the whole space rather than one team's workload.
 *
 * Its strategies are the safe configuration of each built-in family (a timeout for hangs,
 * a durable registry): `check` without arguments checks dispatchlab's own strategies.
 * Unsafe-by-design configurations are what the bundled scenarios frequent-compaction and
 * hung-subagents show, with the violations they expect. It is a file, not code here,
 * because this layer names no strategy kind (test/strategies/adding-a-kind.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { readScenarioData } from '../scenario/load.js';

/** The file: two levels up from this one, whether in src/experiment or dist/experiment. */
export const genericWorldFile = fileURLToPath(
  new URL('../../scenarios/check/generic-world.yaml', import.meta.url),
);

/** The generic world's input, with `strategies` instead of its own when given. */
export function genericScenarioInput(strategies?: readonly unknown[]): Record<string, unknown> {
  const data = readScenarioData(genericWorldFile) as Record<string, unknown>;
  return strategies === undefined ? data : { ...data, strategies };
}
