/**
 * The property `dispatchlab check` tests on generated workloads: for one strategy of a
 * scenario, on every workload fast-check generates (workload-variations.ts) and a seed,
 * the run breaks no invariant beyond those the strategy's entry declares (`expect:`).
 *
 * fast-check runs the property, and on a failure shrinks the workload and the seed to a
 * minimal counterexample, which it can replay from its seed and path alone. The
 * counterexample is then run once more with its trace in memory, for the violation told
 * with the records around it, and for the scenario's own fields that did not matter: each
 * is set to its default (or removed), and if the run still breaks the same invariant, the
 * field is marked as not mattering.
 *
 * The check is written as steps (check-steps.ts), so that one code checks a strategy,
 * whose runs are synchronous (checkGenerated), and an orchestrator module, whose runs under
 * the harness are not (checkGeneratedAsync, with fc.asyncProperty).
 */
import fc from 'fast-check';
import { checkRecords, type InvariantCheck } from '../invariants/check-trace.js';
import type { Invariant } from '../invariants/invariant.js';
import type { ModelTraceRecord } from '../model/trace-records.js';
import { ScenarioError } from '../scenario/errors.js';
import { strategyOf } from '../scenario/module-strategy.js';
import { isOrchestratorModule } from '../scenario/orchestrator-module.js';
import { type AnyScenario, parseScenario } from '../scenario/parse.js';
import type { NormalizedScenarioInput } from '../scenario/schema.js';
import { MemoryTrace } from '../sim/trace.js';
import {
  type CheckSteps,
  checkedRunStep,
  driveAsync,
  driveSync,
  type PropertyDetails,
  propertyStep,
} from './check-steps.js';
import type { RunOutcome } from './checked-run.js';
import { UsageError } from './errors.js';
import {
  applyVariation,
  changedPaths,
  type WorkloadVariation,
  workloadVariations,
} from './workload-variations.js';

export interface GenerationOptions {
  readonly invariants: readonly Invariant[];
  /** Workloads to generate. */
  readonly runs: number;
  /** fast-check's seed: the same seed generates the same workloads. */
  readonly seed: number;
  /** Stop generating after this many milliseconds (the runs done so far count). */
  readonly timeLimitMs?: number | undefined;
  /** Replay one counterexample: fast-check's path to it (with `seed`). */
  readonly path?: string | undefined;
  /** Called after each generated run (not the shrinking ones). */
  readonly onRun?: (() => void) | undefined;
  /**
   * Workloads that broke the strategy before (regressions.ts), replayed first: the first
   * that breaks it again is the counterexample, and nothing is generated.
   */
  readonly regressions?: readonly { readonly seed: number; readonly workload: WorkloadVariation }[];
}

/** One invariant over the generated runs. */
export interface GeneratedTally {
  readonly pass: number;
  readonly fail: number;
  readonly vacuous: number;
  readonly occasions: number;
}

/** What broke in one run: an invariant, its first violation. */
export interface Breach {
  readonly invariant: string;
  readonly message: string;
  readonly violation?: InvariantCheck['violation'];
  readonly context?: InvariantCheck['context'];
}

/** The minimal failing workload, shrunk by fast-check. */
export interface Counterexample {
  readonly variation: WorkloadVariation;
  /** The fields of the scenario input the variation changes. */
  readonly changed: readonly string[];
  /** The run's seed. */
  readonly seed: number;
  /** fast-check's path to it: with the generation seed, it replays it. */
  readonly path: string;
  readonly shrinks: number;
  /** What the run broke beyond what the entry declares. */
  readonly breaches: readonly Breach[];
  /**
   * The counterexample as a scenario input of its own: the varied world, the one
   * strategy, its seed as the only one.
   */
  readonly input: NormalizedScenarioInput;
  /** Fields of that input that did not matter: the run breaks the same without them. */
  readonly irrelevant: readonly string[];
  /** Whether it came from the regressions file rather than from generation. */
  readonly fromRegression: boolean;
  /** The run's trace (not in `--json`: it can be long; the story and context say it). */
  readonly trace?: readonly ModelTraceRecord[];
}

