/**
 * The kernel's future-event list: a binary min-heap ordered by (time, sequence number).
 *
 * Why this shape:
 * - Ties in time are broken by a sequence number taken at scheduling, so entries at the
 *   same instant come out first-in first-out, always (never by heap accident).
 * - Keys live interleaved in one typed array (`time, seq, time, seq, ...`: one cache line
 *   holds both halves of a comparison) and targets in a parallel plain array: no object
 *   per entry, and sifting moves a "hole" instead of swapping, which halves the writes.
 *   The arrays only grow (doubling), so a steady state allocates nothing.
 * - Cancellation is lazy: a target that no longer wants its entry sets `stale`, and stale
 *   entries are dropped when they reach the top, so cancel is O(1). When stale entries
 *   outnumber live ones the heap is rebuilt in O(n), so a run that cancels most of what
 *   it schedules (timeouts that rarely fire) cannot bloat the queue.
 */

/** Anything the queue can hold. */
export interface QueueTarget {
  /** Set once the target no longer wants to fire; its entry is then dropped unseen. */
  readonly stale: boolean;
}

export class EventQueue<T extends QueueTarget> {
  /** keys[2i] = time, keys[2i+1] = sequence number of entry i. */
  private keys: Float64Array;
  private targets: (T | undefined)[];
  private count = 0;
  private nextSeq = 0;
  /** Entries known to be stale but not yet dropped (maintained through `noteStale`). */
  private staleCount = 0;
  /** Time of the entry last returned by `popLive`. */
  poppedTime = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.keys = new Float64Array(2 * capacity);
    this.targets = new Array<T | undefined>(capacity);
  }

  /** Number of entries held, stale ones included. */
  get size(): number {
    return this.count;
  }

  /** Entries that will still fire. */
  get liveSize(): number {
    return this.count - this.staleCount;
  }

  /** Time of the earliest entry (stale or not), or Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.keys[0]! : Number.POSITIVE_INFINITY;
  }

  push(time: number, target: T): void {
    if (this.count === this.targets.length) this.grow();
    const seq = this.nextSeq++;
    const keys = this.keys;
    const targets = this.targets;
    // Sift the hole up from the end, then write the new entry once.
    let hole = this.count++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const pt = keys[2 * parent]!;
      if (pt < time || (pt === time && keys[2 * parent + 1]! < seq)) break;
      keys[2 * hole] = pt;
      keys[2 * hole + 1] = keys[2 * parent + 1]!;
      targets[hole] = targets[parent];
      hole = parent;
    }
    keys[2 * hole] = time;
    keys[2 * hole + 1] = seq;
    targets[hole] = target;
  }

  /**
   * Removes the earliest live entry and returns its target (its time is left in
   * `poppedTime`), dropping stale entries on the way. Undefined when nothing live is left.
   */
  popLive(): T | undefined {
    while (this.count > 0) {
      const target = this.targets[0]!;
      this.poppedTime = this.keys[0]!;
      this.removeTop();
      if (!target.stale) return target;
      if (this.staleCount > 0) this.staleCount--;
    }
    this.staleCount = 0;
    return undefined;
  }

  /** Drops stale entries from the top, so that `peekTime` is the time of a live entry. */
  pruneTop(): void {
    while (this.count > 0 && this.targets[0]!.stale) {
      this.removeTop();
      if (this.staleCount > 0) this.staleCount--;
    }
    if (this.count === 0) this.staleCount = 0;
  }

  /**
   * A target tells the queue that its entry just became stale. Only bookkeeping: when
   * stale entries dominate, the heap is compacted.
   */
  noteStale(): void {
    this.staleCount++;
    if (this.staleCount > 1024 && this.staleCount * 2 > this.count) this.compact();
  }

  /** Live entries as (time, target) pairs in firing order; for reports, not hot paths. */
  liveEntries(): { time: number; target: T }[] {
    const out: { time: number; seq: number; target: T }[] = [];
    for (let i = 0; i < this.count; i++) {
      const target = this.targets[i]!;
      if (!target.stale) out.push({ time: this.keys[2 * i]!, seq: this.keys[2 * i + 1]!, target });
    }
    out.sort((a, b) => a.time - b.time || a.seq - b.seq);
    return out.map(({ time, target }) => ({ time, target }));
  }

  private removeTop(): void {
    const last = --this.count;
    const targets = this.targets;
    if (last === 0) {
      targets[0] = undefined;
      return;
    }
    // Move the last entry into the root's hole and sift the hole down.
    const target = targets[last]!;
    targets[last] = undefined;
    this.placeFrom(0, this.keys[2 * last]!, this.keys[2 * last + 1]!, target);
  }

  /** Sifts a hole at `start` down until (time, seq) fits, then writes the entry there. */
  private placeFrom(start: number, time: number, seq: number, target: T): void {
    const keys = this.keys;
    const targets = this.targets;
    const n = this.count;
    let hole = start;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= n) break;
      let ct = keys[2 * child]!;
      const right = child + 1;
      if (right < n) {
        const rt = keys[2 * right]!;
        if (rt < ct || (rt === ct && keys[2 * right + 1]! < keys[2 * child + 1]!)) {
          child = right;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && seq < keys[2 * child + 1]!)) break;
      keys[2 * hole] = ct;
      keys[2 * hole + 1] = keys[2 * child + 1]!;
      targets[hole] = targets[child];
      hole = child;
    }
    keys[2 * hole] = time;
    keys[2 * hole + 1] = seq;
    targets[hole] = target;
  }

  /** Drops every stale entry and restores the heap property bottom-up (Floyd). */
  private compact(): void {
    const keys = this.keys;
    const targets = this.targets;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const target = targets[i]!;
      if (target.stale) continue;
      keys[2 * kept] = keys[2 * i]!;
      keys[2 * kept + 1] = keys[2 * i + 1]!;
      targets[kept] = target;
      kept++;
    }
    for (let i = kept; i < this.count; i++) targets[i] = undefined;
    this.count = kept;
    this.staleCount = 0;
    for (let i = (kept >> 1) - 1; i >= 0; i--) {
      this.placeFrom(i, keys[2 * i]!, keys[2 * i + 1]!, targets[i]!);
    }
  }

  private grow(): void {
    const capacity = this.targets.length * 2;
    const keys = new Float64Array(2 * capacity);
    keys.set(this.keys);
    this.keys = keys;
    this.targets.length = capacity;
  }
}
