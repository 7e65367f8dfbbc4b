/**
 * A scenario entry `{ module: ./my-strategy.ts, options: {...}, label: ... }` as a strategy:
 * the module's default export (loaded by strategy-modules.ts), called with the entry's
 * options when it is a function, checked (src/strategies/check.ts, and the limits of
 * limits.ts that built-in kinds meet through their schema), labelled and described. Every
 * problem is an issue at the entry, naming the module and the fix.
 */
import type { InvariantName } from '../model/invariant-names.js';
import type { Strategy, StrategyDescription } from '../model/strategy.js';
import { settingNames, shownValue, strategyProblems } from '../strategies/check.js';
import { strategyFromConfig } from '../strategies/config.js';
import type { AnyResolvedConfig, AnyStrategyDescriptor } from '../strategies/descriptor.js';
import type { ScenarioIssue } from './errors.js';
import { formatLimit, limits, simLimits } from './limits.js';
import {
  isOrchestratorModule,
  type OrchestratorModuleConfig,
  orchestratorAsStrategy,
} from './orchestrator-module.js';
import {
  isModuleProblem,
  type LoadedModules,
  modulePath,
  type StrategyModule,
} from './strategy-modules.js';
import { closestMatch } from './suggest.js';

/** A JSON value: what a module entry's options are made of. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** A module entry as the schema checked it. */
export interface ModuleStrategyInput {
  readonly module: string;
  readonly options?: JsonObject | undefined;
  readonly label?: string | undefined;
  /** The invariants it is meant to break (schema.ts). */
  readonly expect?: readonly InvariantName[] | undefined;
}

/** What `description.kind` says of a strategy from a module (a built-in kind may not be named so). */
export const moduleKind = 'module';

/** A scenario's strategy from a module: how the entry wrote it, and the Strategy it gives. */
export interface ModuleStrategyConfig {
  readonly kind: typeof moduleKind;
  /** The entry's label, or the Strategy's own. */
  readonly label: string;
  /** The module's path as the entry writes it (relative to the scenario file's folder). */
  readonly module: string;
  /** The entry's options, as written; `{}` when it gives none. */
  readonly options: JsonObject;
  /** The module's absolute path. */
  readonly file: string;
  /** The digest of the module's sources (strategy-modules.ts). */
  readonly digest: string;
  /** The strategy to run: the module's, under `label`, described. */
  readonly strategy: Strategy;
}

/**
 * A scenario's strategy: of a kind (its resolved configuration), from a strategy module, or
 * an orchestrator module's code for the harness (orchestrator-module.ts).
 */
export type ScenarioStrategy<C extends AnyResolvedConfig = AnyResolvedConfig> =
  | C
  | ModuleStrategyConfig
  | OrchestratorModuleConfig;

export function isModuleStrategy(config: {
  readonly kind: string;
}): config is ModuleStrategyConfig {
  return config.kind === moduleKind && 'strategy' in config;
}

/**
 * The Strategy a scenario's strategy stands for: the module's, or built from the
 * configuration through its kind's descriptor (`kinds`: the scenario's). An orchestrator
 * module's is what it declares, and cannot run: the harness runs its code
 * (orchestratorAsStrategy).
 */
export function strategyOf(
  config: ScenarioStrategy,
  kinds?: readonly AnyStrategyDescriptor[],
): Strategy {
  if (isModuleStrategy(config)) return config.strategy;
  if (isOrchestratorModule(config)) return orchestratorAsStrategy(config);
  return strategyFromConfig(config, kinds);
}

/** Whether every option is a plain value a description may hold (StrategyDescription). */
function flat(
  options: JsonObject,
): options is Readonly<Record<string, string | number | boolean | null>> {
  return Object.entries(options).every(
    ([key, v]) => key !== 'kind' && key !== 'module' && (v === null || typeof v !== 'object'),
  );
}

/**
 * The strategy of a module entry, or undefined with its problems added to `issues` (at
 * `path`, e.g. `strategies[2]`).
 */
