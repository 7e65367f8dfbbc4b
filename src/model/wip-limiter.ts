/**
 * The WIP limit: at most `limit` subagents in flight. It is the runtime's mechanism, not
 * the orchestrator's memory: a request beyond the limit queues (FIFO) and starts the
 * instant a slot frees, without orchestrator time, and a slot is held until its subagent
 * ends or is cancelled — even if the orchestrator has forgotten the subagent.
 */
export class WipLimiter<T> {
  private inFlight = 0;
  private readonly waiting: T[] = [];
  private head = 0;

  constructor(
    readonly limit: number,
    private readonly start: (item: T) => void,
  ) {}

  get active(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** Starts `item` now if a slot is free, else queues it. */
  request(item: T): void {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      this.start(item);
    } else {
      this.waiting.push(item);
    }
  }

  /** Withdraws a queued item (it never starts). Returns false if it was not queued. */
  withdraw(item: T): boolean {
    const i = this.waiting.indexOf(item, this.head);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    return true;
  }

  /** A slot frees: the oldest queued request starts at once. */
  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      this.waiting[this.head] = undefined as T;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      this.start(next);
    } else {
      this.inFlight--;
    }
  }
}
