/**
 * A strategy kind's options, declared abstractly: the values each takes, its default, what it
 * means and how a label shows it. A kind's descriptor (descriptor.ts) lists its options, and
 * from that list alone come the checks of the kind's function (`batch({ size })`), its
 * automatic label, its description (`Strategy.description`), its scenario entry (the results
 * document's `config`) and, in the scenario layer, the schema of its entries in a scenario
 * file, which maps each option type to what people write (durations such as "15m",
 * "unbounded", "none", percentages).
 *
 * Values here are the model's: durations in seconds, Infinity for "unbounded" or "none".
 *
 * The types, and what a scenario file writes for each:
 *
 * - `count`: a whole number >= 1;
 * - `whole`: a whole number >= 0;
 * - `limit`: a whole number >= 1, or Infinity for no limit, written `unbounded`;
 * - `share`: a number from 0 to 1, written as a share or a percentage; a default of
 *   undefined stands for a value found elsewhere (the world's `quality.validation`);
 * - `duration`: seconds, at least 0 (more than 0 if `positive`), written as a duration
 *   (`15m`); Infinity, written `none`, when `none` says what it means;
 * - `choice`: one of a few words; `flag`: true or false.
 */
import { formatDuration, roundSignificant } from '../sim/format.js';

/**
 * How an automatic label shows an option (label.ts). An option is shown only when it differs
 * from its default, unless `always`; an option with no default is always shown.
 *
 * - `{ name }` (the default, `name` being the option's own): `name=value`, e.g. `k=10`,
 *   `timeout=15m`.
 * - `{ bare: true }`: the value alone for a choice (`events`, `volatile`); for a flag, its
 *   name when true and `no-name` when false (`resume`).
 * - `{ attached: true }`: right after the part of the option it applies with (`appliesWhen`),
 *   as `@value`, whenever it applies: `polling@30s`.
 */
export type LabelStyle =
  | { readonly name?: string; readonly always?: boolean }
  | { readonly bare: true; readonly always?: boolean }
  | { readonly attached: true };

interface OptionBase {
  /** What it means, for people (the scenario schema's description): say its default. */
  readonly description: string;
  /**
   * The option means something only while another option of the kind has this value
   * (`pollInterval` with `continuation: polling`). Otherwise it may not be written in a
   * scenario, is left out of scenario entries and labels, and is null in the description.
   */
  readonly appliesWhen?: { readonly option: string; readonly is: string | boolean };
  readonly label?: LabelStyle;
}

/** A whole number >= 1. Without a default it must be given: `example` shows a value to write. */
export interface CountOption extends OptionBase {
  readonly type: 'count';
  readonly default?: number;
  readonly example?: number;
}

/** A whole number >= 0. */
export interface WholeOption extends OptionBase {
  readonly type: 'whole';
  readonly default: number;
}

/** A whole number >= 1, or Infinity for no limit (`unbounded`, which means `unboundedMeans`). */
export interface LimitOption extends OptionBase {
  readonly type: 'limit';
  readonly default: number;
  /** What no limit amounts to, for messages: "fire-and-forget", "every ready task". */
  readonly unboundedMeans: string;
}

/** A share from 0 to 1. A default of undefined stands for a value found elsewhere (say where in `description`). */
export interface ShareOption extends OptionBase {
  readonly type: 'share';
  readonly default: number | undefined;
}

/**
 * Seconds: at least 0, more than 0 if `positive`. Infinity is allowed only when `none` says
 * what it means ("no timeout"); it is written `none`.
 */
export interface DurationOption extends OptionBase {
  readonly type: 'duration';
  readonly default: number;
  readonly positive?: boolean;
  readonly none?: string;
}

/** One of a few words. */
export interface ChoiceOption<V extends string = string> extends OptionBase {
  readonly type: 'choice';
  readonly values: readonly V[];
  readonly default: V;
}

/** True or false. */
export interface FlagOption extends OptionBase {
  readonly type: 'flag';
  readonly default: boolean;
}

export type OptionSpec =
  | CountOption
  | WholeOption
  | LimitOption
  | ShareOption
  | DurationOption
  | ChoiceOption
  | FlagOption;

/** A kind's options by name, in the order labels, descriptions and entries show them. */
export type OptionSpecs = { readonly [name: string]: OptionSpec };

/** An option's value in the model: numbers in seconds, Infinity for none or unbounded. */
export type OptionValue<S extends OptionSpec> =
  S extends ChoiceOption<infer V>
    ? V
    : S extends FlagOption
      ? boolean
      : S extends ShareOption
        ? undefined extends S['default']
          ? number | undefined
          : number
        : number;

/** What a caller may give for an option: a limit may also be `'unbounded'`. */
export type OptionInput<S extends OptionSpec> = S extends LimitOption
  ? number | 'unbounded'
  : OptionValue<S>;

/** A value of any option, resolved. */
export type AnyOptionValue = string | number | boolean | undefined;

