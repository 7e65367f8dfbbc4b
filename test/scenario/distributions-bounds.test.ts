/**
 * The bounds on what a latency spec draws (draw-bounds.ts, spec-bounds.ts): a median of at
 * most 365 days and a finite largest draw of at most 10^100 s, for every kind and modifier,
 * with the blame on the parameter responsible; heavy tails within them stay valid.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { distributionFromSpec } from '../../src/scenario/distributions/spec.js';
import { simLimits } from '../../src/scenario/limits.js';
import {
  type Distribution,
  EmpiricalDistribution,
  ExponentialDistribution,
  FixedDistribution,
  LognormalDistribution,
  type MixtureDistribution,
  ParetoDistribution,
  ShiftedDistribution,
  TruncatedDistribution,
  UniformDistribution,
  WeibullDistribution,
} from '../../src/sim/distributions/index.js';
import { LARGEST_UNIFORM, type Uniform } from '../../src/sim/random.js';
import { distributionErrorOf, draw } from '../sim/distributions-helpers.js';

const PATH = 'subagents.latency';
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const build = (spec: unknown): Distribution =>
  distributionFromSpec(spec, { path: PATH, baseDir: fixtures });
const errorOf = (spec: unknown) => distributionErrorOf(() => build(spec));

/** Always the same uniform: the largest a stream yields, to sample the top of the range. */
const largestUniform: Uniform = { next: () => LARGEST_UNIFORM };

describe('largestDraw', () => {
  it('is what sampling gives at the largest uniform, for every inverse-CDF sampler', () => {
    const dists: Distribution[] = [
      new FixedDistribution({ value: 7 }),
      new UniformDistribution({ min: 1, max: 9 }),
      new ExponentialDistribution({ mean: 60 }),
      new LognormalDistribution({ median: 90, p95: 600 }),
      new WeibullDistribution({ shape: 0.5, scale: 60 }),
      new ParetoDistribution({ alpha: 1.2, scale: 600 }),
      new EmpiricalDistribution({ values: [3, 1, 2] }),
      new ShiftedDistribution(new ExponentialDistribution({ mean: 60 }), 5),
      new TruncatedDistribution(new ParetoDistribution({ alpha: 0.8, scale: 1 }), { max: 100 }),
      new TruncatedDistribution(new ExponentialDistribution({ mean: 60 }), { min: 30 }),
    ];
    for (const dist of dists) {
      expect(dist.sample(largestUniform), dist.describe()).toBe(dist.largestDraw?.());
    }
  });

  it('bounds every draw of a mixture and of a gamma (not inverse-CDF samplers)', () => {
    const mixture = build({
      dist: 'mixture',
      components: [
        { weight: 0.9, dist: { dist: 'lognormal', median: '2m', p95: '6m' } },
        { weight: 0.1, dist: { dist: 'gamma', shape: 0.3, mean: '10m' } },
      ],
    });
    const largest = mixture.largestDraw?.() ?? Number.NaN;
    expect(largest).toBeGreaterThan(mixture.quantile(1 - 1e-12));
    for (const x of draw(mixture, 'bounds', 20_000)) expect(x).toBeLessThanOrEqual(largest);
  });

  it("puts the bundled heavy tail's top at 1.2e16 s, within the bound", () => {
    const top = new ParetoDistribution({ alpha: 1.2, scale: 600 }).largestDraw();
    expect(top).toBeGreaterThan(1.1e16);
    expect(top).toBeLessThan(simLimits.maxDraw / 50);
  });
});

