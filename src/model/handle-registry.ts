/**
 * The orchestrator's registry of handles: the subagents it believes are out, in dispatch order
 * (docs/model.md, "Context and compaction"). With a volatile registry a compaction may drop handles
 * from it; what it holds is the orchestrator's belief, not the world.
 *
 * A list threaded through the attempts themselves (their `registry…` fields): adding,
 * removing and asking membership are O(1) with no hashing and no allocation. A Set of
 * attempts did the same job, but its hashing and rehashing were the model's largest
 * single cost at 10^5 tasks, where every attempt enters and leaves once.
 *
 * A poll round checks the *started* handles (whose subagent holds a WIP slot). Attempts
 * enter queued and start in the order they were requested (the WIP queue is FIFO), so
 * the started handles are a prefix of the list, in start order: finding them never walks
 * the queued ones (10^5 of them, behind a WIP limit, at every round).
 */
import type { Attempt } from './attempt.js';

export class HandleRegistry implements Iterable<Attempt> {
  private first: Attempt | null = null;
  private last: Attempt | null = null;
  private count = 0;

  /** Handles held: the orchestrator's idea of how many tasks are out. */
  get size(): number {
    return this.count;
  }

  /** Some held handle's subagent has started. */
  get anyStarted(): boolean {
    return this.first !== null && this.first.state !== 'queued';
  }

  /** Adds a handle for a just-spawned (still queued) attempt, at the end. */
  add(a: Attempt): void {
    if (a.registryHeld) throw new Error(`agent ${a.agent} is in the registry already`);
    a.registryHeld = true;
    a.registryPrevious = this.last;
    a.registryNext = null;
    if (this.last === null) this.first = a;
    else this.last.registryNext = a;
    this.last = a;
    this.count++;
  }

  /** Removes the handle if held; returns whether it was. */
  delete(a: Attempt): boolean {
    if (!a.registryHeld) return false;
    const previous = a.registryPrevious;
    const next = a.registryNext;
    if (previous === null) this.first = next;
    else previous.registryNext = next;
    if (next === null) this.last = previous;
    else next.registryPrevious = previous;
    a.registryHeld = false;
    a.registryPrevious = null;
    a.registryNext = null;
    this.count--;
    return true;
  }

  /**
   * The held handles in dispatch order. Deleting the current one while iterating is safe
   * (its successor is read first); handles added meanwhile are visited too.
   */
  *[Symbol.iterator](): Iterator<Attempt> {
    let a = this.first;
    while (a !== null) {
      const next = a.registryNext;
      yield a;
      a = a.registryHeld ? a.registryNext : next;
    }
  }

  /** The held handles whose subagent has started, in start order: a snapshot. */
  startedHandles(): Attempt[] {
    const out: Attempt[] = [];
    for (let a = this.first; a !== null && a.state !== 'queued'; a = a.registryNext) out.push(a);
    return out;
  }
}
