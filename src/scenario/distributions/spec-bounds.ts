/**
 * Which parameter of a spec answers when its draws break the bounds of draw-bounds.ts (a
 * median beyond 365 days, a largest draw beyond 10^100 s or infinite).
 *
 * The bounds hold for the distribution the whole spec describes: a component's heavy tail
 * may be cut by its mixture's `max`, a base's by its own. So each level of a spec (a kind
 * with its modifiers, a mixture of components) is judged on what it finally draws, and where
 * it breaks a bound the blame goes to the deepest part that breaks it on its own: a kind's
 * parameter (`pareto.alpha`, `lognormal.sigma`), a component, else the modifier that broke it
 * (a `min` conditioning draws far into a tail, a `shift` pushing the median past a year).
 * A level within the bounds clears its parts' blame: the top level's is what is reported.
 */
import {
  type Distribution,
  fieldPath,
  largestDrawOf,
  showValue,
} from '../../sim/distributions/distribution.js';
import { type Blame, drawTooLarge, medianTooLong } from './draw-bounds.js';

/** The blame for each bound a part of a spec breaks; empty when it keeps both. */
export interface Blames {
  readonly median?: Blame;
  readonly largest?: Blame;
}

type SpecObject = Readonly<Record<string, unknown>>;

const add = 'or add max: to truncate the tail';

/** What to change, per kind and field, for the median and for the largest draw. */
const FIXES: Readonly<Record<string, { readonly median: string; readonly largest: string }>> = {
  'exponential.mean': { median: 'shorten the mean', largest: 'shorten the mean' },
  'exponential.rate': {
    median: 'raise the rate (the mean is 1/rate seconds)',
    largest: 'raise the rate (the mean is 1/rate seconds)',
  },
  'lognormal.mu': {
    median: 'lower mu (the median is e^mu seconds; 365 days is about e^17.3)',
    largest: `lower mu, ${add}`,
  },
  'lognormal.sigma': { median: 'use a smaller sigma', largest: `use a smaller sigma, ${add}` },
  'lognormal.median': { median: 'shorten the median', largest: `shorten the median, ${add}` },
  'lognormal.p95': {
    median: 'bring p95 closer to the median',
    largest: `bring p95 closer to the median, ${add}`,
  },
  'gamma.shape': {
    median: 'use a smaller shape (the mean is shape × scale)',
    largest: `use a larger shape (the scale is mean / shape), ${add}`,
  },
  'weibull.scale': { median: 'shorten the scale', largest: `shorten the scale, ${add}` },
  'weibull.shape': {
    median: 'use a larger shape',
    largest: `use a larger shape (the tail grows as e^(1/shape)), ${add}`,
  },
  'pareto.alpha': {
    median: 'use a larger alpha (1 to 3 is a usual heavy tail)',
    largest: `use a larger alpha (1 to 3 is a usual heavy tail), ${add}`,
  },
};

/** The fields of a kind that set its median and its top, as the spec gives them. */
function ownFields(kind: string, spec: SpecObject): { median: string; largest: string } {
  switch (kind) {
    case 'fixed':
      return { median: 'value', largest: 'value' };
    case 'uniform':
      return { median: 'max', largest: 'max' };
    case 'exponential': {
      const field = spec.rate !== undefined ? 'rate' : 'mean';
      return { median: field, largest: field };
    }
    case 'lognormal':
      return spec.mu !== undefined
        ? { median: 'mu', largest: 'sigma' }
        : { median: 'median', largest: 'p95' };
    case 'gamma':
      return { median: 'shape', largest: 'shape' };
    case 'weibull':
      return { median: 'scale', largest: 'shape' };
    case 'pareto':
      return { median: 'alpha', largest: 'alpha' };
    default:
      return { median: 'dist', largest: 'dist' };
  }
}

function blameField(
  kind: string,
  spec: SpecObject,
  path: string,
  field: string,
  which: 'median' | 'largest',
  value: number,
): Blame {
  return {
    where: fieldPath(path, field),
    given: `${field} ${showValue(spec[field])}`,
    fix: FIXES[`${kind}.${field}`]?.[which] ?? 'change it',
    value,
  };
}

/** The modifier that answers for a bound broken only once modifiers apply: min, else shift. */
function modifierBlame(spec: SpecObject, path: string, value: number): Blame | undefined {
  if (spec.min !== undefined && spec.max === undefined) {
    return {
      where: fieldPath(path, 'min'),
      given: `min ${showValue(spec.min)} without a max`,
      fix: 'add max: to bound the tail, or lower min',
      value,
    };
  }
  if (spec.shift !== undefined) {
    return {
      where: fieldPath(path, 'shift'),
      given: `shift ${showValue(spec.shift)}`,
      fix: 'shorten the shift',
      value,
    };
  }
  return undefined;
}

export interface SpecLevel {
  readonly kind: string;
  readonly spec: SpecObject;
  readonly path: string;
  /** The kind alone, before shift, min and max. */
  readonly base: Distribution;
  /** What the level finally draws, modifiers included. */
  readonly dist: Distribution;
  /** For a mixture: its components' blames, in order. */
  readonly components?: readonly Blames[];
}

/** The blames of one level of a spec (see the file comment). */
export function blameLevel(level: SpecLevel): Blames {
  const { kind, spec, path, base, dist, components } = level;
  const median = dist.quantile(0.5);
  const largest = largestDrawOf(dist);
  const medianBroken = medianTooLong(median);
  const largestBroken = drawTooLarge(largest);
  if (!medianBroken && !largestBroken) return {};

  let own: Blames;
  if (components !== undefined) {
    own = {
      median: components.find((c) => c.median !== undefined)?.median,
      largest: components.find((c) => c.largest !== undefined)?.largest,
    };
  } else {
    const fields = ownFields(kind, spec);
    const baseMedian = base.quantile(0.5);
    const baseLargest = largestDrawOf(base);
    own = {
      median: medianTooLong(baseMedian)
        ? blameField(kind, spec, path, fields.median, 'median', baseMedian)
        : undefined,
      largest: drawTooLarge(baseLargest)
        ? blameField(kind, spec, path, fields.largest, 'largest', baseLargest)
        : undefined,
    };
  }
  const whole = (value: number): Blame =>
    modifierBlame(spec, path, value) ?? {
      where: path,
      given: dist.describe(),
      fix: 'change its parameters',
      value,
    };
  return {
    median: medianBroken ? (own.median ?? whole(median)) : undefined,
    largest: largestBroken ? (own.largest ?? whole(largest)) : undefined,
  };
}
