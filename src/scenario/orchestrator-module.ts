/**
 * A scenario entry `{ orchestrator: ./my-orchestrator.ts, options: {...}, label: ... }`: a
 * user's own orchestrator, plain async TypeScript that the real-code harness (src/harness)
 * runs on simulated time against the scenario's subagents. The module is found, compiled and
 * imported as a strategy module is (strategy-modules.ts); this file turns its default export
 * into the entry's configuration, or says at the entry what is wrong and how to fix it.
 *
 * The default export may take three forms (`defineOrchestrator`, src/harness, types the last
 * two; the first is an async function whose parameter the module annotates):
 *
 * - the orchestrator itself, an `async` function `(rt) => Promise<unknown>`: it takes no
 *   options, declares no settings, and is labelled by its file's name;
 * - an object `{ label?, settings?, orchestrator }`: `orchestrator` as above, `label` the
 *   name tables show (the file's name by default), `settings` what the code declares about
 *   how it dispatches, which the trace's header records and the invariants read: `mode`
 *   (`background` by default, or `foreground`), `wip` (a whole number, or null for no
 *   limit), `queueBeyondWip` (true: the runtime keeps `wip`, queueing starts beyond it;
 *   false, the default: the code does), `timeout` (seconds, or null: the polling runtime reports a subagent still
 *   running past it as timed out and cancels it), `retries` (0 by default), `pollInterval`
 *   (seconds between the code's poll rounds, or null when it waits for events);
 * - a function that is not `async`, from the entry's options to such an object, called once
 *   when the scenario is read (with `{}` when the entry gives no options).
 *
 * The two functions are told apart by `async`: an async function is the orchestrator, any
 * other function builds one. A builder that returns a Promise is refused with that hint.
 *
 * This layer cannot run the code (the harness sits above it): the experiment layer does
 * (src/experiment/orchestrator-run.ts). What this layer knows of the orchestrator is what it
 * declares; `strategyOf` gives that as a Strategy whose settings are the declared ones
 * (for the scenario's warnings and the generated workloads) and whose program refuses to run.
 */
import type { InvariantName } from '../model/invariant-names.js';
import type { DispatchSettings } from '../model/settings.js';
import type { Strategy, StrategyDescription } from '../model/strategy.js';
import { shownValue } from '../strategies/check.js';
import type { ScenarioIssue } from './errors.js';
import { formatLimit, limits, simLimits } from './limits.js';
import type { JsonObject } from './module-strategy.js';
import {
  isModuleProblem,
  type LoadedModules,
  modulePath,
  type StrategyModule,
} from './strategy-modules.js';
import { closestMatch } from './suggest.js';

/** An orchestrator entry as the schema checked it. */
export interface OrchestratorModuleInput {
  /** The module's path, relative to the scenario file's folder. */
  readonly orchestrator: string;
  readonly options?: JsonObject | undefined;
  readonly label?: string | undefined;
  /** The invariants it is meant to break (schema.ts). */
  readonly expect?: readonly InvariantName[] | undefined;
}

/**
 * What an orchestrator declares about how it dispatches (the harness's HarnessSettings):
 * the trace header records it and the invariants judge the run against it.
 */
export interface DeclaredSettings {
  /**
   * foreground: the code blocks on its subagents, and their permission requests come to
   * it (the harness answers them, at the world's `answer` cost). background (the default):
   * a permission not granted up front is denied and the subagent carries on.
   */
  readonly mode?: 'foreground' | 'background';
  /** Most subagents the code keeps running at once; null when it keeps no limit or does not say. */
  readonly wip?: number | null;
  /**
   * Who keeps `wip`. false (the default): the code; the harness only records the limit, and
   * the invariants judge whether the code kept it. true: the runtime, as an agent platform
   * with a concurrency limit does (and as the model's WIP limiter does): a start beyond the
   * limit is accepted, waits first in first out, and begins the instant a slot frees,
   * without the code's time. Until it begins, the polling runtime reports it `pending`.
   */
  readonly queueBeyondWip?: boolean;
  /** Seconds after which the polling runtime reports a still-running subagent as `timeout` and cancels it. */
  readonly timeout?: number | null;
  /** Times the code dispatches a failed task again before giving it up. */
  readonly retries?: number;
  /** Seconds between the code's poll rounds, when it polls; events otherwise. */
  readonly pollInterval?: number | null;
}

/** The setting names an orchestrator may declare, in the order messages list them. */
export const declaredSettingNames = [
  'mode',
  'wip',
  'queueBeyondWip',
  'timeout',
  'retries',
  'pollInterval',
] as const;

