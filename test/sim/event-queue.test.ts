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
        const model: { time: number; seq: number; e: Entry; slot: number }[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const e = { stale: false, id: seq };
            const slot = q.push(o.time, e);
            model.push({ time: o.time, seq: seq++, e, slot });
          } else if (o.kind === 'cancel') {
            if (model.length === 0) continue;
            const [victim] = model.splice(o.pick % model.length, 1);
            victim!.e.stale = true;
            expect(q.cancel(victim!.slot, victim!.e)).toBe(true);
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
    const slots: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const e = { stale: false, id: i };
      entries.push(e);
      slots.push(q.push(10_000 - i, e));
    }
    for (let i = 0; i < 10_000; i++) {
      if (i % 10 !== 0) {
        entries[i]!.stale = true;
        q.cancel(slots[i]!, entries[i]!);
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

// The fused pop/push: `popLive` leaves the taken entry at the root until the next push
// overwrites it, the next pop, or anything that looks at the heap settles it.
describe('EventQueue, fused pop and push', () => {
  interface Held {
    time: number;
    seq: number;
    e: Entry;
    slot: number;
  }
  const byKey = (a: Held, b: Held) => a.time - b.time || a.seq - b.seq;

  it('matches a stable sort with pushes during firings, unpop, peeks and stale handles', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), time: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('unpop' as const) }),
      fc.record({ kind: fc.constant('peek' as const) }),
      fc.record({ kind: fc.constant('entries' as const) }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('cancelGone' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 50, maxLength: 2000, size: 'max' }), (ops) => {
        const q = new EventQueue<Entry>(16);
        // Renumber sequence numbers often (the limit is 2^31 - 1 otherwise).
        Object.assign(q, { seqLimit: 40 });
        const model: Held[] = [];
        // Entries that fired or were cancelled: their handles must no longer cancel anything.
        const gone: Held[] = [];
        // The entry just taken by `popLive`, while `unpop` may still put it back.
        let taken: Held | undefined;
        let seq = 0;
        for (const o of ops) {
          switch (o.kind) {
            case 'push': {
              // Right after a pop this is the fused path (the push overwrites the root).
              const e = { stale: false, id: seq };
              const slot = q.push(o.time, e);
              model.push({ time: o.time, seq: seq++, e, slot });
              taken = undefined;
              break;
            }
            case 'pop': {
              model.sort(byKey);
              const expected = model.shift();
              const got = q.popLive();
              expect(got?.id).toBe(expected?.e.id);
              if (expected) {
                expect(q.poppedTime).toBe(expected.time);
                gone.push(expected);
              }
              taken = expected;
              break;
            }
            case 'unpop':
              if (taken === undefined) break;
              q.unpop();
              gone.splice(gone.indexOf(taken), 1);
              model.push(taken);
              taken = undefined;
              break;
            case 'peek': {
              q.pruneTop();
              model.sort(byKey);
              expect(q.peekTime()).toBe(model[0]?.time ?? Number.POSITIVE_INFINITY);
              taken = undefined;
              break;
            }
            case 'entries':
              model.sort(byKey);
              expect(q.liveEntries().map((x) => x.target.id)).toEqual(model.map((m) => m.e.id));
              taken = undefined;
              break;
            case 'cancel': {
              if (model.length === 0) break;
              const [victim] = model.splice(o.pick % model.length, 1);
              expect(q.cancel(victim!.slot, victim!.e)).toBe(true);
              gone.push(victim!);
              break;
            }
            case 'cancelGone': {
              // Includes the entry being fired, and slots that now serve other entries.
              if (gone.length === 0) break;
              const old = gone[o.pick % gone.length]!;
              expect(q.cancel(old.slot, old.e)).toBe(false);
              break;
            }
          }
          expect(q.liveSize).toBe(model.length);
          expect(q.size).toBeGreaterThanOrEqual(q.liveSize);
        }
        model.sort(byKey);
        for (const m of model) {
          expect(q.popLive()?.id).toBe(m.e.id);
          expect(q.poppedTime).toBe(m.time);
        }
        expect(q.popLive()).toBeUndefined();
        expect(q.size).toBe(0);
      }),
      { seed: 20261124, numRuns: 100 },
    );
  });

  it('keeps order through compactions that happen while the root is taken', () => {
    // Long runs with mostly cancellations, so that compaction (> 1024 stale entries, and
    // more stale than live) happens many times, often between a pop and a push.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        let state = seed;
        const rand = (n: number) => {
          state = (Math.imul(state, 48271) + 11) % 2147483647;
          return Math.abs(state) % n;
        };
        const q = new EventQueue<Entry>(16);
        Object.assign(q, { seqLimit: 5000 });
        // Model: live entries sorted by (time, seq); new entries go after equal times.
        const model: Held[] = [];
        const insert = (h: Held) => {
          let lo = 0;
          let hi = model.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (byKey(model[mid]!, h) <= 0) lo = mid + 1;
            else hi = mid;
          }
          model.splice(lo, 0, h);
        };
        let seq = 0;
        let now = 0;
        let compactions = 0;
        for (let i = 0; i < 20_000; i++) {
          // Alternate phases: mostly pushes, then mostly cancellations.
          const pushes = Math.floor(i / 5000) % 2 === 0 ? 70 : 15;
          const r = rand(100);
          if (r < pushes) {
            const e = { stale: false, id: seq };
            const time = now + rand(50);
            insert({ time, seq: seq++, e, slot: q.push(time, e) });
          } else if (r < 85) {
            if (model.length === 0) continue;
            const [victim] = model.splice(rand(model.length), 1);
            const before = q.size;
            if (!q.cancel(victim!.slot, victim!.e)) throw new Error(`op ${i}: cancel refused`);
            if (q.size < before) compactions++;
          } else {
            // (Plain checks: `expect` per operation would dominate the test's time.)
            const expected = model.shift();
            const got = q.popLive();
            if (got?.id !== expected?.e.id) throw new Error(`op ${i}: popped ${got?.id}`);
            if (expected) now = expected.time;
          }
          if (q.liveSize !== model.length) throw new Error(`op ${i}: liveSize ${q.liveSize}`);
        }
        expect(compactions).toBeGreaterThan(0);
        for (const m of model) expect(q.popLive()?.id).toBe(m.e.id);
        expect(q.popLive()).toBeUndefined();
      }),
      { seed: 20261125, numRuns: 4 },
    );
  });

  it('a push during a firing goes after every entry already at that time (FIFO)', () => {
    const q = new EventQueue<Entry>(16);
    for (let id = 0; id < 5; id++) q.push(1, { stale: false, id });
    const order: number[] = [];
    let next = 5;
    for (let e = q.popLive(); e; e = q.popLive()) {
      order.push(e.id);
      // Each firing schedules one more entry at the same time, as `yield 0` does.
      if (next < 10) q.push(1, { stale: false, id: next++ });
    }
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('settles the taken root before answering peekTime, size and liveEntries', () => {
    const q = new EventQueue<Entry>(16);
    const a = { stale: false, id: 1 };
    const b = { stale: false, id: 2 };
    q.push(1, a);
    const slotB = q.push(3, b);
    expect(q.popLive()).toBe(a);
    // `a` is being fired: it no longer counts, and cannot be cancelled.
    expect(q.size).toBe(1);
    expect(q.liveSize).toBe(1);
    expect(q.peekTime()).toBe(3);
    expect(q.liveEntries()).toEqual([{ time: 3, target: b }]);
    expect(q.timeOf(slotB, b)).toBe(3);
    // A push after the root was settled takes the ordinary path.
    q.push(2, { stale: false, id: 3 });
    expect(q.popLive()?.id).toBe(3);
    expect(q.poppedTime).toBe(2);
    expect(q.popLive()).toBe(b);
    expect(q.popLive()).toBeUndefined();
  });

  it('keeps FIFO order among equal times across a renumbering of sequence numbers', () => {
    const q = new EventQueue<Entry>(16);
    Object.assign(q, { seqLimit: 10 });
    const order: number[] = [];
    let id = 0;
    for (let i = 0; i < 8; i++) q.push(i % 2, { stale: false, id: id++ });
    for (let round = 0; round < 20; round++) {
      order.push(q.popLive()!.id);
      q.push(1, { stale: false, id: id++ }); // fused, same time as the rest
    }
    for (let e = q.popLive(); e; e = q.popLive()) order.push(e.id);
    // Times 0 first (ids 0, 2, 4, 6), then every time-1 entry in the order pushed.
    const ones = [1, 3, 5, 7, ...Array.from({ length: 20 }, (_, i) => 8 + i)];
    expect(order).toEqual([0, 2, 4, 6, ...ones]);
  });

  it('unpop leaves the entry where it was', () => {
    const q = new EventQueue<Entry>(16);
    const a = { stale: false, id: 1 };
    const slot = q.push(5, a);
    expect(q.popLive()).toBe(a);
    q.unpop();
    expect(q.liveSize).toBe(1);
    expect(q.timeOf(slot, a)).toBe(5);
    expect(q.cancel(slot, a)).toBe(true);
    expect(q.popLive()).toBeUndefined();
  });
});
