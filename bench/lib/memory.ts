/**
 * Retained-memory measurement: full GC, snapshot, build the structure, full GC, snapshot.
 *
 * V8 heap (`heapUsed`) and ArrayBuffer backing stores (`arrayBuffers`: typed arrays live
 * there, outside the V8 heap) are reported separately and summed, so a typed-array queue
 * is not measured as free.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `global.gc`, exposed at run time if node was started without --expose-gc. */
export function getGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * A regular full GC, for use before a timed run: `gc({ type: 'major', execution: 'sync' })`.
 * Plain `gc()` (what `getGc` returns, right for measuring retained memory) also lets V8
 * drop the maps it keeps alive for optimized code; every function that embedded one is
 * then deoptimized ("weak objects") and must warm up again. Measured on bench:model: after
 * a plain `gc()`, the next ~100 runs of a 50-task scenario took 2-20 ms each instead of
 * 0.2 ms; after this one, no deoptimization.
 */
export function getMajorGc(): () => void {
  const gc = getGc() as (options?: { type: 'major'; execution: 'sync' }) => void;
  return () => gc({ type: 'major', execution: 'sync' });
}

export interface Retained {
  /** Growth of the V8 heap (objects, plain arrays). */
  readonly heapBytes: number;
  /** Growth of ArrayBuffer backing stores (typed arrays). */
  readonly arrayBufferBytes: number;
  readonly totalBytes: number;
}

/** Heap in use after two full GCs: V8 heap and ArrayBuffer backing stores, in bytes. */
export function snapshot(gc: () => void): { heap: number; arrayBuffers: number } {
  gc();
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, arrayBuffers: usage.arrayBuffers };
}

/**
 * Memory retained by what `build` returns. `check` runs after the second snapshot: it keeps
 * the structure reachable until then, and may assert that it holds what it should.
 */
export function measureRetained<T>(build: () => T, check: (built: T) => void): Retained {
  const gc = getGc();
  const before = snapshot(gc);
  const built = build();
  const after = snapshot(gc);
  check(built);
  const heapBytes = after.heap - before.heap;
  const arrayBufferBytes = after.arrayBuffers - before.arrayBuffers;
  return { heapBytes, arrayBufferBytes, totalBytes: heapBytes + arrayBufferBytes };
}
