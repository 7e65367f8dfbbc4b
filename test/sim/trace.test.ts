import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  JsonlTraceWriter,
  MemoryTrace,
  parseTraceJsonl,
  RandomStream,
  type Seed,
  type SimEvent,
  Simulation,
  serializeTraceRecord,
  TraceFormatError,
  type TraceSink,
} from '../../src/sim/index.js';
import type { TraceFileSystem } from '../../src/sim/trace.js';

/**
 * A small but busy world: customers arrive at random, wait for one of `servers` slots,
 * sometimes give up after a patience timeout. Every draw comes from a stream keyed by
 * (seed, purpose, customer), so the trace is a pure function of the seed.
 */
function queueingWorld(seed: Seed, trace: TraceSink): void {
  const sim = new Simulation({ trace });
  const servers = 3;
  let busy = 0;
  const waiting: SimEvent<undefined>[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next.succeed(undefined);
    else busy--;
  };
  function* customer(id: number) {
    const draws = new RandomStream(seed, 'customer', id);
    sim.record('arrive', { id });
    if (busy < servers) {
      busy++;
    } else {
      const slot = sim.event<undefined>(`slot for ${id}`);
      waiting.push(slot);
      const patience = sim.timeout(-Math.log(draws.nextPositive()) * 4, 'patience');
      const r = yield* sim.anyOf<undefined>([slot, patience]);
      if (r.index === 1) {
        waiting.splice(waiting.indexOf(slot), 1);
        sim.record('abandon', { id });
        return;
      }
      patience.cancel();
    }
    sim.record('start', { id, busy });
    yield -Math.log(draws.nextPositive()) * 2.5;
    sim.record('end', { id });
    release();
  }
  sim.process(
    (function* () {
      const gaps = new RandomStream(seed, 'arrivals');
      for (let id = 0; id < 300; id++) {
        yield -Math.log(gaps.nextPositive());
        sim.process(customer(id), { name: `customer-${id}` });
      }
    })(),
    { name: 'arrivals' },
  );
  sim.run();
  trace.close();
}

