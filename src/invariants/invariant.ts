/**
 * A safety invariant, checked on a trace (docs/trace-format.md) and on nothing else: the
 * same checker judges a simulated run, a run of real code under the harness, and a trace
 * recorded from any orchestrator in any language.
 *
 * A checker reads the records one at a time, in order, so that it works online (fed by
 * the simulator as the run goes: a trace sink) and offline (fed from a JSONL file) alike.
 * It keeps only the first violation; the runner (check-trace.ts) adds the records around
 * it. Besides pass and fail it can say *vacuous*: the situation it guards never arose in
 * this trace (no WIP limit, no failure, no cancel...), so a pass would claim nothing.
 */
import type { ModelTraceRecord, ModelTraceType, TraceHeader } from '../model/trace-records.js';

/** What a check found: held (and was put to the test), broken, or never put to the test. */
export type CheckStatus = 'pass' | 'fail' | 'vacuous';

/** The first record that broke an invariant, in words. */
export interface Violation {
  /** Its position in the trace, the header being 0. */
  readonly index: number;
  /** Its time, seconds since the run began. */
  readonly t: number;
  /**
   * What went wrong, as a sentence naming the agents, tasks and times involved, e.g.
   * "agent 7 (task 3) ended at 41.2 s and its result was never consumed nor cancelled".
   */
  readonly message: string;
  /** The agent it is about, when one. */
  readonly agent?: number;
  /** The task it is about, when one. */
  readonly task?: number;
}

export interface CheckResult {
  readonly status: CheckStatus;
  /**
   * How many times the guarded situation arose (subagents started under a WIP limit,
   * failures, cancels, busy intervals...): the coverage behind a pass. 0 for vacuous.
   */
  readonly occasions: number;
  /** What `occasions` counts, for a reader: "subagents started under a WIP limit". */
  readonly occasionsOf: string;
  /** The first violation; only with status `fail`. */
  readonly violation?: Violation;
}

/** One invariant's checker for one trace: fed every record after the header, in order. */
export interface Checker {
  /** Reads the next record (`index` its position, the header being 0). */
  observe(record: ModelTraceRecord, index: number): void;
  /** After the last record (normally `run.end`; a trace may be cut short). */
  result(): CheckResult;
}

export interface Invariant {
  /** A short name in camelCase, for output, `--json` and a scenario's `expect:` list. */
  readonly name: string;
  /** The rule in one sentence, as docs/model.md states it. */
  readonly rule: string;
  /**
   * The record types its checker reads, when it ignores all others: the runner
   * (TraceChecker) then hands it only records of these types, with their positions in the
   * whole trace as ever, so that a run's many records that concern it not (busy, context,
   * turn...) cost it nothing. Without it, every record. Its checker must still ignore the
   * other types when given them: one may be fed every record directly.
   */
  readonly reads?: readonly ModelTraceType[];
  /**
   * With `reads`: a type after whose first record the checker reads every record, of any
   * type (what may follow a `run.end`, say). The record of that type is read too, named in
   * `reads` or not.
   */
  readonly readsAllAfter?: ModelTraceType;
  /**
   * With `reads`: the checker reads the trace's last record too, of any type (where a
   * trace cut short stops, say). The runner hands it over, at its position as ever, once
   * the trace is over and before asking for the result, unless it was read already.
   */
  readonly readsLast?: boolean;
  /** A checker for one trace, from its header. */
  create(header: TraceHeader): Checker;
}

/**
 * A checker's result from what it counted and found: failed with a violation, else passed
 * if the situation arose at all, else vacuous.
 */
export function checkResult(
  occasions: number,
  occasionsOf: string,
  violation: Violation | undefined,
): CheckResult {
  if (violation !== undefined) return { status: 'fail', occasions, occasionsOf, violation };
  return { status: occasions > 0 ? 'pass' : 'vacuous', occasions, occasionsOf };
}
