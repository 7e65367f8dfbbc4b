import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/event-queue.js';

interface Entry {
  stale: boolean;
  id: number;
}

describe('EventQueue', () => {
  it('pops in time order, FIFO among equal times', () => {
    const q = new EventQueue<Entry>(16);
    const entries = [3, 1, 2, 1, 3, 1].map((time, id) => ({ time, e: { stale: false, id } }));
    for (const { time, e } of entries) q.push(time, e);
    const order: number[] = [];
    for (let e = q.popLive(); e; e = q.popLive()) order.push(e.id);
    expect(order).toEqual([1, 3, 5, 2, 0, 4]);
  });

  it('matches a stable sort for any interleaving of pushes, pops and cancellations', () => {
    // Model: a list of live entries; the queue must always pop the (time, insertion) minimum.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), time: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 50, maxLength: 2000, size: 'max' }), (ops) => {
        const q = new EventQueue<Entry>(16);
        const model: { time: number; seq: number; e: Entry }[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const e = { stale: false, id: seq };
            q.push(o.time, e);
            model.push({ time: o.time, seq: seq++, e });
          } else if (o.kind === 'cancel') {
            if (model.length === 0) continue;
            const [victim] = model.splice(o.pick % model.length, 1);
            victim!.e.stale = true;
            q.noteStale();
          } else {
            model.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const expected = model.shift();
            const got = q.popLive();
            expect(got?.id).toBe(expected?.e.id);
            if (expected) expect(q.poppedTime).toBe(expected.time);
          }
          expect(q.liveSize).toBe(model.length);
        }
      }),
      { seed: 20261123, numRuns: 100 },
    );
  });

  it('compacts when stale entries dominate, keeping order', () => {
    const q = new EventQueue<Entry>(16);
    const entries: Entry[] = [];
    for (let i = 0; i < 10_000; i++) {
      const e = { stale: false, id: i };
      entries.push(e);
      q.push(10_000 - i, e);
    }
    for (let i = 0; i < 10_000; i++) {
      if (i % 10 !== 0) {
        entries[i]!.stale = true;
        q.noteStale();
      }
    }
    // Compaction ran: far fewer entries held than pushed.
    expect(q.size).toBeLessThan(5_000);
    expect(q.liveSize).toBe(1_000);
    const times: number[] = [];
    for (let e = q.popLive(); e; e = q.popLive()) times.push(q.poppedTime);
    expect(times).toHaveLength(1_000);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
