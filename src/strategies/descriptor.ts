/**
 * A strategy kind, described once, in the kind's own file: its name, what it does, its options
 * (options.ts: type, default, checks, how a label shows each) and how to build the Strategy
 * from their values. Everything else about the kind is derived from the descriptor:
 *
 * - here: the kind's function (`batch({ size })`: the options checked, defaults filled in),
 *   its automatic label (label.ts), its description (`Strategy.description`, which a trace's
 *   header records) and its scenario entry (what the results document writes as `config`);
 * - in kinds.ts, where the built-in kinds are listed: `StrategyConfig` and `strategyKinds`;
 * - in the scenario layer: the schema of `strategies` entries (and the JSON Schema), the
 *   parser, the shorthands and their messages; in the experiment layer: the results
 *   document's `config` and its check in partial documents.
 *
 * Adding a kind is writing its file (a descriptor and the function that wraps it) and one
 * line in kinds.ts.
 */
import type { Strategy, StrategyDescription } from '../model/strategy.js';
import { automaticLabel } from './label.js';
import {
  type AnyOptionValue,
  applies,
  descriptionValue,
  type EntryValue,
  entryValue,
  hasDefault,
  type OptionInput,
  type OptionSpecs,
  type OptionValue,
  resolveOption,
} from './options.js';

/** Every option's value, checked, defaults filled in. */
export type ResolvedOptions<O extends OptionSpecs> = {
  readonly [N in keyof O]: OptionValue<O[N]>;
};

type WithDefault<O extends OptionSpecs> = {
  [N in keyof O]: O[N] extends { readonly default: unknown } ? N : never;
}[keyof O];
type WithoutDefault<O extends OptionSpecs> = Exclude<keyof O, WithDefault<O>>;

/**
 * What a kind's function takes: every option, optional where it has a default, and a label
 * to use instead of the automatic one.
 */
export type KindOptions<O extends OptionSpecs> = {
  readonly [N in WithDefault<O>]?: OptionInput<O[N]>;
} & { readonly [N in WithoutDefault<O>]: OptionInput<O[N]> } & { readonly label?: string };

/** The defaults of a kind's options (those that have one). */
export type KindDefaults<O extends OptionSpecs> = {
  readonly [N in WithDefault<O>]: O[N] extends { readonly default: infer D } ? D : never;
};

export interface StrategyDescriptor<
  K extends string = string,
  O extends OptionSpecs = OptionSpecs,
> {
  /** The name a scenario entry gives as `kind:`, and the start of every automatic label. */
  readonly kind: K;
  /** What the kind does, in a line (the scenario schema's description of `kind`). */
  readonly summary: string;
  /** Its options, in the order labels, descriptions and entries show them. */
  readonly options: O;
  /** The strategy's settings and program from its options' values. */
  build(values: ResolvedOptions<O>): Pick<Strategy, 'settings' | 'run'>;
  /**
   * How simple the strategy is to run correctly, for the verdict's reference, the simplest
   * safe strategy (lower is simpler: blocking 0, batch 1, async with events 2, async with
   * polling 3), from its options' values. Left out: after every kind that gives one. (A
   * method, like build, so that a descriptor of any kind is an AnyStrategyDescriptor.)
   */
  simplicity?(values: ResolvedOptions<O>): number;
}

/** The simplicity of strategies of kinds that give none, and of strategies from modules. */
export const unrankedSimplicity = Number.MAX_SAFE_INTEGER;

/** A descriptor of any kind, for code that handles every kind alike. */
export type AnyStrategyDescriptor = StrategyDescriptor<string, OptionSpecs>;

/** A kind's configuration as plain values: its kind and options (what StrategyConfig is). */
export type AnyStrategyConfig = {
  readonly kind: string;
  readonly label?: string | undefined;
  readonly [option: string]: unknown;
};

/** A kind's configuration with every option resolved, and its label. */
export type AnyResolvedConfig = {
  readonly kind: string;
  readonly label: string;
  readonly [option: string]: AnyOptionValue;
};

/** A scenario entry: the kind and each option that applies, as a scenario file writes it. */
export type StrategyEntry = { readonly kind: string; readonly [option: string]: EntryValue };

/** A label style's name= name, or undefined for the other styles. */
function namedStyle(name: string, spec: OptionSpecs[string]): string | undefined {
  const style = spec.label ?? {};
  return 'bare' in style || 'attached' in style ? undefined : (style.name ?? name);
}

/**
 * The descriptor, checked for what derivation relies on (a programming error otherwise, at
 * load time): the kind is a lower-case word other than `module` (what a trace's header calls
 * a strategy from a user's module: src/scenario/module-strategy.ts); `kind` and `label` are
 * not option names; an option applies with an option declared before it; an option attached
 * in labels applies with another; an option without a default always applies; label words
 * are distinct.
 */