/**
 * The orchestrator's code as this layer holds it. Its parameter is the harness's
 * OrchestratorRuntime, a type this layer may not name: `never` lets any such function in,
 * and the experiment layer, which runs it, gives it the runtime.
 */
export type OrchestratorCode = (runtime: never) => Promise<unknown>;

/** What `description.kind` says of an orchestrator module, and the config's kind. */
export const orchestratorKind = 'orchestrator';

/** A scenario's strategy from an orchestrator module: its entry, and the code to run. */
export interface OrchestratorModuleConfig {
  readonly kind: typeof orchestratorKind;
  /** The entry's label, or the module's own, or the module file's name. */
  readonly label: string;
  /** The module's path as the entry writes it (relative to the scenario file's folder). */
  readonly orchestrator: string;
  /** The entry's options, as written; `{}` when it gives none. */
  readonly options: JsonObject;
  /** The module's absolute path. */
  readonly file: string;
  /** The digest of the module's sources (strategy-modules.ts). */
  readonly digest: string;
  /** What the code declares, as written (for the harness and the trace's header). */
  readonly settings: DeclaredSettings;
  /** The same, as the model's settings (what the trace's header records). */
  readonly dispatch: DispatchSettings;
  /** For the trace's header: the module and its options, when they are flat. */
  readonly description?: StrategyDescription;
  /** The orchestrator to run. */
  readonly code: OrchestratorCode;
}

export function isOrchestratorModule(config: {
  readonly kind: string;
}): config is OrchestratorModuleConfig {
  return config.kind === orchestratorKind && 'code' in config && 'dispatch' in config;
}

/**
 * The declared settings as the model's: what the harness writes in the trace's header
 * (src/harness/simulated-run.ts, dispatchSettings, which a test holds equal to this).
 */
export function declaredDispatchSettings(settings: DeclaredSettings): DispatchSettings {
  return {
    mode: settings.mode ?? 'background',
    wip: settings.wip ?? Number.POSITIVE_INFINITY,
    continuation:
      settings.pollInterval == null
        ? { kind: 'events' }
        : { kind: 'polling', interval: settings.pollInterval },
    timeout: settings.timeout ?? Number.POSITIVE_INFINITY,
    retries: settings.retries ?? 0,
    registry: 'durable',
    resume: false,
    forgottenTimeout: 'none',
  };
}

/**
 * The orchestrator as a Strategy: its label, description and declared settings, which is
 * what the layers below the harness read of a strategy; its program throws, since only the
 * harness can run the code (src/experiment/orchestrator-run.ts does).
 */
export function orchestratorAsStrategy(config: OrchestratorModuleConfig): Strategy {
  return {
    label: config.label,
    settings: config.dispatch,
    ...(config.description === undefined ? {} : { description: config.description }),
    run() {
      throw new Error(
        `"${config.label}" is an orchestrator module (${config.orchestrator}): the harness runs it (runOrchestratorOnce in src/experiment/orchestrator-run.ts), not the model`,
      );
    },
  };
}

/** Whether `value` is an async function: the orchestrator itself rather than a builder of one. */
function isAsyncFunction(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object AsyncFunction]';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The file's name without its extension: the label of an orchestrator that gives none. */
function fileStem(written: string): string {
  const name = written.split(/[\\/]/).at(-1) ?? written;
  return name.replace(/\.[^.]+$/, '');
}

/**
 * The configuration of an orchestrator entry, or undefined with its problems added to
 * `issues` (at `path`, e.g. `strategies[2]`).
 */
export function orchestratorModule(
  input: OrchestratorModuleInput,
  path: string,
  baseDir: string,
  modules: LoadedModules | undefined,
  issues: ScenarioIssue[],
): OrchestratorModuleConfig | undefined {
  const file = modulePath(input.orchestrator, baseDir);
  const loaded = modules?.get(file);
  if (loaded === undefined) {
    issues.push({
      path: `${path}.orchestrator`,
      message: `the orchestrator module ${JSON.stringify(input.orchestrator)} was not loaded: a scenario with modules is read with loadScenario (or its modules loaded first with loadStrategyModules and given to parseScenario as \`modules\`).`,
    });
    return undefined;
  }
  if (isModuleProblem(loaded)) {
    issues.push({ path: `${path}.orchestrator`, message: loaded.problem });
    return undefined;
  }
  const options: JsonObject = input.options ?? {};
  const definition = definitionOfExport(input, loaded, options, path, issues);
  if (definition === undefined) return undefined;
  const label = input.label ?? definition.label ?? fileStem(input.orchestrator);
  const description = flatDescription(input.orchestrator, options);
  return {
    kind: orchestratorKind,
    label,
    orchestrator: input.orchestrator,
    options,
    file,
    digest: loaded.digest,
    settings: definition.settings,
    dispatch: declaredDispatchSettings(definition.settings),
    ...(description === undefined ? {} : { description }),
    code: definition.orchestrator,
  };
}

