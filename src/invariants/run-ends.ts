/**
 * The run ends (docs/model.md, "Safety invariants"): its trace ends with `run.end`, and
 * the run completed, every task resolved, rather than stopping short.
 *
 * The `run.end` record states how the run ended (docs/trace-format.md); every outcome but
 * `completed` breaks the rule:
 *
 * - `deadlock`: nothing left could happen while the orchestrator still waited (a hang with
 *   no timeout, a forgotten hang behind a WIP limit). The run did not end: the simulator
 *   stopped it, where real code would wait forever. The message quotes the record's
 *   `deadlock`, which says who waited for what (made one line).
 * - `incomplete`: the strategy returned with tasks unresolved. The run stopped, but did
 *   not finish its job: the tasks it left are named (those without a `resolve`).
 * - no `run.end` at all, or records after it: the trace was cut short, or the
 *   orchestrator went on after it said it was done. Either way, the trace does not show
 *   a run that ended.
 *
 * "A completed run leaves nothing waiting" is judged by the invariant each leftover
 * breaks, so that one fault is reported once: a subagent still out, or a result
 * delivered and never processed, when the run completed is a ghost (`noGhosts`); a task
 * without a `resolve` in a run that says it completed breaks `tasksEndOnce`. Conversely,
 * what a deadlocked or incomplete run left pending is reported here only, as the run's
 * failure to end, and not again as ghosts or missing resolves.
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import {
  type Checker,
  type CheckResult,
  checkResult,
  type Invariant,
  type Violation,
} from './invariant.js';
import { article, count, list, missingTasks, oneLine, seconds } from './words.js';

export const runEnds: Invariant = {
  name: 'runEnds',
  rule: 'The run ends: its trace ends with run.end, and the run completed, neither deadlocked nor left incomplete.',
  create(header: TraceHeader): Checker {
    const resolved = new Set<number>();
    let ended = false;
    let endT = 0;
    // The last record read, for a trace with no run.end (plain fields: this checker reads
    // every record, and must not allocate for each).
    let lastIndex = 0;
    let lastT = header.t;
    let lastType: string = header.type;
    let violation: Violation | undefined;
    return {
      observe(record: ModelTraceRecord, index: number): void {
        lastIndex = index;
        lastT = record.t;
        lastType = record.type;
        if (violation !== undefined) return;
        if (ended) {
          violation = {
            index,
            t: record.t,
            message: `${article(record.type)} ${record.type} record at ${seconds(record.t)} follows the run.end at ${seconds(endT)}: the trace must end with run.end`,
          };
          return;
        }
        if (record.type === 'resolve') resolved.add(record.task);
        if (record.type !== 'run.end') return;
        ended = true;
        endT = record.t;
        const t = record.t;
        if (record.outcome === 'deadlock') {
          violation = {
            index,
            t,
            message: `the run did not end: it deadlocked at ${seconds(t)}${record.deadlock === null ? '' : ` ("${oneLine(record.deadlock)}")`}`,
          };
        } else if (record.outcome === 'incomplete') {
          const missing = missingTasks(header.tasks, resolved);
          const left =
            missing.count > 0
              ? `${count(missing.count, 'task')} unresolved (${missing.count === 1 ? 'task' : 'tasks'} ${list(missing.first, 5, missing.count)})`
              : `${count(record.unresolved, 'task')} unresolved`;
          violation = {
            index,
            t,
            ...(missing.count > 0 ? { task: missing.first[0]! } : {}),
            message: `the run did not complete: the strategy returned at ${seconds(t)} with ${left}`,
          };
        } else if (record.outcome !== 'completed') {
          violation = {
            index,
            t,
            message: `the run ended at ${seconds(t)} with the outcome "${String(record.outcome)}", not "completed"`,
          };
        }
      },
      result(): CheckResult {
        const occasionsOf = 'runs';
        const occasions = 1;
        if (violation === undefined && !ended) {
          violation = {
            index: lastIndex,
            t: lastT,
            message: `the trace stops at ${seconds(lastT)} with ${article(lastType)} ${lastType} record and no run.end: the run never ended, or its trace was cut short`,
          };
        }
        return checkResult(occasions, occasionsOf, violation); // occasions is 1: never vacuous
      },
    };
  },
};
