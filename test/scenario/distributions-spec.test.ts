import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DISTRIBUTION_FIELDS,
  DISTRIBUTION_KEYS,
  DISTRIBUTION_KINDS,
  DISTRIBUTION_REQUIRED,
  distributionFromSpec,
  MODIFIER_FIELDS,
} from '../../src/scenario/distributions/spec.js';
import { DurationError } from '../../src/scenario/duration.js';
import {
  type Distribution,
  EmpiricalDistribution,
  ExponentialDistribution,
  FixedDistribution,
  GammaDistribution,
  LognormalDistribution,
  MixtureDistribution,
  ParetoDistribution,
  ShiftedDistribution,
  TruncatedDistribution,
  UniformDistribution,
  WeibullDistribution,
} from '../../src/sim/distributions/index.js';
import { distributionErrorOf } from '../sim/distributions-helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const PATH = 'subagents.latency';

function build(spec: unknown): Distribution {
  return distributionFromSpec(spec, { path: PATH, baseDir: fixtures });
}

const errorOf = (spec: unknown) => distributionErrorOf(() => build(spec));

describe('distributionFromSpec', () => {
  it('builds each kind from its plain-object form', () => {
    const lognormal = build({ dist: 'lognormal', median: '90s', p95: '10m' });
    expect(lognormal).toBeInstanceOf(LognormalDistribution);
    expect(lognormal.quantile(0.5)).toBeCloseTo(90, 10);
    expect(lognormal.quantile(0.95)).toBeCloseTo(600, 9);

    expect(build({ dist: 'lognormal', mu: 0, sigma: 1 }).describe()).toBe(
      'lognormal(mu=0, sigma=1)',
    );
    expect(build({ dist: 'exponential', mean: 1 })).toBeInstanceOf(ExponentialDistribution);
    expect(build({ dist: 'exponential', rate: 0.5 }).mean()).toBe(2);
    expect(build({ dist: 'fixed', value: 10 })).toBeInstanceOf(FixedDistribution);
    expect(build({ dist: 'uniform', min: '500ms', max: '2s' }).describe()).toBe(
      'uniform(min=500ms, max=2s)',
    );
    expect(build({ dist: 'gamma', shape: 2, scale: '5s' })).toBeInstanceOf(GammaDistribution);
    expect(build({ dist: 'gamma', shape: 2, mean: '1m' }).mean()).toBe(60);
    expect(build({ dist: 'weibull', shape: 1.5, scale: '30s' })).toBeInstanceOf(
      WeibullDistribution,
    );
    expect(build({ dist: 'pareto', alpha: 1.5, scale: '10s' })).toBeInstanceOf(ParetoDistribution);
    expect(build({ dist: 'empirical', values: [1, 2, '3s', '250ms'] }).mean()).toBeCloseTo(
      6.25 / 4,
      14,
    );
  });

  it('reads durations in every duration-valued field', () => {
    expect(build({ dist: 'fixed', value: '1m30s' }).mean()).toBe(90);
    expect(build({ dist: 'exponential', mean: '250ms' }).mean()).toBe(0.25);
    expect(build({ dist: 'weibull', shape: 1, scale: '2m' }).mean()).toBeCloseTo(120, 10);
    expect((build({ dist: 'pareto', alpha: 2, scale: '1h' }) as ParetoDistribution).scale).toBe(
      3600,
    );
    expect(build({ dist: 'fixed', value: 1, shift: '500ms' }).mean()).toBe(1.5);
  });

  it('takes a bare duration as a fixed one', () => {
    expect(build(10).describe()).toBe('fixed(10s)');
    expect(build('2m').mean()).toBe(120);
    expect(errorOf('soon').message).toBe(
      `${PATH}: "soon" is not a duration; write seconds as a number (90) or a number with a unit: 250ms, 90s, 2m, 1h`,
    );
  });

  it('builds mixtures, recursively', () => {
    const mixture = build({
      dist: 'mixture',
      components: [
        { weight: 0.9, dist: { dist: 'lognormal', median: '90s', p95: '10m' } },
        { weight: 0.1, dist: { dist: 'mixture', components: [{ weight: 1, dist: '30m' }] } },
      ],
    });
    expect(mixture).toBeInstanceOf(MixtureDistribution);
    expect(mixture.describe()).toBe(
      'mixture(90% lognormal(median=1m30s, p95=10m), 10% mixture(100% fixed(30m)))',
    );
  });

  it('applies shift, then truncates the shifted value', () => {
    const dist = build({
      dist: 'lognormal',
      median: '90s',
      p95: '10m',
      shift: '5s',
      min: '30s',
      max: '20m',
    });
    expect(dist).toBeInstanceOf(TruncatedDistribution);
    expect((dist as TruncatedDistribution).base).toBeInstanceOf(ShiftedDistribution);
    expect(dist.describe()).toBe('lognormal(median=1m30s, p95=10m) + 5s truncated to [30s, 20m]');
    expect(dist.quantile(0)).toBeCloseTo(30, 9);
    expect(dist.quantile(1)).toBeCloseTo(1200, 9);
    // fixed 10 shifted by 5 is 15: inside [14, 16], outside max 12.
    expect(build({ dist: 'fixed', value: 10, shift: 5, min: 14, max: 16 }).mean()).toBe(15);
    expect(errorOf({ dist: 'fixed', value: 10, shift: 5, max: 12 }).message).toMatch(
      /^subagents\.latency: fixed\(10s\) \+ 5s never falls in \[0s, 12s\]/,
    );
  });

  it('treats uniform min/max as its parameters, and allows a shift', () => {
    expect(build({ dist: 'uniform', min: 1, max: 3 })).toBeInstanceOf(UniformDistribution);
    const dist = build({ dist: 'uniform', min: 1, max: 3, shift: 10 });
    expect(dist.mean()).toBe(12);
    expect(DISTRIBUTION_KEYS.uniform).toEqual(['dist', 'min', 'max', 'shift']);
  });

  it('resolves empirical files against baseDir', () => {
    const dist = build({ dist: 'empirical', file: 'latencies.csv', column: 'latency' });
    expect(dist).toBeInstanceOf(EmpiricalDistribution);
    expect((dist as EmpiricalDistribution).size).toBe(200);
    expect(dist.describe()).toMatch(/^empirical\(n=200, median=.*, from latencies\.csv\)$/);
    expect(
      (build({ dist: 'empirical', file: 'latencies.json' }) as EmpiricalDistribution).size,
    ).toBe(150);
  });
});

