/**
 * Distributions from plain objects, as they appear in YAML scenario files:
 *
 *   latency: { dist: lognormal, median: 90s, p95: 10m }
 *   latency: { dist: exponential, mean: 1 }
 *   latency: { dist: empirical, file: latencies.csv, column: seconds }
 *   latency: { dist: empirical, file: runs.csv, unit: ms }           # plain numbers are milliseconds
 *   latency: { dist: empirical, file: runs.csv, start: started_at, end: ended_at }
 *   latency: { dist: mixture, components: [{ weight: 0.9, dist: {...} }, { weight: 0.1, dist: {...} }] }
 *   dispatch: 2s                      # a bare duration is shorthand for { dist: fixed, value: 2s }
 *
 * Duration-valued fields (value, min, max, mean, median, p95, scale, shift) take seconds or
 * duration strings ("250ms", "1m30s"); shape-like fields (mu, sigma, shape, alpha, and
 * rate, which is per second) take plain numbers. Any spec except uniform (whose min/max
 * are its own parameters) may add modifiers, applied in this order:
 *   shift: a constant added to every draw;
 *   min / max: truncation of the (shifted) value to [min, max] — conditioning, not clamping.
 *
 * Mixtures nest at most `simLimits.mixtureDepth` (16) deep, counted before going deeper, so
 * a spec nested thousands deep is refused instead of overflowing the stack. The distribution
 * built keeps every draw within bounds (draw-bounds.ts: a median of at most 365 days, a
 * finite largest draw of at most 10^100 s), and a spec that breaks them is refused naming the
 * parameter that does (spec-bounds.ts).
 *
 * Errors are DistributionErrors at `${path}.${field}` (mixture components at
 * `${path}.components[i].dist...`, counting from 0), naming the bad value and the fix,
 * with a "did you mean" for misspelt kinds and keys. The tables below (kinds, fields and
 * their types, required combinations, allowed keys) are exported so a schema can be
 * generated from the same source of truth.
 */
import { resolve } from 'node:path';
import {
  chooseParametrisation,
  type Distribution,
  DistributionError,
  fieldPath,
  showValue,
} from '../../sim/distributions/distribution.js';
import { EmpiricalDistribution } from '../../sim/distributions/empirical.js';
import { ExponentialDistribution } from '../../sim/distributions/exponential.js';
import { FixedDistribution } from '../../sim/distributions/fixed.js';
import { GammaDistribution } from '../../sim/distributions/gamma.js';
import { LognormalDistribution } from '../../sim/distributions/lognormal.js';
import { type MixtureComponent, MixtureDistribution } from '../../sim/distributions/mixture.js';
import { ParetoDistribution } from '../../sim/distributions/pareto.js';
import { ShiftedDistribution, TruncatedDistribution } from '../../sim/distributions/truncated.js';
import { UniformDistribution } from '../../sim/distributions/uniform.js';
import { WeibullDistribution } from '../../sim/distributions/weibull.js';
import {
  DURATION_UNITS,
  DURATIONS_ARE_AT_MOST,
  DurationError,
  type DurationUnit,
  describeSeconds,
  isDurationUnit,
  isPlainNumber,
  parseDuration,
  UNIT_WORD_SECONDS,
  unitOfSeconds,
  unitToSeconds,
} from '../duration.js';
import { readEmpiricalFile } from '../latency-file/read.js';
import { implausibleUnit } from '../latency-file/unit-plausibility.js';
import { simLimits } from '../limits.js';
import { didYouMean } from '../suggest.js';
import { largestDrawError, medianError } from './draw-bounds.js';
import { type Blames, blameLevel } from './spec-bounds.js';

export const DISTRIBUTION_KINDS = [
  'fixed',
  'uniform',
  'exponential',
  'lognormal',
  'gamma',
  'weibull',
  'pareto',
  'empirical',
  'mixture',
] as const;

export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

/**
 * How a field's value is written: `duration` (seconds or a duration string), `number`
 * (plain), `string`, `unit` (ms, s, m or h), `durations` (a list of durations), `components`
 * (mixture components, each `{ weight: number, dist: <spec> }`).
 */