describe('determinism', () => {
  it('gives a byte-identical trace for the same seed, every run', () => {
    const a = new MemoryTrace();
    const b = new MemoryTrace();
    queueingWorld(11, a);
    queueingWorld(11, b);
    expect(a.records.length).toBeGreaterThan(800);
    expect(a.records.some((r) => r.type === 'abandon')).toBe(true);
    expect(b.toJsonl()).toBe(a.toJsonl());
  });

  it('gives a different trace for a different seed', () => {
    const a = new MemoryTrace();
    const b = new MemoryTrace();
    queueingWorld(11, a);
    queueingWorld(12, b);
    expect(b.toJsonl()).not.toBe(a.toJsonl());
  });

  it('streams the same bytes to a JSONL file, renamed into place only when complete', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const path = join(dir, 'run.jsonl');
    const file = new JsonlTraceWriter(path);
    const memory = new MemoryTrace();
    queueingWorld(5, memory);
    for (const r of memory.records) file.write(r);
    expect(existsSync(path)).toBe(false); // nothing half-written under the final name
    file.close();
    expect(readFileSync(path, 'utf8')).toBe(memory.toJsonl());
    expect(readdirSync(dir)).toEqual(['run.jsonl']);
    expect(parseTraceJsonl(readFileSync(path, 'utf8'))).toEqual(memory.records);
  });

  it('leaves nothing behind when a trace is aborted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const file = new JsonlTraceWriter(join(dir, 'run.jsonl'), { t: 0, type: 'header' });
    file.write({ t: 1, type: 'x' });
    file.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('trace serialization', () => {
  it('puts t and type first, then sorted keys, nested objects sorted too', () => {
    expect(
      serializeTraceRecord({ type: 'spawn', zeta: 1, t: 2.5, alpha: { b: [1, 'x'], a: null } }),
    ).toBe('{"t":2.5,"type":"spawn","alpha":{"a":null,"b":[1,"x"]},"zeta":1}');
  });

  it('writes -0 as 0 and rejects non-finite numbers', () => {
    expect(serializeTraceRecord({ t: -0, type: 'x' })).toBe('{"t":0,"type":"x"}');
    expect(() =>
      serializeTraceRecord({ t: 1, type: 'x', latency: Number.POSITIVE_INFINITY }),
    ).toThrow(/trace field latency is Infinity; traces hold finite numbers only/);
  });

  it('names the line of a malformed record', () => {
    expect(() => parseTraceJsonl('{"t":0,"type":"a"}\n{oops\n', 'run.jsonl')).toThrow(
      /^run.jsonl:2: not valid JSON/,
    );
    expect(() => parseTraceJsonl('{"type":"a"}\n', 'run.jsonl')).toThrow(TraceFormatError);
  });
});

describe('JsonlTraceWriter on a failing disk', () => {
  /** The real file system, with writes cut short or failing as a nearly full disk does. */
  function failingFs(options: {
    /** Bytes each write takes at most (a short write). */
    maxPerWrite?: number;
    /** Total bytes the disk takes before ENOSPC. */
    capacity?: number;
    renameFails?: boolean;
  }): TraceFileSystem {
    let written = 0;
    const noSpace = () =>
      Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        syscall: 'write',
      });
    return {
      openSync: (path, flags) => openSync(path, flags),
      writeSync: (fd, buffer, offset, length) => {
        const room = (options.capacity ?? Number.POSITIVE_INFINITY) - written;
        if (room <= 0) throw noSpace();
        const n = Math.min(length, options.maxPerWrite ?? length, room);
        const done = writeSync(fd, buffer, offset, n);
        written += done;
        return done;
      },
      fsyncSync,
      closeSync,
      renameSync: (from, to) => {
        if (options.renameFails)
          throw Object.assign(new Error('EISDIR: illegal operation on a directory, rename'), {
            code: 'EISDIR',
          });
        renameSync(from, to);
      },
      unlinkSync,
    };
  }

  const records = Array.from({ length: 5000 }, (_, i) => ({
    t: i,
    type: 'tick',
    note: 'x'.repeat(40),
  }));
  const expected = records.map((r) => `${serializeTraceRecord(r)}\n`).join('');

  it('continues short writes until every byte is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const path = join(dir, 'run.jsonl');
    const file = new JsonlTraceWriter(path, undefined, { fs: failingFs({ maxPerWrite: 1000 }) });
    for (const r of records) file.write(r);
    file.close();
    expect(readFileSync(path, 'utf8')).toBe(expected);
    expect(readdirSync(dir)).toEqual(['run.jsonl']);
  });

  it('on a full disk: the error is thrown, remembered, and nothing is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const path = join(dir, 'run.jsonl');
    const file = new JsonlTraceWriter(path, undefined, {
      fs: failingFs({ maxPerWrite: 4096, capacity: 100_000 }),
    });
    let thrown: unknown;
    try {
      for (const r of records) file.write(r);
    } catch (err) {
      thrown = err;
    }
    expect((thrown as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(file.error).toBe(thrown);
    expect(readdirSync(dir)).toEqual([]); // the temporary file went with the failure
    // A caller that swallowed the error (a failed simulated process) still learns of it.
    expect(() => file.write(records[0]!)).toThrow(/ENOSPC/);
    expect(() => file.close()).toThrow(/ENOSPC/);
    file.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('on a full disk at close: the trace is not renamed into place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const path = join(dir, 'run.jsonl');
    // Less than one 64 KiB chunk: everything is still buffered until close.
    const file = new JsonlTraceWriter(path, undefined, { fs: failingFs({ capacity: 10_000 }) });
    for (const r of records.slice(0, 500)) file.write(r);
    expect(readdirSync(dir)).toHaveLength(1); // the temporary file
    expect(() => file.close()).toThrow(/ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a write that takes no bytes is an error, not an endless loop', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const fs = { ...failingFs({}), writeSync: () => 0 };
    const file = new JsonlTraceWriter(join(dir, 'run.jsonl'), undefined, { fs });
    file.write({ t: 0, type: 'x' });
    expect(() => file.close()).toThrow(/made no progress/);
    expect((file.error as NodeJS.ErrnoException).code).toBe('EIO');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a rename that fails deletes the temporary file (injected and real)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const injected = new JsonlTraceWriter(join(dir, 'run.jsonl'), undefined, {
      fs: failingFs({ renameFails: true }),
    });
    injected.write({ t: 0, type: 'x' });
    expect(() => injected.close()).toThrow(/EISDIR/);
    expect(readdirSync(dir)).toEqual([]);
    // For real: the target is a folder that is not empty, which no rename replaces.
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'inside'), 'x');
    const real = new JsonlTraceWriter(join(dir, 'taken'));
    real.write({ t: 0, type: 'x' });
    expect(() => real.close()).toThrow();
    expect(real.error).toBeDefined();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(join(dir, 'taken'))).toEqual(['inside']);
  });

  it('finish() syncs under the temporary name; close() then only renames', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const path = join(dir, 'run.jsonl');
    const file = new JsonlTraceWriter(path);
    for (const r of records) file.write(r);
    file.finish();
    expect(readdirSync(dir)).toEqual([basename(file.tempPath)]);
    expect(readFileSync(file.tempPath, 'utf8')).toBe(expected);
    expect(() => file.write(records[0]!)).toThrow(/already closed/);
    file.close();
    expect(readdirSync(dir)).toEqual(['run.jsonl']);
    // A finished trace can still be dropped instead.
    const dropped = new JsonlTraceWriter(join(dir, 'dropped.jsonl'));
    dropped.write(records[0]!);
    dropped.finish();
    dropped.abort();
    expect(readdirSync(dir)).toEqual(['run.jsonl']);
  });

  it('takes a target name near the 255-byte limit (the temporary name is cut)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-trace-'));
    const name = `${'é'.repeat(120)}.jsonl`; // 246 bytes
    const file = new JsonlTraceWriter(join(dir, name));
    expect(Buffer.byteLength(basename(file.tempPath))).toBeLessThan(100);
    file.write({ t: 0, type: 'x' });
    file.close();
    expect(readdirSync(dir)).toEqual([name]);
  });
});
