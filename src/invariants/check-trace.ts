/**
 * Checks one trace against invariants: every checker reads every record once, in order
 * (or, for an invariant that names the record types it reads, every record of those).
 *
 * Two ways in. A trace sink (TraceChecker) that the simulator writes to as a run goes:
 * it keeps no records, so a run of any length is checked in little memory; that is how
 * `dispatchlab check` judges many generated runs. And a whole trace in memory
 * (checkRecords), read from a file or replayed: then each violation comes with the
 * records around it, so that a reader sees what happened just before and after it. A run
 * that failed online is replayed (the simulator is deterministic) to get those.
 */
import type { ModelTraceRecord, ModelTraceType, TraceHeader } from '../model/trace-records.js';
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

/**
 * Which checkers a record goes to, by its type: positions in the list of invariants, in
 * its order. A run writes hundreds of records, most of which (busy, context, turn...)
 * concern few invariants; handing each only to those that read it is most of what checking
 * online costs.
 */
interface Routes {
  /** The invariants routed from, and what each said it reads, to tell whether they changed. */
  readonly invariants: readonly Invariant[];
  readonly reads: readonly (readonly ModelTraceType[] | undefined)[];
  readonly byType: ReadonlyMap<unknown, readonly number[]>;
  /** The invariants that read every record: all a record of a type none names goes to. */
  readonly rest: readonly number[];
}

/** Per list of invariants: a check of many runs builds its routes once, not per run. */
const routesOf = new WeakMap<readonly Invariant[], Routes>();

function routesFor(invariants: readonly Invariant[]): Routes {
  const cached = routesOf.get(invariants);
  if (cached !== undefined && sameRoutes(cached, invariants)) return cached;
  const reads = invariants.map((i) => i.reads);
  const rest: number[] = [];
  const types = new Set<ModelTraceType>();
  reads.forEach((r, k) => {
    if (r === undefined) rest.push(k);
    else for (const type of r) types.add(type);
  });
  const byType = new Map<unknown, readonly number[]>();
  for (const type of types) {
    const readers: number[] = [];
    reads.forEach((r, k) => {
      if (r === undefined || r.includes(type)) readers.push(k);
    });
    byType.set(type, readers);
  }
  const routes: Routes = { invariants: [...invariants], reads, byType, rest };
  routesOf.set(invariants, routes);
  return routes;
}

/** Whether `routes` was built from these very invariants, reading what they read now. */
function sameRoutes(routes: Routes, invariants: readonly Invariant[]): boolean {
  if (routes.invariants.length !== invariants.length) return false;
  for (let k = 0; k < invariants.length; k++) {
    const i = invariants[k]!;
    if (routes.invariants[k] !== i || routes.reads[k] !== i.reads) return false;
  }
  return true;
}

/** A trace sink that checks as it goes: `write` each record, header first, then `finish`. */
export class TraceChecker {
  readonly enabled = true;
  private header: TraceHeader | undefined;
  private checkers: readonly Checker[] = [];
  private routes: Routes | undefined;
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
      this.routes = routesFor(this.invariants);
      return;
    }
    const routes = this.routes!;
    const readers = routes.byType.get(record.type) ?? routes.rest;
    const checkers = this.checkers;
    for (let k = 0; k < readers.length; k++) checkers[readers[k]!]!.observe(record, index);
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