export type FieldType = 'duration' | 'number' | 'string' | 'unit' | 'durations' | 'components';

export interface FieldInfo {
  readonly type: FieldType;
  readonly description: string;
}

/** The modifiers any kind but uniform accepts (uniform accepts `shift` only). */
export const MODIFIER_FIELDS = {
  shift: { type: 'duration', description: 'a constant added to every draw, e.g. a start-up cost' },
  min: {
    type: 'duration',
    description: 'keep only durations ≥ min (the distribution is conditioned, not clamped)',
  },
  max: {
    type: 'duration',
    description: 'keep only durations ≤ max (the distribution is conditioned, not clamped)',
  },
} as const satisfies Readonly<Record<string, FieldInfo>>;

/** Each kind's own parameters. */
export const DISTRIBUTION_FIELDS = {
  fixed: { value: { type: 'duration', description: 'the duration' } },
  uniform: {
    min: { type: 'duration', description: 'the shortest duration' },
    max: { type: 'duration', description: 'the longest duration' },
  },
  exponential: {
    mean: { type: 'duration', description: 'the mean duration' },
    rate: { type: 'number', description: 'events per second (the mean is 1/rate)' },
  },
  lognormal: {
    mu: { type: 'number', description: 'the mean of ln(seconds)' },
    sigma: { type: 'number', description: 'the standard deviation of ln(seconds), > 0' },
    median: { type: 'duration', description: 'the median duration' },
    p95: { type: 'duration', description: 'the 95th percentile, > median' },
  },
  gamma: {
    shape: { type: 'number', description: 'k > 0: 1 is exponential, larger is less skewed' },
    scale: { type: 'duration', description: 'θ; the mean is shape × scale' },
    mean: { type: 'duration', description: 'the mean duration (instead of scale)' },
  },
  weibull: {
    shape: { type: 'number', description: 'k > 0: below 1 long stragglers, 1 exponential' },
    scale: { type: 'duration', description: 'λ, the 63rd percentile' },
  },
  pareto: {
    alpha: {
      type: 'number',
      description: 'the tail index > 0; the mean is infinite for alpha ≤ 1',
    },
    scale: { type: 'duration', description: 'the minimum duration' },
  },
  empirical: {
    values: { type: 'durations', description: 'observed durations to resample' },
    file: {
      type: 'string',
      description: 'a CSV or JSON file of observed durations, relative to the scenario file',
    },
    column: { type: 'string', description: 'the CSV column (or JSON key) holding the durations' },
    start: {
      type: 'string',
      description:
        "the CSV column (or JSON key) of each run's start time, ISO-8601 or epoch; with end, instead of column",
    },
    end: {
      type: 'string',
      description:
        "the CSV column (or JSON key) of each run's end time; a run's latency is end − start",
    },
    unit: {
      type: 'unit',
      description:
        "the unit of plain numbers in values or the file (ms, s, m or h; default: the column name's unit, else s)",
    },
  },
  mixture: {
    components: {
      type: 'components',
      description: 'a list of { weight, dist }; weights are relative and normalized',
    },
  },
} as const satisfies { readonly [K in DistributionKind]: Readonly<Record<string, FieldInfo>> };

/** The alternative sets of fields each kind needs: exactly one set, in full. */
export const DISTRIBUTION_REQUIRED: {
  readonly [K in DistributionKind]: readonly (readonly string[])[];
} = {
  fixed: [['value']],
  uniform: [['min', 'max']],
  exponential: [['mean'], ['rate']],
  lognormal: [
    ['mu', 'sigma'],
    ['median', 'p95'],
  ],
  gamma: [
    ['shape', 'scale'],
    ['shape', 'mean'],
  ],
  weibull: [['shape', 'scale']],
  pareto: [['alpha', 'scale']],
  empirical: [['values'], ['file']],
  mixture: [['components']],
};

function allowedKeys(kind: DistributionKind): readonly string[] {
  const modifiers = kind === 'uniform' ? ['shift'] : Object.keys(MODIFIER_FIELDS);
  return ['dist', ...Object.keys(DISTRIBUTION_FIELDS[kind]), ...modifiers];
}

