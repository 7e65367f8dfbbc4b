import { describe, expect, it } from 'vitest';
import { summarizeMetric } from '../../src/experiment/results.js';
import {
  pairedDifference,
  quantileSorted,
  summarize,
  tQuantile975,
  unpairedDifference,
} from '../../src/experiment/stats.js';

describe('tQuantile975', () => {
  it('matches the printed t table to 1e-3', () => {
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [100, 1.984],
    ];
    for (const [df, t] of table) expect(Math.abs(tQuantile975(df) - t)).toBeLessThan(1e-3);
  });

  it('agrees with exact values (scipy.stats.t.ppf) to 1e-9, integer and fractional df', () => {
    const exact: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [3, 3.1824463052837078],
      [3.5, 2.9400886379827282],
      [5, 2.5705818356363146],
      [7, 2.364624251592784],
      [10, 2.228138851986274],
      [30, 2.0422724563012378],
      [100, 1.9839715185235518],
      [1000, 1.9623390808264083],
      [1e6, 1.959966356814107],
      [0.5, 164.55767348048818],
    ];
    for (const [df, t] of exact) expect(tQuantile975(df)).toBeCloseTo(t, 9);
  });

  it('is NaN without degrees of freedom', () => {
    expect(tQuantile975(0)).toBeNaN();
    expect(tQuantile975(Number.NaN)).toBeNaN();
  });
});

describe('summarize', () => {
  it('gives the hand-computed mean, sd, CI and quantiles of a small vector', () => {
    // mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32, sd = sqrt(32/7);
    // half-width t(7) sd / sqrt(8); p95: h = 7 * 0.95 = 6.65 → 7 + 0.65 * (9 - 7) = 8.3.
    const s = summarize([9, 4, 2, 4, 5, 4, 7, 5]);
    const sd = Math.sqrt(32 / 7);
    const half = (2.364624251592784 * sd) / Math.sqrt(8);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(sd, 14);
    expect(s.ci95[0]).toBeCloseTo(5 - half, 12);
    expect(s.ci95[1]).toBeCloseTo(5 + half, 12);
    expect(s.p50).toBe(4.5);
    expect(s.p95).toBeCloseTo(8.3, 12);
    expect(s.min).toBe(2);
    expect(s.max).toBe(9);
  });

  it('uses t with 2 df for three values', () => {
    const s = summarize([1, 2, 3]);
    const half = 4.302652729749462 / Math.sqrt(3);
    expect(s.sd).toBe(1);
    expect(s.ci95[0]).toBeCloseTo(2 - half, 12);
    expect(s.ci95[1]).toBeCloseTo(2 + half, 12);
  });

  it('type-7 quantiles interpolate between order statistics', () => {
    expect(quantileSorted([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 12);
    expect(quantileSorted([10, 20], 0.5)).toBe(15);
    expect(quantileSorted([7], 0.95)).toBe(7);
  });
});

describe('pairedDifference and unpairedDifference', () => {
  it('pairs per seed: d = [1, 2, 1]', () => {
    const d = pairedDifference([10, 12, 14], [9, 10, 13]);
    // mean 4/3, sd sqrt(1/3), half-width t(2) * sd / sqrt(3)
    const half = (4.302652729749462 * Math.sqrt(1 / 3)) / Math.sqrt(3);
    expect(d.mean).toBeCloseTo(4 / 3, 14);
    expect(d.sd).toBeCloseTo(Math.sqrt(1 / 3), 14);
    expect(d.ci95[0]).toBeCloseTo(4 / 3 - half, 12);
    expect(d.ci95[1]).toBeCloseTo(4 / 3 + half, 12);
  });

  it('rejects vectors of different lengths', () => {
    expect(() => pairedDifference([1, 2], [1])).toThrow(/same seeds/);
  });

  it("Welch's interval matches scipy's ttest_ind(equal_var=False)", () => {
    const w = unpairedDifference([1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12]);
    expect(w.meanDiff).toBe(-4);
    expect(w.df).toBeCloseTo(6.972255729794934, 10);
    expect(w.ci95[0]).toBeCloseTo(-7.98346869562883, 9);
    expect(w.ci95[1]).toBeCloseTo(-0.016531304371169675, 9);
  });
});

describe('summarizeMetric (the document form)', () => {
  it('leaves NaN and infinite values out and counts them', () => {
    const m = summarizeMetric([
      1,
      Number.NaN,
      3,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(m).toMatchObject({ n: 2, undefined: 1, infinite: 2, mean: 2, min: 1, max: 3 });
    expect(m.ci95).not.toBeNull();
  });

  it('has no sd or CI for a single value, and nothing for none', () => {
    expect(summarizeMetric([4])).toEqual({
      mean: 4,
      sd: null,
      ci95: null,
      p50: 4,
      p95: 4,
      min: 4,
      max: 4,
      n: 1,
      undefined: 0,
      infinite: 0,
    });
    expect(summarizeMetric([Number.NaN, Number.NaN])).toEqual({
      mean: null,
      sd: null,
      ci95: null,
      p50: null,
      p95: null,
      min: null,
      max: null,
      n: 0,
      undefined: 2,
      infinite: 0,
    });
  });

  it('gives a zero-width CI for equal values (n >= 2): no spread is a fact then', () => {
    expect(summarizeMetric([3, 3, 3]).ci95).toEqual([3, 3]);
  });
});
