/**
 * The WIP limit: at most `limit` subagents in flight. It is the runtime's mechanism, not
 * the orchestrator's memory: a request beyond the limit queues (FIFO) and starts the
 * instant a slot frees, without orchestrator time, and a slot is held until its subagent
 * ends or is cancelled — even if the orchestrator has forgotten the subagent.
 *
 * First in, first out is relied on: attempts start in the order they were requested (the
 * orchestrator reads a retry's resumed progress at its start on that ground, and its
 * registry lists started handles in start order because of it).
 */
import { Fifo } from './fifo.js';

export class WipLimiter<T> {
  private inFlight = 0;
  private readonly waiting = new Fifo<T>();

  constructor(
    readonly limit: number,
    private readonly start: (item: T) => void,
  ) {}

  /** Starts `item` now if a slot is free, else queues it. */
  request(item: T): void {
    if (this.inFlight < this.limit) {
      this.inFlight++;
      this.start(item);
    } else {
      this.waiting.push(item);
    }
  }

  /** A slot frees: the oldest queued request starts at once. */
  release(): void {
    if (this.waiting.length > 0) this.start(this.waiting.shift()!);
    else this.inFlight--;
  }
}
