/**
 * Checks one trace against invariants: every checker reads every record once, in order.
 *
 * Two ways in. A trace sink (TraceChecker) that the simulator writes to as a run goes:
 * it keeps no records, so a run of any length is checked in little memory; that is how
 * `dispatchlab check` judges many generated runs. And a whole trace in memory
 * (checkRecords), read from a file or replayed: then each violation comes with the
 * records around it, so that a reader sees what happened just before and after it. A run
 * that failed online is replayed (the simulator is deterministic) to get those.
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import type { Checker, CheckResult, Invariant } from './invariant.js';

/** Records shown before a violation, and after it, as its context. */
const before = 6;
const after = 3;

/** One invariant's verdict on one trace. */
export interface InvariantCheck extends CheckResult {
  readonly invariant: string;
  readonly rule: string;
  /** With a violation, when the records were at hand: those around it, in order. */
  readonly context?: readonly { readonly index: number; readonly record: ModelTraceRecord }[];
}

/** The verdict on one trace: each invariant's, in the order given. */
export interface TraceCheck {
  readonly header: TraceHeader;
  /** Records read, the header included. */
  readonly records: number;
  readonly results: readonly InvariantCheck[];
}

/** A trace whose records are not in the order the format requires. */
export class TraceOrderError extends Error {
  override name = 'TraceOrderError';
}

/** A trace sink that checks as it goes: `write` each record, header first, then `finish`. */
export class TraceChecker {
  readonly enabled = true;
  private header: TraceHeader | undefined;
  private checkers: readonly Checker[] = [];
  private index = 0;

  constructor(private readonly invariants: readonly Invariant[]) {}

  write(record: ModelTraceRecord): void {
    const index = this.index++;
    if (this.header === undefined) {
      if (record.type !== 'run.start') {
        throw new TraceOrderError(
          `the first record must be the header (run.start), but it is "${record.type}"`,
        );
      }
      this.header = record;
      this.checkers = this.invariants.map((i) => i.create(record));
      return;
    }
    for (const checker of this.checkers) checker.observe(record, index);
  }

  close(): void {}

  /** The verdict, after the last record. */
  finish(): TraceCheck {
    if (this.header === undefined) {
      throw new TraceOrderError('the trace is empty: it has no header (run.start)');
    }
    const results = this.checkers.map(
      (checker, i): InvariantCheck => ({
        invariant: this.invariants[i]!.name,
        rule: this.invariants[i]!.rule,
        ...checker.result(),
      }),
    );
    return { header: this.header, records: this.index, results };
  }
}

/** Checks a whole trace, header first; each violation comes with the records around it. */
export function checkRecords(
  records: readonly ModelTraceRecord[],
  invariants: readonly Invariant[],
): TraceCheck {
  const checker = new TraceChecker(invariants);
  for (const record of records) checker.write(record);
  const check = checker.finish();
  const results = check.results.map((r): InvariantCheck => {
    if (r.violation === undefined) return r;
    const from = Math.max(0, r.violation.index - before);
    const to = Math.min(records.length, r.violation.index + after + 1);
    const context = records.slice(from, to).map((record, k) => ({ index: from + k, record }));
    return { ...r, context };
  });
  return { ...check, results };
}