/** Every key a spec of each kind may have, including `dist` and the modifiers. */
export const DISTRIBUTION_KEYS: { readonly [K in DistributionKind]: readonly string[] } = {
  fixed: allowedKeys('fixed'),
  uniform: allowedKeys('uniform'),
  exponential: allowedKeys('exponential'),
  lognormal: allowedKeys('lognormal'),
  gamma: allowedKeys('gamma'),
  weibull: allowedKeys('weibull'),
  pareto: allowedKeys('pareto'),
  empirical: allowedKeys('empirical'),
  mixture: allowedKeys('mixture'),
};

/** Names people reach for that are not kinds here, with what to use instead. */
const KIND_HINTS: ReadonlyMap<string, string> = new Map([
  ['normal', 'durations cannot be negative, so use "lognormal"'],
  ['gaussian', 'durations cannot be negative, so use "lognormal"'],
  ['constant', 'did you mean "fixed"?'],
  ['const', 'did you mean "fixed"?'],
  ['deterministic', 'did you mean "fixed"?'],
  ['exp', 'did you mean "exponential"?'],
  ['erlang', 'an Erlang distribution is a "gamma" with a whole-number shape'],
  ['bootstrap', 'did you mean "empirical"?'],
  ['data', 'did you mean "empirical"?'],
  ['samples', 'did you mean "empirical"?'],
  ['powerlaw', 'did you mean "pareto"?'],
  ['power-law', 'did you mean "pareto"?'],
]);

/** Misnamed keys, with the key meant (suggested only where that key is allowed). */
const KEY_HINTS: ReadonlyMap<string, string> = new Map([
  ['type', 'dist'],
  ['kind', 'dist'],
  ['distribution', 'dist'],
  ['p50', 'median'],
  ['lambda', 'rate'],
  ['k', 'shape'],
  ['theta', 'scale'],
  ['xm', 'scale'],
  ['shape', 'alpha'],
  ['offset', 'shift'],
  ['delay', 'shift'],
  ['minimum', 'min'],
  ['maximum', 'max'],
  ['cap', 'max'],
  ['samples', 'values'],
  ['observations', 'values'],
  ['data', 'values'],
  ['path', 'file'],
  ['filename', 'file'],
  ['units', 'unit'],
  ['begin', 'start'],
  ['started', 'start'],
  ['finish', 'end'],
  ['finished', 'end'],
  ['stop', 'end'],
  ['ended', 'end'],
]);

export interface DistributionSpecOptions {
  /** Where the spec sits in the scenario, e.g. `subagents.latency`; prefixes every error. */
  readonly path: string;
  /** The folder relative empirical `file`s are resolved against (the scenario file's folder). */
  readonly baseDir?: string;
  /**
   * Collects what is valid but looks wrong (observations that look like another unit:
   * latency-file/unit-plausibility.ts), each at the path of the spec it concerns.
   */
  readonly warnings?: DistributionWarning[];
}

/** Something valid in a spec that looks like a mistake: where, and a sentence with the fix. */
export interface DistributionWarning {
  readonly path: string;
  readonly message: string;
}

type SpecObject = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is SpecObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKind(value: string): value is DistributionKind {
  return (DISTRIBUTION_KINDS as readonly string[]).includes(value);
}

const EXAMPLE = '{ dist: lognormal, median: 90s, p95: 10m }';

/**
 * Builds a distribution from a scenario spec (see the file comment for the forms).
 * @throws DistributionError naming the field path, the bad value and the fix.
 */
export function distributionFromSpec(
  spec: unknown,
  options: DistributionSpecOptions,
): Distribution {
  const context = {
    baseDir: options.baseDir,
    depth: 0,
    files: new Map(),
    warnings: options.warnings ?? [],
  };
  const { dist, blames } = fromSpec(spec, options.path, context);
  if (blames.median !== undefined) throw medianError(blames.median);
  if (blames.largest !== undefined) throw largestDrawError(blames.largest);
  return dist;
}

