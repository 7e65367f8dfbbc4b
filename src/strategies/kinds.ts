/**
 * The built-in strategy kinds: one descriptor each, in its own file (descriptor.ts says what a
 * descriptor holds and what is derived from it). Registering a kind is one line here; the
 * order is the order messages and the scenario schema list the kinds in.
 */
import { asyncKind } from './async.js';
import { batchKind } from './batch.js';
import { blockingKind } from './blocking.js';
import type {
  AnyStrategyDescriptor,
  KindOptions,
  ResolvedOptions,
  StrategyDescriptor,
} from './descriptor.js';

export const strategyKindList = [blockingKind, batchKind, asyncKind] as const;

type BuiltInDescriptor = (typeof strategyKindList)[number];

/** A built-in kind's name: 'blocking', 'batch', 'async'. */
export type StrategyKind = BuiltInDescriptor['kind'];

export const strategyKinds: readonly StrategyKind[] = strategyKindList.map((d) => d.kind);

/**
 * A strategy as plain, typed configuration: its kind and its options, optional where they have
 * a default (what a kind's function takes, with the kind).
 */
export type StrategyConfig = BuiltInDescriptor extends infer D
  ? D extends StrategyDescriptor<infer K, infer O>
    ? { readonly kind: K } & KindOptions<O>
    : never
  : never;

/**
 * A configuration with every option resolved (defaults filled in, Infinity for unbounded and
 * none) and its label: what a scenario's `strategies` become.
 */
export type ResolvedStrategyConfig = BuiltInDescriptor extends infer D
  ? D extends StrategyDescriptor<infer K, infer O>
    ? { readonly kind: K; readonly label: string } & ResolvedOptions<O>
    : never
  : never;

/** The descriptor of `kind` among `kinds`, or undefined. */
export function findKind(
  kind: string,
  kinds: readonly AnyStrategyDescriptor[] = strategyKindList,
): AnyStrategyDescriptor | undefined {
  return kinds.find((d) => d.kind === kind);
}
