/**
 * A turn cost drawn from a distribution: the n-th turn's from the stream (seed, "turn", n),
 * opened in the turn family's one reused object (StreamFamily.reuse1) rather than a new
 * stream each turn. The draws must be exactly those of the stream opened anew.
 */
import { describe, expect, it } from 'vitest';
import { RandomStream, StreamFactory } from '../../src/sim/random.js';

const draws = (s: RandomStream, n: number) => Array.from({ length: n }, () => s.next());

describe('StreamFamily.reuse1', () => {
  it('gives exactly the stream get(i) and new RandomStream(seed, ...prefix, i) give', () => {
    for (const seed of [0, 7, 'named']) {
      const reused = new StreamFactory(seed).family('turn');
      const fresh = new StreamFactory(seed).family('turn');
      for (const n of [0, 1, 2, 3, 100, 2 ** 40]) {
        const expected = draws(fresh.get(n), 4);
        expect(draws(reused.reuse1(n), 4), `${seed} ${n}`).toEqual(expected);
        expect(draws(new RandomStream(seed, 'turn', n), 4)).toEqual(expected);
      }
    }
  });

  it('reuses one object, shared with reuse2, each restarted in full', () => {
    const family = new StreamFactory(3).family('turn');
    const first = family.reuse1(5);
    first.next(); // partly used: the next reuse starts its own stream from the beginning
    expect(family.reuse2(5, 1)).toBe(first);
    expect(draws(family.reuse2(5, 1), 3)).toEqual(draws(family.get2(5, 1), 3));
    const again = family.reuse1(5);
    expect(again).toBe(first);
    expect(draws(again, 3)).toEqual(draws(family.get(5), 3));
  });

  it('refuses an index that is not a safe integer, as get does', () => {
    const family = new StreamFactory(3).family('turn');
    expect(() => family.reuse1(1.5)).toThrowError(/safe integer, got 1.5/);
    expect(() => family.get(1.5)).toThrowError(/safe integer, got 1.5/);
  });
});