/** `{ kind: 'orchestrator', orchestrator, ...options }` when every option is a plain value. */
function flatDescription(
  orchestrator: string,
  options: JsonObject,
): StrategyDescription | undefined {
  const entries = Object.entries(options);
  const flat = entries.every(
    ([key, v]) => key !== 'kind' && key !== 'orchestrator' && (v === null || typeof v !== 'object'),
  );
  if (!flat) return undefined;
  return {
    kind: orchestratorKind,
    orchestrator,
    ...(options as Readonly<Record<string, string | number | boolean | null>>),
  };
}

interface Definition {
  readonly label?: string;
  readonly settings: DeclaredSettings;
  readonly orchestrator: OrchestratorCode;
}

/** The module's definition: its default export, or what that builder returns for the options. */
function definitionOfExport(
  input: OrchestratorModuleInput,
  loaded: StrategyModule,
  options: JsonObject,
  path: string,
  issues: ScenarioIssue[],
): Definition | undefined {
  const exported = loaded.exported;
  const module = JSON.stringify(input.orchestrator);
  const takesNoOptions = (what: string) => {
    issues.push({
      path: `${path}.options`,
      message: `${module} exports ${what}, which takes no options; remove options, or export a function (not async) from the options to { label, settings, orchestrator }.`,
    });
    return undefined;
  };
  if (isAsyncFunction(exported)) {
    if (input.options !== undefined)
      return takesNoOptions('the orchestrator itself (an async function)');
    return { settings: {}, orchestrator: exported as OrchestratorCode };
  }
  let value: unknown = exported;
  let what = `${module} (its default export)`;
  if (typeof exported === 'function') {
    what = `${module} (its default export, called with the entry's options) returned an orchestrator that`;
    try {
      // A copy: the function may change what it is given, the scenario's input must not change.
      value = (exported as (options: unknown) => unknown)(structuredClone(options));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      issues.push({
        path: input.options === undefined ? path : `${path}.options`,
        message: `${module} (its default export) threw when called with ${input.options === undefined ? 'no options ({})' : 'these options'}: ${message}. A function that is not async is called with the entry's options to build the orchestrator: fix the options or the module, or, if the function is the orchestrator itself, declare it async.`,
      });
      return undefined;
    }
    if (typeof (value as { then?: unknown } | null)?.then === 'function') {
      // Likely the orchestrator itself, run on the options: its failure is not to crash us.
      (value as PromiseLike<unknown>).then(undefined, () => {});
      issues.push({
        path,
        message: `${module} (its default export) is a function that is not async, so it was called with the entry's options to build the orchestrator, and it returned a Promise. If it is the orchestrator itself, declare it async (export default async function (rt) { ... }); if it builds one, return { label, settings, orchestrator } itself, not a Promise.`,
      });
      return undefined;
    }
  } else if (input.options !== undefined) {
    return takesNoOptions('an object { label, settings, orchestrator }');
  }
  const problems = definitionProblems(value, input.label === undefined);
  if (problems.length === 0) return definitionOf(value as Record<string, unknown>);
  const verb = typeof exported === 'function' ? 'is not valid' : 'is not a valid orchestrator';
  issues.push({ path, message: `${what} ${verb}: ${problems.join('; ')}. Fix the module.` });
  return undefined;
}

/** A checked `{ label?, settings?, orchestrator }`: its settings copied, its code called on it. */
function definitionOf(value: Record<string, unknown>): Definition {
  const declared = (value.settings ?? {}) as Record<string, unknown>;
  const settings = Object.fromEntries(
    declaredSettingNames.flatMap((name) =>
      declared[name] === undefined ? [] : [[name, declared[name]]],
    ),
  ) as DeclaredSettings;
  const run = value.orchestrator as (this: unknown, runtime: never) => Promise<unknown>;
  return {
    ...(typeof value.label === 'string' ? { label: value.label } : {}),
    settings,
    // Called on the module's own object: an orchestrator may be a method of a class instance.
    orchestrator: (runtime) => run.call(value, runtime),
  };
}

