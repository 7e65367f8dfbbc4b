/**
 * Checks one trace against invariants: every checker reads every record once, in order
 * (or, for an invariant that names the record types it reads, every record of those, and
 * what else it asks for: every record after the first of a type, the last record).
 *
 * Two ways in. A trace sink (TraceChecker) that the simulator writes to as a run goes:
 * it keeps no records but the last, so a run of any length is checked in little memory; that is how
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
 * Which checkers a record goes to, by its type: a bit per invariant, at its position in
 * the list. A run writes hundreds of records, most of which (busy, context, turn...)
 * concern few invariants; handing each only to those that read it is most of what checking
 * online costs.
 */
interface Routes {
  /** Per type some invariant names, the bits of those that read it; with `after`, the sign bit. */
  readonly byType: ReadonlyMap<string, number>;
  /** The invariants that read every record: all a record of a type none names goes to. */
  readonly rest: number;
  /** Those that read the last record whatever its type (Invariant.readsLast). */
  readonly last: number;
  /**
   * The routes from the record after one of a type whose bits have the sign bit on: some
   * invariant reads every record from then on (Invariant.readsAllAfter). Made when needed.
   */
  readonly after: Map<string, Routes>;
  /** What each invariant reads by now, undefined for every record; from what it says. */
  readonly reads: readonly (readonly ModelTraceType[] | undefined)[];
  readonly allAfter: readonly (ModelTraceType | undefined)[];
}

/** Invariants a mask holds: bits 0 to 30, the sign bit marking a change of routes. */
const mostRouted = 31;
const afterBit = 1 << 31;

/** The routes of a list of invariants as first given, and what each said it reads. */
interface Given {
  readonly invariants: readonly Invariant[];
  readonly reads: readonly (readonly ModelTraceType[] | undefined)[];
  readonly allAfter: readonly (ModelTraceType | undefined)[];
  readonly last: readonly (boolean | undefined)[];
  readonly routes: Routes;
}

/** Per list of invariants: a check of many runs builds its routes once, not per run. */
const routesOf = new WeakMap<readonly Invariant[], Given>();

function routesFor(invariants: readonly Invariant[]): Routes {
  const cached = routesOf.get(invariants);
  if (cached !== undefined && sameRoutes(cached, invariants)) return cached.routes;
  const reads = invariants.map((i) => i.reads);
  const allAfter = invariants.map((i) => i.readsAllAfter);
  const last = invariants.map((i) => i.readsLast);
  let lastBits = 0;
  last.forEach((l, k) => {
    if (l === true && reads[k] !== undefined) lastBits |= 1 << k;
  });
  const routes = makeRoutes(reads, allAfter, lastBits);
  routesOf.set(invariants, { invariants: [...invariants], reads, allAfter, last, routes });
  return routes;
}

function makeRoutes(
  reads: readonly (readonly ModelTraceType[] | undefined)[],
  allAfter: readonly (ModelTraceType | undefined)[],
  last: number,
): Routes {
  // What each reads, the type after which it reads everything included.
  const named = reads.map((r, k) => {
    const a = allAfter[k];
    return r === undefined || a === undefined || r.includes(a) ? r : [...r, a];
  });
  let rest = 0;
  const types = new Set<ModelTraceType>();
  named.forEach((r, k) => {
    if (r === undefined) rest |= 1 << k;
    else for (const type of r) types.add(type);
  });
  const byType = new Map<string, number>();
  for (const type of types) {
    let readers = 0;
    named.forEach((r, k) => {
      if (r === undefined || r.includes(type)) readers |= 1 << k;
      if (r !== undefined && allAfter[k] === type) readers |= afterBit;
    });
    byType.set(type, readers);
  }
  return { byType, rest, last, after: new Map(), reads, allAfter };
}

/** The routes once a record of `type` was read: those that read everything after it do. */
function routesAfter(routes: Routes, type: string): Routes {
  let next = routes.after.get(type);
  if (next === undefined) {
    const changes = (k: number) => routes.reads[k] !== undefined && routes.allAfter[k] === type;
    const reads = routes.reads.map((r, k) => (changes(k) ? undefined : r));
    const allAfter = routes.allAfter.map((a, k) => (changes(k) ? undefined : a));
    let last = routes.last;
    reads.forEach((r, k) => {
      if (r === undefined) last &= ~(1 << k);
    });
    next = makeRoutes(reads, allAfter, last);
    routes.after.set(type, next);
  }
  return next;
}

/** Whether `given` was built from these very invariants, reading what they read now. */
function sameRoutes(given: Given, invariants: readonly Invariant[]): boolean {
  if (given.invariants.length !== invariants.length) return false;
  for (let k = 0; k < invariants.length; k++) {
    const i = invariants[k]!;
    if (
      given.invariants[k] !== i ||
      given.reads[k] !== i.reads ||
      given.allAfter[k] !== i.readsAllAfter ||
      given.last[k] !== i.readsLast
    ) {
      return false;
    }
  }
  return true;
}