/** A distribution, and who answers for the bounds it breaks, if any (spec-bounds.ts). */
interface Built {
  readonly dist: Distribution;
  readonly blames: Blames;
}

/** What every part of one spec shares while it is built. */
interface BuildContext {
  readonly baseDir: string | undefined;
  /** How many mixtures this part sits inside. */
  readonly depth: number;
  /**
   * Empirical distributions by file and column: a mixture naming one file in many
   * components reads it once and shares one (immutable) distribution, instead of reading
   * up to 64 MiB and keeping a copy of the observations per component.
   */
  readonly files: Map<string, Distribution>;
  /** Where warnings go (DistributionSpecOptions.warnings). */
  readonly warnings: DistributionWarning[];
}

function fromSpec(spec: unknown, path: string, context: BuildContext): Built {
  if (typeof spec === 'number' || typeof spec === 'string') {
    // A duration one could write: within both bounds.
    return { dist: new FixedDistribution({ value: toDuration(spec, path) }, path), blames: {} };
  }
  if (!isPlainObject(spec)) {
    throw new DistributionError(
      path,
      `expected a distribution such as ${EXAMPLE} or a fixed duration such as 10s, got ${showValue(spec)}`,
    );
  }
  const kind = readKind(spec, path);
  const allowed = DISTRIBUTION_KEYS[kind];
  for (const key of Object.keys(spec)) {
    if (!allowed.includes(key)) {
      const hinted = KEY_HINTS.get(key.toLowerCase());
      const suggestion =
        hinted !== undefined && allowed.includes(hinted)
          ? `did you mean "${hinted}"? `
          : didYouMean(key, allowed);
      throw new DistributionError(
        fieldPath(path, key),
        `${kind} has no parameter "${key}"; ${suggestion}its keys are ${allowed.join(', ')}`,
      );
    }
  }

  const components: Blames[] = [];
  const base = buildKind(kind, spec, path, context, components);
  let dist = base;
  const shift = readDuration(spec, 'shift', path);
  if (shift !== undefined && shift > 0) dist = new ShiftedDistribution(dist, shift, path);
  if (kind !== 'uniform') {
    const min = readDuration(spec, 'min', path);
    const max = readDuration(spec, 'max', path);
    if (min !== undefined || max !== undefined)
      dist = new TruncatedDistribution(dist, { min, max }, path);
  }
  const level = { kind, spec, path, base, dist };
  return {
    dist,
    blames: blameLevel(kind === 'mixture' ? { ...level, components } : level),
  };
}

function readKind(spec: SpecObject, path: string): DistributionKind {
  const where = fieldPath(path, 'dist');
  const kind = spec.dist;
  const choices = DISTRIBUTION_KINDS.join(', ');
  if (kind === undefined) {
    const keys = Object.keys(spec);
    const fitting = DISTRIBUTION_KINDS.filter(
      (candidate) =>
        keys.length > 0 &&
        keys.every((key) => DISTRIBUTION_KEYS[candidate].includes(key)) &&
        DISTRIBUTION_REQUIRED[candidate].some((set) => set.every((field) => keys.includes(field))),
    );
    const guess = fitting.length === 1 ? `did you mean dist: ${fitting[0]}? ` : '';
    throw new DistributionError(
      where,
      `is missing; ${guess}say which distribution, e.g. ${EXAMPLE} (one of ${choices})`,
    );
  }
  if (typeof kind !== 'string') {
    throw new DistributionError(
      where,
      `must be the name of a distribution, got ${showValue(kind)}; one of ${choices}`,
    );
  }
  if (isKind(kind)) return kind;
  const hint = KIND_HINTS.get(kind.toLowerCase());
  const advice = hint !== undefined ? `${hint}; ` : didYouMean(kind, DISTRIBUTION_KINDS);
  throw new DistributionError(
    where,
    `unknown distribution "${kind}"; ${advice}choose one of ${choices}`,
  );
}