export function defineStrategyKind<const K extends string, const O extends OptionSpecs>(
  descriptor: StrategyDescriptor<K, O>,
): StrategyDescriptor<K, O> {
  const bad = (why: string): never => {
    throw new Error(`strategy kind ${descriptor.kind}: ${why}`);
  };
  if (!/^[a-z][a-z0-9-]*$/.test(descriptor.kind)) bad('a kind is a lower-case word');
  // A trace describes a strategy from a user's module as of this kind (src/scenario).
  if (descriptor.kind === 'module') bad('"module" is the kind of strategies from modules');
  if (descriptor.kind === 'orchestrator') bad('"orchestrator" names orchestrator modules');
  const names = Object.keys(descriptor.options);
  const words = new Set<string>();
  const word = (w: string) => {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(w)) bad(`"${w}" cannot be a word of a label`);
    if (words.has(w)) bad(`"${w}" would stand for two things in its labels`);
    words.add(w);
  };
  names.forEach((name, i) => {
    const spec = descriptor.options[name]!;
    if (name === 'kind' || name === 'label') bad(`"${name}" cannot be an option's name`);
    const anchor = spec.appliesWhen?.option;
    if (anchor !== undefined && !names.slice(0, i).includes(anchor)) {
      bad(`${name} applies with ${anchor}, which must be an option declared before it`);
    }
    if (anchor !== undefined && !hasDefault(spec))
      bad(`${name} applies only sometimes: give it a default`);
    const style = spec.label ?? {};
    if ('attached' in style) {
      if (anchor === undefined)
        bad(`${name} is attached in labels to the option it applies with: give it appliesWhen`);
    } else if ('bare' in style) {
      if (spec.type === 'choice') for (const v of spec.values) word(v);
      else if (spec.type === 'flag') {
        word(name);
        word(`no-${name}`);
      } else bad(`${name}: only a choice or a flag is shown bare`);
    } else word(namedStyle(name, spec)!);
  });
  return descriptor;
}

/** The defaults of a kind's options, by name. */
export function kindDefaults<K extends string, O extends OptionSpecs>(
  descriptor: StrategyDescriptor<K, O>,
): KindDefaults<O> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(descriptor.options)) {
    if (hasDefault(spec)) out[name] = (spec as { default: unknown }).default;
  }
  return out as KindDefaults<O>;
}

/**
 * Every option's value, checked (a RangeError names the kind and the option), defaults filled
 * in. An option that does not apply (appliesWhen) takes its default, whatever was given.
 */
export function resolveOptions(
  descriptor: AnyStrategyDescriptor,
  given: Readonly<Record<string, unknown>>,
): Record<string, AnyOptionValue> {
  const values: Record<string, AnyOptionValue> = {};
  for (const [name, spec] of Object.entries(descriptor.options)) {
    values[name] = applies(spec, values)
      ? resolveOption(spec, `${descriptor.kind} ${name}`, given[name])
      : (spec as { default: AnyOptionValue }).default;
  }
  return values;
}

/** The kind and every option, as `Strategy.description` gives them (options.ts, descriptionValue). */
export function describeOptions(
  descriptor: AnyStrategyDescriptor,
  values: Readonly<Record<string, AnyOptionValue>>,
): StrategyDescription {
  const out: Record<string, string | number | boolean | null> = { kind: descriptor.kind };
  for (const [name, spec] of Object.entries(descriptor.options)) {
    out[name] = applies(spec, values) ? descriptionValue(values[name]) : null;
  }
  return out as StrategyDescription;
}

/**
 * The scenario entry of resolved options: the kind, then each option that applies and has a
 * value, as a scenario file writes it (seconds, `none`, `unbounded`). Parsed as a scenario's
 * strategy entry, it gives the same configuration and label.
 */
export function strategyEntry(
  descriptor: AnyStrategyDescriptor,
  values: Readonly<Record<string, AnyOptionValue>>,
): StrategyEntry {
  const out: Record<string, EntryValue> = { kind: descriptor.kind };
  for (const [name, spec] of Object.entries(descriptor.options)) {
    if (!applies(spec, values)) continue;
    const value = entryValue(spec, values[name]);
    if (value !== undefined) out[name] = value;
  }
  return out as StrategyEntry;
}

/** The Strategy of a kind with these options: checked, labelled, described, built. */
export function createStrategy<K extends string, O extends OptionSpecs>(
  descriptor: StrategyDescriptor<K, O>,
  options: KindOptions<O>,
): Strategy {
  const any = descriptor as unknown as AnyStrategyDescriptor;
  const values = resolveOptions(any, options as Readonly<Record<string, unknown>>);
  const { settings, run } = descriptor.build(values as ResolvedOptions<O>);
  return {
    label: options.label ?? automaticLabel(any, values),
    settings,
    description: describeOptions(any, values),
    run,
  };
}