/** The invariants whose checkers each have a call site of their own in TraceChecker.write. */
const unrolled = 12;
/** The bits of the others. */
const beyondUnrolled = ~afterBit & ~((1 << unrolled) - 1);

/** Reads nothing: the checker of an unused call site in TraceChecker.write. */
const none: Checker = {
  observe() {},
  result: () => ({ status: 'vacuous', occasions: 0, occasionsOf: '' }),
};

/** A trace sink that checks as it goes: `write` each record, header first, then `finish`. */
export class TraceChecker {
  readonly enabled = true;
  private header: TraceHeader | undefined;
  private checkers: readonly Checker[] = [];
  private routes: Routes | undefined;
  private index = 0;
  /** The last record written, and the bits of the checkers it went to (Invariant.readsLast). */
  private last: ModelTraceRecord | undefined = undefined;
  private lastReaders = 0;
  // The first checkers, one field each: write calls each from a call site of its own,
  // which then only ever sees one kind of checker (the same invariant run after run), so
  // the engine can call it directly, even inline it; a single call site shared by all
  // nine kinds is megamorphic, a lookup per call.
  private c0: Checker = none;
  private c1: Checker = none;
  private c2: Checker = none;
  private c3: Checker = none;
  private c4: Checker = none;
  private c5: Checker = none;
  private c6: Checker = none;
  private c7: Checker = none;
  private c8: Checker = none;
  private c9: Checker = none;
  private c10: Checker = none;
  private c11: Checker = none;

  constructor(private readonly invariants: readonly Invariant[]) {}

  write(record: ModelTraceRecord): void {
    const index = this.index++;
    if (this.header === undefined) {
      this.begin(record);
      return;
    }
    const routes = this.routes;
    if (routes === undefined) {
      this.writeToAll(record, index);
      return;
    }
    const m = routes.byType.get(record.type) ?? routes.rest;
    this.last = record;
    this.lastReaders = m;
    if (m === 0) return;
    if ((m & 0x1) !== 0) this.c0.observe(record, index);
    if ((m & 0x2) !== 0) this.c1.observe(record, index);
    if ((m & 0x4) !== 0) this.c2.observe(record, index);
    if ((m & 0x8) !== 0) this.c3.observe(record, index);
    if ((m & 0x10) !== 0) this.c4.observe(record, index);
    if ((m & 0x20) !== 0) this.c5.observe(record, index);
    if ((m & 0x40) !== 0) this.c6.observe(record, index);
    if ((m & 0x80) !== 0) this.c7.observe(record, index);
    if ((m & 0x100) !== 0) this.c8.observe(record, index);
    if ((m & 0x200) !== 0) this.c9.observe(record, index);
    if ((m & 0x400) !== 0) this.c10.observe(record, index);
    if ((m & 0x800) !== 0) this.c11.observe(record, index);
    if ((m & beyondUnrolled) !== 0) this.observeBeyond(record, index, m);
    if (m < 0) this.routes = routesAfter(routes, record.type);
  }

  /** The checkers after the unrolled ones that read the record. */
  private observeBeyond(record: ModelTraceRecord, index: number, m: number): void {
    const checkers = this.checkers;
    for (let k = unrolled; k < checkers.length; k++) {
      if ((m & (1 << k)) !== 0) checkers[k]!.observe(record, index);
    }
  }

  /** The header: the checkers, and the routes to them. */
  private begin(record: ModelTraceRecord): void {
    if (record.type !== 'run.start') {
      throw new TraceOrderError(
        `the first record must be the header (run.start), but it is "${record.type}"`,
      );
    }
    this.header = record;
    const checkers = this.invariants.map((i) => i.create(record));
    this.checkers = checkers;
    if (checkers.length > mostRouted) return; // more than a mask holds: every record to every checker
    this.routes = routesFor(this.invariants);
    const at = (k: number): Checker => (k < checkers.length ? checkers[k]! : none);
    this.c0 = at(0);
    this.c1 = at(1);
    this.c2 = at(2);
    this.c3 = at(3);
    this.c4 = at(4);
    this.c5 = at(5);
    this.c6 = at(6);
    this.c7 = at(7);
    this.c8 = at(8);
    this.c9 = at(9);
    this.c10 = at(10);
    this.c11 = at(11);
  }

  private writeToAll(record: ModelTraceRecord, index: number): void {
    const checkers = this.checkers;
    for (let k = 0; k < checkers.length; k++) checkers[k]!.observe(record, index);
  }

  close(): void {}

  /** The verdict, after the last record. */
  finish(): TraceCheck {
    if (this.header === undefined) {
      throw new TraceOrderError('the trace is empty: it has no header (run.start)');
    }
    const routes = this.routes;
    const last = this.last;
    if (routes !== undefined && last !== undefined) {
      // Those that read the last record and were not handed it, now that it is known to be.
      const readers = routes.last & ~this.lastReaders;
      this.last = undefined;
      for (let k = 0; k < this.checkers.length; k++) {
        if ((readers & (1 << k)) !== 0) this.checkers[k]!.observe(last, this.index - 1);
      }
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
