/**
 * Strategies as plain, typed configuration (what a scenario file's `strategies:` entries
 * become), and the one place that turns such a configuration into a Strategy, through the
 * descriptor of its kind.
 */
import type { Strategy } from '../model/strategy.js';
import {
  type AnyResolvedConfig,
  type AnyStrategyConfig,
  type AnyStrategyDescriptor,
  createStrategy,
  type KindOptions,
  resolveOptions,
  type StrategyEntry,
  strategyEntry,
  unrankedSimplicity,
} from './descriptor.js';
import { findKind, strategyKindList } from './kinds.js';
import type { OptionSpecs } from './options.js';

export type { ResolvedStrategyConfig, StrategyConfig, StrategyKind } from './kinds.js';
export { strategyKinds } from './kinds.js';

function descriptorOf(
  config: AnyStrategyConfig,
  kinds: readonly AnyStrategyDescriptor[],
): AnyStrategyDescriptor {
  const descriptor = findKind(config.kind, kinds);
  if (descriptor === undefined) {
    throw new RangeError(
      `unknown strategy kind ${JSON.stringify(config.kind)}; the kinds are ${kinds.map((d) => d.kind).join(', ')}`,
    );
  }
  return descriptor;
}

/**
 * How simple a strategy is (StrategyDescriptor.simplicity), from its scenario entry as a
 * results document records it; a strategy from a module, or of a kind not in `kinds` or
 * that gives none, comes after every ranked one.
 */
export function simplicityOf(
  entry: Readonly<Record<string, unknown>>,
  kinds: readonly AnyStrategyDescriptor[] = strategyKindList,
): number {
  const descriptor = typeof entry.kind === 'string' ? findKind(entry.kind, kinds) : undefined;
  if (descriptor?.simplicity === undefined) return unrankedSimplicity;
  return descriptor.simplicity(resolveOptions(descriptor, configFromEntry(entry, kinds)));
}

/** The Strategy of a configuration (`kinds`: the kinds it may be of, the built-in ones by default). */
export function strategyFromConfig(
  config: AnyStrategyConfig,
  kinds: readonly AnyStrategyDescriptor[] = strategyKindList,
): Strategy {
  return createStrategy(descriptorOf(config, kinds), config as KindOptions<OptionSpecs>);
}

/**
 * The scenario entry of a configuration: its kind and each option that applies, as a scenario
 * file writes it (durations in seconds, `none`, `unbounded`), in its descriptor's order. What
 * the results document records as a strategy's `config`.
 */
export function configEntry(
  config: AnyStrategyConfig,
  kinds: readonly AnyStrategyDescriptor[] = strategyKindList,
): StrategyEntry {
  const descriptor = descriptorOf(config, kinds);
  return strategyEntry(descriptor, resolveOptions(descriptor, config));
}

/** The configuration with every option resolved and its label (the automatic one unless given). */
export function resolveConfig(
  config: AnyStrategyConfig,
  kinds: readonly AnyStrategyDescriptor[] = strategyKindList,
): AnyResolvedConfig {
  const descriptor = descriptorOf(config, kinds);
  const values = resolveOptions(descriptor, config);
  const label =
    config.label ?? createStrategy(descriptor, config as KindOptions<OptionSpecs>).label;
  return { kind: descriptor.kind, ...values, label };
}

/**
 * The configuration a scenario entry (configEntry's output) stands for: `none` and
 * `unbounded` back to Infinity. Throws a RangeError for an unknown kind or option; the
 * values are checked when the configuration is used.
 */
export function configFromEntry(
  entry: Readonly<Record<string, unknown>>,
  kinds: readonly AnyStrategyDescriptor[] = strategyKindList,
): AnyStrategyConfig {
  const descriptor = descriptorOf(
    { kind: typeof entry.kind === 'string' ? entry.kind : String(entry.kind) },
    kinds,
  );
  const config: Record<string, unknown> = { kind: descriptor.kind };
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'kind') continue;
    const spec = descriptor.options[name];
    if (spec === undefined) {
      throw new RangeError(`${descriptor.kind} has no option ${JSON.stringify(name)}`);
    }
    const infinite =
      (spec.type === 'duration' && value === 'none') ||
      (spec.type === 'limit' && value === 'unbounded');
    config[name] = infinite ? Number.POSITIVE_INFINITY : value;
  }
  return config as AnyStrategyConfig;
}
