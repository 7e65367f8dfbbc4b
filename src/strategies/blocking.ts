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
import { retriesOption, settingsWith, timeoutOption, validationOption } from './common.js';
import { createStrategy, defineStrategyKind, type KindOptions } from './descriptor.js';

const everyReadyTask = joinRounds(Number.POSITIVE_INFINITY);

export const blockingKind = defineStrategyKind({
  kind: 'blocking',
  simplicity: () => 0,
  summary: 'dispatch all, wait for all, process, synthesize',
  options: { timeout: timeoutOption, retries: retriesOption, validation: validationOption },
  build: (values) => ({ settings: settingsWith(foregroundDefaults, values), run: everyReadyTask }),
});

export type BlockingOptions = KindOptions<typeof blockingKind.options>;

export function blocking(options: BlockingOptions = {}): Strategy {
  return createStrategy(blockingKind, options);
}