describe('distributionFromSpec errors', () => {
  it('name the field path, the value and the fix', () => {
    const error = errorOf({ dist: 'lognormal', mu: 0, sigma: -1 });
    expect(error.path).toBe('subagents.latency.sigma');
    expect(error.message).toBe(
      'subagents.latency.sigma: must be a number greater than 0, got -1 (the spread of ln(seconds): 0.5 is moderate, 1.5 heavy-tailed)',
    );
  });

  it('report bad duration strings at their field, keeping the DurationError as cause', () => {
    const error = errorOf({ dist: 'lognormal', median: '9O s', p95: '10m' });
    expect(error.message).toBe(
      'subagents.latency.median: "9O s" is not a duration; write seconds as a number (90) or a number with a unit: 250ms, 90s, 2m, 1h',
    );
    expect(error.path).toBe('subagents.latency.median');
    expect(error.cause).toBeInstanceOf(DurationError);
    expect(errorOf({ dist: 'fixed', value: '-5s' }).message).toBe(
      'subagents.latency.value: "-5s" is negative; durations must be 0 or more (did you mean 5s?)',
    );
    expect(errorOf({ dist: 'exponential', mean: '5min' }).message).toContain('did you mean "5m"?');
  });

  it('locate errors inside mixture components', () => {
    const error = errorOf({
      dist: 'mixture',
      components: [
        { weight: 0.9, dist: { dist: 'exponential', mean: 1 } },
        { weight: 0.1, dist: { dist: 'exponential', mean: 'slow' } },
      ],
    });
    expect(error.path).toBe('subagents.latency.components[1].dist.mean');
    expect(error.message).toMatch(
      /^subagents\.latency\.components\[1\]\.dist\.mean: "slow" is not a duration/,
    );

    expect(errorOf({ dist: 'mixture', components: [{ weight: 0, dist: 1 }] }).message).toMatch(
      /^subagents\.latency\.components\[0\]\.weight: must be a number greater than 0, got 0;/,
    );
    expect(errorOf({ dist: 'mixture', components: [{ weight: '90%', dist: 1 }] }).message).toBe(
      'subagents.latency.components[0].weight: must be a plain number such as 0.9, got "90%"',
    );
    expect(errorOf({ dist: 'mixture', components: [{ dist: 1 }] }).path).toBe(
      'subagents.latency.components[0].weight',
    );
    expect(errorOf({ dist: 'mixture', components: [{ weight: 1 }] }).path).toBe(
      'subagents.latency.components[0].dist',
    );
    expect(errorOf({ dist: 'mixture', components: [{ wieght: 1, dist: 1 }] }).message).toBe(
      'subagents.latency.components[0].wieght: a mixture component has no "wieght"; did you mean "weight"? its keys are weight and dist',
    );
    expect(errorOf({ dist: 'mixture', components: [] }).message).toMatch(
      /^subagents\.latency\.components: must be a non-empty list of \{ weight, dist \}/,
    );
    expect(errorOf({ dist: 'mixture', components: [5] }).message).toBe(
      'subagents.latency.components[0]: must be { weight, dist }, got 5',
    );
  });

  it('list the kinds for an unknown dist, with a "did you mean"', () => {
    const error = errorOf({ dist: 'lognorm', median: 1, p95: 2 });
    expect(error.path).toBe('subagents.latency.dist');
    expect(error.message).toBe(
      'subagents.latency.dist: unknown distribution "lognorm"; did you mean "lognormal"? choose one of fixed, uniform, exponential, lognormal, gamma, weibull, pareto, empirical, mixture',
    );
    expect(errorOf({ dist: 'Gamma', shape: 1, scale: 1 }).message).toContain(
      'did you mean "gamma"?',
    );
    expect(errorOf({ dist: 'expo', mean: 1 }).message).toContain('did you mean "exponential"?');
    expect(errorOf({ dist: 'normal' }).message).toContain(
      'durations cannot be negative, so use "lognormal"',
    );
    expect(errorOf({ dist: 'poisson' }).message).toMatch(
      /unknown distribution "poisson"; choose one of fixed,/,
    );
    expect(errorOf({ dist: 3 }).message).toMatch(/dist: must be the name of a distribution, got 3/);
  });

  it('guess the kind when dist is missing', () => {
    expect(errorOf({ median: '90s', p95: '10m' }).message).toMatch(
      /^subagents\.latency\.dist: is missing; did you mean dist: lognormal\? say which distribution/,
    );
    expect(errorOf({ foo: 1 }).message).toMatch(
      /^subagents\.latency\.dist: is missing; say which distribution/,
    );
  });

  it('name unknown keys, with a "did you mean" and the allowed keys', () => {
    expect(errorOf({ dist: 'lognormal', mu: 0, sigm: 1 }).message).toBe(
      'subagents.latency.sigm: lognormal has no parameter "sigm"; did you mean "sigma"? its keys are dist, mu, sigma, median, p95, shift, min, max',
    );
    expect(errorOf({ dist: 'pareto', shape: 2, scale: 1 }).message).toContain(
      'did you mean "alpha"?',
    );
    expect(errorOf({ dist: 'exponential', lambda: 2 }).message).toContain('did you mean "rate"?');
    expect(errorOf({ dist: 'exponential', mean: 1, offset: 2 }).message).toContain(
      'did you mean "shift"?',
    );
    expect(errorOf({ dist: 'uniform', min: 1, max: 2, minimum: 3 }).path).toBe(
      'subagents.latency.minimum',
    );
    expect(errorOf({ dist: 'fixed', value: 1, colour: 'red' }).message).toBe(
      'subagents.latency.colour: fixed has no parameter "colour"; its keys are dist, value, shift, min, max',
    );
  });

  it('insist on plain numbers for shape-like fields', () => {
    expect(errorOf({ dist: 'gamma', shape: '2', mean: 1 }).message).toBe(
      'subagents.latency.shape: must be a number, got "2"; write 2 without quotes',
    );
    expect(errorOf({ dist: 'lognormal', mu: 0, sigma: '1s' }).message).toBe(
      'subagents.latency.sigma: must be a number, got "1s"; sigma is a plain number, not a duration',
    );
    expect(errorOf({ dist: 'exponential', rate: '2/s' }).message).toBe(
      'subagents.latency.rate: must be a number, got "2/s"; rate is a plain number of events per second (0.5 means one every 2s); or give mean: 2s instead',
    );
    expect(errorOf({ dist: 'weibull', shape: null, scale: 1 }).message).toBe(
      'subagents.latency.shape: is empty; give a number, or remove the key',
    );
  });

  it('report missing and conflicting parameters', () => {
    expect(errorOf({ dist: 'fixed' }).message).toBe(
      'subagents.latency.value: is missing; fixed needs value',
    );
    expect(errorOf({ dist: 'weibull', shape: 2 }).message).toBe(
      'subagents.latency.scale: is missing; weibull needs shape and scale',
    );
    expect(errorOf({ dist: 'exponential' }).message).toBe(
      'subagents.latency: exponential needs mean or rate',
    );
    expect(errorOf({ dist: 'exponential', mean: 1, rate: 1 }).message).toBe(
      'subagents.latency: exponential takes either mean or rate, not both (got mean, rate)',
    );
    expect(errorOf({ dist: 'lognormal', median: '1m' }).message).toBe(
      'subagents.latency.p95: is missing: lognormal with median also needs p95',
    );
    expect(errorOf({ dist: 'lognormal', median: '90s', p95: '1m' }).message).toBe(
      'subagents.latency.p95: must be greater than the median (1m30s), got 1m; p95 is the duration 95% of draws stay under',
    );
    expect(errorOf({ dist: 'empirical' }).message).toBe(
      'subagents.latency: empirical needs values or file',
    );
    expect(errorOf({ dist: 'empirical', values: [1], column: 'x' }).message).toBe(
      'subagents.latency.column: only applies with file: remove it, or load the values from a file',
    );
    expect(errorOf({ dist: 'empirical', values: [1, 'x'] }).path).toBe(
      'subagents.latency.values[1]',
    );
    expect(errorOf({ dist: 'empirical', values: 5 }).message).toMatch(
      /values: must be a list of durations/,
    );
  });

  it('report bad modifiers', () => {
    expect(errorOf({ dist: 'exponential', mean: 1, min: 5, max: 2 }).message).toBe(
      'subagents.latency.max: must be greater than min (5s), got 2s; truncation keeps the durations between min and max',
    );
    expect(errorOf({ dist: 'exponential', mean: 1, min: null }).message).toBe(
      'subagents.latency.min: is empty; give a duration such as 90s, or remove the key',
    );
    expect(errorOf({ dist: 'exponential', mean: 1, shift: '-1s' }).path).toBe(
      'subagents.latency.shift',
    );
    expect(errorOf({ dist: 'exponential', mean: 1, max: [1] }).message).toBe(
      'subagents.latency.max: must be a duration (seconds, or a string such as 250ms, 90s, 2m, 1h), got a list of 1',
    );
  });

  it('reject specs that are not objects or durations', () => {
    for (const spec of [null, true, [1, 2], undefined]) {
      expect(errorOf(spec).message).toMatch(
        /^subagents\.latency: expected a distribution such as \{ dist: lognormal, median: 90s, p95: 10m \} or a fixed duration such as 10s, got /,
      );
    }
  });

  it('report unreadable empirical files at the file field', () => {
    const error = errorOf({ dist: 'empirical', file: 'missing.csv' });
    expect(error.path).toBe('subagents.latency.file');
    expect(error.message).toMatch(
      /^subagents\.latency\.file: cannot read "missing\.csv": no such file \(looked for .*missing\.csv\)/,
    );
  });
});

