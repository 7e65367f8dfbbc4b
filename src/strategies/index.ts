/**
 * The built-in strategy kinds. Each is a descriptor (descriptor.ts) and a function from
 * options to a Strategy; a user's own strategy is any object with the same shape (see
 * src/model/strategy.ts).
 */
export { type AsyncOptions, asyncDefaults, asyncDispatch, asyncKind } from './async.js';
export { type BatchOptions, batch, batchKind, joinRounds } from './batch.js';
export { type BlockingOptions, blocking, blockingKind } from './blocking.js';
export {
  isStrategy,
  type StrategyProblem,
  settingNames,
  strategyProblems,
} from './check.js';
export { type RetryOptions, StrategyError, strategyLabel } from './common.js';
export {
  configEntry,
  configFromEntry,
  type ResolvedStrategyConfig,
  resolveConfig,
  type StrategyConfig,
  type StrategyKind,
  strategyFromConfig,
  strategyKinds,
} from './config.js';
export {
  type AnyStrategyDescriptor,
  createStrategy,
  defineStrategyKind,
  type KindOptions,
  type ResolvedOptions,
  type StrategyDescriptor,
  type StrategyEntry,
} from './descriptor.js';
export { findKind, strategyKindList } from './kinds.js';
export { automaticLabel } from './label.js';
export type { OptionSpec, OptionSpecs } from './options.js';
