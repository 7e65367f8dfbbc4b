import { describe, expect, it } from 'vitest';
import { RandomStream, StreamFactory, StreamKeyError, streamKey } from '../../src/sim/random.js';

const draws = (s: RandomStream, n: number) => Array.from({ length: n }, () => s.next());

describe('random streams', () => {
  it('derive from a documented, stable key', () => {
    expect(streamKey(42, 'latency', 3, 0)).toBe('[42,"latency",3,0]');
    // Pinned values: if these change, every seed means a different world. Do not update
    // them casually; a change here is a breaking change of the scenario format.
    expect(draws(new RandomStream(42, 'latency', 3, 0), 3)).toEqual([
      0.6850599380090221,
      0.2829707248796671,
      expect.any(Number),
    ]);
  });

  it('give the same draws for the same key', () => {
    expect(draws(new RandomStream(7, 'fate', 1, 2), 50)).toEqual(
      draws(new RandomStream(7, 'fate', 1, 2), 50),
    );
  });

  it('differ across seeds and key parts', () => {
    const base = draws(new RandomStream(7, 'fate', 1, 2), 5);
    expect(draws(new RandomStream(8, 'fate', 1, 2), 5)).not.toEqual(base);
    expect(draws(new RandomStream(7, 'fate', 1, 3), 5)).not.toEqual(base);
    expect(draws(new RandomStream(7, 'latency', 1, 2), 5)).not.toEqual(base);
    // '1' and 1 are different keys: JSON keeps them apart.
    expect(draws(new RandomStream(7, 'fate', '1', 2), 5)).not.toEqual(base);
  });

  it('do not depend on which other streams were drawn from before', () => {
    const factory = new StreamFactory(99);
    const alone = draws(factory.get('latency', 5, 0), 10);
    const busy = new StreamFactory(99);
    for (let task = 0; task < 5; task++) draws(busy.get('latency', task, 0), 100);
    draws(busy.get('fate', 5, 0), 1000);
    expect(draws(busy.get('latency', 5, 0), 10)).toEqual(alone);
  });

  it('produce uniform variates in [0, 1) and (0, 1]', () => {
    const s = new RandomStream(1, 'uniform');
    let sum = 0;
    let outside = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = s.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    // Mean 1/2, sd of the mean sqrt(1/12/n).
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    const p = new RandomStream(1, 'positive');
    for (let i = 0; i < 1000; i++) {
      const u = p.nextPositive();
      expect(u > 0 && u <= 1).toBe(true);
    }
  });

  it('reject key parts that would not print the same everywhere', () => {
    expect(() => streamKey(1.5)).toThrow(StreamKeyError);
    expect(() => new RandomStream(1, 'x', Number.NaN)).toThrow(/stream key part 2/);
  });
});
