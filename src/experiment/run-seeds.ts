/**
 * The unit of work of every experiment: all strategies of one scenario over a list of
 * seeds, in-process, kept as raw per-seed metric values. Worker threads run it on chunks
 * of seeds, shards on their share; statistics are computed only once every seed is back,
 * from vectors in seed order, so how the seeds were split never shows in the numbers.
 *
 * A strategy runs in the model, synchronously (runOnce, runSeeds); an orchestrator module
 * runs under the real-code harness, which is asynchronous (orchestrator-run.ts): runEntry
 * and runSeedsAsync run either, and are what experiments call.
 */

import type { RunMetrics } from '../model/metrics.js';
import { type RunReport, runStrategy } from '../model/run.js';
import type { Strategy } from '../model/strategy.js';
import type { ModelTrace } from '../model/trace-records.js';
import { formatLimit, limits } from '../scenario/limits.js';
import { isModuleStrategy, strategyOf } from '../scenario/module-strategy.js';
import { isOrchestratorModule } from '../scenario/orchestrator-module.js';
import type { AnyScenario } from '../scenario/parse.js';
import { whereInModule } from '../scenario/strategy-modules.js';
import { RunawayError, StalledError } from '../sim/errors.js';
import { scenarioInputHash } from './canonical.js';
import { UsageError } from './errors.js';
import { type MetricName, metricNames } from './metric-names.js';
import { runOrchestratorOnce } from './orchestrator-run.js';
import { StalledRun, StrategyThrew } from './run-errors.js';

export interface StrategyRuns {
  readonly label: string;
  /** The seeds (of this batch) whose run ended in a deadlock, ascending. */
  readonly deadlocks: number[];
  /**
   * The seeds (of this batch) whose run ended `incomplete`: the strategy returned with tasks
   * unresolved (a strategy of the user's own; the built-in ones never do), ascending.
   */
  readonly incompletes: number[];
  /** Per metric, one value per seed, in the batch's seed order. NaN and ±Infinity kept as they are. */
  readonly values: Record<MetricName, number[]>;
}

/** Plain data (structured-clonable): what a worker thread sends back. */
export interface SeedRuns {
  readonly seeds: number[];
  /** In the scenario's strategy order. */
  readonly strategies: StrategyRuns[];
}

function emptyValues(): Record<MetricName, number[]> {
  const values = {} as Record<MetricName, number[]>;
  for (const name of metricNames) values[name] = [];
  return values;
}

/**
 * One run of one of the scenario's strategies at one seed (with its trace, if given). A
 * run that never ends is the scenario's doing (a poll interval or a retry count no
 * workload needs, a draw from an extreme tail), not a bug: the kernel's guard stops it and
 * the user gets a UsageError saying what to change. Any other failure is reported with
 * the strategy and seed, to replay it.
 */
export function runOnce(
  scenario: AnyScenario,
  config: AnyScenario['strategies'][number],
  seed: number,
  trace?: ModelTrace,
  strategy: Strategy = strategyOf(config, scenario.kinds),
): RunReport {
  if (isOrchestratorModule(config)) {
    throw new Error(
      `runOnce: "${config.label}" is an orchestrator module, which the harness runs asynchronously: use runEntry`,
    );
  }
  try {
    // A traced run names its scenario in the trace's header; the hash is computed once per
    // scenario (canonical.ts), and not at all for an untraced run.
    const source =
      trace?.enabled === true
        ? { name: scenario.name, hash: scenarioInputHash(scenario) }
        : undefined;
    return runStrategy({ world: scenario.world, strategy, seed, trace, source });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The kernel's own guard throws from the run; the strategy's actions' guard throws
    // from inside the orchestrator's process, which wraps it (ProcessError's cause).
    const stalled =
      err instanceof StalledError
        ? err
        : err instanceof Error && err.cause instanceof StalledError
          ? err.cause
          : undefined;
    if (stalled !== undefined) {
      throw new StalledRun(
        `${scenario.source}: strategy "${config.label}" on seed ${seed} stopped letting simulated time pass: ${stalled.message}. A strategy's program must wait (nextResult, awaitAll, an action that takes time) rather than loop on actions that cost nothing`,
        `the run never ends: ${stalled.message}`,
      );
    }
    if (err instanceof RunawayError) {
      throw new UsageError(
        `${scenario.source}: strategy "${config.label}" on seed ${seed} did not finish: ${message}. The scenario makes a run that never ends or is far too long; check strategies' pollInterval (a longer interval), retries, tasks.count and the latency distribution's scale (a max: cuts an extreme tail)`,
      );
    }
    if (isModuleStrategy(config)) {
      const module = scenario.modules.get(config.file);
      const where = module === undefined ? undefined : whereInModule(err, module);
      // The user's own program failed (or broke a rule of the API, which throws): theirs to
      // fix, not a bug of dispatchlab's.
      const threw = `${message}${where === undefined ? '' : ` (at ${where})`}`;
      throw new StrategyThrew(
        `${scenario.source}: strategy "${config.label}" (the module ${JSON.stringify(config.module)}) threw on seed ${seed}: ${threw}. Fix the strategy's program; what the orchestrator's API refuses is listed in "Writing your own strategy" (README). Replay the run with: dispatchlab run ${scenario.source} --strategy ${JSON.stringify(config.label)} --seed ${seed}`,
        threw,
      );
    }
    throw new Error(
      `${scenario.source}: strategy "${config.label}" failed on seed ${seed}: ${message}`,
      { cause: err },
    );
  }
}

/**
 * One run of any of the scenario's strategies at one seed (with its trace, if given): a
 * strategy's in the model (runOnce), an orchestrator module's under the harness
 * (runOrchestratorOnce).
 */
