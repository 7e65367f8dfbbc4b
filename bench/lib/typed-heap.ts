/**
 * A bare binary min-heap of (time, id) pairs in two typed arrays: no objects, no sequence
 * numbers (ties come out in heap order), no growth checks beyond a fixed capacity. It is
 * the floor a kernel's event queue cannot beat, used as the "practical speed limit".
 * Push and pop both move a hole rather than swapping, as a tuned queue would.
 */
export class TypedHeap {
  readonly times: Float64Array;
  readonly ids: Int32Array;
  size = 0;
  /** Time of the entry last returned by `pop`. */
  poppedTime = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  push(time: number, id: number): void {
    if (this.size === this.capacity) throw new Error(`TypedHeap full (capacity ${this.capacity})`);
    const times = this.times;
    const ids = this.ids;
    let hole = this.size++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const pt = times[parent]!;
      if (pt <= time) break;
      times[hole] = pt;
      ids[hole] = ids[parent]!;
      hole = parent;
    }
    times[hole] = time;
    ids[hole] = id;
  }

  /** Removes the earliest entry and returns its id (its time is left in `poppedTime`); -1 if empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const times = this.times;
    const ids = this.ids;
    const top = ids[0]!;
    this.poppedTime = times[0]!;
    const n = --this.size;
    if (n === 0) return top;
    const time = times[n]!;
    const id = ids[n]!;
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= n) break;
      let ct = times[child]!;
      const right = child + 1;
      if (right < n) {
        const rt = times[right]!;
        if (rt < ct) {
          child = right;
          ct = rt;
        }
      }
      if (time <= ct) break;
      times[hole] = ct;
      ids[hole] = ids[child]!;
      hole = child;
    }
    times[hole] = time;
    ids[hole] = id;
    return top;
  }
}
