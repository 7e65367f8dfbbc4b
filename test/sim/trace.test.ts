import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