/** A value as a scenario entry writes it: `unbounded` and `none` for Infinity. */
export type EntryValue = string | number | boolean;

/** A value as a description records it: null for none, unbounded, inherited, or not applying. */
export type DescriptionValue = string | number | boolean | null;

export function hasDefault(spec: OptionSpec): boolean {
  return 'default' in spec;
}

/** Whether `spec` applies, given the kind's other resolved values. */
export function applies(spec: OptionSpec, values: Readonly<Record<string, unknown>>): boolean {
  return spec.appliesWhen === undefined || values[spec.appliesWhen.option] === spec.appliesWhen.is;
}

/** A value as messages quote it. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * The option's value, checked: its default when undefined, Infinity for `'unbounded'`, -0 as
 * 0. Throws a RangeError naming `what` (e.g. `batch size`) otherwise.
 */
export function resolveOption(spec: OptionSpec, what: string, given: unknown): AnyOptionValue {
  if (given === undefined) {
    if (!hasDefault(spec)) throw new RangeError(`${what} is required`);
    return spec.default;
  }
  const fail = (expected: string): never => {
    throw new RangeError(`${what} must be ${expected}, got ${shown(given)}`);
  };
  const whole = (min: number): number | undefined =>
    typeof given === 'number' && Number.isInteger(given) && given >= min ? given + 0 : undefined;
  switch (spec.type) {
    case 'count':
      return whole(1) ?? fail('a whole number >= 1');
    case 'whole':
      return whole(0) ?? fail('a whole number >= 0');
    case 'limit':
      if (given === 'unbounded' || given === Number.POSITIVE_INFINITY) {
        return Number.POSITIVE_INFINITY;
      }
      return whole(1) ?? fail(`a whole number >= 1, or 'unbounded'`);
    case 'share':
      return typeof given === 'number' && given >= 0 && given <= 1
        ? given + 0
        : fail('a share between 0 and 1');
    case 'duration': {
      const seconds = `a number of seconds ${spec.positive ? '> 0' : '>= 0'}${spec.none ? ` (Infinity: ${spec.none})` : ''}`;
      if (typeof given !== 'number' || Number.isNaN(given)) return fail(seconds);
      if (given === Number.POSITIVE_INFINITY) return spec.none ? given : fail(seconds);
      return (spec.positive ? given > 0 : given >= 0) ? given + 0 : fail(seconds);
    }
    case 'choice':
      return typeof given === 'string' && spec.values.includes(given)
        ? given
        : fail(quoteChoices(spec.values));
    case 'flag':
      return typeof given === 'boolean' ? given : fail('true or false');
  }
}

/** `'runtime' or 'none'`, `'a', 'b' or 'c'`. */
function quoteChoices(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length <= 1
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** A resolved value as a scenario entry writes it; undefined to leave it out. */
export function entryValue(spec: OptionSpec, value: AnyOptionValue): EntryValue | undefined {
  if (value === Number.POSITIVE_INFINITY) {
    return spec.type === 'limit' ? 'unbounded' : spec.type === 'duration' ? 'none' : undefined;
  }
  return value;
}

/** A resolved value as a description records it: null for Infinity and undefined. */
export function descriptionValue(value: AnyOptionValue): DescriptionValue {
  return value === undefined || value === Number.POSITIVE_INFINITY ? null : value;
}

/**
 * A duration for a label: formatDuration's short form (15m, 1m30s, 250ms) when it reads back
 * as exactly these seconds, else the seconds in full (`900.0001s`), so that two durations
 * never read alike and a label reads back as the configuration it names.
 */
export function labelDuration(seconds: number): string {
  const short = formatDuration(seconds);
  return readShortDuration(seconds) === seconds ? short : `${seconds}s`;
}

/**
 * The seconds formatDuration(seconds)'s text stands for, added up part by part as a reader
 * of durations does (`1h2m3.5s` is 3600 + 120 + 3.5; `250ms` is 250 / 1000).
 */
function readShortDuration(seconds: number): number {
  if (seconds < 1) {
    const ms = roundSignificant(seconds * 1000, 3);
    if (ms < 1000) return ms / 1000;
  }
  const totalMs = Math.round(seconds * 1000);
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor((totalMs % 3_600_000) / 60_000);
  const restMs = totalMs % 60_000;
  let read = 0;
  if (hours > 0) read += hours * 3600;
  if (minutes > 0) read += minutes * 60;
  if (restMs > 0 || read === 0) read += restMs / 1000;
  return read;
}

/** A resolved value as a label writes it after `name=`. */
export function labelValue(spec: OptionSpec, value: AnyOptionValue): string {
  if (value === Number.POSITIVE_INFINITY) {
    return spec.type === 'duration' ? 'none' : 'unbounded';
  }
  if (spec.type === 'duration' && typeof value === 'number') return labelDuration(value);
  return String(value);
}
