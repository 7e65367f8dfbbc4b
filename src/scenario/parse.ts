/**
 * From a scenario file's checked input to the typed configuration the model takes:
 * durations in seconds, distributions built, defaults filled in (every cost, failure
 * rate and timeout is zero or off unless given), strategies labelled. Errors carry the
 * field path; they are collected, so one pass reports every problem.
 *
 * The checks that need more than one field live here: the fates' sum, seeds that stay exact
 * integers, the size of the task graph, and the poll rounds a polling strategy would need
 * (each a limit of limits.ts, refused with the limit and the reason).
 */
import { noTokens, type TokenConfig, unlimitedContext, type WorldConfig } from '../model/config.js';
import type { InvariantName } from '../model/invariant-names.js';
import type { MetricName } from '../model/metric-names.js';
import type { Strategy } from '../model/strategy.js';
import { type Distribution, DistributionError } from '../sim/distributions/distribution.js';
import { formatDuration } from '../sim/format.js';
import { type ResolvedStrategyConfig, resolveConfig } from '../strategies/config.js';
import type { AnyResolvedConfig, AnyStrategyDescriptor } from '../strategies/descriptor.js';
import { findKind, strategyKindList } from '../strategies/kinds.js';
import type { OptionSpec } from '../strategies/options.js';
import { type DistributionWarning, distributionFromSpec } from './distributions/spec.js';
import { parseDuration } from './duration.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { formatLimit, limits } from './limits.js';
import {
  isModuleStrategy,
  type ModuleStrategyInput,
  moduleStrategy,
  type ScenarioStrategy,
  strategyOf,
} from './module-strategy.js';
import {
  isOrchestratorModule,
  type OrchestratorModuleInput,
  orchestratorModule,
} from './orchestrator-module.js';
import { estimatePollRounds } from './poll-rounds.js';
import { priceTable } from './prices.js';
import {
  type NormalizedScenarioInput,
  type NormalizedStrategyInput,
  type StrategyInput,
  scenarioSchemaFor,
} from './schema.js';
import {
  entryModule,
  isModuleProblem,
  type LoadedModules,
  modulePath,
  type StrategyModule,
} from './strategy-modules.js';
import { describeZodIssues } from './zod-issues.js';

/**
 * A scenario, its strategies of the kinds it was read with: the built-in ones
 * (ResolvedStrategyConfig) unless parseScenario was given others (AnyScenario).
 */
export interface Scenario<C extends AnyResolvedConfig = ResolvedStrategyConfig> {
  readonly name: string;
  readonly description: string;
  /** The file it came from, as given (for messages), or a label for in-memory input. */
  readonly source: string;
  /** The scenario file's path as given, when it came from one (loadScenario). */
  readonly file?: string;
  /** Relative data files (empirical latencies) are resolved from here. */
  readonly baseDir: string;
  readonly world: WorldConfig;
  /**
   * Each of a kind with every option resolved (defaults filled in) and its label, or from a
   * module (module-strategy.ts) with its Strategy; `strategyOf` gives either's Strategy.
   */
  readonly strategies: readonly ScenarioStrategy<C>[];
  /**
   * The strategy kinds its entries were read with (src/strategies/kinds.ts, unless
   * parseScenario was given others): what its strategies are built from
   * (`strategyOf(config, scenario.kinds)`) and described with.
   */
  readonly kinds: readonly AnyStrategyDescriptor[];
  readonly seeds: { readonly start: number; readonly count: number };
  /** The metric the verdict judges strategies on (src/experiment/verdict.ts). */
  readonly objective: MetricName;
  /**
   * By strategy label: the invariants it is meant to break (its entry's `expect:`), for
   * `dispatchlab check`; a strategy without one is meant to break none.
   */
  readonly expected: ReadonlyMap<string, readonly InvariantName[]>;
  /**
   * The checked input with its shorthands expanded (shorthands.ts), to re-parse with changes
   * (sweeps) or to send to worker threads; the input hash is taken of it.
   */
  readonly input: NormalizedScenarioInput;
  /**
   * The strategy modules loaded for it (strategy-modules.ts), by absolute path: its module
   * entries' and maybe others' (a sweep's grid points share them). Empty without modules.
   */
  readonly modules: ReadonlyMap<string, StrategyModule>;
  /**
   * What looked wrong in the data the scenario reads, though valid: latencies that look
   * like another unit (latency-file/unit-plausibility.ts). scenarioWarnings
   * (warnings.ts) reports them with the rest.
   */
  readonly dataWarnings?: readonly ScenarioIssue[];
}

