/**
 * Where real orchestrator code keeps what it must remember, and what a compaction does to
 * it (docs/model.md, "Context and compaction").
 *
 * An LLM orchestrator remembers what is in its context: the ids of the subagents it
 * started, the tasks still to do. A compaction summarizes the conversation, and details
 * go. `rt.context` is that memory for code under the harness: each entry is lost at a
 * compaction with the world's `forgetProbability`, independently, drawn from the stream
 * (seed, "context-forget", entry, compaction) so that the same seed loses the same
 * entries. `rt.durable` is a task list outside the context (a file, a database, Deep
 * Agents' store), which survives. The code is told when a compaction happened
 * (`rt.onCompaction`), not what it lost, as an agent is.
 *
 * What the code keeps only in context is its own responsibility: a subagent whose id was
 * lost runs on, its result never read (a ghost, which the invariants catch), and a task
 * the code believes was never started is started again (a duplicate).
 */
import { type Seed, StreamFactory, type StreamFamily } from '../sim/random.js';

/** A key-value memory, as much of Map's interface as code needs. */
export interface KeyValueStore<V> extends Iterable<[string, V]> {
  readonly size: number;
  get(key: string): V | undefined;
  set(key: string, value: V): this;
  has(key: string): boolean;
  delete(key: string): boolean;
  keys(): IterableIterator<string>;
  values(): IterableIterator<V>;
  entries(): IterableIterator<[string, V]>;
}

/** What the code is told of a compaction. */
export interface CompactionNotice {
  /** Compactions so far, this one included. */
  readonly count: number;
  /** When it ended, in seconds since the run began. */
  readonly at: number;
}

/** The orchestrator's context: a store whose entries a compaction may lose. */
export class ContextStore<V = unknown> implements KeyValueStore<V> {
  private readonly entriesByKey = new Map<string, { value: V; entry: number }>();
  /** Entries ever made: each gets the next number, its stream's index. */
  private made = 0;
  private streams: StreamFamily | null = null;

  constructor(
    private readonly seed: Seed,
    private readonly forgetProbability: number,
  ) {}

  get size(): number {
    return this.entriesByKey.size;
  }

  get(key: string): V | undefined {
    return this.entriesByKey.get(key)?.value;
  }

  set(key: string, value: V): this {
    const held = this.entriesByKey.get(key);
    if (held !== undefined) held.value = value;
    else this.entriesByKey.set(key, { value, entry: this.made++ });
    return this;
  }

  has(key: string): boolean {
    return this.entriesByKey.has(key);
  }

  delete(key: string): boolean {
    return this.entriesByKey.delete(key);
  }

  *keys(): IterableIterator<string> {
    yield* this.entriesByKey.keys();
  }

  *values(): IterableIterator<V> {
    for (const { value } of this.entriesByKey.values()) yield value;
  }

  *entries(): IterableIterator<[string, V]> {
    for (const [key, { value }] of this.entriesByKey) yield [key, value];
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /** Compaction number `count`: each entry is lost with the world's probability. Returns the keys lost. */
  compacted(count: number): string[] {
    if (this.forgetProbability <= 0) return [];
    this.streams ??= new StreamFactory(this.seed).family('context-forget');
    const lost: string[] = [];
    for (const [key, { entry }] of this.entriesByKey) {
      if (this.streams.get2(entry, count).next() < this.forgetProbability) lost.push(key);
    }
    for (const key of lost) this.entriesByKey.delete(key);
    return lost;
  }
}

/** The orchestrator's memory as its code sees it. */
export interface MemoryApi {
  /** What the code keeps in its context: a compaction may lose any entry. */
  readonly context: KeyValueStore<unknown>;
  /** A task list outside the context: it survives compactions. */
  readonly durable: KeyValueStore<unknown>;
  /** Compactions so far. */
  readonly compactions: number;
  /** Calls `listener` after each compaction, once the context store has lost what it lost. */
  onCompaction(listener: (notice: CompactionNotice) => void): void;
}

/** The memory of one run: the context store compacted with the run's context window. */
export class OrchestratorMemory implements MemoryApi {
  readonly context: ContextStore<unknown>;
  readonly durable = new Map<string, unknown>();
  private count = 0;
  private readonly listeners: ((notice: CompactionNotice) => void)[] = [];

  constructor(seed: Seed, forgetProbability: number) {
    this.context = new ContextStore(seed, forgetProbability);
  }

  get compactions(): number {
    return this.count;
  }

  onCompaction(listener: (notice: CompactionNotice) => void): void {
    this.listeners.push(listener);
  }

  /** The run compacted its context, the `count`th time, at `at` seconds. */
  compacted(count: number, at: number): void {
    this.count = count;
    this.context.compacted(count);
    for (const listener of this.listeners) listener({ count, at });
  }
}
