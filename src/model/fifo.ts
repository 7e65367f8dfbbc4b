/**
 * A first-in first-out queue that does not copy on every take: items are read from a head
 * index, and the array is compacted only once the taken part is the larger one. The
 * model keeps several (its inbox, its result buffer, the ready tasks, the WIP queue) and
 * takes from them once per event.
 *
 * The array is storage with a capacity: emptying the queue keeps it, because the model's
 * queues empty and refill all the time (an inbox holds one notice, then none), and an
 * array cut to length 0 gives its storage back, to be allocated again at the next push.
 *
 * Each item has a stable *position* (its place in the whole history of the queue), which
 * lets a holder recognise its latest entry among older, stale ones.
 */
export class Fifo<T> {
  private readonly items: (T | undefined)[] = [];
  /** items[head..tail) are the queue; every other slot is undefined (nothing kept alive). */
  private head = 0;
  private tail = 0;
  /** Position of items[0]. */
  private base = 0;

  get length(): number {
    return this.tail - this.head;
  }

  /** Appends `item` and returns its position. */
  push(item: T): number {
    if (this.tail === this.items.length) this.items.push(item);
    else this.items[this.tail] = item;
    return this.base + this.tail++;
  }

  /** Takes the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.head === this.tail) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.tail) {
      this.base += this.tail;
      this.head = 0;
      this.tail = 0;
    } else if (this.head > 1024 && this.head * 2 > this.tail) {
      const kept = this.tail - this.head;
      this.items.copyWithin(0, this.head, this.tail);
      this.items.fill(undefined, kept, this.tail);
      this.base += this.head;
      this.head = 0;
      this.tail = kept;
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
    const out = this.items.slice(this.head, this.tail) as T[];
    this.items.fill(undefined, this.head, this.tail);
    this.base += this.tail;
    this.head = 0;
    this.tail = 0;
    return out;
  }
}