/** A scenario whose strategies may be of any kind it was read with. */
export type AnyScenario = Scenario<AnyResolvedConfig>;

export const defaultSeedCount = 100;

interface ParseOptions {
  readonly source: string;
  /** The scenario file's path as given, when the input came from one. */
  readonly file?: string;
  readonly baseDir: string;
  /**
   * The strategy modules its entries name, loaded (loadStrategyModules, strategy-modules.ts):
   * loading is asynchronous, parsing is not. loadScenario loads them.
   */
  readonly modules?: LoadedModules | undefined;
}

/** Seconds from a duration the schema has already checked, or the default when absent. */
function seconds(value: number | string | undefined, fallback: number): number {
  return value === undefined ? fallback : parseDuration(value);
}

/** `orchestrator.turn`: a duration, or a distribution spec (its problems go to `issues`). */
function turnCost(
  value: number | string | { readonly dist: string } | undefined,
  baseDir: string | undefined,
  issues: ScenarioIssue[],
): number | Distribution {
  if (value === undefined || typeof value !== 'object') return seconds(value, 0);
  try {
    return distributionFromSpec(value, { path: 'orchestrator.turn', baseDir });
  } catch (err) {
    if (!(err instanceof DistributionError)) throw err;
    issues.push({ path: err.path, message: err.detail });
    return 0;
  }
}

/**
 * Checks a parsed YAML/JSON value and builds the scenario; throws a ScenarioError listing
 * every problem. Its strategies are of the built-in kinds, or of `kinds` when given (a
 * kind of one's own, registered in memory: worker threads know the built-in kinds only).
 */
