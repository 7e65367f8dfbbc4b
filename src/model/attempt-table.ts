/**
 * The numbers of the attempts that have started, their dice and their timeline, kept as
 * columns: one typed array per field, indexed by a slot that an attempt holds from its
 * start until the orchestrator is done with it (its result processed, or its failure
 * handled). Slots are then reused, so the table's size follows the attempts in progress
 * (in flight, or ended and waiting in the result buffer), not all that ever ran.
 *
 * Why not fields on the attempt: a number stored in an object field costs a heap box of
 * its own, and a run that buffers 10^4 results held ten boxes each, every one copied by
 * each young-generation GC it survived. Typed arrays hold them unboxed, out of the GC's way.
 */
import type { AttemptDraws, Fate } from './attempt-draws.js';

const FATES: readonly Fate[] = ['ok', 'error', 'hang', 'needs-permission'];
const FATE_CODES: Readonly<Record<Fate, number>> = {
  ok: 0,
  error: 1,
  hang: 2,
  'needs-permission': 3,
};

const INITIAL_CAPACITY = 64;

export class AttemptTable {
  private capacity = INITIAL_CAPACITY;
  private fates = new Uint8Array(INITIAL_CAPACITY);
  /** Seconds of work the attempt needs: its latency draw less any resumed progress. */
  work = new Float64Array(INITIAL_CAPACITY);
  progress = new Float64Array(INITIAL_CAPACITY);
  permissionPoint = new Float64Array(INITIAL_CAPACITY);
  correctness = new Float64Array(INITIAL_CAPACITY);
  validation = new Float64Array(INITIAL_CAPACITY);
  startedAt = new Float64Array(INITIAL_CAPACITY);
  endsAt = new Float64Array(INITIAL_CAPACITY);
  endedAt = new Float64Array(INITIAL_CAPACITY);
  paused = new Float64Array(INITIAL_CAPACITY);
  /** Slots never handed out start here; released ones are stacked in `freeSlots`. */
  private used = 0;
  private readonly freeSlots: number[] = [];

  /** Slots held now. */
  get size(): number {
    return this.used - this.freeSlots.length;
  }

  /** A slot for an attempt starting at `now`, filled from its dice. */
  allocate(now: number, draws: AttemptDraws, resumedProgress: number): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.fresh();
    this.fates[slot] = FATE_CODES[draws.fate];
    this.work[slot] = draws.latency * (1 - resumedProgress);
    this.progress[slot] = draws.progress;
    this.permissionPoint[slot] = draws.permissionPoint;
    this.correctness[slot] = draws.correctness;
    this.validation[slot] = draws.validation;
    this.startedAt[slot] = now;
    this.endsAt[slot] = Number.NaN;
    this.endedAt[slot] = Number.NaN;
    this.paused[slot] = 0;
    return slot;
  }

  fate(slot: number): Fate {
    return FATES[this.fates[slot]!]!;
  }

  release(slot: number): void {
    this.freeSlots.push(slot);
  }

  private fresh(): number {
    if (this.used === this.capacity) this.grow();
    return this.used++;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const wider = (old: Float64Array) => {
      const a = new Float64Array(capacity);
      a.set(old);
      return a;
    };
    const fates = new Uint8Array(capacity);
    fates.set(this.fates);
    this.fates = fates;
    this.work = wider(this.work);
    this.progress = wider(this.progress);
    this.permissionPoint = wider(this.permissionPoint);
    this.correctness = wider(this.correctness);
    this.validation = wider(this.validation);
    this.startedAt = wider(this.startedAt);
    this.endsAt = wider(this.endsAt);
    this.endedAt = wider(this.endedAt);
    this.paused = wider(this.paused);
    this.capacity = capacity;
  }
}
