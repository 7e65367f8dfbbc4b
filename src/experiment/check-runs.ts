/**
 * `dispatchlab check FILE`: every strategy of a scenario run on its seeds, each run's trace
 * checked against the invariants as it is written (no trace is kept), and for each
 * invariant, how many runs passed, failed or never put it to the test. A run that broke
 * one is run again with its trace in memory (the simulator is deterministic: it is the
 * same run) to show the violation with the records around it.
 */

import { createHash } from 'node:crypto';
import { checkRecords, type InvariantCheck } from '../invariants/check-trace.js';
import type { Invariant, Violation } from '../invariants/invariant.js';
import { storyOf } from '../invariants/story.js';
import type { ModelTraceRecord } from '../model/trace-records.js';
import type { AnyScenario } from '../scenario/parse.js';
import { MemoryTrace, serializeTraceRecord } from '../sim/trace.js';
import { type CheckSteps, checkedRunStep, driveAsync, driveSync } from './check-steps.js';
import type { RunOutcome } from './checked-run.js';
import { scenarioHeader } from './compare.js';
import {
  type GenerationOptions,
  type GenerationResult,
  generatedSteps,
} from './generated-check.js';
import type { ScenarioHeader, SeedsHeader } from './results.js';
import { resolveSeeds, seedRange } from './run-seeds.js';

/** One invariant over one strategy's runs. */
export interface InvariantTally {
  readonly invariant: string;
  readonly rule: string;
  /** `fail` if any run broke it; `vacuous` if no run put it to the test; else `pass`. */
  readonly status: 'pass' | 'fail' | 'vacuous';
  /** Whether the scenario declares the strategy meant to break it (its entry's `expect:`). */
  readonly expected: boolean;
  /**
   * Whether the check came out as the scenario says: broken in some run if expected, else
   * never broken. `false` is what makes `dispatchlab check` fail.
   */
  readonly asDeclared: boolean;
  readonly runs: { readonly pass: number; readonly fail: number; readonly vacuous: number };
  /** Occasions summed over the runs: the coverage behind a pass. */
  readonly occasions: number;
  readonly occasionsOf: string;
  /**
   * The first run (lowest seed) that broke it: its seed, the violation, and the records
   * around it from a replay of the run — absent when the replay did not break it again:
   * the strategy is not deterministic, which its determinism check reports.
   */
  readonly firstFailure?: {
    readonly seed: number;
    readonly violation: Violation;
    readonly context?: NonNullable<InvariantCheck['context']>;
    /** The facts that led to it, one per line, the violation last (src/invariants/story.ts). */
    readonly story?: readonly string[];
  };
}

/** The same run twice (the first seed), compared byte for byte, as madsim checks itself. */
export interface DeterminismCheck {
  readonly status: 'pass' | 'fail';
  readonly seed: number;
  /** The SHA-256 of each run's trace (JSONL): equal when it passes. */
  readonly hashes: readonly [string, string];
  readonly records: number;
  /**
   * A run that broke an invariant as it was checked but not when run again for the
   * records around the violation: more evidence that the strategy is not deterministic
   * (the status is then `fail`, whatever the hashes).
   */
  readonly unreproduced?: { readonly seed: number; readonly invariant: string };
}

export interface StrategyCheck {
  readonly label: string;
  /** Over the scenario's seeds and the generated workloads together. */
  readonly invariants: readonly InvariantTally[];
  /** Absent when the scenario's own seeds were not run (a replay). */
  readonly determinism?: DeterminismCheck;
  /** The generated workloads (generated-check.ts); absent with `runs: 0`. */
  readonly generated?: GenerationResult;
}

/** What `dispatchlab check FILE --json` prints. */
export interface CheckDocument {
  readonly format: 'dispatchlab-check';
  /** 2: generated workloads (`generated`), and no determinism check when only a counterexample was replayed. */
  readonly version: 2;
  readonly scenario: ScenarioHeader;
  readonly seeds: SeedsHeader;
  readonly strategies: readonly StrategyCheck[];
  /**
   * Checks that did not come out as declared, counted once per strategy: an invariant
   * broken that the strategy's `expect:` does not name, one it names that held, and a
   * failed determinism check. 0 means `check` passes.
   */
  readonly failed: number;
}