export function parseScenario(value: unknown, options: ParseOptions): Scenario;
export function parseScenario(
  value: unknown,
  options: ParseOptions & { readonly kinds: readonly AnyStrategyDescriptor[] },
): AnyScenario;
export function parseScenario(
  value: unknown,
  options: ParseOptions & { readonly kinds?: readonly AnyStrategyDescriptor[] },
): AnyScenario {
  const kinds = options.kinds ?? strategyKindList;
  const schema = scenarioSchemaFor(kinds);
  const checked = schema.safeParse(value);
  if (!checked.success) {
    const issues = describeZodIssues(schema, value, checked.error.issues);
    // The latency is checked by its own code, after the schema; check it now too, so one
    // pass reports every problem the user has to fix.
    const latencySpec = (value as { subagents?: { latency?: unknown } } | null)?.subagents?.latency;
    if (latencySpec !== undefined) {
      try {
        distributionFromSpec(latencySpec, { path: 'subagents.latency', baseDir: options.baseDir });
      } catch (err) {
        if (!(err instanceof DistributionError)) throw err;
        issues.push({ path: err.path, message: err.detail });
      }
    }
    // So are the strategy modules, loaded before the schema was checked.
    issues.push(...moduleProblemsOf(value, options, issues));
    throw new ScenarioError(options.source, issues);
  }
  const input = checked.data;
  const issues: ScenarioIssue[] = [];

  let latency: Distribution | undefined;
  const dataWarnings: DistributionWarning[] = [];
  try {
    latency = distributionFromSpec(input.subagents.latency, {
      path: 'subagents.latency',
      baseDir: options.baseDir,
      warnings: dataWarnings,
    });
  } catch (err) {
    if (!(err instanceof DistributionError)) throw err;
    issues.push({ path: err.path, message: err.detail });
  }

  const failures = {
    error: input.subagents.failures?.error ?? 0,
    hang: input.subagents.failures?.hang ?? 0,
    needsPermission: input.subagents.failures?.needsPermission ?? 0,
  };
  const total = failures.error + failures.hang + failures.needsPermission;
  // 0.33 + 0.56 + 0.11 is 1.0000000000000002 in floating point: a sum meant as 1 is 1 up
  // to rounding. Past the tolerance the sum shows with 12 digits, enough that it never
  // reads as 1 (the smallest sum refused, 1 + 1e-9, shows as 1.000000001).
  if (total > 1 + fatesTolerance) {
    issues.push({
      path: 'subagents.failures',
      message: `error + hang + needsPermission add up to ${Number(total.toPrecision(12))}, more than 1; they are exclusive fates of one attempt, so lower them until their sum is at most 1.`,
    });
  }

  const o = input.orchestrator ?? {};
  const orchestrator = {
    dispatch: seconds(o.dispatch, 0),
    plan: seconds(o.plan, 0),
    process: seconds(o.process, 0),
    poll: seconds(o.poll, 0),
    answer: seconds(o.answer, 0),
    synthesize: seconds(o.synthesize, 0),
    turn: turnCost(o.turn, options.baseDir, issues),
  };

  const c = input.context ?? {};
  const context = {
    base: c.base ?? unlimitedContext.base,
    perHandle: c.perHandle ?? unlimitedContext.perHandle,
    perResult: c.perResult ?? unlimitedContext.perResult,
    perSummary: c.perSummary ?? unlimitedContext.perSummary,
    budget: c.budget === undefined || c.budget === 'none' ? Number.POSITIVE_INFINITY : c.budget,
    compactionCost: seconds(c.compactionCost, 0),
    compactionKeeps: c.compactionKeeps ?? unlimitedContext.compactionKeeps,
    forgetProbability: c.forgetProbability ?? 0,
  };

  const t = input.tokens ?? {};
  const tokenRates: TokenConfig = {
    output: { ...noTokens.output, ...t.output },
    subagentPerSecond: t.subagentPerSecond ?? noTokens.subagentPerSecond,
  };

  const prices = input.prices === undefined ? undefined : priceTable(input.prices);

  const q = input.quality ?? {};
  const quality = {
    base: q.base ?? 1,
    learningRate: q.learningRate ?? 0,
    deniedPenalty: q.deniedPenalty ?? 0,
    validation: q.validation ?? 0,
    propagation: q.propagation ?? 0,
  };

  const deps = input.tasks.dependencies ?? 'none';
  const dependencies = typeof deps === 'string' ? { shape: deps } : deps;
  checkTaskGraph(input.tasks.count, dependencies, issues);
  const seeds = { start: input.seeds?.start ?? 0, count: input.seeds?.count ?? defaultSeedCount };
  // compare runs seeds start .. start + count − 1; past 2^53 − 1 they would round together.
  if (seeds.start > Number.MAX_SAFE_INTEGER - (seeds.count - 1)) {
    issues.push({
      path: 'seeds.start',
      message: `${formatLimit(seeds.count)} seeds from ${formatLimit(seeds.start)} go past ${formatLimit(Number.MAX_SAFE_INTEGER)} (2^53 − 1), the largest exact integer; start at ${formatLimit(Number.MAX_SAFE_INTEGER - (seeds.count - 1))} at most.`,
    });
  }

  const configs = input.strategies.map((s, i) =>
    isOrchestratorInput(s)
      ? orchestratorModule(s, `strategies[${i}]`, options.baseDir, options.modules, issues)
      : isModuleInput(s)
        ? moduleStrategy(s, `strategies[${i}]`, options.baseDir, options.modules, issues)
        : toStrategyConfig(s, `strategies[${i}]`, issues, kinds),
  );
  checkHarnessWorld(input.strategies, dependencies.shape, issues);
  const labels = new Map<string, number>();
  configs.forEach((s, i) => {
    if (s === undefined) return;
    const first = labels.get(s.label);
    if (first !== undefined) {
      issues.push({
        path: `strategies[${i}]`,
        message: `its label "${s.label}" is already used by strategies[${first}]; give one of them a distinct \`label:\`.`,
      });
    } else labels.set(s.label, i);
  });

  if (latency === undefined) throw new ScenarioError(options.source, issues);
  const world: WorldConfig = {
    tasks: { count: input.tasks.count, dependencies },
    subagents: { latency, failures, reportsProgress: input.subagents.reportsProgress ?? false },
    orchestrator,
    context,
    quality,
    tokens: tokenRates,
    ...(prices === undefined ? {} : { prices }),
  };
  configs.forEach((s, i) => {
    // An orchestrator's code polls as it likes; the harness's own guard stops a runaway.
    if (s === undefined || isOrchestratorModule(s)) return;
    // At the poll interval, where the kind has an option of that name.
    const path = `strategies[${i}]${!isModuleStrategy(s) && 'pollInterval' in s ? '.pollInterval' : ''}`;
    checkPollRounds(world, strategyOf(s, kinds), path, issues);
  });

  if (issues.length > 0) throw new ScenarioError(options.source, issues);
  const strategies = configs as ScenarioStrategy[];
  const modules = new Map<string, StrategyModule>();
  for (const [file, m] of options.modules ?? []) if (!isModuleProblem(m)) modules.set(file, m);
  return {
    name: input.name,
    description: input.description,
    source: options.source,
    ...(options.file === undefined ? {} : { file: options.file }),
    baseDir: options.baseDir,
    world,
    strategies,
    kinds,
    seeds,
    objective: input.objective ?? 'makespan',
    expected: new Map(
      input.strategies.flatMap((entry, i) =>
        entry.expect === undefined ? [] : [[strategies[i]!.label, entry.expect] as const],
      ),
    ),
    input,
    modules,
    dataWarnings,
  };
}

