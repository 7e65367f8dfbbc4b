/**
 * Blocking fan-out/fan-in (docs/model.md, "Strategies"): dispatch every task, wait idle for all,
 * then process the results and synthesize.
 *
 * With dependencies, "every task" means every task that can start: the strategy repeats
 * dispatch-all / wait-all / process-all until nothing is left, one wave per round, and
 * plans each wave after the first — a batch with no size limit.
 */
import { foregroundDefaults } from '../model/settings.js';
import type { Strategy } from '../model/strategy.js';
import { joinRounds } from './batch.js';
import { type RetryOptions, settingsWith, strategyLabel } from './common.js';

export interface BlockingOptions extends RetryOptions {
  readonly label?: string;
}

const everyReadyTask = joinRounds(Number.POSITIVE_INFINITY);

export function blocking(options: BlockingOptions = {}): Strategy {
  const settings = settingsWith(foregroundDefaults, options);
  return {
    label: options.label ?? strategyLabel('blocking', [['timeout', settings.timeout]]),
    settings,
    run: everyReadyTask,
  };
}
