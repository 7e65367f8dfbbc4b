import { describe, expect, it } from 'vitest';
import {
  type Distribution,
  EmpiricalDistribution,
  ExponentialDistribution,
  FixedDistribution,
  GammaDistribution,
  LognormalDistribution,
  logGamma,
  MixtureDistribution,
  ParetoDistribution,
  ShiftedDistribution,
  standardNormalCdf,
  TruncatedDistribution,
  UniformDistribution,
  WeibullDistribution,
} from '../../src/sim/distributions/index.js';
import { RandomStream } from '../../src/sim/random.js';
import {
  average,
  CountingUniform,
  distributionErrorOf,
  draw,
  expectMeanMatches,
  expectQuantilesMatch,
  standardDeviation,
} from './distributions-helpers.js';

const N = 200_000;
const LEVELS = [0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

const gammaFunction = (x: number): number => Math.exp(logGamma(x));

function lognormalMoments(mu: number, sigma: number): { mean: number; sd: number } {
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  return { mean, sd: mean * Math.sqrt(Math.expm1(sigma * sigma)) };
}

/** Mean and sd of a lognormal conditioned on [a, b], in closed form (partial moments). */
function truncatedLognormalMoments(mu: number, sigma: number, a: number, b: number) {
  const z = (x: number, shift: number): number =>
    x <= 0 ? -Infinity : x === Infinity ? Infinity : (Math.log(x) - mu) / sigma - shift;
  const window = (shift: number): number =>
    standardNormalCdf(z(b, shift)) - standardNormalCdf(z(a, shift));
  const mass = window(0);
  const mean = (Math.exp(mu + sigma ** 2 / 2) * window(sigma)) / mass;
  const second = (Math.exp(2 * mu + 2 * sigma ** 2) * window(2 * sigma)) / mass;
  return { mean, sd: Math.sqrt(second - mean * mean) };
}

/** Mean of an exponential conditioned on [a, b] (memorylessness makes it a + E[X | X ≤ b − a]). */
function truncatedExponentialMean(mean: number, a: number, b: number): number {
  const width = b - a;
  return a + mean - (width * Math.exp(-width / mean)) / -Math.expm1(-width / mean);
}

function mixtureMoments(parts: readonly { weight: number; mean: number; sd: number }[]) {
  const mean = parts.reduce((sum, part) => sum + part.weight * part.mean, 0);
  const second = parts.reduce(
    (sum, part) => sum + part.weight * (part.sd ** 2 + part.mean ** 2),
    0,
  );
  return { mean, sd: Math.sqrt(second - mean * mean) };
}

const observed = [3.2, 4.1, 4.1, 5, 6.5, 7.25, 9, 12, 15.5, 21, 30, 45, 90, 120, 600];
const latency = new LognormalDistribution({ median: 90, p95: 600 });
const latencyMoments = lognormalMoments(Math.log(90), Math.log(600 / 90) / 1.6448536269514722);

interface Case {
  readonly name: string;
  readonly dist: Distribution;
  /** The mean, computed here independently of the library; omitted when infinite. */
  readonly mean?: number;
  /** The standard deviation, or an upper bound on it; omitted when infinite. */
  readonly sd?: number;
  /** Draws to take (fewer for the slow numeric samplers). */
  readonly n?: number;
}

const cases: readonly Case[] = [
  { name: 'fixed', dist: new FixedDistribution({ value: 10 }), mean: 10, sd: 0 },
  {
    name: 'uniform',
    dist: new UniformDistribution({ min: 1, max: 5 }),
    mean: 3,
    sd: 4 / Math.sqrt(12),
  },
  {
    name: 'uniform, degenerate',
    dist: new UniformDistribution({ min: 2, max: 2 }),
    mean: 2,
    sd: 0,
  },
  {
    name: 'exponential by mean',
    dist: new ExponentialDistribution({ mean: 30 }),
    mean: 30,
    sd: 30,
  },
  { name: 'exponential by rate', dist: new ExponentialDistribution({ rate: 0.5 }), mean: 2, sd: 2 },
  { name: 'lognormal by median and p95', dist: latency, ...latencyMoments },
  {
    name: 'lognormal by mu and sigma',
    dist: new LognormalDistribution({ mu: 0, sigma: 1 }),
    ...lognormalMoments(0, 1),
  },
  {
    name: 'lognormal, narrow',
    dist: new LognormalDistribution({ mu: 3, sigma: 0.25 }),
    ...lognormalMoments(3, 0.25),
  },
  {
    name: 'gamma, shape below 1',
    dist: new GammaDistribution({ shape: 0.3, scale: 10 }),
    mean: 3,
    sd: Math.sqrt(0.3) * 10,
  },
  { name: 'gamma, shape 1', dist: new GammaDistribution({ shape: 1, scale: 4 }), mean: 4, sd: 4 },
  {
    name: 'gamma by mean',
    dist: new GammaDistribution({ shape: 2.5, mean: 60 }),
    mean: 60,
    sd: Math.sqrt(2.5) * 24,
  },
  {
    name: 'gamma, large shape',
    dist: new GammaDistribution({ shape: 50, scale: 1 }),
    mean: 50,
    sd: Math.sqrt(50),
  },
  {
    name: 'weibull, long tail',
    dist: new WeibullDistribution({ shape: 0.7, scale: 30 }),
    mean: 30 * gammaFunction(1 + 1 / 0.7),
    sd: 30 * Math.sqrt(gammaFunction(1 + 2 / 0.7) - gammaFunction(1 + 1 / 0.7) ** 2),
  },
  {
    name: 'weibull, clustered',
    dist: new WeibullDistribution({ shape: 3, scale: 10 }),
    mean: 10 * gammaFunction(1 + 1 / 3),
    sd: 10 * Math.sqrt(gammaFunction(1 + 2 / 3) - gammaFunction(1 + 1 / 3) ** 2),
  },
  {
    name: 'pareto, finite variance',
    dist: new ParetoDistribution({ alpha: 3, scale: 10 }),
    mean: 15,
    sd: Math.sqrt((100 * 3) / (4 * 1)),
  },
  // Infinite variance: the sample mean does not settle, so only quantiles are checked.
  { name: 'pareto, infinite variance', dist: new ParetoDistribution({ alpha: 1.5, scale: 10 }) },
  { name: 'pareto, infinite mean', dist: new ParetoDistribution({ alpha: 0.8, scale: 10 }) },
  {
    name: 'empirical',
    dist: new EmpiricalDistribution({ values: observed }),
    mean: observed.reduce((a, b) => a + b, 0) / observed.length,
    sd: standardDeviation(observed),
  },
  {
    name: 'mixture with an atom',
    dist: new MixtureDistribution([
      { weight: 9, dist: latency },
      { weight: 1, dist: new FixedDistribution({ value: 1800 }) },
    ]),
    ...mixtureMoments([
      { weight: 0.9, ...latencyMoments },
      { weight: 0.1, mean: 1800, sd: 0 },
    ]),
  },
  {
    name: 'mixture of continuous components',
    dist: new MixtureDistribution([
      { weight: 0.3, dist: new ExponentialDistribution({ mean: 5 }) },
      { weight: 0.7, dist: new GammaDistribution({ shape: 4, scale: 10 }) },
    ]),
    ...mixtureMoments([
      { weight: 0.3, mean: 5, sd: 5 },
      { weight: 0.7, mean: 40, sd: 20 },
    ]),
  },
  {
    name: 'shifted lognormal',
    dist: new ShiftedDistribution(latency, 5),
    mean: latencyMoments.mean + 5,
    sd: latencyMoments.sd,
  },
  {
    name: 'truncated lognormal',
    dist: new TruncatedDistribution(latency, { min: 30, max: 1200 }),
    ...truncatedLognormalMoments(Math.log(90), latency.sigma, 30, 1200),
  },
  {
    name: 'truncated lognormal, min only',
    dist: new TruncatedDistribution(latency, { min: 300 }),
    ...truncatedLognormalMoments(Math.log(90), latency.sigma, 300, Infinity),
  },
  {
    name: 'truncated exponential',
    dist: new TruncatedDistribution(new ExponentialDistribution({ mean: 10 }), { min: 5, max: 20 }),
    mean: truncatedExponentialMean(10, 5, 20),
    sd: 7.5, // any distribution on [5, 20] has sd ≤ 15/2
  },
  {
    name: 'truncated pareto with infinite mean',
    dist: new TruncatedDistribution(new ParetoDistribution({ alpha: 0.8, scale: 1 }), { max: 100 }),
    mean: ((0.8 / 0.2) * (100 ** 0.2 - 1)) / (1 - 100 ** -0.8),
    sd: 99 / 2,
  },
  {
    name: 'truncated gamma',
    dist: new TruncatedDistribution(new GammaDistribution({ shape: 2, scale: 10 }), {
      min: 5,
      max: 50,
    }),
    sd: 45 / 2,
    n: 50_000,
  },
  {
    name: 'truncated shifted mixture',
    dist: new TruncatedDistribution(
      new ShiftedDistribution(
        new MixtureDistribution([
          { weight: 0.9, dist: latency },
          { weight: 0.1, dist: new FixedDistribution({ value: 1800 }) },
        ]),
        10,
      ),
      { max: 1200 },
    ),
    sd: 1200 / 2,
  },
  {
    name: 'truncated empirical, min on an observation',
    dist: new TruncatedDistribution(new EmpiricalDistribution({ values: observed }), { min: 9 }),
    mean: average(observed.filter((x) => x >= 9)),
    sd: standardDeviation(observed.filter((x) => x >= 9)),
  },
];

describe.each(cases)('$name', ({ name, dist, mean, sd, n = N }) => {
  let drawn: Float64Array | undefined;
  const samples = (): Float64Array => {
    drawn ??= draw(dist, name, n);
    return drawn;
  };

  // Cases without a closed-form mean (some truncations) have no such test rather than a skipped one.
  if (mean !== undefined) {
    it('has the analytic mean', () => {
      // Truncated means are numeric (quantile integration), good to about 1e-6 relative.
      expect(Math.abs(dist.mean() - mean)).toBeLessThanOrEqual(1e-5 * Math.max(1, mean));
    });
  }

  // With infinite variance the sample mean does not settle; quantiles are checked instead.
  if (sd !== undefined) {
    it('matches its mean in samples', () => {
      expectMeanMatches(samples(), dist.mean(), sd);
    });
  }

  it('matches its quantiles in samples', () => {
    expectQuantilesMatch(samples(), dist, LEVELS);
  });

  it('draws durations: finite and non-negative', () => {
    expect(samples().every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
  });
});

describe('parametrisations', () => {
  it('lognormal by median and p95 hits both', () => {
    expect(latency.quantile(0.5)).toBeCloseTo(90, 10);
    expect(latency.quantile(0.95)).toBeCloseTo(600, 9);
    expect(latency.mu).toBeCloseTo(Math.log(90), 14);
    expect(latency.sigma).toBeCloseTo(Math.log(600 / 90) / 1.6448536269514722, 14);
  });

  it('exponential by rate has mean 1/rate', () => {
    expect(new ExponentialDistribution({ rate: 4 }).mean()).toBe(0.25);
    expect(new ExponentialDistribution({ mean: 30 }).quantile(0.5)).toBeCloseTo(30 * Math.LN2, 12);
  });

  it('gamma by mean has scale mean/shape', () => {
    expect(new GammaDistribution({ shape: 4, mean: 60 }).scale).toBe(15);
  });

  it('weibull with shape 1 is exponential, shape 2 is Rayleigh', () => {
    expect(new WeibullDistribution({ shape: 1, scale: 7 }).mean()).toBeCloseTo(7, 12);
    expect(new WeibullDistribution({ shape: 2, scale: 10 }).mean()).toBeCloseTo(
      5 * Math.sqrt(Math.PI),
      12,
    );
  });

  it('pareto has an infinite mean when alpha ≤ 1', () => {
    expect(new ParetoDistribution({ alpha: 1, scale: 10 }).mean()).toBe(Infinity);
    expect(new ParetoDistribution({ alpha: 0.5, scale: 10 }).mean()).toBe(Infinity);
    expect(new ParetoDistribution({ alpha: 2, scale: 10 }).mean()).toBe(20);
    expect(new ParetoDistribution({ alpha: 2, scale: 10 }).quantile(0.75)).toBeCloseTo(20, 12);
  });

  it('gamma quantiles agree with exponential and chi-square values', () => {
    const exponential = new GammaDistribution({ shape: 1, scale: 3 });
    expect(exponential.quantile(0.5)).toBeCloseTo(3 * Math.LN2, 12);
    // Chi-square with 4 degrees of freedom is gamma(2, 2): its 95th percentile is 9.487729036781154.
    expect(new GammaDistribution({ shape: 2, scale: 2 }).quantile(0.95)).toBeCloseTo(
      9.487729036781154,
      9,
    );
    expect(new GammaDistribution({ shape: 0.5, scale: 2 }).quantile(0.95)).toBeCloseTo(
      3.841458820694124,
      9,
    );
  });

  it('mixture weights are normalized', () => {
    const mixture = new MixtureDistribution([
      { weight: 9, dist: new FixedDistribution({ value: 1 }) },
      { weight: 1, dist: new FixedDistribution({ value: 2 }) },
    ]);
    expect(mixture.components.map((c) => c.weight)).toEqual([0.9, 0.1]);
    expect(mixture.mean()).toBeCloseTo(1.1, 14);
    expect(mixture.quantile(0.9)).toBe(1);
    expect(mixture.quantile(0.9000001)).toBe(2);
  });

  it('a mixture has an infinite mean if a component has', () => {
    const mixture = new MixtureDistribution([
      { weight: 0.99, dist: new FixedDistribution({ value: 1 }) },
      { weight: 0.01, dist: new ParetoDistribution({ alpha: 0.9, scale: 1 }) },
    ]);
    expect(mixture.mean()).toBe(Infinity);
    expect(new TruncatedDistribution(mixture, { min: 0.5 }).mean()).toBe(Infinity);
    expect(Number.isFinite(new TruncatedDistribution(mixture, { max: 1000 }).mean())).toBe(true);
  });
});

describe('numeric means of truncated distributions', () => {
  it('match closed forms to about 1e-6', () => {
    const windows: [number, number][] = [
      [30, 1200],
      [0.5, 3],
      [300, Infinity],
      [0, 45],
    ];
    for (const [min, max] of windows) {
      const truncated = new TruncatedDistribution(latency, {
        min,
        max: max === Infinity ? undefined : max,
      });
      const exact = truncatedLognormalMoments(latency.mu, latency.sigma, min, max).mean;
      expect(Math.abs(truncated.mean() / exact - 1)).toBeLessThan(1e-6);
    }
    const exponential = new TruncatedDistribution(new ExponentialDistribution({ mean: 10 }), {
      min: 5,
      max: 20,
    });
    expect(Math.abs(exponential.mean() / truncatedExponentialMean(10, 5, 20) - 1)).toBeLessThan(
      1e-6,
    );
    const tail = new TruncatedDistribution(new ExponentialDistribution({ mean: 1 }), { min: 3 });
    expect(Math.abs(tail.mean() - 4)).toBeLessThan(1e-6);
  });
});

describe('truncation', () => {
  it('conditions rather than clamps: no probability piles up at the bounds', () => {
    const truncated = new TruncatedDistribution(latency, { min: 60, max: 120 });
    const samples = draw(truncated, 'truncation bounds', 50_000);
    expect(samples.every((x) => x >= 60 && x <= 120)).toBe(true);
    expect(samples.filter((x) => x === 60 || x === 120).length).toBe(0);
    expect(truncated.cdf(59.999)).toBe(0);
    expect(truncated.cdf(120)).toBe(1);
    expect(truncated.quantile(0)).toBeCloseTo(60, 9);
    expect(truncated.quantile(1)).toBeCloseTo(120, 9);
  });

  it('keeps an atom exactly at min', () => {
    const truncated = new TruncatedDistribution(
      new EmpiricalDistribution({ values: [1, 2, 3, 4] }),
      { min: 2 },
    );
    expect(truncated.quantile(0.01)).toBe(2);
    expect(truncated.cdf(2)).toBeCloseTo(1 / 3, 14);
    expect(truncated.mean()).toBeCloseTo(3, 6);
  });

  it('of a mixture reweights the components by their mass in the window', () => {
    // Half the weight on fixed(1800) is cut off entirely by max: 1200.
    const mixture = new MixtureDistribution([
      { weight: 0.5, dist: new UniformDistribution({ min: 0, max: 100 }) },
      { weight: 0.5, dist: new FixedDistribution({ value: 1800 }) },
    ]);
    const truncated = new TruncatedDistribution(mixture, { max: 1200 });
    const samples = draw(truncated, 'truncated mixture', 20_000);
    expect(samples.every((x) => x <= 100)).toBe(true);
    expect(truncated.mean()).toBeCloseTo(50, 4);
  });
});

describe('cdf and quantile', () => {
  it.each(cases)('quantile(cdf(x)) ≈ x and cdf(quantile(p)) ≈ p: $name', ({ dist }) => {
    for (const p of [0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999]) {
      const x = dist.quantile(p);
      const level = dist.cdf(x);
      // At an atom the cdf jumps past p; otherwise it returns p.
      expect(level).toBeGreaterThanOrEqual(p - 1e-9);
      if (level > p + 1e-9) {
        expect(dist.cdf(x * (1 - 1e-12) - 1e-300)).toBeLessThan(p + 1e-9);
      }
      const back = dist.quantile(Math.min(level, 1));
      expect(Math.abs(back - x)).toBeLessThanOrEqual(1e-9 * Math.max(1, x));
    }
  });

  it('quantile(0) is the bottom of the support and quantile(1) the top', () => {
    expect(latency.quantile(0)).toBe(0);
    expect(latency.quantile(1)).toBe(Infinity);
    expect(new ParetoDistribution({ alpha: 2, scale: 10 }).quantile(0)).toBe(10);
    expect(new UniformDistribution({ min: 1, max: 5 }).quantile(1)).toBe(5);
    expect(new EmpiricalDistribution({ values: observed }).quantile(0)).toBe(3.2);
    expect(new EmpiricalDistribution({ values: observed }).quantile(1)).toBe(600);
    expect(new GammaDistribution({ shape: 2, scale: 1 }).quantile(1)).toBe(Infinity);
  });

  it('quantile rejects probabilities outside [0, 1]', () => {
    for (const dist of [
      latency,
      new GammaDistribution({ shape: 2, scale: 1 }),
      cases.find((c) => c.name === 'mixture with an atom')!.dist,
    ]) {
      expect(() => dist.quantile(1.5)).toThrow(RangeError);
      expect(() => dist.quantile(-0.1)).toThrow(/needs 0 ≤ p ≤ 1, got -0.1/);
      expect(() => dist.quantile(Number.NaN)).toThrow(RangeError);
    }
  });

  it('the empirical quantile is the inverse of the empirical cdf', () => {
    const empirical = new EmpiricalDistribution({ values: [4, 1, 3, 2] });
    expect([0.25, 0.26, 0.5, 0.75, 0.76, 1].map((p) => empirical.quantile(p))).toEqual([
      1, 2, 2, 3, 4, 4,
    ]);
    expect([0.5, 1, 1.5, 4, 9].map((x) => empirical.cdf(x))).toEqual([0, 0.25, 0.25, 1, 1]);
  });
});

describe('uniform consumption', () => {
  const single: readonly Distribution[] = [
    new FixedDistribution({ value: 3 }),
    new UniformDistribution({ min: 1, max: 2 }),
    new ExponentialDistribution({ mean: 2 }),
    latency,
    new WeibullDistribution({ shape: 0.7, scale: 30 }),
    new ParetoDistribution({ alpha: 1.5, scale: 10 }),
    new EmpiricalDistribution({ values: observed }),
    new ShiftedDistribution(latency, 5),
    new TruncatedDistribution(latency, { min: 30, max: 1200 }),
    new TruncatedDistribution(new GammaDistribution({ shape: 2, scale: 1 }), { max: 3 }),
  ];

  it.each(single.map((dist) => ({ dist, label: dist.describe() })))(
    'exactly one uniform per draw: $label',
    ({ dist }) => {
      const counter = new CountingUniform(new RandomStream(1, 'count', dist.describe()));
      for (let i = 0; i < 1000; i++) dist.sample(counter);
      expect(counter.count).toBe(1000);
    },
  );

  it.each(single.map((dist) => ({ dist, label: dist.describe() })))(
    'inverse-CDF sampling: sample(u) = quantile(u.next()) for $label',
    ({ dist }) => {
      const forSample = new RandomStream(1, 'inverse', dist.describe());
      const forQuantile = new RandomStream(1, 'inverse', dist.describe());
      for (let i = 0; i < 1000; i++) {
        const sample = dist.sample(forSample);
        const quantile = dist.quantile(forQuantile.next());
        expect(Math.abs(sample - quantile)).toBeLessThanOrEqual(1e-12 * Math.max(1, quantile));
      }
    },
  );

  it('a mixture takes one uniform to pick, then the component’s', () => {
    const mixture = new MixtureDistribution([
      { weight: 1, dist: latency },
      { weight: 1, dist: new ExponentialDistribution({ mean: 1 }) },
    ]);
    const counter = new CountingUniform(new RandomStream(1, 'count', 'mixture'));
    for (let i = 0; i < 1000; i++) mixture.sample(counter);
    expect(counter.count).toBe(2000);
    const truncated = new TruncatedDistribution(mixture, { max: 100 });
    counter.count = 0;
    for (let i = 0; i < 1000; i++) truncated.sample(counter);
    expect(counter.count).toBe(2000);
  });

  it('gamma takes a variable number: 2 per attempt, plus 1 for shapes below 1', () => {
    for (const [shape, extra] of [
      [0.3, 1],
      [1, 0],
      [2.5, 0],
      [50, 0],
    ] as const) {
      const gamma = new GammaDistribution({ shape, scale: 1 });
      const counter = new CountingUniform(new RandomStream(1, 'count', 'gamma', String(shape)));
      const draws = 10_000;
      let least = Number.POSITIVE_INFINITY;
      for (let i = 0; i < draws; i++) {
        const before = counter.count;
        gamma.sample(counter);
        least = Math.min(least, counter.count - before);
      }
      expect(least).toBe(2 + extra);
      // Marsaglia–Tsang accepts over 95% of attempts.
      expect(counter.count / draws).toBeLessThan((2 + extra) * 1.06);
    }
  });
});

describe('describe()', () => {
  it('shows the parametrisation the user gave, with human durations', () => {
    expect(latency.describe()).toBe('lognormal(median=1m30s, p95=10m)');
    expect(new LognormalDistribution({ mu: 0, sigma: 1 }).describe()).toBe(
      'lognormal(mu=0, sigma=1)',
    );
    expect(new FixedDistribution({ value: 0.25 }).describe()).toBe('fixed(250ms)');
    expect(new UniformDistribution({ min: 1, max: 90 }).describe()).toBe(
      'uniform(min=1s, max=1m30s)',
    );
    expect(new ExponentialDistribution({ mean: 30 }).describe()).toBe('exponential(mean=30s)');
    expect(new ExponentialDistribution({ rate: 0.5 }).describe()).toBe('exponential(rate=0.5/s)');
    expect(new GammaDistribution({ shape: 2, scale: 5 }).describe()).toBe(
      'gamma(shape=2, scale=5s)',
    );
    expect(new GammaDistribution({ shape: 2, mean: 60 }).describe()).toBe(
      'gamma(shape=2, mean=1m)',
    );
    expect(new WeibullDistribution({ shape: 1.5, scale: 30 }).describe()).toBe(
      'weibull(shape=1.5, scale=30s)',
    );
    expect(new ParetoDistribution({ alpha: 1.5, scale: 10 }).describe()).toBe(
      'pareto(alpha=1.5, scale=10s)',
    );
    expect(new EmpiricalDistribution({ values: [1, 2, 3], source: 'x.csv' }).describe()).toBe(
      'empirical(n=3, median=2s, p95=3s, from x.csv)',
    );
    expect(
      new MixtureDistribution([
        { weight: 9, dist: latency },
        { weight: 1, dist: new FixedDistribution({ value: 1800 }) },
      ]).describe(),
    ).toBe('mixture(90% lognormal(median=1m30s, p95=10m), 10% fixed(30m))');
    expect(new ShiftedDistribution(latency, 5).describe()).toBe(
      'lognormal(median=1m30s, p95=10m) + 5s',
    );
    expect(new TruncatedDistribution(latency, { min: 30, max: 1200 }).describe()).toBe(
      'lognormal(median=1m30s, p95=10m) truncated to [30s, 20m]',
    );
    expect(new TruncatedDistribution(latency, { max: 1200 }).describe()).toBe(
      'lognormal(median=1m30s, p95=10m) truncated to ≤ 20m',
    );
    expect(new TruncatedDistribution(latency, { min: 30 }).describe()).toBe(
      'lognormal(median=1m30s, p95=10m) truncated to ≥ 30s',
    );
  });
});

describe('constructor validation', () => {
  const errorOf = distributionErrorOf;

  it('names the field path, the bad value and the rule', () => {
    const error = errorOf(
      () => new LognormalDistribution({ mu: 0, sigma: -1 }, 'subagents.latency'),
    );
    expect(error.name).toBe('DistributionError');
    expect(error.path).toBe('subagents.latency.sigma');
    expect(error.message).toMatch(
      /^subagents\.latency\.sigma: must be a number greater than 0, got -1 \(/,
    );
  });

  it('defaults the path to the kind', () => {
    expect(errorOf(() => new FixedDistribution({ value: -1 })).message).toMatch(
      /^fixed\.value: must be a duration of 0 or more, got -1$/,
    );
    expect(errorOf(() => new WeibullDistribution({ shape: 2, scale: 0 })).path).toBe(
      'weibull.scale',
    );
  });

  it.each([
    ['fixed NaN', () => new FixedDistribution({ value: Number.NaN }), 'fixed.value', /got NaN/],
    [
      'uniform max < min',
      () => new UniformDistribution({ min: 5, max: 1 }),
      'uniform.max',
      /at least min \(5s\), got 1s/,
    ],
    [
      'uniform negative',
      () => new UniformDistribution({ min: -1, max: 1 }),
      'uniform.min',
      /0 or more, got -1/,
    ],
    [
      'exponential both',
      () => new ExponentialDistribution({ mean: 1, rate: 1 }),
      'exponential',
      /either mean or rate, not both/,
    ],
    [
      'exponential neither',
      () => new ExponentialDistribution({}),
      'exponential',
      /needs mean or rate/,
    ],
    [
      'exponential rate 0',
      () => new ExponentialDistribution({ rate: 0 }),
      'exponential.rate',
      /greater than 0, got 0/,
    ],
    [
      'lognormal mixed',
      () => new LognormalDistribution({ mu: 1, p95: 2 }),
      'lognormal',
      /either mu and sigma, or median and p95, not both \(got mu, p95\)/,
    ],
    [
      'lognormal half',
      () => new LognormalDistribution({ median: 10 }),
      'lognormal.p95',
      /is missing: lognormal with median also needs p95/,
    ],
    [
      'lognormal p95 ≤ median',
      () => new LognormalDistribution({ median: 60, p95: 60 }),
      'lognormal.p95',
      /greater than the median \(1m\), got 1m/,
    ],
    [
      'lognormal infinite mu',
      () => new LognormalDistribution({ mu: Infinity, sigma: 1 }),
      'lognormal.mu',
      /finite number, got Infinity/,
    ],
    [
      'gamma shape',
      () => new GammaDistribution({ shape: 0, scale: 1 }),
      'gamma.shape',
      /greater than 0, got 0/,
    ],
    [
      'gamma both',
      () => new GammaDistribution({ shape: 1, scale: 1, mean: 1 }),
      'gamma',
      /either scale or mean/,
    ],
    [
      'pareto alpha',
      () => new ParetoDistribution({ alpha: -2, scale: 1 }),
      'pareto.alpha',
      /got -2/,
    ],
    [
      'pareto scale',
      () => new ParetoDistribution({ alpha: 2, scale: 0 }),
      'pareto.scale',
      /duration greater than 0, got 0/,
    ],
    [
      'empirical empty',
      () => new EmpiricalDistribution({ values: [] }),
      'empirical.values',
      /at least one observed duration/,
    ],
    [
      'empirical negative',
      () => new EmpiricalDistribution({ values: [1, -3] }),
      'empirical.values[1]',
      /0 or more, got -3/,
    ],
    [
      'mixture empty',
      () => new MixtureDistribution([]),
      'mixture.components',
      /at least one component/,
    ],
    [
      'mixture weight',
      () => new MixtureDistribution([{ weight: -1, dist: latency }]),
      'mixture.components[0].weight',
      /greater than 0, got -1/,
    ],
    [
      'shift negative',
      () => new ShiftedDistribution(latency, -5),
      'shifted.shift',
      /0 or more, got -5/,
    ],
    [
      'truncation inverted',
      () => new TruncatedDistribution(latency, { min: 10, max: 5 }),
      'truncated.max',
      /greater than min \(10s\), got 5s/,
    ],
    [
      'truncation equal',
      () => new TruncatedDistribution(latency, { min: 10, max: 10 }),
      'truncated.max',
      /greater than min/,
    ],
    [
      'truncation empty window',
      () => new TruncatedDistribution(new FixedDistribution({ value: 10 }), { min: 20 }),
      'truncated',
      /never falls in \[20s, ∞\)/,
    ],
    [
      'truncation without bounds',
      () => new TruncatedDistribution(latency, {}),
      'truncated',
      /needs min, max or both/,
    ],
  ] as const)('%s', (_, build, path, message) => {
    const error = errorOf(build);
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