function buildKind(
  kind: DistributionKind,
  spec: SpecObject,
  path: string,
  context: BuildContext,
  /** Filled with a mixture's components' blames. */
  components: Blames[],
): Distribution {
  switch (kind) {
    case 'fixed':
      return new FixedDistribution({ value: requiredDuration(spec, 'value', kind, path) }, path);
    case 'uniform':
      return new UniformDistribution(
        {
          min: requiredDuration(spec, 'min', kind, path),
          max: requiredDuration(spec, 'max', kind, path),
        },
        path,
      );
    case 'exponential':
      return new ExponentialDistribution(
        { mean: readDuration(spec, 'mean', path), rate: readNumber(spec, 'rate', path) },
        path,
      );
    case 'lognormal':
      return new LognormalDistribution(
        {
          mu: readNumber(spec, 'mu', path),
          sigma: readNumber(spec, 'sigma', path),
          median: readDuration(spec, 'median', path),
          p95: readDuration(spec, 'p95', path),
        },
        path,
      );
    case 'gamma':
      return new GammaDistribution(
        {
          shape: requiredNumber(spec, 'shape', kind, path),
          scale: readDuration(spec, 'scale', path),
          mean: readDuration(spec, 'mean', path),
        },
        path,
      );
    case 'weibull':
      return new WeibullDistribution(
        {
          shape: requiredNumber(spec, 'shape', kind, path),
          scale: requiredDuration(spec, 'scale', kind, path),
        },
        path,
      );
    case 'pareto':
      return new ParetoDistribution(
        {
          alpha: requiredNumber(spec, 'alpha', kind, path),
          scale: requiredDuration(spec, 'scale', kind, path),
        },
        path,
      );
    case 'empirical':
      return buildEmpirical(spec, path, context);
    case 'mixture':
      return buildMixture(spec, path, context, components);
  }
}

/** A duration field in seconds; undefined when absent (the distribution reports it missing). */
function readDuration(spec: SpecObject, key: string, path: string): number | undefined {
  const value = spec[key];
  if (value === undefined) return undefined;
  return toDuration(value, fieldPath(path, key));
}

function toDuration(value: unknown, where: string): number {
  if (value === null) {
    throw new DistributionError(where, 'is empty; give a duration such as 90s, or remove the key');
  }
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new DistributionError(
      where,
      `must be a duration (seconds, or a string such as 250ms, 90s, 2m, 1h), got ${showValue(value)}`,
    );
  }
  try {
    return parseDuration(value, where);
  } catch (error) {
    if (error instanceof DurationError)
      throw new DistributionError(where, error.detail, { cause: error });
    throw error;
  }
}

function missing(kind: DistributionKind, key: string, path: string): DistributionError {
  const needs = DISTRIBUTION_REQUIRED[kind].map((set) => set.join(' and ')).join(', or ');
  return new DistributionError(fieldPath(path, key), `is missing; ${kind} needs ${needs}`);
}

function requiredDuration(
  spec: SpecObject,
  key: string,
  kind: DistributionKind,
  path: string,
): number {
  const value = readDuration(spec, key, path);
  if (value === undefined) throw missing(kind, key, path);
  return value;
}

function requiredNumber(
  spec: SpecObject,
  key: string,
  kind: DistributionKind,
  path: string,
): number {
  const value = readNumber(spec, key, path);
  if (value === undefined) throw missing(kind, key, path);
  return value;
}

/** A plain-number field; undefined when absent. Range checks are the distribution's. */
function readNumber(spec: SpecObject, key: string, path: string): number | undefined {
  const value = spec[key];
  if (value === undefined || typeof value === 'number') return value;
  const where = fieldPath(path, key);
  if (value === null)
    throw new DistributionError(where, 'is empty; give a number, or remove the key');
  if (typeof value === 'string') {
    const trimmed = value.trim();
    let advice = `${key} is a plain number`;
    if (key === 'rate') {
      advice =
        'rate is a plain number of events per second (0.5 means one every 2s); or give mean: 2s instead';
    } else if (trimmed !== '' && Number.isFinite(Number(trimmed))) {
      advice = `write ${trimmed} without quotes`;
    } else if (/^[\d.]+\s*[a-z]+$/i.test(trimmed)) {
      advice = `${key} is a plain number, not a duration`;
    }
    throw new DistributionError(where, `must be a number, got ${showValue(value)}; ${advice}`);
  }
  throw new DistributionError(where, `must be a number, got ${showValue(value)}`);
}

