/**
 * The kernel's future-event list: a binary min-heap ordered by (time, sequence number).
 *
 * Why this shape:
 * - Ties in time are broken by a sequence number taken at scheduling, so entries at the
 *   same instant come out first-in first-out, always (never by heap accident).
 * - The heap itself is two typed arrays, times and slot numbers. Sifting is most of the
 *   kernel's time, and each level then moves one double and one int32. An entry's target
 *   and sequence number stay put in per-slot side tables (free slots are chained through
 *   the sequence table), and sequence numbers are read only when two times are equal. No
 *   object per entry: 24 bytes per entry in all; the arrays only grow (doubling), so a
 *   steady state allocates nothing.
 * - Pop and push are fused. `popLive` hands out the root but leaves it in place, marked
 *   taken: the usual firing schedules something (a process's next hold), and that first
 *   push overwrites the root and sifts down once, instead of a pop's sift-down plus a
 *   push's sift-up. A taken root nobody replaced is removed at the next pop, or as soon as
 *   anything looks at the heap (`peekTime`, `pruneTop`, `liveEntries`, compaction), so
 *   a `peek()` in the middle of a firing sees the right state.
 * - Cancellation is lazy and O(1): `push` returns the entry's slot, and `cancel(slot)`
 *   clears the slot's target; cleared entries are dropped when they reach the top. When
 *   they outnumber live ones the heap is rebuilt in O(n), so a run that cancels most of
 *   what it schedules (timeouts that rarely fire) cannot bloat the queue. Cancelling by
 *   slot (not by a flag on the target) lets a target be queued again at once, while its
 *   withdrawn entry still sits in the heap: a process is its own queue entry.
 */

/** Anything the queue can hold: any object (entries are told apart by slot, not by target). */
export type QueueTarget = object;

/** Typed-array bytes per slot: a time (8), a heap slot number (4), a sequence number (4). */
const BYTES_PER_SLOT = 16;

/** Cancelled entries held before a rebuild is considered (it runs once they are the majority). */
const COMPACT_MIN_STALE = 1024;

export class EventQueue<T extends QueueTarget> {
  /** Heap order, by position: the time of each entry, and its slot. */
  private times: Float64Array;
  private heapSlots: Int32Array;
  /** By slot: the target; undefined when the slot is free or its entry was cancelled. */
  private targets: (T | undefined)[];
  /** By slot: the sequence number; for a free slot, the next free slot (-1 ends the list). */
  private seqs: Int32Array;
  private freeHead = -1;
  /** Slots below this have been handed out at least once. */
  private highWater = 0;
  /** Entries in the heap, a taken root included. */
  private count = 0;
  /**
   * True while the root is the entry `popLive` returned last: logically gone (it is being
   * fired) but still physically at the top, so that the first push can overwrite it.
   */
  private rootTaken = false;
  private nextSeq = 0;
  /**
   * Sequence numbers are int32 (4 bytes per entry less than doubles); when the next one
   * would reach this limit, the entries held are renumbered 0..n-1 in the same order.
   */
  private seqLimit = 0x7fffffff;
  /** Cancelled entries still in the heap. */
  private staleCount = 0;
  /** Time of the entry last returned by `popLive`. */
  poppedTime = 0;

  /**
   * The default capacity is small: a simulation is cheap to create (models create many
   * short ones), and growing by doubling costs little.
   */
  constructor(initialCapacity = 64) {
    const capacity = Math.max(16, initialCapacity);
    // The three typed arrays are views of one buffer: one allocation, not three.
    const buffer = new ArrayBuffer(BYTES_PER_SLOT * capacity);
    this.times = new Float64Array(buffer, 0, capacity);
    this.heapSlots = new Int32Array(buffer, 8 * capacity, capacity);
    this.seqs = new Int32Array(buffer, 12 * capacity, capacity);
    this.targets = new Array<T | undefined>(capacity);
  }

