/**
 * The orchestrator does one thing at a time (docs/model.md, "Safety invariants"): no two
 * of its `busy` intervals overlap, and none of its `idle` intervals overlaps another
 * interval either.
 *
 * The orchestrator is a single server, an LLM that takes one model call at a time:
 * dispatching while processing a result means two threads of thought, and a trace that
 * shows it has counted time twice. A `busy` record is the interval from its `start` to its
 * `t`, an `idle` record likewise (docs/trace-format.md); in a completed run they tile the
 * run from 0 to the makespan "without overlapping", so a wait that overlaps work is as
 * wrong as two overlapping activities. Intervals that only touch (one ends at 37 s, the
 * next begins at 37 s) do not overlap.
 *
 * The records come in the order the intervals end (each is written when its interval
 * ends, and `t` never decreases), so an interval overlaps an earlier one exactly when it
 * begins before the latest end seen so far. An empty interval (start = t) does nothing and
 * overlaps nothing; an interval that ends before it starts is the `timeForward`
 * invariant's to report, and is skipped here.
 *
 * `busy` and `idle` records are optional (docs/trace-format.md, "The minimum a trace must
 * carry"): a trace without `busy` records says nothing of what the orchestrator did, and
 * the check is vacuous.
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

type Interval = Extract<ModelTraceRecord, { type: 'busy' | 'idle' }>;

const span = (r: Interval) => `from ${seconds(r.start)} to ${seconds(r.t)}`;

export const oneThingAtATime: Invariant = {
  name: 'oneThingAtATime',
  rule: 'The orchestrator does one thing at a time: no two of its busy intervals overlap, nor an idle interval any other.',
  reads: ['busy', 'idle'],
  create(_header: TraceHeader): Checker {
    /** The interval that ended last so far (the latest end). */
    let latest: Interval | undefined;
    let occasions = 0;
    let violation: Violation | undefined;
    return {
      observe(record: ModelTraceRecord, index: number): void {
        if (record.type !== 'busy' && record.type !== 'idle') return;
        if (record.type === 'busy') occasions++;
        if (!(record.start < record.t)) return; // empty, or backwards: not an interval
        if (violation === undefined && latest !== undefined && record.start < latest.t) {
          const doing =
            record.type === 'busy'
              ? `was busy with ${record.kind} ${span(record)}`
              : `waited idle ${span(record)}`;
          const other =
            latest.type === 'busy'
              ? `its ${latest.kind} ${span(latest)}`
              : `its wait ${span(latest)}`;
          violation = {
            index,
            t: record.t,
            message: `the orchestrator ${doing}, overlapping ${other}: it does one thing at a time`,
          };
        }
        if (latest === undefined || record.t >= latest.t) latest = record;
      },
      result(): CheckResult {
        const occasionsOf = 'busy intervals';
        return checkResult(occasions, occasionsOf, violation);
      },
    };
  },
};