function buildEmpirical(spec: SpecObject, path: string, context: BuildContext): Distribution {
  const fromFile =
    chooseParametrisation(
      'empirical',
      path,
      DISTRIBUTION_REQUIRED.empirical,
      (field) => spec[field] !== undefined,
    ) === 1;
  const column = readColumnName(spec, 'column', path);
  const start = readColumnName(spec, 'start', path);
  const end = readColumnName(spec, 'end', path);
  const unit = readUnit(spec, path);
  if (!fromFile) {
    for (const [key, value] of [
      ['column', column],
      ['start', start],
      ['end', end],
    ] as const) {
      if (value !== undefined) {
        throw new DistributionError(
          fieldPath(path, key),
          'only applies with file: remove it, or load the values from a file',
        );
      }
    }
    const values = spec.values;
    const where = fieldPath(path, 'values');
    if (!Array.isArray(values)) {
      throw new DistributionError(
        where,
        `must be a list of durations such as [1.5, 2, 250ms], got ${showValue(values)}`,
      );
    }
    let plain = 0;
    const seconds = values.map((value: unknown, index) => {
      const read = observation(value, unit, `${where}[${index}]`);
      if (read.plain) plain++;
      return read.seconds;
    });
    const dist = new EmpiricalDistribution({ values: seconds }, path);
    warnAboutUnit(context, path, {
      seconds,
      plain,
      unit: unit ?? 's',
      unitFrom: unit === undefined ? 'default' : 'unit',
      what: `the ${seconds.length} latencies in values`,
    });
    return dist;
  }
  const file = spec.file;
  if (typeof file !== 'string' || file.trim() === '') {
    throw new DistributionError(
      fieldPath(path, 'file'),
      `must be the name of a CSV or JSON file of durations, got ${showValue(file)}`,
    );
  }
  if ((start === undefined) !== (end === undefined)) {
    const [given, missingKey] = start === undefined ? ['end', 'start'] : ['start', 'end'];
    throw new DistributionError(
      fieldPath(path, missingKey),
      `is missing; ${given} and ${missingKey} go together: the columns of the time each run started and the time it ended (its latency is end − start)`,
    );
  }
  if (column !== undefined && start !== undefined) {
    throw new DistributionError(
      fieldPath(path, 'column'),
      'give either column (the durations) or start and end (the times each run started and ended), not both',
    );
  }
  const { baseDir } = context;
  const key = JSON.stringify([
    resolve(baseDir ?? process.cwd(), file),
    column ?? null,
    start ?? null,
    end ?? null,
    unit ?? null,
  ]);
  const known = context.files.get(key);
  if (known !== undefined) return known;
  const data = readEmpiricalFile(file, {
    column,
    start,
    end,
    unit,
    baseDir,
    path: fieldPath(path, 'file'),
    unitPath: fieldPath(path, 'unit'),
  });
  const dist = new EmpiricalDistribution({ values: data.values, source: file }, path);
  context.files.set(key, dist);
  warnAboutUnit(context, path, {
    seconds: data.values,
    plain: data.plain,
    unit: data.unit,
    unitFrom: data.unitFrom,
    what: `the ${data.values.length} latencies in ${JSON.stringify(file)}${data.from === '' ? '' : ` (${data.from})`}`,
  });
  return dist;
}

function warnAboutUnit(
  context: BuildContext,
  path: string,
  evidence: Parameters<typeof implausibleUnit>[0],
): void {
  const message = implausibleUnit(evidence);
  if (message !== undefined) context.warnings.push({ path, message });
}

/** A column name (`column`, `start`, `end`); undefined when absent. */
function readColumnName(spec: SpecObject, key: string, path: string): string | undefined {
  const value = spec[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new DistributionError(
      fieldPath(path, key),
      `must be a column name, got ${showValue(value)}`,
    );
  }
  return value;
}