describe('exported spec tables', () => {
  it('list every kind, with its keys', () => {
    expect([...DISTRIBUTION_KINDS]).toEqual([
      'fixed',
      'uniform',
      'exponential',
      'lognormal',
      'gamma',
      'weibull',
      'pareto',
      'empirical',
      'mixture',
    ]);
    for (const kind of DISTRIBUTION_KINDS) {
      const keys = DISTRIBUTION_KEYS[kind];
      expect(keys[0]).toBe('dist');
      for (const field of Object.keys(DISTRIBUTION_FIELDS[kind])) expect(keys).toContain(field);
      for (const set of DISTRIBUTION_REQUIRED[kind])
        for (const field of set) expect(keys).toContain(field);
      expect(keys).toContain('shift');
      if (kind !== 'uniform')
        for (const modifier of Object.keys(MODIFIER_FIELDS)) expect(keys).toContain(modifier);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('describe specs that build: every required set, with a value of each field type', () => {
    const example: Record<string, unknown> = {
      duration: '2s',
      number: 1.5,
      durations: [1, '2s'],
      string: 'latencies.csv',
      components: [{ weight: 1, dist: 1 }],
    };
    const valueFor = (kind: string, field: string): unknown => {
      if (kind === 'uniform' && field === 'max') return '3s';
      if (kind === 'lognormal' && field === 'p95') return '10s';
      const fields: Record<string, { type: string }> =
        DISTRIBUTION_FIELDS[kind as keyof typeof DISTRIBUTION_FIELDS];
      return example[fields[field]?.type ?? ''];
    };
    for (const kind of DISTRIBUTION_KINDS) {
      for (const set of DISTRIBUTION_REQUIRED[kind]) {
        const spec = Object.fromEntries([
          ['dist', kind],
          ...set.map((field) => [field, valueFor(kind, field)]),
        ]);
        const dist = build(spec);
        expect(Number.isFinite(dist.quantile(0.5))).toBe(true);
      }
    }
  });
});
