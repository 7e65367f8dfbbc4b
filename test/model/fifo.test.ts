/**
 * The model's FIFO queue against a plain array, over random push/shift/takeAll sequences:
 * the order, the lengths and every item's position (its place in the queue's whole
 * history) must agree, as the ring buffer wraps, grows and empties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/model/fifo.js';

type Op = { kind: 'push'; count: number } | { kind: 'shift'; count: number } | { kind: 'takeAll' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.integer({ min: 1, max: 300 }).map((count) => ({ kind: 'push' as const, count })),
  },
  {
    weight: 5,
    arbitrary: fc
      .integer({ min: 1, max: 3000 })
      .map((count) => ({ kind: 'shift' as const, count })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'takeAll' as const }) },
);

describe('Fifo', () => {
  it('behaves as an array queue, with positions that count every push ever made', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        const fifo = new Fifo<number>();
        // The model: items are their own positions.
        let model: number[] = [];
        let pushed = 0;
        for (const op of ops) {
          if (op.kind === 'push') {
            for (let i = 0; i < op.count; i++) {
              if (fifo.push(pushed) !== pushed) return false;
              model.push(pushed++);
            }
          } else if (op.kind === 'shift') {
            for (let i = 0; i < op.count; i++) if (fifo.shift() !== model.shift()) return false;
          } else {
            expect(fifo.takeAll()).toEqual(model);
            model = [];
          }
          expect(fifo.length).toBe(model.length);
          for (let i = 0; i < model.length; i++) {
            if (fifo.at(i) !== model[i] || fifo.positionAt(i) !== model[i]) return false;
          }
        }
        return true;
      }),
      { seed: 20261124, numRuns: 200 },
    );
  });

  it('returns undefined when empty, and keeps counting positions after it empties', () => {
    const fifo = new Fifo<string>();
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.push('a')).toBe(0);
    expect(fifo.shift()).toBe('a');
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.push('b')).toBe(1);
    expect(fifo.positionAt(0)).toBe(1);
  });
});
