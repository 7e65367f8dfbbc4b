/**
 * Blocking fan-out/fan-in (DESIGN.md §1): dispatch every task, wait idle for all, then
 * process the results and synthesize.
 *
 * With dependencies, "every task" means every task that can start: the strategy repeats
 * dispatch-all / wait-all / process-all until nothing is left, one wave per round, and
 * plans each wave after the first. Failures are detected at the join, retried there, and
 * permission requests are answered while waiting (the subagents run in the foreground).
 */
import type { Orchestrator } from '../model/orchestrator.js';
import { type DispatchSettings, foregroundDefaults } from '../model/settings.js';
import type { Strategy } from '../model/strategy.js';
import type { ProcessGenerator } from '../sim/process.js';
import { type RetryOptions, StrategyError, strategyLabel } from './common.js';

export interface BlockingOptions extends RetryOptions {
  readonly label?: string;
}

function* blockingProgram(o: Orchestrator): ProcessGenerator<void> {
  let wave = 0;
  while (!o.finished) {
    const tasks = o.readyTasks();
    if (tasks.length === 0) throw new StrategyError('no task can start and none is out');
    if (wave++ > 0) yield* o.plan();
    for (const task of tasks) yield* o.dispatch(task);
    const results = yield* o.awaitAll();
    for (const result of results) yield* o.process(result);
  }
  yield* o.synthesize();
}

export function blocking(options: BlockingOptions = {}): Strategy {
  const settings: DispatchSettings = {
    ...foregroundDefaults,
    timeout: options.timeout ?? Number.POSITIVE_INFINITY,
    retries: options.retries ?? 0,
    validation: options.validation,
  };
  return {
    label: options.label ?? strategyLabel('blocking', [['timeout', settings.timeout]]),
    settings,
    run: blockingProgram,
  };
}
