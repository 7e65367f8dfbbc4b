/**
 * A first-in first-out queue that does not copy on every take: items are read from a head
 * index, and the array is compacted only once the taken part is the larger one. The
 * model keeps several (its inbox, its result buffer, the ready tasks, the WIP queue) and
 * takes from them once per event.
 *
 * Each item has a stable *position* (its place in the whole history of the queue), which
 * lets a holder recognise its latest entry among older, stale ones.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  /** Position of items[0]. */
  private base = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends `item` and returns its position. */
  push(item: T): number {
    this.items.push(item);
    return this.base + this.items.length - 1;
  }

  /** Takes the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.base += this.items.length;
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.base += this.head;
      this.head = 0;
    }
    return item;
  }

  /** The i-th oldest item (0 is the next to be taken). */
  at(i: number): T {
    return this.items[this.head + i] as T;
  }

  /** The position of the i-th oldest item. */
  positionAt(i: number): number {
    return this.base + this.head + i;
  }

  /** Takes every item, oldest first. */
  takeAll(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.base += this.items.length;
    this.items = [];
    this.head = 0;
    return out;
  }
}