export interface GenerationResult {
  readonly seed: number;
  /** Generated runs done (shrinking runs not counted). */
  readonly runs: number;
  /** Regressions replayed before generating. */
  readonly replayed: number;
  /** Whether the time limit stopped generation (or shrinking) before it was done. */
  readonly interrupted: boolean;
  /** Whether this was the replay of one counterexample (a fast-check path was given). */
  readonly replay: boolean;
  /** By invariant name, in the order of the invariants. */
  readonly tallies: readonly (GeneratedTally & {
    readonly invariant: string;
    /** What the occasions count, as the checker says it (its notes about one run left out). */
    readonly occasionsOf: string;
  })[];
  readonly counterexample?: Counterexample;
}

/**
 * A scenario with a variation's changes, parsed as the file would be (its modules and
 * kinds as loaded); a variation the schema refuses is a bug of the generator's.
 */
export function variedScenario(scenario: AnyScenario, input: NormalizedScenarioInput): AnyScenario {
  return parseScenario(input, {
    source: `${scenario.source} (generated workload)`,
    baseDir: scenario.baseDir,
    kinds: scenario.kinds,
    modules: scenario.modules,
  });
}

/** The invariants a run broke that its entry does not declare. */
function breachesOf(outcome: RunOutcome, expected: ReadonlySet<string>): Breach[] {
  const breaches: Breach[] = outcome.results
    .filter((r) => r.status === 'fail' && !expected.has(r.invariant))
    .map((r) => ({
      invariant: r.invariant,
      message: r.violation!.message,
      violation: r.violation,
      ...(r.context === undefined ? {} : { context: r.context }),
    }));
  return breaches;
}

/** Checks the strategy at `index` of `scenario` on generated workloads (the file's comment). */
export function checkGenerated(
  scenario: AnyScenario,
  index: number,
  options: GenerationOptions,
): GenerationResult {
  return driveSync(generatedSteps(scenario, index, options));
}

/**
 * checkGenerated for any of the scenario's strategies, orchestrator modules included (their
 * runs are asynchronous: check-steps.ts).
 */
export function checkGeneratedAsync(
  scenario: AnyScenario,
  index: number,
  options: GenerationOptions,
): Promise<GenerationResult> {
  return driveAsync(generatedSteps(scenario, index, options));
}