/** `unit`: ms, s, m or h; a near miss (`sec`, `milliseconds`) is named. */
function readUnit(spec: SpecObject, path: string): DurationUnit | undefined {
  const value = spec.unit;
  if (value === undefined) return undefined;
  if (isDurationUnit(value)) return value;
  const where = fieldPath(path, 'unit');
  const units = DURATION_UNITS.join(', ');
  if (typeof value === 'string') {
    const meant = unitOfSeconds(UNIT_WORD_SECONDS.get(value.trim().toLowerCase()) ?? Number.NaN);
    const hint = meant !== undefined ? `did you mean "${meant}"? ` : '';
    throw new DistributionError(
      where,
      `"${value}" is not a unit; ${hint}the unit of plain numbers is one of ${units}`,
    );
  }
  throw new DistributionError(
    where,
    `must be a unit, got ${showValue(value)}; the unit of plain numbers is one of ${units}`,
  );
}

/** An inline observation: a plain number in `unit` (seconds by default), or a duration string. */
function observation(
  value: unknown,
  unit: DurationUnit | undefined,
  where: string,
): { readonly seconds: number; readonly plain: boolean } {
  const plain =
    (typeof value === 'number' && Number.isFinite(value) && value >= 0) ||
    (typeof value === 'string' && isPlainNumber(value));
  if (!plain || unit === undefined || unit === 's') {
    return { seconds: toDuration(value, where), plain };
  }
  const amount = typeof value === 'number' ? value : Number((value as string).trim());
  const seconds = unitToSeconds(amount, unit) + 0;
  if (seconds > simLimits.maxDuration) {
    throw new DistributionError(
      where,
      `${amount} ${unit} is ${describeSeconds(seconds)}; ${DURATIONS_ARE_AT_MOST}`,
    );
  }
  return { seconds, plain };
}

function buildMixture(
  spec: SpecObject,
  path: string,
  context: BuildContext,
  blames: Blames[],
): Distribution {
  const { depth } = context;
  const where = fieldPath(path, 'components');
  if (depth >= simLimits.mixtureDepth) {
    throw new DistributionError(
      path,
      `mixtures nest at most ${simLimits.mixtureDepth} deep, and this one is inside ${depth} others; flatten them: a mixture of mixtures is one mixture of all their components, each weight multiplied by its mixture's weight`,
    );
  }
  const components = spec.components;
  if (!Array.isArray(components) || components.length === 0) {
    throw new DistributionError(
      where,
      `must be a non-empty list of { weight, dist }, e.g. [{ weight: 0.9, dist: ${EXAMPLE} }, { weight: 0.1, dist: { dist: fixed, value: 30m } }]; got ${showValue(components)}`,
    );
  }
  const built: MixtureComponent[] = components.map((component: unknown, index) => {
    const at = `${where}[${index}]`;
    if (!isPlainObject(component)) {
      throw new DistributionError(at, `must be { weight, dist }, got ${showValue(component)}`);
    }
    for (const key of Object.keys(component)) {
      if (key !== 'weight' && key !== 'dist') {
        const hinted = KEY_HINTS.get(key.toLowerCase());
        const suggestion =
          hinted === 'dist' ? 'did you mean "dist"? ' : didYouMean(key, ['weight', 'dist']);
        throw new DistributionError(
          `${at}.${key}`,
          `a mixture component has no "${key}"; ${suggestion}its keys are weight and dist`,
        );
      }
    }
    const weight = component.weight;
    if (weight === undefined) {
      throw new DistributionError(
        `${at}.weight`,
        'is missing; give each component a relative weight, e.g. 0.9 and 0.1',
      );
    }
    if (typeof weight !== 'number') {
      throw new DistributionError(
        `${at}.weight`,
        `must be a plain number such as 0.9, got ${showValue(weight)}`,
      );
    }
    if (component.dist === undefined) {
      throw new DistributionError(
        `${at}.dist`,
        `is missing; give the component's distribution, e.g. ${EXAMPLE}`,
      );
    }
    const built = fromSpec(component.dist, `${at}.dist`, { ...context, depth: depth + 1 });
    blames.push(built.blames);
    return { weight, dist: built.dist };
  });
  return new MixtureDistribution(built, path);
}
