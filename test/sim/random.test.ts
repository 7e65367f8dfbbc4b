import { describe, expect, it } from 'vitest';
import { RandomStream, StreamFactory, StreamKeyError, streamKey } from '../../src/sim/random.js';

const draws = (s: RandomStream, n: number) => Array.from({ length: n }, () => s.next());

describe('random streams', () => {
  it('derive from a documented, stable key', () => {
    expect(streamKey(42, 'latency', 3, 0)).toBe('[42,"latency",3,0]');
    // Pinned values: if these change, every seed means a different world. Do not update
    // them casually; a change here is a breaking change of the scenario format.
    expect(draws(new RandomStream(42, 'latency', 3, 0), 3)).toEqual([
      0.2704968742716616, 0.9433219171125793, 0.8030710011134347,
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
    // '1' and 1 are different keys: each part is absorbed with a tag for its type.
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

  it('give the same stream through a family as directly', () => {
    const family = new StreamFactory(3).family('attempt');
    expect(draws(family.get2(17, 2), 5)).toEqual(draws(new RandomStream(3, 'attempt', 17, 2), 5));
    expect(draws(family.get('x', 2), 5)).toEqual(draws(new RandomStream(3, 'attempt', 'x', 2), 5));
  });

  it('make nearby keys independent: first draws over consecutive tasks are uniform and uncorrelated', () => {
    // Streams keyed (seed, "attempt", task, 0) for consecutive tasks are what a model run
    // opens; their first draws must look like independent uniforms.
    const n = 100_000;
    const bins = 100;
    const counts = new Array<number>(bins).fill(0);
    const family = new StreamFactory(9).family('attempt');
    let previous = family.get2(0, 0).next();
    let sumProducts = 0;
    let sum = 0;
    for (let task = 1; task <= n; task++) {
      const u = family.get2(task, 0).next();
      counts[Math.floor(u * bins)]!++;
      sumProducts += (u - 0.5) * (previous - 0.5);
      sum += u;
      previous = u;
    }
    // Chi-square with 99 degrees of freedom: the 99.99th percentile is about 157.
    const expected = n / bins;
    const chiSquare = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(157);
    // Lag-1 correlation of uniforms: sd about 1/sqrt(n) once normalized by the variance 1/12.
    expect(Math.abs((sumProducts / n) * 12)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });
});
