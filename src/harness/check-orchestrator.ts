/**
 * The invariants on a user's own orchestrator, seed by seed, for a test of their own:
 *
 *   const verdict = await checkOrchestrator({ scenario, orchestrator: myOrchestrator });
 *   expect(verdict.failures).toEqual([]);
 *
 * Each seed runs the code under the harness against the scenario's world (its subagents,
 * failures, costs and context), and every invariant judges the trace. A failure carries
 * its story (src/invariants/story.ts): the facts about the subagent and task involved, in
 * order, ending with the violation, so that a failing assertion reads as what went wrong.
 * The same seed gives the same run: `runOrchestrator({ ..., seed })` replays one.
 */
import { fileURLToPath } from 'node:url';
import { checkRecords, invariants } from '../invariants/index.js';
import { storyOf } from '../invariants/story.js';
import type { WorldConfig } from '../model/config.js';
import type { RunOutcome } from '../model/metrics.js';
import { loadScenario } from '../scenario/load.js';
import { runOrchestrator } from './run-orchestrator.js';
import type { OrchestratorRuntime } from './runtime.js';
import type { HarnessSettings } from './simulated-run.js';

export interface OrchestratorCheckOptions {
  /** The scenario file (a path, or a file: URL) whose world the code meets, and whose seeds it runs. */
  readonly scenario?: string | URL;
  /** A world instead of a scenario file. */
  readonly world?: WorldConfig;
  readonly orchestrator: (rt: OrchestratorRuntime) => Promise<unknown>;
  /** What the code declares about how it dispatches (its WIP limit, timeout, retries, poll interval). */
  readonly settings?: HarnessSettings;
  /** Its name in the traces. */
  readonly label?: string;
  /** How many seeds (from 0), or which: the scenario's own by default, else 20. */
  readonly seeds?: number | readonly number[];
}

/** One broken invariant on one seed. */
export interface OrchestratorFailure {
  readonly seed: number;
  readonly invariant: string;
  readonly message: string;
  /** The facts that lead to it, one per line, the violation last. */
  readonly story: string;
}

export interface OrchestratorCheck {
  /** Seeds run. */
  readonly seeds: readonly number[];
  readonly outcomes: readonly { readonly seed: number; readonly outcome: RunOutcome }[];
  /** Empty when every invariant held on every seed. */
  readonly failures: readonly OrchestratorFailure[];
}

const defaultSeeds = 20;

export async function checkOrchestrator(
  options: OrchestratorCheckOptions,
): Promise<OrchestratorCheck> {
  const { world, seeds } = await worldAndSeeds(options);
  const failures: OrchestratorFailure[] = [];
  const outcomes: { seed: number; outcome: RunOutcome }[] = [];
  for (const seed of seeds) {
    const run = await runOrchestrator({
      world,
      seed,
      orchestrator: options.orchestrator,
      settings: options.settings,
      label: options.label,
    });
    outcomes.push({ seed, outcome: run.outcome });
    for (const result of checkRecords(run.records, invariants).results) {
      const violation = result.violation;
      if (result.status !== 'fail' || violation === undefined) continue;
      failures.push({
        seed,
        invariant: result.invariant,
        message: violation.message,
        story: storyOf(run.records, violation).join('\n'),
      });
    }
  }
  return { seeds, outcomes, failures };
}

async function worldAndSeeds(
  options: OrchestratorCheckOptions,
): Promise<{ world: WorldConfig; seeds: readonly number[] }> {
  const fromCount = (count: number, start = 0) =>
    Array.from({ length: count }, (_, i) => start + i);
  const asked = options.seeds;
  if (asked !== undefined && typeof asked !== 'number' && asked.length === 0) {
    throw new Error('checkOrchestrator: `seeds` is an empty list; give at least one seed');
  }
  if (typeof asked === 'number' && !(Number.isSafeInteger(asked) && asked > 0)) {
    throw new Error(`checkOrchestrator: \`seeds\` must be a whole number above 0, got ${asked}`);
  }
  const seedsOr = (fallback: readonly number[]) =>
    asked === undefined ? fallback : typeof asked === 'number' ? fromCount(asked) : asked;
  if (options.scenario !== undefined && options.world !== undefined) {
    throw new Error('checkOrchestrator: give `scenario` or `world`, not both');
  }
  if (options.scenario !== undefined) {
    const file =
      options.scenario instanceof URL ? fileURLToPath(options.scenario) : options.scenario;
    const scenario = await loadScenario(file);
    return {
      world: scenario.world,
      seeds: seedsOr(fromCount(scenario.seeds.count, scenario.seeds.start)),
    };
  }
  if (options.world !== undefined) {
    return { world: options.world, seeds: seedsOr(fromCount(defaultSeeds)) };
  }
  throw new Error('checkOrchestrator: give a `scenario` file or a `world` for the code to meet');
}
