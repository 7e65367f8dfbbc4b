/**
 * `dispatchlab check` as an assertion, for a test of one's own (vitest, jest, node:test):
 *
 *   import { expectSafe } from 'dispatchlab';
 *   test('my dispatch strategy is safe', async () => {
 *     await expectSafe({ strategyModule: new URL('./my-strategy.ts', import.meta.url) });
 *   });
 *
 * It runs what `check` runs — the scenario's own seeds and generated workloads around it
 * (or the generic world without a scenario), every invariant online — in the test's own
 * process, and throws an UnsafeStrategyError whose message is what `check` prints: each
 * broken invariant, the shrunk counterexample told as a story, the fields that did not
 * matter, and the command that replays it. It writes no file.
 *
 * The budget: `runs` generated workloads per strategy (default 100), or the environment
 * variable DISPATCHLAB_CHECK_RUNS, so that a nightly job can raise it without an edit.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CheckDocument, checkScenarioAsync } from '../experiment/check-runs.js';
import { genericScenarioInput } from '../experiment/generic-scenario.js';
import { invariants } from '../invariants/index.js';
import { loadScenario, scenarioFromData } from '../scenario/load.js';
import {
  type CheckInvocation,
  ownSeedReplay,
  scenarioCheckText,
  strategyCommand,
} from './check-text.js';

export interface SafetyCheckOptions {
  /** The scenario file (a path, or a file: URL) whose workload is varied; the generic world of `check` when absent. */
  readonly scenario?: string | URL;
  /** A strategy module of your own (a path, or a file: URL), checked instead of the scenario's strategies. */
  readonly strategyModule?: string | URL;
  /** An orchestrator module of your own (docs/orchestrator-modules.md), checked instead of the scenario's strategies. */
  readonly orchestratorModule?: string | URL;
  /** Generated workloads per strategy (default: DISPATCHLAB_CHECK_RUNS, else 100). */
  readonly runs?: number;
  /** fast-check's seed (default 0): the same seed generates the same workloads. */
  readonly seed?: number;
}

/** A strategy broke an invariant: the message is the report `dispatchlab check` prints. */
export class UnsafeStrategyError extends Error {
  override name = 'UnsafeStrategyError';
  constructor(
    message: string,
    /** The whole verdict, as `check --json` gives it. */
    readonly document: CheckDocument,
  ) {
    super(message);
  }
}

/** The default budget: DISPATCHLAB_CHECK_RUNS when set to a whole number, else 100. */
function defaultRuns(): number {
  const env = process.env.DISPATCHLAB_CHECK_RUNS;
  if (env === undefined || env.trim() === '') return 100;
  const runs = Number(env);
  if (!Number.isSafeInteger(runs) || runs < 0) {
    throw new Error(
      `DISPATCHLAB_CHECK_RUNS=${env}: expected a whole number of generated workloads per strategy (0 or more).`,
    );
  }
  return runs;
}

/** Checks as `dispatchlab check` does, and returns the verdict whatever it is. */
/** A path given as a path or a file: URL. */
const pathOf = (p: string | URL) => (p instanceof URL ? fileURLToPath(p) : p);

export async function checkSafety(options: SafetyCheckOptions = {}): Promise<CheckDocument> {
  if (options.strategyModule !== undefined && options.orchestratorModule !== undefined) {
    throw new Error(
      "checkSafety: give a strategyModule or an orchestratorModule, not both: each replaces the scenario's strategies",
    );
  }
  const module =
    options.strategyModule !== undefined
      ? [{ module: resolve(pathOf(options.strategyModule)) }]
      : options.orchestratorModule !== undefined
        ? [{ orchestrator: resolve(pathOf(options.orchestratorModule)) }]
        : undefined;
  const scenario =
    options.scenario === undefined
      ? await scenarioFromData(
          genericScenarioInput(module),
          'the generic world of check',
          process.cwd(),
        )
      : await loadScenario(
          pathOf(options.scenario),
          module === undefined ? {} : { strategies: module },
        );
  // The asynchronous driver: it checks strategies as the synchronous one does, and runs
  // orchestrator modules, which only the harness can, and asynchronously.
  return checkScenarioAsync(scenario, {
    invariants,
    generate: { runs: options.runs ?? defaultRuns(), seed: options.seed ?? 0 },
  });
}

/** Checks as `dispatchlab check` does, and throws an UnsafeStrategyError unless every check holds. */
export async function expectSafe(options: SafetyCheckOptions = {}): Promise<CheckDocument> {
  const doc = await checkSafety(options);
  if (doc.failed === 0) return doc;
  const invocation: CheckInvocation = {
    file: options.scenario === undefined ? undefined : pathOf(options.scenario),
    strategyModule:
      options.strategyModule === undefined ? undefined : pathOf(options.strategyModule),
    orchestratorModule:
      options.orchestratorModule === undefined ? undefined : pathOf(options.orchestratorModule),
    // The same budget and seed find the same counterexample.
    options: [
      ...(options.runs === undefined ? [] : [`--runs ${options.runs}`]),
      ...(options.seed === undefined ? [] : [`--seed ${options.seed}`]),
    ],
  };
  const text = scenarioCheckText(doc, {
    files: new Map(),
    replay: (label) => `${strategyCommand(invocation, label)} (writes the minimal scenario)`,
    seedReplay: (label, seed) => ownSeedReplay(invocation, label, seed),
  });
  // The report's last line speaks of the command's exit code; here it is an exception.
  throw new UnsafeStrategyError(text.replace(/ \(exit code 3\)\.\n$/, '.\n'), doc);
}
