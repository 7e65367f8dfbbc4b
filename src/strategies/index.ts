/**
 * The built-in strategy families. Each is a function from options to a Strategy; a
 * user's own strategy is any object with the same shape (see src/model/strategy.ts).
 */
export { type AsyncOptions, asyncDefaults, asyncDispatch } from './async.js';
export { type BatchOptions, batch, joinRounds } from './batch.js';
export { type BlockingOptions, blocking } from './blocking.js';
export { type RetryOptions, StrategyError, strategyLabel } from './common.js';
export {
  type StrategyConfig,
  type StrategyKind,
  strategyFromConfig,
  strategyKinds,
} from './config.js';
