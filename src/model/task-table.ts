/**
 * The orchestrator's view of every task, plus the few facts of the world the model needs
 * about them, kept as columns: one typed array per field, indexed by task.
 *
 * A run may hold 10^6 tasks. As one object each they cost ~140 bytes a task, every major
 * GC had to mark them, and every handle stored into an old object went through the write
 * barrier; as columns they cost ~45 bytes a task and nothing of the rest. The numeric
 * columns are views of one buffer: a typed array's storage is a separate allocation
 * (~1.5 µs), and a 50-task run is over in ~150 µs.
 */
import type { Attempt } from './attempt.js';

/** Task statuses, as stored in `status`. */
export const WAITING = 0; // dependencies not all processed yet
export const OPEN = 1; // dispatchable, or out
export const DONE = 2; // succeeded: a result processed and accepted
export const GIVEN_UP = 3; // retries exhausted, or something it needs was given up

export class TaskTable {
  /** WAITING, OPEN, DONE or GIVEN_UP. */
  readonly status: Uint8Array;
  /** Dependencies whose results are not processed yet. */
  readonly unprocessedDeps: Int32Array;
  /** The attempt the orchestrator tracks for the task (its handle), if it believes one is out. */
  readonly handle: (Attempt | null)[];
  /** 1 while a result of the task sits in the buffer, unprocessed. */
  readonly buffered: Uint8Array;
  /** Attempts spawned so far (the next attempt's number). */
  readonly attempts: Int32Array;
  /** Failures the orchestrator has learned of. */
  readonly failures: Int32Array;
  /** Dispatches again after validation caught a wrong result. */
  readonly redispatches: Int32Array;
  /** Progress reported by the last failed attempt (for resumption). */
  readonly reportedProgress: Float64Array;
  /** 1 once some dependency's final result is wrong. */
  readonly wrongUpstream: Uint8Array;
  /** 1 while the orchestrator has forgotten the task's handle: its next dispatch is a duplicate. */
  readonly forgotten: Uint8Array;
  /** Position of the task's latest entry in the ready queue (older entries are stale); -1 if none. */
  readonly readyAt: Float64Array;
  /** Tasks succeeded or given up so far. */
  private resolved = 0;

  /** `dependencies[i]`: how many tasks task i needs. */
  constructor(dependencies: readonly (readonly number[])[]) {
    const n = dependencies.length;
    // 2 float64 columns, then 4 int32, then 4 uint8: each view aligned to its element size.
    const buffer = new ArrayBuffer(n * (2 * 8 + 4 * 4 + 4));
    let offset = 0;
    const f64 = () => {
      const column = new Float64Array(buffer, offset, n);
      offset += 8 * n;
      return column;
    };
    const i32 = () => {
      const column = new Int32Array(buffer, offset, n);
      offset += 4 * n;
      return column;
    };
    const u8 = () => {
      const column = new Uint8Array(buffer, offset, n);
      offset += n;
      return column;
    };
    this.reportedProgress = f64();
    this.readyAt = f64().fill(-1);
    this.unprocessedDeps = i32();
    this.attempts = i32();
    this.failures = i32();
    this.redispatches = i32();
    this.status = u8();
    this.buffered = u8();
    this.wrongUpstream = u8();
    this.forgotten = u8();
    for (let i = 0; i < n; i++) {
      const deps = dependencies[i]!.length;
      this.unprocessedDeps[i] = deps;
      this.status[i] = deps === 0 ? OPEN : WAITING;
    }
    this.handle = new Array<Attempt | null>(n).fill(null);
  }

  get count(): number {
    return this.status.length;
  }

  isResolved(task: number): boolean {
    const s = this.status[task];
    return s === DONE || s === GIVEN_UP;
  }

  get resolvedCount(): number {
    return this.resolved;
  }

  /** The task succeeded (DONE) or was given up (GIVEN_UP); it was neither before. */
  resolve(task: number, status: typeof DONE | typeof GIVEN_UP): void {
    this.status[task] = status;
    this.resolved++;
  }
}
