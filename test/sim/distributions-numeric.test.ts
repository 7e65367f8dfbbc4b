import { describe, expect, it } from 'vitest';
import {
  erfc,
  gammaQuantile,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
  standardNormalCdf,
  standardNormalQuantile,
  Z95,
} from '../../src/sim/distributions/index.js';
import { integrateQuantile, invertCdfByBisection } from '../../src/sim/distributions/numeric.js';

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.abs(expected),
  );
}

describe('erfc and the standard normal', () => {
  it('erfc matches reference values to near machine precision, tails included', () => {
    const reference: [number, number][] = [
      [0, 1],
      [0.3, 0.6713732405408726],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.8427007929497148],
    ];
    for (const [x, value] of reference) expectRelative(erfc(x), value, 1e-14);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(30)).toBe(0);
  });

  it('Φ matches reference values', () => {
    expectRelative(standardNormalCdf(0), 0.5, 1e-15);
    expectRelative(standardNormalCdf(-1), 0.15865525393145707, 1e-14);
    expectRelative(standardNormalCdf(1.959963984540054), 0.975, 1e-15);
    expectRelative(standardNormalCdf(-5), 2.866515718791939e-7, 1e-13);
    expectRelative(standardNormalCdf(-10), 7.61985302416047e-24, 1e-12);
    expect(standardNormalCdf(Infinity)).toBe(1);
    expect(standardNormalCdf(-Infinity)).toBe(0);
  });

  it('Φ⁻¹ matches reference values', () => {
    expect(standardNormalQuantile(0.5)).toBe(0);
    expectRelative(standardNormalQuantile(0.975), 1.959963984540054, 1e-15);
    expectRelative(standardNormalQuantile(0.95), Z95, 1e-15);
    expectRelative(standardNormalQuantile(0.999), 3.090232306167813, 1e-15);
    expectRelative(standardNormalQuantile(1e-10), -6.361340902404056, 1e-14);
    expect(standardNormalQuantile(0)).toBe(-Infinity);
    expect(standardNormalQuantile(1)).toBe(Infinity);
    expect(Number.isFinite(standardNormalQuantile(Number.MIN_VALUE))).toBe(true);
  });

  it('Φ(Φ⁻¹(p)) = p across (0, 1), relative to the nearer tail', () => {
    let worst = 0;
    for (let i = 1; i < 20_000; i++) {
      const p = i / 20_000;
      const error = Math.abs(standardNormalCdf(standardNormalQuantile(p)) - p) / Math.min(p, 1 - p);
      worst = Math.max(worst, error);
    }
    expect(worst).toBeLessThan(1e-13);
    for (const p of [1e-300, 1e-100, 1e-20, 1e-8]) {
      expectRelative(standardNormalCdf(standardNormalQuantile(p)), p, 1e-12);
    }
  });

  it('Φ⁻¹ is increasing, so inverse-CDF draws keep their order', () => {
    let previous = -Infinity;
    let decreases = 0;
    for (let i = 0; i <= 100_000; i++) {
      const z = standardNormalQuantile(i / 100_000);
      if (z < previous) decreases++;
      previous = z;
    }
    expect(decreases).toBe(0);
  });
});

describe('gamma functions', () => {
  it('logGamma matches reference values', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-15);
    expectRelative(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    expectRelative(logGamma(5), Math.log(24), 1e-14);
    expectRelative(logGamma(100), 359.1342053695754, 1e-14);
    expectRelative(logGamma(0.1), 2.252712651734206, 1e-14);
    let factorial = 1;
    for (let n = 1; n < 30; n++) {
      factorial *= n;
      expectRelative(Math.exp(logGamma(n + 1)), factorial, 1e-13);
    }
  });

  it('P and Q match closed forms for whole shapes: Q(n, x) = e^-x Σ_{k<n} x^k/k!', () => {
    for (let n = 1; n <= 20; n++) {
      for (const x of [0.01, 0.5, 1, 3, 7.5, 12, 20, 40]) {
        let term = 1;
        let sum = 1;
        for (let k = 1; k < n; k++) {
          term *= x / k;
          sum += term;
        }
        const q = Math.exp(-x) * sum;
        expect(Math.abs(regularizedGammaQ(n, x) - q)).toBeLessThan(1e-14 + 1e-12 * q);
        expect(Math.abs(regularizedGammaP(n, x) - (1 - q))).toBeLessThan(1e-14);
      }
    }
  });

  it('P(1/2, x) = erf(√x)', () => {
    for (const x of [0.001, 0.1, 1, 2, 5, 20]) {
      expect(Math.abs(regularizedGammaP(0.5, x) - (1 - erfc(Math.sqrt(x))))).toBeLessThan(1e-14);
    }
  });

  it('gammaQuantile inverts P over a wide range of shapes and levels', () => {
    for (const shape of [0.05, 0.3, 1, 2.5, 10, 100, 10_000]) {
      for (const p of [1e-12, 0.001, 0.05, 0.5, 0.95, 0.999999]) {
        const x = gammaQuantile(shape, p);
        if (p > 0.5) expectRelative(regularizedGammaQ(shape, x), 1 - p, 1e-9);
        else expectRelative(regularizedGammaP(shape, x), p, 1e-9);
      }
    }
    expect(gammaQuantile(2, 0)).toBe(0);
    expect(gammaQuantile(2, 1)).toBe(Infinity);
  });
});

describe('numeric helpers', () => {
  it('bisection finds the generalized inverse, at atoms too', () => {
    const step = (x: number): number => (x < 3 ? 0.2 : x < 7 ? 0.6 : 1);
    expect(invertCdfByBisection(step, 0.5, 0, 10)).toBe(3);
    expect(invertCdfByBisection(step, 0.6, 0, 10)).toBe(3);
    expect(invertCdfByBisection(step, 0.61, 0, 10)).toBe(7);
    expect(invertCdfByBisection(step, 0.1, 0, 10)).toBe(0);
    const exponentialCdf = (x: number): number => -Math.expm1(-x);
    expectRelative(invertCdfByBisection(exponentialCdf, 0.5, 0.1, 5), Math.LN2, 1e-15);
  });

  it('quantile integration gives means of smooth and step quantiles', () => {
    expectRelative(
      integrateQuantile((p) => -Math.log1p(-p), 0, 1),
      1,
      1e-3,
    );
    expectRelative(
      integrateQuantile((p) => p, 0, 1),
      0.5,
      1e-14,
    );
    expectRelative(
      integrateQuantile((p) => (p < 0.5 ? 1 : 3), 0, 1),
      2,
      1e-12,
    );
  });
});
