/**
 * Bounded batch (docs/model.md, "Strategies"): dispatch k, wait idle for all k, process them, plan,
 * dispatch the next k. A batch is processed before the next one is dispatched.
 */
import { foregroundDefaults } from '../model/settings.js';
import type { Orchestrator, Strategy } from '../model/strategy.js';
import type { ProcessGenerator } from '../sim/process.js';
import {
  checkCount,
  type RetryOptions,
  StrategyError,
  settingsWith,
  strategyLabel,
} from './common.js';

export interface BatchOptions extends RetryOptions {
  /** Tasks per batch (k). */
  readonly size: number;
  readonly label?: string;
}

/**
 * Rounds of at most `size` tasks in the foreground: dispatch them, wait for all at the
 * join (failures are retried there, permission requests answered), process the results
 * in arrival order, plan the next round. Blocking is this with no size limit.
 */
export function joinRounds(size: number) {
  return function* (o: Orchestrator): ProcessGenerator<void> {
    let round = 0;
    while (!o.finished) {
      const tasks = o.readyTasks(size);
      if (tasks.length === 0) throw new StrategyError('no task can start and none is out');
      if (round++ > 0) yield* o.plan();
      for (const task of tasks) yield* o.dispatch(task);
      const results = yield* o.awaitAll();
      for (const result of results) yield* o.process(result);
    }
    yield* o.synthesize();
  };
}

export function batch(options: BatchOptions): Strategy {
  checkCount(options.size, 'batch size');
  const settings = settingsWith(foregroundDefaults, options);
  return {
    label:
      options.label ??
      strategyLabel('batch', [
        ['k', String(options.size)],
        ['timeout', settings.timeout],
      ]),
    settings,
    run: joinRounds(options.size),
  };
}
