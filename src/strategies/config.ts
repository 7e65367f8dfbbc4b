/**
 * Strategies as plain, typed configuration (what a scenario file's `strategies:` entries
 * become), and the one place that turns such a configuration into a Strategy.
 */
import type { Strategy } from '../model/strategy.js';
import { asyncDispatch } from './async.js';
import { batch } from './batch.js';
import { blocking } from './blocking.js';

interface Common {
  /** Resolved: the scenario's label, or the strategy's default one. */
  readonly label?: string;
  /** Seconds; Infinity for none. */
  readonly timeout: number;
  readonly retries: number;
  /** Overrides the world's quality.validation for this strategy; undefined: the world's. */
  readonly validation?: number;
}

export type StrategyConfig =
  | (Common & { readonly kind: 'blocking' })
  | (Common & { readonly kind: 'batch'; readonly size: number })
  | (Common & {
      readonly kind: 'async';
      /** Infinity for unbounded. */
      readonly wip: number;
      readonly continuation: 'events' | 'polling';
      readonly pollInterval: number;
      /** Infinity for every ready task. */
      readonly waveSize: number;
      readonly gating: number;
      readonly registry: 'durable' | 'volatile';
      readonly resume: boolean;
      /** What times out a forgotten subagent; undefined: `runtime` (see AsyncOptions). */
      readonly forgottenTimeout?: 'runtime' | 'none';
    });

export type StrategyKind = StrategyConfig['kind'];
export const strategyKinds: readonly StrategyKind[] = ['blocking', 'batch', 'async'];

export function strategyFromConfig(config: StrategyConfig): Strategy {
  const retry = {
    timeout: config.timeout,
    retries: config.retries,
    validation: config.validation,
    label: config.label,
  };
  switch (config.kind) {
    case 'blocking':
      return blocking(retry);
    case 'batch':
      return batch({ ...retry, size: config.size });
    case 'async':
      return asyncDispatch({
        ...retry,
        wip: config.wip,
        continuation: config.continuation,
        pollInterval: config.pollInterval,
        waveSize: config.waveSize,
        gating: config.gating,
        registry: config.registry,
        resume: config.resume,
        forgottenTimeout: config.forgottenTimeout,
      });
  }
}