export interface CheckOptions {
  readonly invariants: readonly Invariant[];
  readonly seeds?: SeedsHeader | undefined;
  /** Indexes into the scenario's strategies; every one by default. */
  readonly strategies?: readonly number[] | undefined;
  /** Called after each run, with the runs done and the runs in all. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  /** Workloads to generate per strategy, besides the scenario's own (none by default). */
  readonly generate?:
    | (Omit<GenerationOptions, 'invariants' | 'onRun' | 'regressions'> & {
        /** The workloads that broke a strategy before, by its label: replayed first. */
        readonly regressions?: (label: string) => GenerationOptions['regressions'];
      })
    | undefined;
  /** Run the scenario's own seeds and the determinism check (default true); false to replay a counterexample alone. */
  readonly ownSeeds?: boolean | undefined;
}

/**
 * Checks a scenario's strategies (see the file's comment). Synchronous: a scenario whose
 * chosen strategies include an orchestrator module is checked with checkScenarioAsync.
 */
export function checkScenario(scenario: AnyScenario, options: CheckOptions): CheckDocument {
  return driveSync(checkSteps(scenario, options));
}

/**
 * checkScenario for any of the scenario's strategies, orchestrator modules included: their
 * runs under the harness are asynchronous, and awaited one at a time (check-steps.ts).
 */
export function checkScenarioAsync(
  scenario: AnyScenario,
  options: CheckOptions,
): Promise<CheckDocument> {
  return driveAsync(checkSteps(scenario, options));
}

function* checkSteps(scenario: AnyScenario, options: CheckOptions): CheckSteps<CheckDocument> {
  const seeds = resolveSeeds(scenario.seeds, options.seeds);
  const list = options.ownSeeds === false ? [] : seedRange(seeds);
  const chosen = options.strategies ?? scenario.strategies.map((_, i) => i);
  const generating = options.generate !== undefined;
  const total = chosen.length * (list.length + (generating ? options.generate!.runs : 0));
  let done = 0;
  const strategies: StrategyCheck[] = [];
  for (const index of chosen) {
    const config = scenario.strategies[index]!;
    const expected = new Set<string>(scenario.expected.get(config.label) ?? []);
    const runs: { seed: number; results: RunOutcome['results'] }[] = [];
    for (const seed of list) {
      const outcome = yield* checkedRunStep(scenario, index, seed, options.invariants);
      options.onProgress?.(++done, total);
      runs.push({ seed, results: outcome.results });
    }
    // A seed's run traced in memory, once however many invariants it broke: for the records
    // around a violation, and as the first of the determinism check's two runs.
    const replays = new Map<number, readonly ModelTraceRecord[]>();
    function* replay(seed: number): CheckSteps<readonly ModelTraceRecord[]> {
      let records = replays.get(seed);
      if (records === undefined) {
        records = yield* traced(scenario, index, seed);
        replays.set(seed, records);
      }
      return records;
    }
    const generated = generating
      ? yield* generatedSteps(scenario, index, {
          ...options.generate!,
          regressions: options.generate!.regressions?.(config.label),
          invariants: options.invariants,
          onRun: () => options.onProgress?.(++done, total),
        })
      : undefined;
    // The first failing seed's run of each broken invariant, replayed for its records.
    const firstFailed = new Map<number, readonly ModelTraceRecord[]>();
    for (let i = 0; i < options.invariants.length; i++) {
      const failed = runs.find((r) => r.results[i]!.status === 'fail');
      if (failed !== undefined && !firstFailed.has(failed.seed)) {
        firstFailed.set(failed.seed, yield* replay(failed.seed));
      }
    }
    const invariants = options.invariants.map((invariant, i): InvariantTally => {
      const results = runs.map((r) => ({ seed: r.seed, result: r.results[i]! }));
      const count = (status: 'pass' | 'fail' | 'vacuous') =>
        results.filter((r) => r.result.status === status).length +
        (generated?.tallies[i]?.[status] ?? 0);
      const tally = { pass: count('pass'), fail: count('fail'), vacuous: count('vacuous') };
      const failed = results.find((r) => r.result.status === 'fail');
      const status = tally.fail > 0 ? 'fail' : tally.pass > 0 ? 'pass' : 'vacuous';
      const isExpected = expected.has(invariant.name);
      return {
        invariant: invariant.name,
        rule: invariant.rule,
        status,
        expected: isExpected,
        // Replaying one counterexample (no seeds of the scenario's own) cannot show that an
        // expected break happens: only that nothing else breaks.
        asDeclared: isExpected ? status === 'fail' || list.length === 0 : status !== 'fail',
        runs: tally,
        occasions:
          results.reduce((sum, r) => sum + r.result.occasions, 0) +
          (generated?.tallies[i]?.occasions ?? 0),
        occasionsOf: commonNoun([
          ...results.map((r) => r.result.occasionsOf),
          ...(generated === undefined ? [] : [generated.tallies[i]!.occasionsOf]),
        ]),
        ...(failed === undefined
          ? {}
          : {
              firstFailure: {
                seed: failed.seed,
                violation: failed.result.violation!,
                ...replayContext(
                  firstFailed.get(failed.seed)!,
                  invariant,
                  failed.result.violation!,
                ),
              },
            }),
      };
    });
    const result = {
      label: config.label,
      invariants,
      ...(generated === undefined ? {} : { generated }),
    };
    if (list.length === 0) {
      strategies.push(result);
      continue;
    }
    const first = yield* replay(list[0]!);
    const twice = determinism(first, yield* traced(scenario, index, list[0]!), list[0]!);
    const lost = invariants.find(
      (t) => t.firstFailure !== undefined && t.firstFailure.context === undefined,
    );
    strategies.push({
      ...result,
      determinism:
        lost === undefined
          ? twice
          : {
              ...twice,
              status: 'fail',
              unreproduced: { seed: lost.firstFailure!.seed, invariant: lost.invariant },
            },
    });
  }
  const failed = strategies.reduce(
    (sum, s) =>
      sum +
      s.invariants.filter((i) => !i.asDeclared).length +
      (s.determinism?.status === 'fail' ? 1 : 0),
    0,
  );
  return {
    format: 'dispatchlab-check',
    version: 2,
    scenario: scenarioHeader(scenario),
    seeds,
    strategies,
    failed,
  };
}