/**
 * The problems of the modules loaded for a scenario whose schema was refused, at the entries
 * that name them, except where the schema already found a problem.
 */
function moduleProblemsOf(
  value: unknown,
  options: ParseOptions,
  found: readonly ScenarioIssue[],
): ScenarioIssue[] {
  const strategies = (value as { strategies?: unknown } | null)?.strategies;
  if (!Array.isArray(strategies) || options.modules === undefined) return [];
  const out: ScenarioIssue[] = [];
  strategies.forEach((entry: unknown, i) => {
    const named = entryModule(entry);
    if (named === undefined || typeof named.written !== 'string') return;
    const path = `strategies[${i}]`;
    if (found.some((f) => f.path === path || f.path.startsWith(`${path}.`))) return;
    const loaded = options.modules?.get(modulePath(named.written, options.baseDir));
    if (loaded !== undefined && isModuleProblem(loaded)) {
      const field = named.role === 'orchestrator' ? 'orchestrator' : 'module';
      out.push({ path: `${path}.${field}`, message: loaded.problem });
    }
  });
  return out;
}

function isModuleInput(s: NormalizedStrategyInput): s is ModuleStrategyInput {
  return 'module' in s;
}

function isOrchestratorInput(s: NormalizedStrategyInput): s is OrchestratorModuleInput {
  return 'orchestrator' in s;
}

/**
 * Refuses, at each orchestrator entry, a world the harness cannot run: it runs independent
 * tasks only (src/harness/run-orchestrator.ts), so a dependency graph has no orchestrator.
 */
function checkHarnessWorld(
  entries: readonly NormalizedStrategyInput[],
  shape: WorldConfig['tasks']['dependencies']['shape'],
  issues: ScenarioIssue[],
): void {
  if (shape === 'none') return;
  entries.forEach((entry, i) => {
    if (!isOrchestratorInput(entry)) return;
    issues.push({
      path: `strategies[${i}].orchestrator`,
      message: `the real-code harness runs independent tasks only, and this scenario's tasks form a ${shape} graph (tasks.dependencies); run ${JSON.stringify(entry.orchestrator)} on a scenario without dependencies (tasks.dependencies: none), or leave it out of this one.`,
    });
  });
}

/** How far the fates' sum may pass 1 by rounding: far below any probability one writes. */
const fatesTolerance = 1e-9;

/** Refuses a task graph with more edges, or (random) more pairs to draw, than a run builds. */
function checkTaskGraph(
  count: number,
  dependencies: WorldConfig['tasks']['dependencies'],
  issues: ScenarioIssue[],
): void {
  const why = `a run builds every edge (and keeps two lists of them); at most ${formatLimit(limits.dependencyEdges)}`;
  if (dependencies.shape === 'layered') {
    // Every task after the first layer depends on the whole layer before it.
    const edges = Math.max(0, count - dependencies.width) * dependencies.width;
    if (edges > limits.dependencyEdges) {
      issues.push({
        path: 'tasks.dependencies.width',
        message: `layers of ${formatLimit(dependencies.width)} over ${formatLimit(count)} tasks make ${formatLimit(edges)} dependency edges; ${why}: use narrower layers or fewer tasks.`,
      });
    }
  } else if (dependencies.shape === 'random') {
    const pairs = (count * (count - 1)) / 2;
    if (pairs > limits.dependencyPairs) {
      issues.push({
        path: 'tasks.dependencies',
        message: `a random graph draws once for every pair of tasks, every run: ${formatLimit(count)} tasks are ${formatLimit(pairs)} pairs, more than ${formatLimit(limits.dependencyPairs)} (about ${formatLimit(Math.floor(Math.sqrt(2 * limits.dependencyPairs)))} tasks, 0.4 s of draws per run); use fewer tasks, or layered dependencies.`,
      });
      return;
    }
    const edges = dependencies.edgeProbability * pairs;
    if (edges > limits.dependencyEdges) {
      issues.push({
        path: 'tasks.dependencies.edgeProbability',
        message: `${dependencies.edgeProbability} over ${formatLimit(pairs)} pairs of tasks makes about ${formatLimit(Math.round(edges))} dependency edges; ${why}: use a smaller edgeProbability (at most ${floorSignificant(limits.dependencyEdges / pairs)}) or fewer tasks.`,
      });
    }
  }
}