/** The check on generated workloads, as steps (check-steps.ts). */
export function* generatedSteps(
  scenario: AnyScenario,
  index: number,
  options: GenerationOptions,
): CheckSteps<GenerationResult> {
  const config = scenario.strategies[index]!;
  const expected = new Set<string>(scenario.expected.get(config.label) ?? []);
  const { invariants } = options;
  const tallies = invariants.map((inv) => ({
    invariant: inv.name,
    occasionsOf: '',
    pass: 0,
    fail: 0,
    vacuous: 0,
    occasions: 0,
  }));
  let runs = 0;
  let failedOnce = false;
  let bug: { readonly error: unknown } | undefined;
  // The strategy alone: a workload varied for one strategy need not suit the others (a task
  // graph generated for a built-in strategy is refused at an orchestrator module's entry).
  const alone = {
    ...scenario.input,
    strategies: [scenario.input.strategies[index]!],
  } as NormalizedScenarioInput;
  const runWorkload = (variation: WorkloadVariation, seed: number) =>
    checkedRunStep(variedScenario(scenario, applyVariation(alone, variation)), 0, seed, invariants);
  const replays = options.regressions ?? [];
  const tally = (outcome: RunOutcome) =>
    outcome.results.forEach((r, i) => {
      const t = tallies[i]!;
      t[r.status]++;
      t.occasions += r.occasions;
      if (t.occasionsOf === '') t.occasionsOf = r.occasionsOf.split(';')[0] ?? r.occasionsOf;
    });
  for (const [k, r] of replays.entries()) {
    let outcome: RunOutcome;
    try {
      outcome = yield* runWorkload(r.workload, r.seed);
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      throw new UsageError(
        `the regressions file holds a workload for strategy "${config.label}" (its entry ${JSON.stringify({ seed: r.seed, workload: r.workload })}) that no longer applies to ${scenario.source}: ${err.message.replace(/\.+$/, '')}. Remove that entry from the regressions file (or pass --no-regressions).`,
      );
    }
    tally(outcome);
    if (breachesOf(outcome, expected).length > 0) {
      return {
        seed: options.seed,
        runs: 0,
        replayed: k + 1,
        interrupted: false,
        replay: false,
        tallies,
        counterexample: yield* counterexampleSteps(scenario, index, r.workload, r.seed, {
          path: '',
          shrinks: 0,
          expected,
          invariants,
          fromRegression: true,
        }),
      };
    }
  }
  // The harness runs independent tasks only: an orchestrator's workloads keep theirs so.
  const workloads = workloadVariations(scenario, strategyOf(config, scenario.kinds), {
    dependencies: !isOrchestratorModule(config),
  });
  const seeds = fc.nat({ max: 2 ** 31 - 1 });
  function* predicate(variation: WorkloadVariation, seed: number): CheckSteps<boolean> {
    let outcome: RunOutcome;
    try {
      outcome = yield* runWorkload(variation, seed);
    } catch (err) {
      // Not something the strategy did (that is a RunOutcome): a bug, or bad input.
      bug ??= { error: err };
      throw err;
    }
    const ok = breachesOf(outcome, expected).length === 0;
    // Shrinking reruns the property on smaller workloads: only the generated runs count.
    if (!failedOnce) {
      runs++;
      tally(outcome);
      options.onRun?.();
      if (!ok) failedOnce = true;
    }
    return ok;
  }
  if (options.runs === 0 && options.path === undefined) {
    return {
      seed: options.seed,
      runs: 0,
      replayed: replays.length,
      interrupted: false,
      replay: false,
      tallies,
    };
  }
  let details: PropertyDetails;
  try {
    details = yield* propertyStep(workloads, seeds, predicate, {
      seed: options.seed,
      numRuns: options.path === undefined ? options.runs : 1,
      ...(options.path === undefined ? {} : { path: options.path, endOnFailure: true }),
      ...(options.timeLimitMs === undefined
        ? {}
        : { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false }),
    });
  } catch (err) {
    // fast-check refuses a path it cannot follow: the token is not of this generator.
    if (options.path !== undefined && bug === undefined) {
      throw new UsageError(
        `the replay path ${options.path} does not lead to a workload of ${scenario.source} with fast-check's seed ${options.seed} (${err instanceof Error ? err.message : String(err)}); it was made by another version or for another strategy: replay from the counterexample's YAML file instead, or run check again.`,
      );
    }
    throw err;
  }
  const result = {
    seed: options.seed,
    runs,
    replayed: replays.length,
    interrupted: details.interrupted,
    replay: options.path !== undefined,
    tallies,
  };
  if (bug !== undefined) throw bug.error;
  if (!details.failed || details.counterexample === null) return result;
  const [variation, seed] = details.counterexample;
  return {
    ...result,
    counterexample: yield* counterexampleSteps(scenario, index, variation, seed, {
      path: details.counterexamplePath ?? '',
      shrinks: details.numShrinks,
      expected,
      invariants,
      fromRegression: false,
    }),
  };
}

/** What a counterexample is told with: how it was found, and what its entry declares. */
interface CounterexampleAbout {
  readonly path: string;
  readonly shrinks: number;
  readonly expected: ReadonlySet<string>;
  readonly invariants: readonly Invariant[];
  readonly fromRegression: boolean;
}

/** The counterexample run again, traced, with the fields that did not matter found. */
export function counterexampleOf(
  scenario: AnyScenario,
  index: number,
  variation: WorkloadVariation,
  seed: number,
  about: CounterexampleAbout,
): Counterexample {
  return driveSync(counterexampleSteps(scenario, index, variation, seed, about));
}

