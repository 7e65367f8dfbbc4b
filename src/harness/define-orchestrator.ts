/**
 * Typing an orchestrator module: a TypeScript file a scenario names in an entry
 * `{ orchestrator: ./my-orchestrator.ts, options: {...} }`, whose default export the
 * harness runs in `run`, `compare`, `sweep` and `check` (docs/orchestrator-modules.md). The
 * default export takes one of three forms (src/scenario/orchestrator-module.ts reads them):
 *
 *   // 1. the orchestrator itself: an async function; no options, no declared settings
 *   export default async function (rt: OrchestratorRuntime) { ... }
 *
 *   // 2. the orchestrator with its label and what it declares about itself
 *   export default defineOrchestrator({
 *     label: 'fan-out',
 *     settings: { wip: 4, timeout: 600, retries: 1, pollInterval: 10 },
 *     orchestrator: async (rt) => { ... },
 *   });
 *
 *   // 3. a function (not async) from the entry's options to form 2
 *   export default defineOrchestrator((options: { wip: number }) => ({
 *     label: `fan-out(wip=${options.wip})`,
 *     settings: { wip: options.wip },
 *     orchestrator: async (rt) => { ... },
 *   }));
 *
 * At run time dispatchlab tells forms 1 and 3 apart by `async`: an async function is the
 * orchestrator, any other function builds one from the options. So form 1 must be declared
 * `async`, and form 3 must not be (it returns the object itself, not a Promise).
 *
 * `defineOrchestrator` returns what it is given: it exists so that forms 2 and 3 type-check
 * (`rt` is the OrchestratorRuntime, the settings are HarnessSettings) without a type written
 * by hand. It does not take form 1, whose one parameter is typed by its annotation: given
 * both a function of the runtime and a function of the options to choose from, TypeScript
 * would type the inner `rt` of form 3 before it knew which one it was given.
 */
import type { OrchestratorRuntime } from './runtime.js';
import type { HarnessSettings } from './simulated-run.js';

/** The orchestrator's code: it runs the whole job through `rt` and returns when it is done. */
export type OrchestratorFunction<R = unknown> = (rt: OrchestratorRuntime) => Promise<R>;

/** An orchestrator with its label and what it declares about how it dispatches (form 2). */
export interface OrchestratorDefinition<R = unknown> {
  /** The name tables and traces show; the entry's `label:` wins, the file's name by default. */
  readonly label?: string;
  /**
   * What the code declares about itself (its WIP limit, timeout, retries, poll interval,
   * foreground or background): the trace's header records it and the invariants judge the
   * run against it; the polling runtime enforces `timeout`.
   */
  readonly settings?: HarnessSettings;
  readonly orchestrator: OrchestratorFunction<R>;
}

/** A function from a scenario entry's `options` to an orchestrator (form 3); not async. */
export type OrchestratorFactory<O, R = unknown> = (options: O) => OrchestratorDefinition<R>;

/** What an orchestrator module exports by default, in any of its three forms. */
export type OrchestratorModuleExport<O = never, R = unknown> =
  | OrchestratorFunction<R>
  | OrchestratorDefinition<R>
  | OrchestratorFactory<O, R>;

/** Types form 2 or 3 of an orchestrator module's default export (see the file's comment); returns it as given. */
export function defineOrchestrator<R>(
  definition: OrchestratorDefinition<R>,
): OrchestratorDefinition<R>;
export function defineOrchestrator<O, R>(
  factory: OrchestratorFactory<O, R>,
): OrchestratorFactory<O, R>;
export function defineOrchestrator<O, R>(
  value: OrchestratorDefinition<R> | OrchestratorFactory<O, R>,
): OrchestratorDefinition<R> | OrchestratorFactory<O, R> {
  return value;
}