/** `x` cut down to two significant digits, so that a limit quoted from it is within the limit. */
function floorSignificant(x: number): number {
  const magnitude = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Number((Math.floor(x / magnitude) * magnitude).toPrecision(2));
}

/** Refuses a polling strategy whose run would need more poll rounds than allowed (poll-rounds.ts). */
function checkPollRounds(
  world: WorldConfig,
  strategy: Strategy,
  path: string,
  issues: ScenarioIssue[],
): void {
  const { continuation } = strategy.settings;
  if (continuation.kind !== 'polling') return;
  if (!(continuation.interval >= limits.minPollInterval)) return; // already refused
  const { makespan, rounds } = estimatePollRounds(world, strategy);
  if (!(rounds > limits.pollRounds)) return;
  // The shortest interval within the limit, rounded up to two digits so that it passes.
  const shortest = Math.max(limits.minPollInterval, makespan / limits.pollRounds);
  const magnitude = 10 ** (Math.floor(Math.log10(shortest)) - 1);
  const suggested = Math.ceil(shortest / magnitude) * magnitude;
  issues.push({
    path,
    message: `polling every ${formatDuration(continuation.interval)} through a run estimated at ${formatDuration(makespan)} is about ${Number(rounds.toPrecision(2)).toLocaleString('en-US')} poll rounds, more than the ${formatLimit(limits.pollRounds)} a run may take; poll every ${formatDuration(suggested)} or less often, or use continuation: events.`,
  });
}

/**
 * An option's value as the model takes it, from what the schema has checked: seconds for a
 * duration, Infinity for `none` and `unbounded`.
 */
function modelValue(spec: OptionSpec, written: unknown): unknown {
  if (spec.type === 'duration') {
    return written === 'none'
      ? Number.POSITIVE_INFINITY
      : parseDuration(written as number | string);
  }
  return spec.type === 'limit' && written === 'unbounded' ? Number.POSITIVE_INFINITY : written;
}

/**
 * A checked strategy entry as the typed configuration of its kind (through the kind's
 * descriptor: src/strategies/descriptor.ts), its label resolved; undefined when it has
 * problems, which are added to `issues`: an option written where it does not apply, and the
 * limits of limits.ts that need the option's value (the shortest poll interval).
 */
function toStrategyConfig(
  s: StrategyInput,
  path: string,
  issues: ScenarioIssue[],
  kinds: readonly AnyStrategyDescriptor[],
): AnyResolvedConfig | undefined {
  const descriptor = findKind(s.kind, kinds);
  if (descriptor === undefined) throw new Error(`the schema let through a kind "${s.kind}"`);
  const issuesBefore = issues.length;
  const given: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(descriptor.options)) {
    if (s[name] !== undefined) given[name] = modelValue(spec, s[name]);
  }
  for (const [name, spec] of Object.entries(descriptor.options)) {
    const when = spec.appliesWhen;
    if (when === undefined || given[name] === undefined) continue;
    const anchor =
      given[when.option] ?? (descriptor.options[when.option] as { default?: unknown }).default;
    if (anchor !== when.is) {
      issues.push({
        path: `${path}.${name}`,
        message: `applies only with \`${when.option}: ${when.is}\`; remove it or set the ${when.option}.`,
      });
    }
  }
  const pollInterval = given.pollInterval;
  if (typeof pollInterval === 'number' && !(pollInterval >= limits.minPollInterval)) {
    issues.push({
      path: `${path}.pollInterval`,
      message: `must be at least ${formatDuration(limits.minPollInterval)}, got ${formatDuration(pollInterval)}: no orchestrator polls a thousand times a second, and such a run would take millions of rounds; for instant notice use continuation: events.`,
    });
  }
  if (issues.length > issuesBefore) return undefined;
  try {
    return resolveConfig({ kind: s.kind, label: s.label, ...given }, kinds);
  } catch (err) {
    // The schema checks what the descriptor does; a refusal left is reported all the same.
    if (!(err instanceof RangeError)) throw err;
    issues.push({ path, message: err.message });
    return undefined;
  }
}
