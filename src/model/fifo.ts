/**
 * A first-in first-out queue as a ring buffer: taking an item moves nothing, and the
 * storage doubles when full, so a queue that empties and refills all the time (an inbox
 * holds one notice, then none) allocates nothing once it has grown. The model keeps
 * several (its inbox, its result buffer, the ready tasks, the WIP queue) and takes from
 * them once per event.
 *
 * Each item has a stable *position* (its place in the whole history of the queue), which
 * lets a holder recognise its latest entry among older, stale ones.
 */
export class Fifo<T> {
  /** Capacity is a power of two; slots outside the queue are undefined (nothing kept alive). */
  private items: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  private mask = 15;
  /** Index of the oldest item. */
  private head = 0;
  private count = 0;
  /** Items ever taken: the position of the oldest item. */
  private taken = 0;

  get length(): number {
    return this.count;
  }

  /** Appends `item` and returns its position. */
  push(item: T): number {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & this.mask] = item;
    return this.taken + this.count++;
  }

  /** Takes the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    this.taken++;
    return item;
  }

  /** The i-th oldest item (0 is the next to be taken). */
  at(i: number): T {
    return this.items[(this.head + i) & this.mask] as T;
  }

  /** The position of the i-th oldest item. */
  positionAt(i: number): number {
    return this.taken + i;
  }

  /** Takes every item, oldest first. */
  takeAll(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < out.length; i++) out[i] = this.shift() as T;
    return out;
  }

  /** Doubles the storage, the queue moved to its start in order. */
  private grow(): void {
    const old = this.items;
    const items = new Array<T | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.count; i++) items[i] = old[(this.head + i) & this.mask];
    this.items = items;
    this.mask = items.length - 1;
    this.head = 0;
  }
}