export function moduleStrategy(
  input: ModuleStrategyInput,
  path: string,
  baseDir: string,
  modules: LoadedModules | undefined,
  issues: ScenarioIssue[],
): ModuleStrategyConfig | undefined {
  const file = modulePath(input.module, baseDir);
  const loaded = modules?.get(file);
  if (loaded === undefined) {
    issues.push({
      path: `${path}.module`,
      message: `the strategy module ${JSON.stringify(input.module)} was not loaded: a scenario with strategy modules is read with loadScenario (or its modules loaded first with loadStrategyModules and given to parseScenario as \`modules\`).`,
    });
    return undefined;
  }
  if (isModuleProblem(loaded)) {
    issues.push({ path: `${path}.module`, message: loaded.problem });
    return undefined;
  }
  const options: JsonObject = input.options ?? {};
  const strategy = strategyOfExport(input, loaded, options, path, issues);
  if (strategy === undefined) return undefined;
  const label = input.label ?? (strategy.label as string);
  const description: StrategyDescription | undefined = flat(options)
    ? { kind: moduleKind, module: input.module, ...options }
    : strategy.description;
  return {
    kind: moduleKind,
    label,
    module: input.module,
    options,
    file,
    digest: loaded.digest,
    strategy: {
      label,
      settings: strategy.settings,
      ...(description === undefined ? {} : { description }),
      // Called on the module's own object: a strategy may be an instance of a class.
      run: (o) => strategy.run(o),
    },
  };
}

/** The module's Strategy: its default export, or what that function returns for the options. */
function strategyOfExport(
  input: ModuleStrategyInput,
  loaded: StrategyModule,
  options: JsonObject,
  path: string,
  issues: ScenarioIssue[],
): Strategy | undefined {
  const exported = loaded.exported;
  const module = JSON.stringify(input.module);
  let value: unknown = exported;
  let what = `${module} (its default export) is not a valid Strategy`;
  if (typeof exported === 'function') {
    what = `${module} (its default export, called with the entry's options) returned a Strategy that is not valid`;
    try {
      // A copy: the function may change what it is given, the scenario's input must not change.
      value = (exported as (options: unknown) => unknown)(structuredClone(options));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      issues.push({
        path: input.options === undefined ? path : `${path}.options`,
        message: `${module} (its default export) threw when called with ${input.options === undefined ? 'no options ({})' : 'these options'}: ${message}. Fix the options, or the module.`,
      });
      return undefined;
    }
    if (typeof (value as { then?: unknown } | null)?.then === 'function') {
      issues.push({
        path,
        message: `${module} (its default export) returned a Promise; it must return the Strategy itself (an async function cannot: load what it needs at the module's top level).`,
      });
      return undefined;
    }
  } else if (input.options !== undefined) {
    issues.push({
      path: `${path}.options`,
      message: `${module} exports a Strategy object, which takes no options; remove options, or export a function that builds the Strategy from them.`,
    });
    return undefined;
  }
  const problems = strategyProblems(value, { needsLabel: input.label === undefined }).map((p) => {
    const field = p.field === '' ? 'it' : p.field;
    if (p.unknownSetting !== undefined) {
      const near = closestMatch(p.unknownSetting, settingNames);
      if (near !== undefined) return `${field} ${p.message} (did you mean ${near}?)`;
    }
    if (p.field === 'label') return `${field} ${p.message} (or give the entry a label:)`;
    return `${field} ${p.message}`;
  });
  if (problems.length === 0) limitProblems(value as Strategy, problems);
  if (problems.length === 0) return value as Strategy;
  issues.push({ path, message: `${what}: ${problems.join('; ')}. Fix the module.` });
  return undefined;
}

/** The limits of limits.ts a built-in kind's options meet through the schema, as problems. */
function limitProblems(strategy: Strategy, problems: string[]): void {
  const { retries, timeout, continuation } = strategy.settings;
  if (retries > limits.retries) {
    problems.push(
      `settings.retries must be at most ${limits.retries}, got ${formatLimit(retries)}: each retry is another dispatch of the task, and no workload needs more`,
    );
  }
  const longest = `${formatLimit(simLimits.maxDuration)} s (365 days)`;
  if (Number.isFinite(timeout) && timeout > simLimits.maxDuration) {
    problems.push(
      `settings.timeout must be at most ${longest}, got ${shownValue(timeout)}; use Infinity for no timeout`,
    );
  }
  if (continuation.kind === 'polling') {
    const { interval } = continuation;
    if (interval < limits.minPollInterval) {
      problems.push(
        `settings.continuation.interval must be at least ${limits.minPollInterval} s (1 ms), got ${shownValue(interval)}: no orchestrator polls a thousand times a second; poll less often, or use { kind: 'events' }`,
      );
    } else if (interval > simLimits.maxDuration) {
      problems.push(
        `settings.continuation.interval must be at most ${longest}, got ${shownValue(interval)}`,
      );
    }
  }
}
