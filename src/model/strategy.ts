/**
 * The strategy API: what a strategy is (a label, the dispatch settings it needs and the
 * orchestrator's program), and the orchestrator as a strategy sees it, its documented
 * actions and views and nothing else. Built-in strategies (src/strategies) and users' own
 * are written against exactly this; the model's orchestrator behind it is internal.
 *
 * Each action is `yield*`ed where it is called, one at a time:
 *
 *   yield* o.dispatch(task)      pay `dispatch`, request a subagent (queues beyond the WIP limit)
 *   yield* o.plan()              pay `plan`
 *   yield* o.process(result)     pay `process`; judge, maybe catch a wrong result
 *   yield* o.synthesize()        pay `synthesize`
 *   yield* o.awaitAll()          foreground join: idle until every dispatched task has an outcome
 *   yield* o.nextResult()        the next result in arrival order, idling until one comes
 *   yield* o.checkIn()           handle what has arrived, without waiting
 *
 * What the API refuses, by throwing (a guarantee a strategy may rely on): processing a
 * result this orchestrator did not hand out, or one already processed; starting an action
 * before the previous one has finished, or iterating a finished one again. Dispatching a
 * task that is not dispatchable is not an error: it returns false and costs nothing.
 * Everything else a strategy can get wrong is recorded, not thrown, so that the trace and
 * the metrics show it: returning while tasks are unresolved or results unread (the run's
 * outcome is then `incomplete`), leaving subagents running, forgetting to synthesize.
 */
import type { ProcessGenerator } from '../sim/process.js';
import type { Action } from './action.js';
import type { DispatchSettings } from './settings.js';

/** A result handed to the strategy: which agent, for which task. */
export interface Result {
  readonly agent: number;
  readonly task: number;
  readonly attemptNo: number;
}

/** The orchestrator as a strategy drives it (see the file's comment for the actions' contract). */
export interface Orchestrator {
  /** Simulated seconds since the run began. */
  readonly now: number;
  /** Every task has succeeded or been given up. */
  readonly finished: boolean;
  /** Tasks the orchestrator believes are out (dispatched, outcome not yet known). */
  readonly outstanding: number;
  /** Results received and not yet handed to the strategy. */
  readonly bufferedResults: number;
  /** True once the task has succeeded or been given up. */
  isResolved(task: number): boolean;
  /**
   * Tasks that can be dispatched now (dependencies processed, not resolved, not believed
   * to be out), in the order they became dispatchable; at most `limit`.
   */
  readyTasks(limit?: number): number[];

  /** Pays `dispatch` and requests a subagent; false, at no cost, if the task is not dispatchable. */
  dispatch(task: number): Action<boolean>;
  /** Pays `plan`. */
  plan(): Action<void>;
  /**
   * Pays `process` for a result and judges it: a wrong result may be caught (validation)
   * and its task opened again; otherwise the task succeeds and its dependents may open.
   * Throws for a result not handed out by this orchestrator or already processed.
   */
  process(result: Result): Action<void>;
  /** Pays `synthesize`. */
  synthesize(): Action<void>;
  /**
   * The foreground join: idles until every dispatched task has an outcome (failures are
   * retried meanwhile, permission requests answered), then returns the results in arrival
   * order.
   */
  awaitAll(): Action<Result[]>;
  /**
   * The next result in arrival order, idling until one arrives. Undefined when none can
   * come (nothing is out), and also when housekeeping made a task dispatchable again (a
   * compaction forgot its handle): dispatch it and ask again.
   */
  nextResult(): Action<Result | undefined>;
  /** Handles what has arrived and returns the next buffered result, if any, without waiting. */
  checkIn(): Action<Result | undefined>;
}

/**
 * A strategy's whole configuration as plain JSON values: its kind and every option,
 * durations in seconds and `null` for "none" (no timeout, no WIP limit). What a trace's
 * header records, so that a checker needs no scenario file.
 */
export type StrategyDescription = {
  readonly kind: string;
  readonly [option: string]: string | number | boolean | null;
};

export interface Strategy {
  /** Shown in tables and traces, e.g. `batch(k=10)`. */
  readonly label: string;
  readonly settings: DispatchSettings;
  /** The whole configuration, for the trace's header; built-in strategies give it, a hand-written one may. */
  readonly description?: StrategyDescription;
  /** The orchestrator's program; the run's makespan ends when it returns. */
  run(o: Orchestrator): ProcessGenerator<void>;
}
