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
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { temporaryPathNextTo } from './temp-name.js';

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
 * The file-system calls JsonlTraceWriter makes, so that tests can inject what a real disk
 * rarely does on demand: a short write, a full disk, a failed rename.
 */
export interface TraceFileSystem {
  openSync(path: string, flags: string): number;
  /** Writes up to `length` bytes; returns how many it wrote (possibly fewer). */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

const nodeFileSystem: TraceFileSystem = {
  openSync: (path, flags) => openSync(path, flags),
  writeSync: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length),
  fsyncSync,
  closeSync,
  renameSync,
  unlinkSync,
};

export interface JsonlTraceWriterOptions {
  readonly fs?: TraceFileSystem;
}

/**
 * Streams records to a JSONL file. Writes go to a temporary file next to it
 * (`<name>.partial-<pid>-<random>`) in 64 KiB chunks (synchronous writes keep the order
 * exact and need no backpressure handling); `close()` flushes, syncs and renames it into
 * place; `abort()` deletes it.
 *
 * A write that fails (a full disk: ENOSPC, EDQUOT, EFBIG, EIO) deletes the temporary file
 * at once and is remembered: it is thrown from that write, from every later call, and
 * from `close()`, so a caller whose write errors are caught on the way (a simulated
 * process that fails) still learns of it, and a truncated trace never reaches the target
 * name. A write that writes fewer bytes than asked (as a nearly full disk may) is
 * continued until every byte is written or it fails.
 */
export class JsonlTraceWriter<R extends TraceRecord = TraceRecord> implements TraceSink<R> {
  readonly enabled = true;
  readonly tempPath: string;
  private fd: number | null;
  private finished = false;
  private buffer = '';
  private failure: Error | undefined;
  private readonly fs: TraceFileSystem;
  private static readonly chunk = 64 * 1024;

  constructor(
    readonly path: string,
    header?: TraceRecord,
    options: JsonlTraceWriterOptions = {},
  ) {
    this.fs = options.fs ?? nodeFileSystem;
    this.tempPath = temporaryPathNextTo(
      path,
      '',
      `.partial-${process.pid}-${randomBytes(3).toString('hex')}`,
    );
    // 'wx': never write into a file that something else created under this name.
    this.fd = this.fs.openSync(this.tempPath, 'wx');
    if (header !== undefined) this.write(header as R);
  }

  /** The error that ended this trace early, if one did (the temporary file is gone then). */
  get error(): Error | undefined {
    return this.failure;
  }

  write(record: R): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.fd === null || this.finished)
      throw new TraceFormatError(`trace ${this.path} is already closed`);
    this.buffer += `${serializeTraceRecord(record)}\n`;
    if (this.buffer.length >= JsonlTraceWriter.chunk) this.guarded(() => this.flush());
  }

  /**
   * Writes what is buffered and syncs it to disk, under the temporary name: the trace is
   * complete but not yet in place. `close()` then only renames. A caller that must decide
   * at the last moment whether to keep the trace (the CLI, when a signal may have come)
   * calls this first, so that the decision is not held up by the sync.
   */
  finish(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.fd === null || this.finished) return;
    const fd = this.fd;
    this.guarded(() => {
      this.flush();
      this.fs.fsyncSync(fd);
      this.fs.closeSync(fd);
    });
    this.finished = true;
  }

  /** Completes the trace: finishes it, then renames it into place. */
  close(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.fd === null) return;
    this.finish();
    this.guarded(() => this.fs.renameSync(this.tempPath, this.path));
    this.fd = null;
  }

  /** Drops the temporary file: for runs that failed or stopped before the trace was complete. */
  abort(): void {
    if (this.fd === null) return;
    if (!this.finished) {
      try {
        this.fs.closeSync(this.fd);
      } catch {
        // The descriptor is released either way; the file is deleted below.
      }
    }
    this.fd = null;
    this.buffer = '';
    try {
      this.fs.unlinkSync(this.tempPath);
    } catch {
      // Already gone: nothing is left half-written either way.
    }
  }

  /** Runs a file operation; on failure, remembers the error and deletes the temporary file. */
  private guarded(operation: () => void): void {
    try {
      operation();
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      this.abort();
      throw this.failure;
    }
  }

  private flush(): void {
    if (this.buffer.length === 0 || this.fd === null) return;
    const bytes = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    let offset = 0;
    while (offset < bytes.length) {
      const written = this.fs.writeSync(this.fd, bytes, offset, bytes.length - offset);
      if (written <= 0) {
        // A regular file never takes zero bytes without an error; looping would never end.
        throw Object.assign(
          new Error(`writing ${this.tempPath} made no progress (the device took 0 bytes)`),
          { code: 'EIO', syscall: 'write', path: this.tempPath },
        );
      }
      offset += written;
    }
  }
}
