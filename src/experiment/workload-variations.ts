/**
 * The workloads `dispatchlab check` generates: variations of a scenario's world, as
 * fast-check arbitraries, for one strategy at a time.
 *
 * A variation is a set of changes to the scenario *input*, each optional: a field left
 * out keeps the scenario's value. fast-check shrinks a record by leaving fields out and
 * each field towards its simplest value, so a failing variation shrinks towards the
 * scenario as written plus the few changes that break the strategy. The dimensions are
 * the ones the issue names: the task count, the dependency shape, the latency
 * distribution (heavy tails, and latencies that repeat so that several subagents end at
 * one instant), the failure mix, the orchestrator's costs, the context budget and
 * compaction, and the permission rate.
 *
 * What a strategy is not asked to survive: a hang when neither the scenario has hangs nor
 * the strategy a timeout (with no timeout, the first hang deadlocks any strategy, and the
 * scenario said its subagents do not hang), and compaction when neither the scenario
 * compacts nor the strategy keeps its handles in a durable registry (a volatile registry
 * loses handles by design: frequent-compaction shows it). The handles forgotten at a
 * compaction vary only where the scenario forgets some. Everything else is fair game.
 */
import fc from 'fast-check';
import type { Strategy } from '../model/strategy.js';
import type { AnyScenario } from '../scenario/parse.js';
import type { NormalizedScenarioInput } from '../scenario/schema.js';

/** A latency spec as the scenario file writes it, durations in seconds. */
export type LatencySpec =
  | { readonly dist: 'fixed'; readonly value: number }
  | { readonly dist: 'empirical'; readonly values: readonly number[] }
  | { readonly dist: 'exponential'; readonly mean: number }
  | { readonly dist: 'lognormal'; readonly median: number; readonly p95: number }
  | {
      readonly dist: 'pareto';
      readonly alpha: number;
      readonly scale: number;
      readonly max: number;
    };

export type DependencyShape =
  | 'none'
  | 'chain'
  | { readonly shape: 'layered'; readonly width: number }
  | { readonly shape: 'random'; readonly edgeProbability: number };

/** Changes to a scenario's input; a field left out keeps the scenario's value. */
export interface WorkloadVariation {
  readonly tasks?: number;
  readonly dependencies?: DependencyShape;
  readonly latency?: LatencySpec;
  readonly failures?: {
    readonly error?: number;
    readonly hang?: number;
    readonly needsPermission?: number;
  };
  /** Seconds per action. */
  readonly orchestrator?: Partial<Record<OrchestratorAction, number>>;
  readonly context?: {
    readonly budget?: number;
    readonly perResult?: number;
    readonly perHandle?: number;
    readonly compactionKeeps?: number;
    readonly forgetProbability?: number;
  };
}

const orchestratorActions = [
  'dispatch',
  'process',
  'poll',
  'plan',
  'answer',
  'synthesize',
] as const;
type OrchestratorAction = (typeof orchestratorActions)[number];

/** What each action costs when the scenario leaves it at 0: a typical size, to scale from. */
const typicalCost: Record<OrchestratorAction, number> = {
  dispatch: 2,
  process: 10,
  poll: 1,
  plan: 20,
  answer: 5,
  synthesize: 60,
};

/** The most tasks a generated workload has: enough to find bugs of size, few enough to stay quick. */
export const maxGeneratedTasks = 200;

/**
 * The longest duration a generated workload uses, in seconds: a week. The scenario schema
 * takes durations up to a year; a scaled-up latency of a scenario with long ones must
 * still be one it takes, and a week is past any subagent's patience.
 */
export const longestGeneratedDuration = 7 * 24 * 3600;

/** Three significant digits: a generated number reads like one a person would write. */
const round3 = (x: number) => Number(x.toPrecision(3));

/** A generated duration: three significant digits, at most a week. */
const duration = (x: number) => Math.min(round3(x), longestGeneratedDuration);

/** A probability in whole percents from 0 to `max`: shrinks towards 0. */
const percent = (max: number) =>
  fc.integer({ min: 0, max: Math.round(max * 100) }).map((p) => p / 100);

/**
 * Multipliers of a typical size, simplest first (fast-check shrinks `constantFrom`
 * towards its first value): the scenario's own scale, then smaller and larger ones.
 */
const scales = [1, 0.5, 2, 0.1, 10] as const;

/**
 * The generated workloads for `strategy` in `scenario`'s world (see the file's comment).
 * `dependencies: false` keeps the scenario's tasks independent: the real-code harness runs
 * no task graph, so an orchestrator module's workloads vary everything else.
 */