/** counterexampleOf, as steps (check-steps.ts). */
function* counterexampleSteps(
  scenario: AnyScenario,
  index: number,
  variation: WorkloadVariation,
  seed: number,
  about: CounterexampleAbout,
): CheckSteps<Counterexample> {
  const input = minimalInput(scenario, index, variation, seed);
  const single = variedScenario(scenario, input);
  const trace = new MemoryTrace<ModelTraceRecord>();
  const outcome = yield* checkedRunStep(single, 0, seed, about.invariants, trace);
  const records = trace.records;
  // The records around each violation, from the kept trace.
  // The records around each violation: the kept trace checked once more, offline (the
  // online checker keeps no records). Matched by index: check words some messages itself.
  const offline = checkRecords(records, about.invariants).results;
  const withContext: RunOutcome = {
    results: outcome.results.map((r, i) => {
      const context = offline[i]?.context;
      return r.status === 'fail' &&
        context !== undefined &&
        offline[i]!.violation?.index === r.violation?.index
        ? { ...r, context }
        : r;
    }),
  };
  const breaches = breachesOf(withContext, about.expected);
  const first = breaches[0];
  function* stillBreaks(candidate: NormalizedScenarioInput): CheckSteps<boolean> {
    let s: AnyScenario;
    try {
      s = variedScenario(scenario, candidate);
    } catch (err) {
      // Without that field the input is not a scenario (a field another needs): it matters.
      if (err instanceof ScenarioError) return false;
      throw err;
    }
    const again = breachesOf(yield* checkedRunStep(s, 0, seed, about.invariants), about.expected);
    return again.some((b) => b.invariant === first?.invariant);
  }
  const irrelevant = first === undefined ? [] : yield* irrelevantFields(input, stillBreaks);
  return {
    variation,
    changed: changedPaths(variation),
    seed,
    path: about.path,
    shrinks: about.shrinks,
    breaches,
    input: withExpectOf(input, about.expected, outcome),
    irrelevant,
    fromRegression: about.fromRegression,
    trace: records,
  };
}

/**
 * The counterexample's strategy entry declares, of what its scenario's entry expected,
 * only what this run breaks: its file, checked on its own, then fails only for what the
 * counterexample is about.
 */
function withExpectOf(
  input: NormalizedScenarioInput,
  expected: ReadonlySet<string>,
  outcome: RunOutcome,
): NormalizedScenarioInput {
  const entry = input.strategies[0] as unknown as Record<string, unknown>;
  if (!('expect' in entry)) return input;
  const broken = outcome.results
    .filter((r) => r.status === 'fail' && expected.has(r.invariant))
    .map((r) => r.invariant);
  const { expect: _declared, ...rest } = entry;
  const strategies = [broken.length === 0 ? rest : { ...rest, expect: broken }];
  // The entry's own type: only `expect` changed.
  return { ...input, strategies } as NormalizedScenarioInput;
}

/** The scenario input of a counterexample: the varied world, the one strategy, its seed. */
function minimalInput(
  scenario: AnyScenario,
  index: number,
  variation: WorkloadVariation,
  seed: number,
): NormalizedScenarioInput {
  const varied = applyVariation(scenario.input, variation);
  return {
    ...varied,
    strategies: [varied.strategies[index]!],
    seeds: { start: seed, count: 1 },
  } as NormalizedScenarioInput;
}

/**
 * The fields a counterexample can do without: each optional field of the world, set to
 * its default by leaving it out, one at a time. Each is one more run.
 */
function* irrelevantFields(
  input: NormalizedScenarioInput,
  stillBreaks: (candidate: NormalizedScenarioInput) => CheckSteps<boolean>,
): CheckSteps<string[]> {
  const candidates: string[] = [];
  const sections = ['orchestrator', 'context', 'tokens', 'prices', 'quality'] as const;
  if (input.tasks.dependencies !== undefined) candidates.push('tasks.dependencies');
  for (const key of Object.keys(input.subagents.failures ?? {}))
    candidates.push(`subagents.failures.${key}`);
  if (input.subagents.reportsProgress !== undefined) candidates.push('subagents.reportsProgress');
  for (const section of sections) {
    const value = input[section];
    if (value === undefined) continue;
    if (section === 'tokens' || section === 'prices') candidates.push(section);
    else for (const key of Object.keys(value)) candidates.push(`${section}.${key}`);
  }
  const irrelevant: string[] = [];
  for (const path of candidates) {
    if (yield* stillBreaks(withoutField(input, path))) irrelevant.push(path);
  }
  return irrelevant;
}

/** The input without the field at `path` (a dotted path of mappings). */
export function withoutField(
  input: NormalizedScenarioInput,
  path: string,
): NormalizedScenarioInput {
  const copy = structuredClone(input) as Record<string, unknown>;
  const parts = path.split('.');
  let node = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  delete node[parts.at(-1)!];
  return copy as NormalizedScenarioInput;
}
