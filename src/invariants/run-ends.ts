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
  // Of most records it needs only that they come before the run.end, and where the last
  // one is if there is none: reading them all was a call per record of every run.
  reads: ['resolve', 'run.end'],
  readsAllAfter: 'run.end',
  readsLast: true,
  create: (header) => new RunEndsChecker(header),
};

/**
 * A class, not a closure: it reads every record, and a time kept in a closure's variable
 * is a new heap number each time it changes, where an object's field is updated in place.
 */
class RunEndsChecker implements Checker {
  private readonly tasks: number;
  private readonly resolved = new Set<number>();
  private ended = false;
  private endT = 0;
  // The last record read, for a trace with no run.end.
  private lastIndex = 0;
  private lastT: number;
  private lastType: string;
  private violation: Violation | undefined = undefined;

  constructor(header: TraceHeader) {
    this.tasks = header.tasks;
    this.lastT = header.t;
    this.lastType = header.type;
  }

  observe(record: ModelTraceRecord, index: number): void {
    this.lastIndex = index;
    this.lastT = record.t;
    this.lastType = record.type;
    if (this.violation !== undefined) return;
    if (this.ended) {
      this.violation = {
        index,
        t: record.t,
        message: `${article(record.type)} ${record.type} record at ${seconds(record.t)} follows the run.end at ${seconds(this.endT)}: the trace must end with run.end`,
      };
      return;
    }
    if (record.type === 'resolve') this.resolved.add(record.task);
    if (record.type !== 'run.end') return;
    this.ended = true;
    this.endT = record.t;
    const t = record.t;
    if (record.outcome === 'deadlock') {
      this.violation = {
        index,
        t,
        message: `the run did not end: it deadlocked at ${seconds(t)}${record.deadlock === null ? '' : ` ("${oneLine(record.deadlock)}")`}`,
      };
    } else if (record.outcome === 'incomplete') {
      const missing = missingTasks(this.tasks, this.resolved);
      const left =
        missing.count > 0
          ? `${count(missing.count, 'task')} unresolved (${missing.count === 1 ? 'task' : 'tasks'} ${list(missing.first, 5, missing.count)})`
          : `${count(record.unresolved, 'task')} unresolved`;
      this.violation = {
        index,
        t,
        ...(missing.count > 0 ? { task: missing.first[0]! } : {}),
        message: `the run did not complete: the strategy returned at ${seconds(t)} with ${left}`,
      };
    } else if (record.outcome !== 'completed') {
      this.violation = {
        index,
        t,
        message: `the run ended at ${seconds(t)} with the outcome "${String(record.outcome)}", not "completed"`,
      };
    }
  }

  result(): CheckResult {
    const occasionsOf = 'runs';
    const occasions = 1;
    if (this.violation === undefined && !this.ended) {
      this.violation = {
        index: this.lastIndex,
        t: this.lastT,
        message: `the trace stops at ${seconds(this.lastT)} with ${article(this.lastType)} ${this.lastType} record and no run.end: the run never ended, or its trace was cut short`,
      };
    }
    return checkResult(occasions, occasionsOf, this.violation); // occasions is 1: never vacuous
  }
}