/** What is wrong with `value` as `{ label?, settings?, orchestrator }`; empty when nothing is. */
function definitionProblems(value: unknown, labelFromModule: boolean): string[] {
  if (!isRecord(value)) {
    return [
      `it is ${shownValue(value)}, not an orchestrator: an async function (rt) => Promise, or an object { label?, settings?, orchestrator }`,
    ];
  }
  const problems: string[] = [];
  const fields = ['label', 'settings', 'orchestrator'];
  for (const key of Object.keys(value)) {
    if (fields.includes(key)) continue;
    const near = closestMatch(key, fields);
    problems.push(
      `${key} is not a field of an orchestrator${near === undefined ? '' : ` (did you mean ${near}?)`}; it has label, settings and orchestrator`,
    );
  }
  if (typeof value.orchestrator !== 'function') {
    problems.push(
      `orchestrator must be the async function (rt) => Promise that runs the orchestrator, got ${shownValue(value.orchestrator)}`,
    );
  }
  if (value.label !== undefined && (typeof value.label !== 'string' || value.label.trim() === '')) {
    problems.push(
      `label must be a non-empty string (the name tables show)${labelFromModule ? '' : ', or left out'}, got ${shownValue(value.label)}`,
    );
  }
  if (value.settings !== undefined) problems.push(...settingsProblems(value.settings));
  return problems;
}

const longest = `${formatLimit(simLimits.maxDuration)} s (365 days)`;

/**
 * A duration in seconds, or null (none): what is wrong with it, if anything. `least`: the
 * shortest allowed, as a sentence's end (`above 0`, `at least 0.001 s (1 ms)`).
 */
function secondsProblem(
  name: string,
  value: unknown,
  allowed: (seconds: number) => boolean,
  least: string,
  none: string,
): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    return `settings.${name} must be a number of seconds, or null for ${none}, got ${shownValue(value)}`;
  }
  if (!allowed(value)) {
    return `settings.${name} must be ${least}, got ${value}`;
  }
  if (value > simLimits.maxDuration) {
    return `settings.${name} must be at most ${longest}, got ${shownValue(value)}; use null for ${none}`;
  }
  return undefined;
}

/** What is wrong with declared settings (DeclaredSettings); empty when nothing is. */
export function settingsProblems(settings: unknown): string[] {
  if (!isRecord(settings)) {
    return [
      `settings must be an object { ${declaredSettingNames.join(', ')} } (each optional), got ${shownValue(settings)}`,
    ];
  }
  const problems: string[] = [];
  for (const key of Object.keys(settings)) {
    if ((declaredSettingNames as readonly string[]).includes(key)) continue;
    const near = closestMatch(key, declaredSettingNames);
    problems.push(
      `settings.${key} is not a setting an orchestrator declares${near === undefined ? '' : ` (did you mean ${near}?)`}; it may declare ${declaredSettingNames.join(', ')}`,
    );
  }
  const { mode, wip, queueBeyondWip, timeout, retries, pollInterval } = settings;
  if (mode !== undefined && mode !== 'foreground' && mode !== 'background') {
    problems.push(`settings.mode must be 'foreground' or 'background', got ${shownValue(mode)}`);
  }
  if (
    wip !== undefined &&
    wip !== null &&
    wip !== Number.POSITIVE_INFINITY &&
    !(typeof wip === 'number' && Number.isSafeInteger(wip) && wip >= 1)
  ) {
    problems.push(
      `settings.wip must be a whole number >= 1, or null for no limit, got ${shownValue(wip)}`,
    );
  }
  if (queueBeyondWip !== undefined && typeof queueBeyondWip !== 'boolean') {
    problems.push(
      `settings.queueBeyondWip must be true (the runtime queues starts beyond wip) or false (the code keeps wip), got ${shownValue(queueBeyondWip)}`,
    );
  }
  if (timeout !== undefined && timeout !== Number.POSITIVE_INFINITY) {
    const problem = secondsProblem('timeout', timeout, (t) => t > 0, 'above 0', 'no timeout');
    if (problem !== undefined) problems.push(problem);
  }
  if (
    retries !== undefined &&
    !(typeof retries === 'number' && Number.isSafeInteger(retries) && retries >= 0)
  ) {
    problems.push(`settings.retries must be a whole number >= 0, got ${shownValue(retries)}`);
  } else if (typeof retries === 'number' && retries > limits.retries) {
    problems.push(
      `settings.retries must be at most ${limits.retries}, got ${formatLimit(retries)}: each retry is another dispatch of the task, and no workload needs more`,
    );
  }
  if (pollInterval !== undefined) {
    const problem = secondsProblem(
      'pollInterval',
      pollInterval,
      (t) => t >= limits.minPollInterval,
      `at least ${limits.minPollInterval} s (1 ms): no orchestrator polls a thousand times a second`,
      'an orchestrator that waits for events',
    );
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}
