/**
 * The trace of a run: the contract between the simulator, the real-code harness and the invariant
 * checkers (docs/model.md, "The trace" and "Safety invariants"; docs/architecture.md). Every record
 * has the time `t` at which it happened and a `type`. Agents are numbered in spawn order from 0;
 * tasks from 0.
 *
 * The records, in the order a subagent's life produces them:
 *   spawn     the orchestrator requested a subagent (it paid `dispatch`); `reason` says
 *             why (first | retry | redispatch | duplicate), `live` names an earlier attempt
 *             of the task still running or queued, if any
 *   start     the subagent got a WIP slot and began to work
 *   permission it needed a tool not granted up front: `asked` (foreground) or `denied`
 *   answer    the orchestrator answered its permission request
 *   end       it ended by itself: `ok` or `error`
 *   cancel    it was cancelled past its deadline: `timeout` (the orchestrator's own timer
 *             fired, or its poll check found it overdue) or `watchdog` (the runtime's
 *             watchdog, at the deadline of a subagent whose handle was forgotten)
 *   poll      the orchestrator checked it: `running`, `overdue` or `ended`
 *   deliver   its result reached the orchestrator (inbox or poll)
 *   detect    the orchestrator learned it failed (`error` | `timeout`), `latency` after `failedAt`
 *   drop      an outcome arrived for a handle the orchestrator had forgotten
 *   process.start / process.end   the orchestrator processed its result (`correct`, `caught`)
 *   forget    a compaction lost its handle (volatile registry)
 *   ghost     at the end of the run: its handle had been forgotten and its outcome never
 *             consumed; `state` is where it stood then (queued, running, ended, or
 *             cancelled: by the watchdog)
 * Task and orchestrator records:
 *   task.done  a task succeeded with the result of `agent`
 *   give-up    a task was given up (`retries-exhausted` | `upstream-given-up`)
 *   busy       the orchestrator was busy from `start` to `t` doing `kind`
 *   compaction its context shrank from `before` to `after` tokens
 *   run.start / run.end   the frame: settings first, outcome and makespan last
 */
import type { TraceSink } from '../sim/trace.js';
import type { SpawnReason } from './attempt.js';
import type { ActivityKind } from './metrics.js';

// A type alias, not an interface: only aliases are assignable to TraceRecord's index signature.
type At<T extends string> = {
  readonly t: number;
  readonly type: T;
};

export type ModelTraceRecord =
  | (At<'run.start'> & {
      readonly strategy: string;
      readonly seed: number | string;
      readonly tasks: number;
      readonly mode: 'foreground' | 'background';
      readonly wip: number | null;
      readonly timeout: number | null;
      readonly retries: number;
      readonly pollInterval: number | null;
    })
  | (At<'spawn'> & {
      readonly agent: number;
      readonly task: number;
      readonly attempt: number;
      readonly reason: SpawnReason;
      readonly live: number | null;
    })
  | (At<'start'> & { readonly agent: number })
  | (At<'permission'> & { readonly agent: number; readonly outcome: 'asked' | 'denied' })
  | (At<'answer'> & { readonly agent: number })
  | (At<'end'> & { readonly agent: number; readonly fate: 'ok' | 'error' })
  | (At<'cancel'> & { readonly agent: number; readonly reason: 'timeout' | 'watchdog' })
  | (At<'poll'> & { readonly agent: number; readonly status: 'running' | 'overdue' | 'ended' })
  | (At<'deliver'> & { readonly agent: number })
  | (At<'detect'> & {
      readonly agent: number;
      readonly task: number;
      readonly failure: 'error' | 'timeout';
      readonly failedAt: number;
      readonly latency: number;
    })
  | (At<'drop'> & { readonly agent: number })
  | (At<'process.start'> & { readonly agent: number; readonly task: number })
  | (At<'process.end'> & {
      readonly agent: number;
      readonly task: number;
      readonly correct: boolean;
      readonly caught: boolean;
    })
  | (At<'forget'> & { readonly agent: number; readonly task: number })
  | (At<'ghost'> & { readonly agent: number; readonly task: number; readonly state: string })
  | (At<'task.done'> & { readonly task: number; readonly agent: number; readonly correct: boolean })
  | (At<'give-up'> & { readonly task: number; readonly reason: string; readonly attempts: number })
  | (At<'busy'> & { readonly kind: ActivityKind; readonly start: number })
  | (At<'compaction'> & { readonly before: number; readonly after: number })
  | (At<'run.end'> & {
      readonly outcome: 'completed' | 'deadlock';
      readonly makespan: number;
      readonly deadlock: string | null;
    });

export type ModelTraceType = ModelTraceRecord['type'];

export type ModelTrace = TraceSink<ModelTraceRecord>;