export function runEntry(
  scenario: AnyScenario,
  config: AnyScenario['strategies'][number],
  seed: number,
  trace?: ModelTrace,
): Promise<RunReport> {
  if (isOrchestratorModule(config)) return runOrchestratorOnce(scenario, config, seed, trace);
  // A promise of a synchronous run: a throw rejects it, as the harness's does.
  return new Promise((resolve) => resolve(runOnce(scenario, config, seed, trace)));
}

/** A strategy's runs so far: none. */
function emptyRuns(label: string): StrategyRuns {
  return { label, deadlocks: [], incompletes: [], values: emptyValues() };
}

/** Adds one seed's run to a strategy's runs. */
function addRun(runs: StrategyRuns, seed: number, metrics: RunMetrics): void {
  if (metrics.outcome === 'deadlock') runs.deadlocks.push(seed);
  else if (metrics.outcome === 'incomplete') runs.incompletes.push(seed);
  for (const name of metricNames) {
    const v = metrics[name];
    // -0 becomes 0: JSON cannot carry the sign of zero, and a partial document must
    // round-trip every value exactly for a merge to equal the unsharded run.
    runs.values[name].push(v === 0 ? 0 : v);
  }
}

/**
 * Runs every strategy of the scenario on each seed, in this thread and synchronously: a
 * scenario with an orchestrator module needs runSeedsAsync (unless `seeds` is empty).
 */
export function runSeeds(scenario: AnyScenario, seeds: readonly number[]): SeedRuns {
  const strategies = scenario.strategies.map((config) => {
    const runs = emptyRuns(config.label);
    if (seeds.length === 0) return runs;
    if (isOrchestratorModule(config)) {
      throw new Error(
        `runSeeds: "${config.label}" is an orchestrator module, which the harness runs asynchronously: use runSeedsAsync`,
      );
    }
    const strategy = strategyOf(config, scenario.kinds);
    for (const seed of seeds) {
      addRun(runs, seed, runOnce(scenario, config, seed, undefined, strategy).metrics);
    }
    return runs;
  });
  return { seeds: [...seeds], strategies };
}

/**
 * Runs every strategy of the scenario on each seed, orchestrator modules included: the
 * same values as runSeeds for the others. One run at a time: the harness's fake timers are
 * the thread's (orchestrator-run.ts).
 */
export async function runSeedsAsync(
  scenario: AnyScenario,
  seeds: readonly number[],
): Promise<SeedRuns> {
  const strategies: StrategyRuns[] = [];
  for (const config of scenario.strategies) {
    if (!isOrchestratorModule(config)) {
      // Whole in one go, as runSeeds: the strategy is built once, not once per seed.
      strategies.push(runSeeds({ ...scenario, strategies: [config] }, seeds).strategies[0]!);
      continue;
    }
    const runs = emptyRuns(config.label);
    for (const seed of seeds) {
      addRun(runs, seed, (await runOrchestratorOnce(scenario, config, seed)).metrics);
    }
    strategies.push(runs);
  }
  return { seeds: [...seeds], strategies };
}

/**
 * Joins batches into one, in the order given (the caller orders them by seed). The
 * batches must hold the same strategies in the same order.
 */
export function concatRuns(parts: readonly SeedRuns[]): SeedRuns {
  const first = parts[0];
  if (first === undefined) throw new RangeError('concatRuns needs at least one batch');
  const strategies = first.strategies.map((s, i) => {
    const values = emptyValues();
    const deadlocks: number[] = [];
    const incompletes: number[] = [];
    for (const part of parts) {
      const other = part.strategies[i];
      if (other === undefined || other.label !== s.label) {
        throw new Error(
          `batches disagree on strategy ${i + 1}: "${s.label}" and "${other?.label ?? 'none'}"`,
        );
      }
      for (const seed of other.deadlocks) deadlocks.push(seed);
      for (const seed of other.incompletes) incompletes.push(seed);
      for (const name of metricNames) {
        const target = values[name];
        for (const v of other.values[name]) target.push(v);
      }
    }
    return { label: s.label, deadlocks, incompletes, values };
  });
  const seeds: number[] = [];
  for (const part of parts) for (const seed of part.seeds) seeds.push(seed);
  return { seeds, strategies };
}

/** start, start + 1, ..., start + count - 1. */
export function seedRange(seeds: { readonly start: number; readonly count: number }): number[] {
  return Array.from({ length: seeds.count }, (_, i) => seeds.start + i);
}

/** The seeds an experiment runs: the ones asked for, else the scenario's; checked. */
export function resolveSeeds(
  scenarioSeeds: { readonly start: number; readonly count: number },
  seeds?: { readonly start: number; readonly count: number },
): { start: number; count: number } {
  const s = seeds ?? scenarioSeeds;
  if (!Number.isSafeInteger(s.start) || s.start < 0) {
    throw new UsageError(`the first seed must be a whole number >= 0, got ${s.start}`);
  }
  if (!Number.isSafeInteger(s.count) || s.count < 1) {
    throw new UsageError(`the seed count must be a whole number >= 1, got ${s.count}`);
  }
  if (s.count > limits.seeds) {
    throw new UsageError(
      `${formatLimit(s.count)} seeds is more than one experiment runs (at most ${formatLimit(limits.seeds)}: every run's metrics are kept until the statistics are taken); a 95% CI from ${formatLimit(limits.seeds)} paired seeds is already far narrower than any practical margin, so ask for fewer seeds`,
    );
  }
  // Written so that no intermediate sum passes 2^53, where floats round.
  if (s.start > Number.MAX_SAFE_INTEGER - (s.count - 1)) {
    throw new UsageError(
      `seeds ${s.start} to ${s.start} + ${s.count} - 1 go past the largest exact integer (2^53 - 1); start lower`,
    );
  }
  return { start: s.start, count: s.count };
}
