/**
 * The orchestrator's registry of handles (a list threaded through the attempts) against a
 * Set, over random sequences of adds, starts (oldest first) and deletes: size, membership,
 * order and the started handles must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Attempt } from '../../src/model/attempt.js';
import { AttemptTable } from '../../src/model/attempt-table.js';
import { HandleRegistry } from '../../src/model/handle-registry.js';

const draws = {
  fate: 'ok',
  latency: 10,
  progress: 0.5,
  permissionPoint: 0.5,
  correctness: 0.5,
  validation: 0.5,
} as const;

function attempts(n: number): Attempt[] {
  const numbers = new AttemptTable();
  return Array.from({ length: n }, (_, i) => new Attempt(i, i, 0, 0, false, numbers));
}

/** `start` starts the oldest queued attempt (the agent is ignored), as the FIFO WIP queue does. */
type Op = { kind: 'add' | 'start' | 'delete'; agent: number };

describe('HandleRegistry', () => {
  it('agrees with a Set on size, membership, order and started handles', () => {
    const opArb = fc.record({
      kind: fc.constantFrom<Op['kind']>('add', 'start', 'delete'),
      agent: fc.integer({ min: 0, max: 19 }),
    });
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const all = attempts(20);
        const registry = new HandleRegistry();
        const model = new Set<Attempt>();
        const added = new Set<Attempt>(); // an attempt enters the registry once, at its spawn
        for (const { kind, agent } of ops) {
          const a = all[agent]!;
          if (kind === 'add' && !added.has(a)) {
            added.add(a);
            registry.add(a);
            model.add(a);
          } else if (kind === 'start') {
            // As the WIP queue does: the oldest requested attempt that is still queued.
            const next = [...added].find((x) => x.state === 'queued');
            next?.begin(0, draws, 0);
          } else if (kind === 'delete') {
            expect(registry.delete(a)).toBe(model.delete(a));
          }
          expect(registry.size).toBe(model.size);
          expect([...registry]).toEqual([...model]);
          for (const x of all) expect(x.registryHeld).toBe(model.has(x));
          const started = [...model].filter((x) => x.state !== 'queued');
          expect(registry.anyStarted).toBe(started.length > 0);
          expect(registry.startedHandles()).toEqual(started);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('lets the current handle be deleted while iterating, and refuses a second add', () => {
    const [a, b, c] = attempts(3) as [Attempt, Attempt, Attempt];
    const registry = new HandleRegistry();
    for (const x of [a, b, c]) registry.add(x);
    const seen: number[] = [];
    for (const x of registry) {
      seen.push(x.agent);
      if (x !== c) registry.delete(x);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect([...registry]).toEqual([c]);
    expect(() => registry.add(c)).toThrow(/agent 2 is in the registry already/);
  });

  it('visits handles added while iterating, and lists only started ones as started', () => {
    const [a, b, c] = attempts(3) as [Attempt, Attempt, Attempt];
    const registry = new HandleRegistry();
    registry.add(a);
    const seen: number[] = [];
    for (const x of registry) {
      seen.push(x.agent);
      if (x === a) registry.add(b);
      if (x === b) registry.add(c);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect([registry.anyStarted, registry.startedHandles()]).toEqual([false, []]);
    a.begin(0, draws, 0);
    expect([registry.anyStarted, registry.startedHandles()]).toEqual([true, [a]]);
  });
});
