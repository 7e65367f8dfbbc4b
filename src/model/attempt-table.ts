/**
 * The numbers of the attempts that have started, their dice and their timeline, kept in
 * one array of unboxed doubles, a row per attempt, indexed by a slot that an attempt holds
 * from its start until the orchestrator is done with it (its result processed, or its
 * failure handled). Slots are then reused, so the table's size follows the attempts in
 * progress (in flight, or ended and waiting in the result buffer), not all that ever ran.
 * (Attempts never settled keep theirs to the end of the run: ghosts, whose numbers the
 * books need then, and results a strategy left unprocessed.) The storage keeps its peak
 * size for the run.
 *
 * Why not fields on the attempt: a number stored in an object field costs a heap box of
 * its own, and a run that buffers 10^4 results held ten boxes each, every one copied by
 * each young-generation GC it survived. Why one array and not a column per field: a typed
 * array over 64 bytes costs a separate allocation outside the heap (~1.5 µs), and a
 * 50-task run is over in ~150 µs.
 */
import type { AttemptDraws, Fate } from './attempt-draws.js';

/** The fields of a row (the fate is read through `fate`). */
const FATE = 0;
export const WORK = 1; // seconds of work needed: the latency draw less any resumed progress
export const PROGRESS = 2;
export const PERMISSION_POINT = 3;
export const CORRECTNESS = 4;
export const VALIDATION = 5;
export const STARTED_AT = 6;
export const ENDS_AT = 7;
export const ENDED_AT = 8;
export const PAUSED = 9;
const ROW = 10;
export type AttemptField =
  | typeof WORK
  | typeof PROGRESS
  | typeof PERMISSION_POINT
  | typeof CORRECTNESS
  | typeof VALIDATION
  | typeof STARTED_AT
  | typeof ENDS_AT
  | typeof ENDED_AT
  | typeof PAUSED;

const FATES: readonly Fate[] = ['ok', 'error', 'hang', 'needs-permission'];
const FATE_CODES: Readonly<Record<Fate, number>> = {
  ok: 0,
  error: 1,
  hang: 2,
  'needs-permission': 3,
};

const INITIAL_ROWS = 16;

export class AttemptTable {
  private values = new Float64Array(INITIAL_ROWS * ROW);
  /** Slots never handed out start here; released ones are stacked in `freeSlots`. */
  private used = 0;
  private readonly freeSlots: number[] = [];

  /** Slots held now (for checks and tests). */
  get size(): number {
    return this.used - this.freeSlots.length;
  }

  /** A slot for an attempt starting at `now`, filled from its dice. */
  allocate(now: number, draws: AttemptDraws, resumedProgress: number): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.fresh();
    const v = this.values;
    const row = slot * ROW;
    v[row + FATE] = FATE_CODES[draws.fate];
    v[row + WORK] = draws.latency * (1 - resumedProgress);
    v[row + PROGRESS] = draws.progress;
    v[row + PERMISSION_POINT] = draws.permissionPoint;
    v[row + CORRECTNESS] = draws.correctness;
    v[row + VALIDATION] = draws.validation;
    v[row + STARTED_AT] = now;
    v[row + ENDS_AT] = Number.NaN;
    v[row + ENDED_AT] = Number.NaN;
    v[row + PAUSED] = 0;
    return slot;
  }

  fate(slot: number): Fate {
    return FATES[this.values[slot * ROW + FATE]!]!;
  }

  read(slot: number, field: AttemptField): number {
    return this.values[slot * ROW + field]!;
  }

  write(slot: number, field: AttemptField, value: number): void {
    this.values[slot * ROW + field] = value;
  }

  release(slot: number): void {
    this.freeSlots.push(slot);
  }

  private fresh(): number {
    if ((this.used + 1) * ROW > this.values.length) {
      const wider = new Float64Array(this.values.length * 2);
      wider.set(this.values);
      this.values = wider;
    }
    return this.used++;
  }
}