  /** Number of entries held, cancelled ones included. */
  get size(): number {
    return this.rootTaken ? this.count - 1 : this.count;
  }

  /** Entries that will still fire. */
  get liveSize(): number {
    return this.size - this.staleCount;
  }

  /** Time of the earliest entry (cancelled or not), or Infinity when empty. */
  peekTime(): number {
    if (this.rootTaken) this.settle();
    return this.count > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  /** Schedules `target` at `time`; returns the entry's slot, the handle for `cancel`. */
  push(time: number, target: T): number {
    if (this.nextSeq === this.seqLimit) this.renumber();
    const seq = this.nextSeq++;
    if (this.rootTaken) {
      // The fused path: the new entry takes the fired root's slot and place.
      this.rootTaken = false;
      const slot = this.heapSlots[0]!;
      // Usually the same target again (a process's next hold): skip the store.
      if (this.targets[slot] !== target) this.targets[slot] = target;
      this.seqs[slot] = seq;
      // The new entry has the largest sequence number, so the seq comparison in placeFrom
      // only ever runs on equal times, and never moves it above an equal.
      this.placeFrom(0, time, slot, seq);
      return slot;
    }
    if (this.count === this.times.length) this.grow();
    let slot = this.freeHead;
    if (slot >= 0) this.freeHead = this.seqs[slot]!;
    else slot = this.highWater++;
    this.targets[slot] = target;
    this.seqs[slot] = seq;
    const times = this.times;
    const heapSlots = this.heapSlots;
    // Sift the hole up from the end, then write the new entry once. The new entry has the
    // largest sequence number yet, so on equal times it stays below: no seq lookup here.
    let hole = this.count++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const pt = times[parent]!;
      if (pt <= time) break;
      times[hole] = pt;
      heapSlots[hole] = heapSlots[parent]!;
      hole = parent;
    }
    times[hole] = time;
    heapSlots[hole] = slot;
    return slot;
  }

  /**
   * Takes the earliest live entry and returns its target (its time is left in
   * `poppedTime`), dropping cancelled entries on the way. Undefined when nothing live is
   * left. The entry counts as removed from here on (see `rootTaken`).
   */
  popLive(): T | undefined {
    if (this.rootTaken) this.settle();
    while (this.count > 0) {
      const target = this.targets[this.heapSlots[0]!];
      if (target !== undefined) {
        this.poppedTime = this.times[0]!;
        this.rootTaken = true;
        return target;
      }
      this.staleCount--;
      this.removeRoot();
    }
    return undefined;
  }

  /**
   * Puts back the entry `popLive` just returned, as if it had not been taken (the caller
   * will not fire it now, e.g. it lies past a run's `until`). Only right after `popLive`.
   */
  unpop(): void {
    this.rootTaken = false;
  }

  /**
   * Withdraws the entry in `slot` if it still holds `target`; O(1), the entry is dropped
   * later. False if it already fired, was cancelled, or is the entry being fired. (The
   * target check makes a late cancel harmless once the slot serves another entry.)
   */
  cancel(slot: number, target: T): boolean {
    if (this.targets[slot] !== target) return false;
    if (this.rootTaken && this.heapSlots[0] === slot) return false;
    this.targets[slot] = undefined;
    this.staleCount++;
    if (this.staleCount > COMPACT_MIN_STALE && this.staleCount * 2 > this.size) this.compact();
    return true;
  }

  /** Drops cancelled entries from the top, so that `peekTime` is the time of a live entry. */
  pruneTop(): void {
    if (this.rootTaken) this.settle();
    while (this.count > 0 && this.targets[this.heapSlots[0]!] === undefined) {
      this.staleCount--;
      this.removeRoot();
    }
  }

  /** Live entries as (time, target) pairs in firing order; for reports, not hot paths. */
  liveEntries(): { time: number; target: T }[] {
    if (this.rootTaken) this.settle();
    const out: { time: number; seq: number; target: T }[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = this.heapSlots[i]!;
      const target = this.targets[slot];
      if (target !== undefined) out.push({ time: this.times[i]!, seq: this.seqs[slot]!, target });
    }
    out.sort((a, b) => a.time - b.time || a.seq - b.seq);
    return out.map(({ time, target }) => ({ time, target }));
  }