/**
 * What the occasions count, said once for many runs: a checker may add notes about its
 * own run after a `;` ("…; 2 more, of ghosts…"), which do not add up across runs, so
 * where the runs' texts differ only the words before the notes are kept.
 */
function commonNoun(texts: readonly string[]): string {
  const first = texts[0] ?? '';
  return texts.every((t) => t === first) ? first : (first.split(';')[0] ?? first);
}

/** One run of the strategy at `index` on `seed`, its trace in memory. */
function* traced(
  scenario: AnyScenario,
  index: number,
  seed: number,
): CheckSteps<readonly ModelTraceRecord[]> {
  const trace = new MemoryTrace<ModelTraceRecord>();
  // Checked too, for nothing: checkedRun is what tells a run that spins from a crash.
  yield* checkedRunStep(scenario, index, seed, [], trace);
  return trace.records;
}

/** Two runs of one seed, compared byte for byte by their traces' hashes. */
function determinism(
  first: readonly ModelTraceRecord[],
  second: readonly ModelTraceRecord[],
  seed: number,
): DeterminismCheck {
  const hash = (records: readonly ModelTraceRecord[]) => {
    const h = createHash('sha256');
    for (const r of records) h.update(`${serializeTraceRecord(r)}\n`);
    return h.digest('hex');
  };
  const [a, b] = [hash(first), hash(second)];
  return { status: a === b ? 'pass' : 'fail', seed, hashes: [a, b], records: first.length };
}

/**
 * The failing run, replayed, for the records around its violation;
 * nothing if the replay does not break it the same way (a strategy that is not
 * deterministic: its determinism check says so).
 */
function replayContext(
  records: readonly ModelTraceRecord[],
  invariant: Invariant,
  online: Violation,
): { context?: NonNullable<InvariantCheck['context']>; story?: readonly string[] } {
  const [result] = checkRecords(records, [invariant]).results;
  // The same record at the same time: the message may differ where check words it itself
  // (a run stopped for spinning is, to the trace alone, a trace cut short).
  const same = result?.violation?.index === online.index && result.violation.t === online.t;
  if (!same || result.context === undefined) return {};
  return { context: result.context, story: storyOf(records, result.violation!) };
}
