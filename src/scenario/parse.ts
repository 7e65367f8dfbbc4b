/**
 * From a scenario file's checked input to the typed configuration the model takes:
 * durations in seconds, distributions built, defaults filled in (every cost, failure
 * rate and timeout is zero or off unless given), strategies labelled. Errors carry the
 * field path; they are collected, so one pass reports every problem.
 */
import { unlimitedContext, type WorldConfig } from '../model/config.js';
import { type Distribution, DistributionError } from '../sim/distributions/distribution.js';
import { distributionFromSpec } from '../sim/distributions/spec.js';
import { parseDuration } from '../sim/duration.js';
import { asyncDefaults } from '../strategies/async.js';
import { type StrategyConfig, strategyFromConfig } from '../strategies/config.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { type ScenarioInput, type StrategyInput, scenarioSchema } from './schema.js';
import { describeZodIssues } from './zod-issues.js';

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The file it came from, as given (for messages), or a label for in-memory input. */
  readonly source: string;
  /** Relative data files (empirical latencies) are resolved from here. */
  readonly baseDir: string;
  readonly world: WorldConfig;
  /** Each with its label resolved. */
  readonly strategies: readonly (StrategyConfig & { readonly label: string })[];
  readonly seeds: { readonly start: number; readonly count: number };
  /** The checked input, to re-parse with changes (sweeps) or to send to worker threads. */
  readonly input: ScenarioInput;
}

export const defaultSeedCount = 100;

/** Seconds from a duration the schema has already checked, or the default when absent. */
function seconds(value: number | string | undefined, fallback: number): number {
  return value === undefined ? fallback : parseDuration(value);
}

/** Checks a parsed YAML/JSON value and builds the scenario; throws a ScenarioError listing every problem. */
export function parseScenario(
  value: unknown,
  options: { source: string; baseDir: string },
): Scenario {
  const checked = scenarioSchema.safeParse(value);
  if (!checked.success) {
    const issues = describeZodIssues(scenarioSchema, value, checked.error.issues);
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
    throw new ScenarioError(options.source, issues);
  }
  const input = checked.data;
  const issues: ScenarioIssue[] = [];

  let latency: Distribution | undefined;
  try {
    latency = distributionFromSpec(input.subagents.latency, {
      path: 'subagents.latency',
      baseDir: options.baseDir,
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
  if (total > 1) {
    issues.push({
      path: 'subagents.failures',
      message: `error + hang + needsPermission is ${Number(total.toFixed(6))}; they are exclusive fates of one attempt, so they must add up to at most 1.`,
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

  const strategies = input.strategies.map((s, i) =>
    toStrategyConfig(s, `strategies[${i}]`, issues),
  );
  const labels = new Map<string, number>();
  strategies.forEach((s, i) => {
    const first = labels.get(s.label);
    if (first !== undefined) {
      issues.push({
        path: `strategies[${i}]`,
        message: `its label "${s.label}" is already used by strategies[${first}]; give one of them a distinct \`label:\`.`,
      });
    } else labels.set(s.label, i);
  });

  if (issues.length > 0 || latency === undefined) throw new ScenarioError(options.source, issues);
  return {
    name: input.name,
    description: input.description,
    source: options.source,
    baseDir: options.baseDir,
    world: {
      tasks: { count: input.tasks.count, dependencies },
      subagents: { latency, failures, reportsProgress: input.subagents.reportsProgress ?? false },
      orchestrator,
      context,
      quality,
    },
    strategies,
    seeds: { start: input.seeds?.start ?? 0, count: input.seeds?.count ?? defaultSeedCount },
    input,
  };
}

function toStrategyConfig(
  s: StrategyInput,
  path: string,
  issues: ScenarioIssue[],
): StrategyConfig & { readonly label: string } {
  const issuesBefore = issues.length;
  const timeout =
    s.timeout === undefined || s.timeout === 'none'
      ? Number.POSITIVE_INFINITY
      : seconds(s.timeout, Number.POSITIVE_INFINITY);
  const common = { timeout, retries: s.retries ?? 0, validation: s.validation, label: s.label };
  let config: StrategyConfig;
  switch (s.kind) {
    case 'blocking':
      config = { kind: 'blocking', ...common };
      break;
    case 'batch':
      config = { kind: 'batch', ...common, size: s.size };
      break;
    case 'async': {
      const continuation = s.continuation ?? asyncDefaults.continuation;
      if (s.pollInterval !== undefined && continuation !== 'polling') {
        issues.push({
          path: `${path}.pollInterval`,
          message: 'applies only with `continuation: polling`; remove it or set the continuation.',
        });
      }
      const pollInterval = seconds(s.pollInterval, asyncDefaults.pollInterval);
      if (!(pollInterval > 0))
        issues.push({ path: `${path}.pollInterval`, message: 'must be longer than 0s.' });
      config = {
        kind: 'async',
        ...common,
        wip: s.wip === 'unbounded' ? Number.POSITIVE_INFINITY : (s.wip ?? asyncDefaults.wip),
        continuation,
        pollInterval,
        waveSize:
          s.waveSize === 'unbounded'
            ? Number.POSITIVE_INFINITY
            : (s.waveSize ?? asyncDefaults.waveSize),
        gating: s.gating ?? asyncDefaults.gating,
        registry: s.registry ?? asyncDefaults.registry,
        resume: s.resume ?? asyncDefaults.resume,
      };
      break;
    }
  }
  // The default label comes from the built strategy; with problems already found it might
  // not build, and the issues say what to fix.
  const label = s.label ?? (issues.length > issuesBefore ? path : strategyFromConfig(config).label);
  return { ...config, label };
}
