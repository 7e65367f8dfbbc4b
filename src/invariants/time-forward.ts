/**
 * Time never goes backwards (docs/model.md, "Safety invariants").
 *
 * Records are in the order things happened, so their `t` never decreases, the header's
 * 0 included (docs/trace-format.md, "What a trace is"); and a record of an interval,
 * written when the interval ends (`busy`, `idle`, `poll.round`), cannot end before it
 * starts: its `start` is at most its `t`. Every other invariant reads a trace in this
 * order, so a trace that breaks it misleads them all (a result processed "before" it
 * arrived, in flight counted in the wrong order).
 *
 * A time must also be a number at all: JSON has no infinities nor NaN, and a reader
 * that let one through would compare it with nothing and pass whatever followed.
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import {
  type Checker,
  type CheckResult,
  checkResult,
  type Invariant,
  type Violation,
} from './invariant.js';
import { seconds } from './words.js';

export const timeForward: Invariant = {
  name: 'timeForward',
  rule: 'Time never goes backwards: t never decreases from one record to the next, and no interval (busy, idle, poll.round) ends before it starts.',
  create: (header) => new TimeForwardChecker(header),
};

/**
 * A class, not a closure: it reads every record, and a time kept in a closure's variable
 * is a new heap number each time it changes, where an object's field is updated in place.
 */
class TimeForwardChecker implements Checker {
  /** The previous record's time and type. */
  private previousT: number;
  private previousType: string;
  private occasions = 0;
  private violation: Violation | undefined = undefined;

  constructor(header: TraceHeader) {
    this.previousT = header.t;
    this.previousType = header.type;
  }

  observe(record: ModelTraceRecord, index: number): void {
    this.occasions++;
    if (this.violation !== undefined) return;
    const t = record.t;
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      this.violation = {
        index,
        t,
        message: `the ${record.type} record at position ${index} has no finite time (t is ${String(t)})`,
      };
      return;
    }
    const type = record.type;
    if (t < this.previousT) {
      this.violation = {
        index,
        t,
        message: `the ${type} record at ${seconds(t)} comes after the ${this.previousType} record at ${seconds(this.previousT)}: time went backwards`,
      };
    } else if (
      // The records that stand for an interval: they carry its `start`, and `t` is its end.
      (type === 'busy' || type === 'idle' || type === 'poll.round') &&
      'start' in record &&
      !(record.start <= t)
    ) {
      this.violation = {
        index,
        t,
        message: `the ${type} interval ends at ${seconds(t)} but starts later, at ${seconds(record.start)}: time went backwards`,
      };
    }
    this.previousT = t;
    this.previousType = type;
  }

  result(): CheckResult {
    const occasionsOf = 'records';
    return checkResult(this.occasions, occasionsOf, this.violation);
  }
}
