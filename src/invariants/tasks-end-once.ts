/**
 * Every task ends exactly once, succeeded or given up; no result is used twice
 * (docs/model.md, "Safety invariants").
 *
 * A task ends at its `resolve` record (docs/trace-format.md: "the task's final outcome,
 * once per task"). Three ways to break the rule, each caught where it shows:
 *
 * - a second `resolve` of a task, in any run: an outcome is final, and a task that ends
 *   twice has two outcomes (two answers delivered for one question, or a success after
 *   it was given up). Caught at the second.
 * - a second `process.start` of one subagent, in any run: its result used twice (merged
 *   into the answer twice, or counted as two results). Caught at the second. Each result
 *   belongs to one subagent, so a subagent is the unit; two attempts of one task each
 *   processed once are two results, not one used twice.
 * - a task without a `resolve` in a completed run: a run that says it completed must
 *   have ended every task. Caught at the `run.end`. A deadlocked or incomplete run leaves
 *   tasks unresolved by definition; that it did not complete is the `runEnds` invariant's
 *   to report, once, so missing resolves are not counted against it here.
 *
 * A `resolve` of a task outside 0..tasks − 1 is a task the run does not have: it breaks
 * the rule too (the count of ends per task would not add up to the header's tasks).
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import {
  type Checker,
  type CheckResult,
  checkResult,
  type Invariant,
  type Violation,
} from './invariant.js';
import { agentName, count, list, missingTasks, seconds } from './words.js';

/** How a task ended, in words: "succeeded with agent 7", "was given up (retries-exhausted)". */
function outcome(r: Extract<ModelTraceRecord, { type: 'resolve' }>): string {
  return r.outcome === 'succeeded'
    ? `succeeded with agent ${r.agent}`
    : `was given up (${r.reason})`;
}

export const tasksEndOnce: Invariant = {
  name: 'tasksEndOnce',
  rule: 'Every task ends exactly once (one resolve; in a completed run, every task has one), and no subagent’s result is processed twice.',
  reads: ['resolve', 'process.start', 'run.end'],
  create(header: TraceHeader): Checker {
    const tasks = header.tasks;
    const resolved = new Map<number, Extract<ModelTraceRecord, { type: 'resolve' }>>();
    const processed = new Map<number, number>(); // agent → time of its process.start
    let violation: Violation | undefined;
    const fail = (v: Violation) => {
      violation ??= v;
    };
    return {
      observe(record: ModelTraceRecord, index: number): void {
        if (violation !== undefined) return;
        const t = record.t;
        switch (record.type) {
          case 'resolve': {
            const task = record.task;
            const before = resolved.get(task);
            if (!Number.isInteger(task) || task < 0 || task >= tasks) {
              fail({
                index,
                t,
                task,
                message: `task ${task} ${outcome(record)} at ${seconds(t)}, but the run has ${count(tasks, 'task')}${tasks > 1 ? ` (0 to ${tasks - 1})` : tasks === 1 ? ' (task 0)' : ''}`,
              });
            } else if (before !== undefined) {
              fail({
                index,
                t,
                task,
                message: `task ${task} ended a second time at ${seconds(t)}: it ${outcome(record)}, after it ${outcome(before)} at ${seconds(before.t)}`,
              });
            } else {
              resolved.set(task, record);
            }
            break;
          }
          case 'process.start': {
            const first = processed.get(record.agent);
            if (first !== undefined) {
              fail({
                index,
                t,
                agent: record.agent,
                task: record.task,
                message: `${agentName(record.agent, record.task)} had its result processed a second time at ${seconds(t)}, after ${seconds(first)}: a result used twice`,
              });
            } else {
              processed.set(record.agent, t);
            }
            break;
          }
          case 'run.end': {
            if (record.outcome !== 'completed') break;
            const missing = missingTasks(tasks, resolved);
            if (missing.count > 0) {
              fail({
                index,
                t,
                task: missing.first[0]!,
                message: `the run completed at ${seconds(t)} with ${count(missing.count, 'task')} never ended (no resolve): ${missing.count === 1 ? 'task' : 'tasks'} ${list(missing.first, 5, missing.count)}`,
              });
            }
            break;
          }
        }
      },
      result(): CheckResult {
        const occasionsOf = 'tasks';
        const occasions = tasks;
        return checkResult(occasions, occasionsOf, violation);
      },
    };
  },
};
