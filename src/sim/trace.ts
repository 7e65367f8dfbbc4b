/**
 * Trace recording: the contract between the simulator, the real-code harness and the
 * invariant checkers.
 *
 * A trace is a sequence of flat records `{ t, type, ...fields }`. Serialization is
 * byte-stable: one record per line (JSONL), `t` first, `type` second, every other key in
 * sorted order (nested objects too), numbers in JavaScript's shortest round-trip form
 * (which ECMAScript specifies exactly), and non-finite numbers rejected. So the same run
 * gives the same bytes on every machine and every Node version.
 *
 * Sinks: `noTrace` (off; callers check `enabled` before building records), `MemoryTrace`
 * (an array), and `JsonlTraceWriter` (streamed to a file through a temporary name that is
 * renamed into place only when the trace is complete: never a half-written trace).
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';

export type TraceValue =
  | string
  | number
  | boolean
  | null
  | readonly TraceValue[]
  | { readonly [key: string]: TraceValue };

export type TraceFields = { readonly [key: string]: TraceValue };

export interface TraceRecord extends TraceFields {
  readonly t: number;
  readonly type: string;
}

export interface TraceSink<R extends TraceRecord = TraceRecord> {
  readonly enabled: boolean;
  write(record: R): void;
  /** Completes the trace (a file sink flushes and renames it into place). */
  close(): void;
}

export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

/** A sink that records nothing. */
export const noTrace: TraceSink = {
  enabled: false,
  write() {},
  close() {},
};

function serializeValue(value: TraceValue, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TraceFormatError(
          `trace field ${path} is ${value}; traces hold finite numbers only (use null for "none")`,
        );
      }
      // JSON.stringify prints -0 as 0 already; the shortest round-trip form is specified by ECMAScript.
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${(value as readonly TraceValue[]).map((v, i) => serializeValue(v, `${path}[${i}]`)).join(',')}]`;
      }
      const record = value as { readonly [key: string]: TraceValue };
      const keys = Object.keys(record).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${serializeValue(record[k]!, `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TraceFormatError(
        `trace field ${path} has type ${typeof value}, which JSON cannot hold`,
      );
  }
}

/** One record as one canonical JSON line (without the newline). */
export function serializeTraceRecord(record: TraceRecord): string {
  let out = `{"t":${serializeValue(record.t, 't')},"type":${JSON.stringify(record.type)}`;
  const keys = Object.keys(record).sort();
  for (const key of keys) {
    if (key === 't' || key === 'type') continue;
    const value = record[key];
    if (value === undefined) continue; // an absent optional field, as JSON itself would drop it
    out += `,${JSON.stringify(key)}:${serializeValue(value, key)}`;
  }
  return `${out}}`;
}

/** Parses a JSONL trace; errors name the line. */
export function parseTraceJsonl(text: string, source = 'trace'): TraceRecord[] {
  const records: TraceRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new TraceFormatError(`${source}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof (parsed as { t?: unknown }).t !== 'number' ||
      typeof (parsed as { type?: unknown }).type !== 'string'
    ) {
      throw new TraceFormatError(
        `${source}:${i + 1}: a trace record needs a numeric "t" and a string "type"`,
      );
    }
    records.push(parsed as TraceRecord);
  });
  return records;
}

/** Keeps records in memory (tests, invariant checks on small runs). */
export class MemoryTrace<R extends TraceRecord = TraceRecord> implements TraceSink<R> {
  readonly enabled = true;
  readonly records: R[] = [];

  write(record: R): void {
    this.records.push(record);
  }

  close(): void {}

  /** The trace in its canonical byte form. */
  toJsonl(): string {
    return this.records.map((r) => `${serializeTraceRecord(r)}\n`).join('');
  }
}

/**
 * Streams records to a JSONL file. Writes go to `<path>.partial-<pid>` in 64 KiB chunks
 * (synchronous writes keep the order exact and need no backpressure handling); `close()`
 * flushes, syncs and renames into place; `abort()` deletes the partial file.
 */
export class JsonlTraceWriter<R extends TraceRecord = TraceRecord> implements TraceSink<R> {
  readonly enabled = true;
  readonly tempPath: string;
  private fd: number | null;
  private buffer = '';
  private static readonly chunk = 64 * 1024;

  constructor(
    readonly path: string,
    header?: TraceRecord,
  ) {
    this.tempPath = `${path}.partial-${process.pid}`;
    this.fd = openSync(this.tempPath, 'w');
    if (header !== undefined) this.write(header as R);
  }

  write(record: R): void {
    if (this.fd === null) throw new TraceFormatError(`trace ${this.path} is already closed`);
    this.buffer += `${serializeTraceRecord(record)}\n`;
    if (this.buffer.length >= JsonlTraceWriter.chunk) this.flush();
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tempPath, this.path);
  }

  /** Drops the partial file: for runs that failed before the trace was complete. */
  abort(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    this.buffer = '';
    try {
      unlinkSync(this.tempPath);
    } catch {
      // Already gone: nothing is left half-written either way.
    }
  }

  private flush(): void {
    if (this.buffer.length > 0 && this.fd !== null) {
      writeSync(this.fd, this.buffer);
      this.buffer = '';
    }
  }
}
