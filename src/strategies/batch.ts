/**
 * Bounded batch (docs/model.md, "Strategies"): dispatch k, wait idle for all k, process them, plan,
 * dispatch the next k. A batch is processed before the next one is dispatched.
 */
import { foregroundDefaults } from '../model/settings.js';
import type { Orchestrator, Strategy } from '../model/strategy.js';
import type { ProcessGenerator } from '../sim/process.js';
import {
  retriesOption,
  StrategyError,
  settingsWith,
  timeoutOption,
  validationOption,
} from './common.js';
import { createStrategy, defineStrategyKind, type KindOptions } from './descriptor.js';

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

export const batchKind = defineStrategyKind({
  kind: 'batch',
  simplicity: () => 1,
  summary: 'dispatch k, wait for all k, process them, plan, next k',
  options: {
    size: {
      type: 'count',
      example: 10,
      description: 'the tasks per batch',
      label: { name: 'k' },
    },
    timeout: timeoutOption,
    retries: retriesOption,
    validation: validationOption,
  },
  build: (values) => ({
    settings: settingsWith(foregroundDefaults, values),
    run: joinRounds(values.size),
  }),
});

export type BatchOptions = KindOptions<typeof batchKind.options>;

export function batch(options: BatchOptions): Strategy {
  return createStrategy(batchKind, options);
}