export function workloadVariations(
  scenario: AnyScenario,
  strategy: Strategy,
  options: { readonly dependencies?: boolean } = {},
): fc.Arbitrary<WorkloadVariation> {
  const world = scenario.world;
  const median = world.subagents.latency.quantile(0.5);
  const m = Number.isFinite(median) && median >= 1 ? median : 60;
  const scaled = fc.constantFrom(...scales).map((s) => duration(m * s));
  const latency: fc.Arbitrary<LatencySpec> = fc.oneof(
    // Every attempt takes as long: with cheap dispatches, subagents end at one instant.
    scaled.map((value) => ({ dist: 'fixed' as const, value })),
    // A few durations that repeat: ties among some ends, not all.
    fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
      .map((ks) => ({ dist: 'empirical' as const, values: ks.map((k) => duration((k * m) / 2)) })),
    scaled.map((mean) => ({ dist: 'exponential' as const, mean })),
    // Heavy tails: a p95 up to 50 times the median.
    fc.tuple(scaled, fc.constantFrom(3, 10, 50)).map(([med, tail]) => ({
      dist: 'lognormal' as const,
      median: med,
      p95: Math.max(duration(med * tail), med * 1.01),
    })),
    // A power law, cut at 100 times its scale so that a run stays finite.
    fc.tuple(scaled, fc.constantFrom(1.5, 1.1, 2.5)).map(([s, alpha]) => ({
      dist: 'pareto' as const,
      alpha,
      scale: round3(s / 2),
      max: duration(s * 50),
    })),
  );
  const count = world.tasks.count;
  const tasks = fc.integer({ min: 1, max: Math.min(maxGeneratedTasks, Math.max(60, 3 * count)) });
  const dependencies: fc.Arbitrary<DependencyShape> = fc.oneof(
    fc.constant('none' as const),
    fc.constant('chain' as const),
    fc.integer({ min: 1, max: 5 }).map((width) => ({ shape: 'layered' as const, width })),
    percent(0.5).map((edgeProbability) => ({ shape: 'random' as const, edgeProbability })),
  );
  const hangs = world.subagents.failures.hang > 0 || Number.isFinite(strategy.settings.timeout);
  const failures = fc.record(
    {
      error: percent(0.3),
      needsPermission: percent(0.2),
      ...(hangs ? { hang: percent(Math.max(0.2, world.subagents.failures.hang)) } : {}),
    },
    { requiredKeys: [] },
  );
  const costs = world.orchestrator;
  const orchestrator = fc.record(
    Object.fromEntries(
      orchestratorActions.map((action) => {
        const c = costs[action] > 0 ? costs[action] : typicalCost[action];
        // 0 first: free actions make more things happen at one instant.
        return [action, fc.constantFrom(0, duration(c / 2), c, duration(2 * c))];
      }),
    ) as Record<OrchestratorAction, fc.Arbitrary<number>>,
    { requiredKeys: [] },
  );
  const compacts =
    Number.isFinite(world.context.budget) || strategy.settings.registry === 'durable';
  const base = world.context.base;
  const context = fc.record(
    {
      budget: fc.integer({ min: 1_000, max: 100_000 }).map((extra) => base + extra),
      perResult: fc.integer({ min: 0, max: 5_000 }),
      perHandle: fc.integer({ min: 0, max: 500 }),
      compactionKeeps: fc.integer({ min: 1, max: 9 }).map((k) => k / 10),
      ...(world.context.forgetProbability > 0
        ? { forgetProbability: percent(Math.max(0.5, world.context.forgetProbability)) }
        : {}),
    },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      tasks,
      ...(options.dependencies === false ? {} : { dependencies }),
      latency,
      failures,
      orchestrator,
      ...(compacts ? { context } : {}),
    },
    { requiredKeys: [] },
  );
}

/**
 * The scenario input with a variation's changes made, its strategies and seeds as given:
 * a plain value for parseScenario, and for the counterexample's YAML file.
 */
export function applyVariation(
  input: NormalizedScenarioInput,
  v: WorkloadVariation,
): NormalizedScenarioInput {
  const changed: Record<string, unknown> = { ...input };
  if (v.tasks !== undefined || v.dependencies !== undefined) {
    changed.tasks = {
      ...input.tasks,
      ...(v.tasks === undefined ? {} : { count: v.tasks }),
      ...(v.dependencies === undefined ? {} : { dependencies: v.dependencies }),
    };
  }
  if (v.latency !== undefined || v.failures !== undefined) {
    changed.subagents = {
      ...input.subagents,
      ...(v.latency === undefined ? {} : { latency: v.latency }),
      ...(v.failures === undefined
        ? {}
        : { failures: fittedFailures(input.subagents.failures ?? {}, v.failures) }),
    };
  }
  if (v.orchestrator !== undefined)
    changed.orchestrator = { ...input.orchestrator, ...v.orchestrator };
  if (v.context !== undefined) changed.context = { ...input.context, ...v.context };
  // The input's own type: the changes are values its schema takes.
  return changed as NormalizedScenarioInput;
}

/**
 * The scenario's failure rates with the generated ones in their place, scaled down (to
 * whole percents) where they would take the sum of exclusive fates past 1: a scenario
 * with a 90% error rate leaves 10% for a generated hang and permission rate to share.
 */
function fittedFailures(
  own: NonNullable<NormalizedScenarioInput['subagents']['failures']>,
  generated: NonNullable<WorkloadVariation['failures']>,
): Record<string, number> {
  const kept = Object.entries(own).filter(([k]) => !(k in generated));
  const room = Math.max(0, 1 - kept.reduce((sum, [, p]) => sum + (p ?? 0), 0));
  const wanted = Object.values(generated).reduce((sum, p) => sum + (p ?? 0), 0);
  const factor = wanted > room ? room / wanted : 1;
  const fitted = Object.fromEntries(
    Object.entries(generated).map(([k, p]) => [k, Math.floor((p ?? 0) * factor * 100) / 100]),
  );
  return { ...Object.fromEntries(kept), ...fitted } as Record<string, number>;
}

/** The fields a variation changes, as paths into the scenario input: `tasks.count`, `orchestrator.dispatch`. */
export function changedPaths(v: WorkloadVariation): string[] {
  const paths: string[] = [];
  if (v.tasks !== undefined) paths.push('tasks.count');
  if (v.dependencies !== undefined) paths.push('tasks.dependencies');
  if (v.latency !== undefined) paths.push('subagents.latency');
  for (const key of Object.keys(v.failures ?? {})) paths.push(`subagents.failures.${key}`);
  for (const key of Object.keys(v.orchestrator ?? {})) paths.push(`orchestrator.${key}`);
  for (const key of Object.keys(v.context ?? {})) paths.push(`context.${key}`);
  return paths;
}