  /** The time of the live entry in `slot` if it holds `target`, else NaN; O(n), for reports. */
  timeOf(slot: number, target: T): number {
    if (this.targets[slot] !== target) return Number.NaN;
    const start = this.rootTaken ? 1 : 0;
    for (let i = start; i < this.count; i++) {
      if (this.heapSlots[i] === slot) return this.times[i]!;
    }
    return Number.NaN;
  }

  /** Removes a taken root that no push replaced. */
  private settle(): void {
    this.rootTaken = false;
    this.removeRoot();
  }

  /** Removes the root, freeing its slot, and moves the last entry into its place. */
  private removeRoot(): void {
    this.freeSlot(this.heapSlots[0]!);
    const last = --this.count;
    if (last === 0) return;
    const lastSlot = this.heapSlots[last]!;
    this.placeFrom(0, this.times[last]!, lastSlot, this.seqs[lastSlot]!);
  }

  private freeSlot(slot: number): void {
    this.targets[slot] = undefined;
    this.seqs[slot] = this.freeHead;
    this.freeHead = slot;
  }

  /** Sifts a hole at `start` down until the entry (time, seq) fits, then writes it there. */
  private placeFrom(start: number, time: number, slot: number, seq: number): void {
    const times = this.times;
    const heapSlots = this.heapSlots;
    const seqs = this.seqs;
    const n = this.count;
    let hole = start;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= n) break;
      let ct = times[child]!;
      const right = child + 1;
      if (right < n) {
        const rt = times[right]!;
        if (rt < ct || (rt === ct && seqs[heapSlots[right]!]! < seqs[heapSlots[child]!]!)) {
          child = right;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && seq < seqs[heapSlots[child]!]!)) break;
      times[hole] = ct;
      heapSlots[hole] = heapSlots[child]!;
      hole = child;
    }
    times[hole] = time;
    heapSlots[hole] = slot;
  }

  /** Drops every cancelled entry and restores the heap property bottom-up (Floyd). */
  private compact(): void {
    if (this.rootTaken) this.settle();
    const times = this.times;
    const heapSlots = this.heapSlots;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const slot = heapSlots[i]!;
      if (this.targets[slot] === undefined) {
        this.freeSlot(slot);
        continue;
      }
      times[kept] = times[i]!;
      heapSlots[kept] = slot;
      kept++;
    }
    this.count = kept;
    this.staleCount = 0;
    for (let i = (kept >> 1) - 1; i >= 0; i--) {
      const slot = heapSlots[i]!;
      this.placeFrom(i, times[i]!, slot, this.seqs[slot]!);
    }
  }

  /**
   * Gives the entries held (cancelled ones and a taken root included) the sequence numbers
   * 0..n-1 in their current order: only the order among equal times matters, so the heap
   * stays valid. O(n log n), once per 2^31 pushes.
   */
  private renumber(): void {
    const seqs = this.seqs;
    const slots = Array.from(this.heapSlots.subarray(0, this.count));
    slots.sort((a, b) => seqs[a]! - seqs[b]!);
    for (let i = 0; i < slots.length; i++) seqs[slots[i]!] = i;
    this.nextSeq = slots.length;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const buffer = new ArrayBuffer(BYTES_PER_SLOT * capacity);
    const times = new Float64Array(buffer, 0, capacity);
    times.set(this.times);
    this.times = times;
    const heapSlots = new Int32Array(buffer, 8 * capacity, capacity);
    heapSlots.set(this.heapSlots);
    this.heapSlots = heapSlots;
    const seqs = new Int32Array(buffer, 12 * capacity, capacity);
    seqs.set(this.seqs);
    this.seqs = seqs;
    this.targets.length = capacity;
  }
}