describe('distributionFromSpec refuses draws out of bounds, naming the parameter', () => {
  const cases: { spec: unknown; path: string; pattern: RegExp }[] = [
    {
      spec: { dist: 'exponential', rate: 1e-308 },
      path: `${PATH}.rate`,
      pattern: /median draw at .*; a latency's median must be at most 365 days, so raise the rate/,
    },
    { spec: { dist: 'exponential', rate: 1e-8 }, path: `${PATH}.rate`, pattern: /median/ },
    {
      spec: { dist: 'lognormal', mu: 1000, sigma: 1 },
      path: `${PATH}.mu`,
      pattern: /mu 1000 puts the median draw at infinity/,
    },
    {
      spec: { dist: 'lognormal', mu: 1, sigma: 100 },
      path: `${PATH}.sigma`,
      pattern: /sigma 100 lets a draw be infinite .* at most 1e\+100 s/,
    },
    {
      spec: { dist: 'lognormal', median: 1e-30, p95: '8760h' },
      path: `${PATH}.p95`,
      pattern: /lets a draw reach \d\.\d+e\+1\d\d s .*bring p95 closer to the median/,
    },
    { spec: { dist: 'gamma', shape: 1e9, scale: '1h' }, path: `${PATH}.shape`, pattern: /median/ },
    {
      spec: { dist: 'gamma', shape: 1e-100, mean: '1h' },
      path: `${PATH}.shape`,
      pattern: /use a larger shape/,
    },
    {
      spec: { dist: 'weibull', shape: 1e-9, scale: 1 },
      path: `${PATH}.shape`,
      pattern: /lets a draw be infinite/,
    },
    {
      spec: { dist: 'pareto', alpha: 1e-308, scale: 1 },
      path: `${PATH}.alpha`,
      pattern: /alpha 1e-308 puts the median draw at infinity/,
    },
    {
      spec: { dist: 'pareto', alpha: 0.1, scale: '10m' },
      path: `${PATH}.alpha`,
      pattern: /lets a draw reach .* or add max: to truncate the tail/,
    },
    {
      spec: { dist: 'pareto', alpha: 2, scale: 1, min: 1e7 },
      path: `${PATH}.min`,
      pattern: /min 10000000 without a max lets a draw be infinite.*add max:/,
    },
    {
      spec: { dist: 'fixed', value: '6000h', shift: '6000h' },
      path: `${PATH}.shift`,
      pattern: /shift "6000h" puts the median draw at 43,200,000 s \(500 days\)/,
    },
    {
      spec: {
        dist: 'mixture',
        components: [
          { weight: 1, dist: '1s' },
          { weight: 1, dist: { dist: 'pareto', alpha: 0.001, scale: 1 } },
        ],
      },
      path: `${PATH}.components[1].dist.alpha`,
      pattern: /lets a draw be infinite/,
    },
  ];
  for (const { spec, path, pattern } of cases) {
    it(`${JSON.stringify(spec)} at ${path}`, () => {
      const error = errorOf(spec);
      expect(error.path).toBe(path);
      expect(error.detail).toMatch(pattern);
    });
  }

  it('refuses durations past 365 days in every duration field, modifiers and values included', () => {
    for (const spec of [
      '8761h',
      { dist: 'exponential', mean: 1e308 },
      { dist: 'uniform', min: 0, max: '9000h' },
      { dist: 'pareto', alpha: 2, scale: 1, max: 1e9 },
      { dist: 'empirical', values: [1, 2, 4e7] },
    ]) {
      expect(errorOf(spec).detail, JSON.stringify(spec)).toMatch(/durations are at most 365 days/);
    }
  });
});

describe('distributionFromSpec keeps heavy tails that stay within bounds', () => {
  it('accepts the bundled heavy tail, and heavier tails cut by a max', () => {
    const heavyTail = {
      dist: 'mixture',
      components: [
        { weight: 0.9, dist: { dist: 'lognormal', median: '2m', p95: '6m' } },
        { weight: 0.1, dist: { dist: 'pareto', alpha: 1.2, scale: '10m' } },
      ],
    };
    expect(build(heavyTail).largestDraw?.()).toBeGreaterThan(1e16);
    // An infinite mean is fine: alpha 0.5 reaches 5·10^34 s at the top, within the bound.
    expect(build({ dist: 'pareto', alpha: 0.5, scale: '10m' }).largestDraw?.()).toBeCloseTo(
      4.87e34,
      -32,
    );
    // alpha 0.1 would reach 2·10^162 s; truncated, itself or as a component, it is fine.
    expect(
      build({ dist: 'pareto', alpha: 0.1, scale: '10m', max: '24h' }).largestDraw?.(),
    ).toBeCloseTo(86_400, 6);
    const cut = build({
      dist: 'mixture',
      max: '24h',
      components: [
        { weight: 0.9, dist: '1m' },
        { weight: 0.1, dist: { dist: 'pareto', alpha: 0.001, scale: 1 } },
      ],
    });
    expect(cut.largestDraw?.()).toBeCloseTo(86_400, 6);
  });
});

describe('mixture nesting', () => {
  const nested = (depth: number): unknown =>
    depth === 0
      ? { dist: 'fixed', value: 1 }
      : { dist: 'mixture', components: [{ weight: 1, dist: nested(depth - 1) }] };

  it(`takes mixtures ${simLimits.mixtureDepth} deep and refuses one more`, () => {
    expect(build(nested(simLimits.mixtureDepth)).quantile(0.5)).toBe(1);
    const error = errorOf(nested(simLimits.mixtureDepth + 1));
    expect(error.path).toBe(`${PATH}${'.components[0].dist'.repeat(simLimits.mixtureDepth)}`);
    expect(error.detail).toMatch(/mixtures nest at most 16 deep.*flatten them/);
  });

  it('refuses 5,000 levels without overflowing the stack', () => {
    let spec: unknown = { dist: 'fixed', value: 1 };
    for (let i = 0; i < 5000; i++)
      spec = { dist: 'mixture', components: [{ weight: 1, dist: spec }] };
    expect(errorOf(spec).detail).toMatch(/nest at most 16 deep/);
  });
});

describe('latency files named by several components', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dispatchlab-bounds-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('are read once, into one shared distribution per file and column', () => {
    copyFileSync(join(fixtures, 'latencies.csv'), join(scratch, 'a.csv'));
    const component = { weight: 1, dist: { dist: 'empirical', file: 'a.csv' } };
    const mixture = distributionFromSpec(
      { dist: 'mixture', components: [component, component, component] },
      { path: PATH, baseDir: scratch },
    ) as MixtureDistribution;
    const [first, ...rest] = mixture.components.map((c) => c.dist);
    expect(first).toBeInstanceOf(EmpiricalDistribution);
    for (const dist of rest) expect(dist).toBe(first);
  });
});
