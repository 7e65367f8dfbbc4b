/**
 * No duplicate spawn of a task with a live attempt, except a declared retry
 * (docs/model.md, "Safety invariants").
 *
 * An attempt of a task is live, for this rule, from its `spawn` until the orchestrator is
 * done with it: its result processed (`process.start`), its failure detected (`detect`),
 * or the subagent cancelled (`cancel`). An attempt that *ended* but whose outcome the
 * orchestrator has not taken is still live: its result is on its way, or sits unread, and
 * dispatching the task again makes two attempts for one outcome — the work done twice, or
 * a failure that, once detected, is retried on top of the new attempt. That is the
 * duplicate docs/trace-format.md shows (a forgotten subagent that ended, its result
 * dropped, and its task dispatched again as `first`). A cancelled attempt is over: nothing
 * of it can come back but the notice of its cancel, and its task must be dispatched anew.
 *
 * Declared is what `spawn.reason` says: `retry` (after a failure of the task was
 * detected) and `redispatch` (after validation caught a wrong result) are the
 * orchestrator's own decision to run the task again, and are allowed even beside a live
 * attempt (a hedge, say). `first` claims the task was never dispatched: with a live
 * attempt around, the orchestrator has lost track of it. So does any reason this version
 * of the format does not know: only a declared retry is excused.
 *
 * This differs from the `duplicateSpawns` metric, which counts each `first` with
 * `attempt` > 0 whatever became of the earlier attempts: a `first` after every earlier
 * attempt of the task was consumed or cancelled (a forgotten subagent the watchdog
 * cancelled, say) duplicates nothing live, and passes here.
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import {
  type Checker,
  type CheckResult,
  checkResult,
  type Invariant,
  type Violation,
} from './invariant.js';
import { agentName, seconds } from './words.js';

/** A live attempt: its subagent and what the trace says it is doing (set in place). */
class Attempt {
  started = false;
  ended = false;
  endT = 0;
  endFate: 'ok' | 'error' = 'ok';
  constructor(
    readonly agent: number,
    readonly task: number,
    readonly spawned: number,
  ) {}
}

const declared: ReadonlySet<string> = new Set(['retry', 'redispatch']);

/** "was still running", "had ended at 111.107 s with its result not yet taken"... */
function doing(a: Attempt): string {
  if (a.ended) {
    const what = a.endFate === 'ok' ? 'result' : 'failure';
    return `had ended at ${seconds(a.endT)} with its ${what} not yet taken`;
  }
  return a.started ? 'was still running' : 'was still waiting for a slot';
}

export const noDuplicateSpawn: Invariant = {
  name: 'noDuplicateSpawn',
  rule: 'No task is spawned again while an attempt of it is live (not yet cancelled, nor its outcome consumed), except as a declared retry or redispatch.',
  reads: ['spawn', 'start', 'end', 'cancel', 'process.start', 'detect'],
  create(_header: TraceHeader): Checker {
    /** Per task spawned, its attempts still live, in spawn order. */
    const live = new Map<number, Attempt[]>();
    /** Per agent, its attempt while live. */
    const byAgent = new Map<number, Attempt>();
    let occasions = 0;
    let violation: Violation | undefined;
    const over = (agent: number) => {
      const a = byAgent.get(agent);
      if (a === undefined) return;
      byAgent.delete(agent);
      const attempts = live.get(a.task)!;
      attempts.splice(attempts.indexOf(a), 1);
    };
    return {
      observe(record: ModelTraceRecord, index: number): void {
        switch (record.type) {
          case 'spawn': {
            over(record.agent); // a number spawned twice (a malformed trace): the first is moot
            const task = record.task;
            let attempts = live.get(task);
            if (attempts === undefined) {
              attempts = [];
              live.set(task, attempts);
            } else {
              occasions++;
              const other = attempts[0];
              if (violation === undefined && other !== undefined && !declared.has(record.reason)) {
                violation = {
                  index,
                  t: record.t,
                  agent: record.agent,
                  task,
                  message: `${agentName(record.agent, task)} was spawned at ${seconds(record.t)} as "${record.reason}" while agent ${other.agent} of the same task, spawned at ${seconds(other.spawned)}, ${doing(other)}: a duplicate spawn`,
                };
              }
            }
            const attempt = new Attempt(record.agent, task, record.t);
            attempts.push(attempt);
            byAgent.set(record.agent, attempt);
            break;
          }
          case 'start': {
            const a = byAgent.get(record.agent);
            if (a !== undefined) a.started = true;
            break;
          }
          case 'end': {
            const a = byAgent.get(record.agent);
            if (a !== undefined && !a.ended) {
              a.ended = true;
              a.endT = record.t;
              a.endFate = record.fate;
            }
            break;
          }
          case 'cancel':
          case 'process.start':
          case 'detect':
            over(record.agent);
            break;
        }
      },
      result(): CheckResult {
        const occasionsOf = 'spawns of a task spawned before';
        return checkResult(occasions, occasionsOf, violation);
      },
    };
  },
};
