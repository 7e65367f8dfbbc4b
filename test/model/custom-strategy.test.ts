/**
 * A user-written strategy, exactly as the README shows it: it uses the same API as the
 * built-in ones and gets timeouts, retries and the metrics for free.
 */
import { describe, expect, it } from 'vitest';
import { backgroundDefaults, runStrategy, type Strategy, world } from '../../src/index.js';
import { ExponentialDistribution } from '../../src/sim/distributions/exponential.js';

// One subagent at a time: dispatch, wait for its result, process it, next.
const oneAtATime: Strategy = {
  label: 'one-at-a-time',
  settings: { ...backgroundDefaults, wip: 1 },
  *run(o) {
    for (;;) {
      const [task] = o.readyTasks(1);
      if (task === undefined) break;
      yield* o.dispatch(task);
      const result = yield* o.nextResult();
      if (result !== undefined) yield* o.process(result);
    }
    yield* o.synthesize();
  },
};

describe('a user-written strategy', () => {
  it('runs through the same model as the built-in ones', () => {
    const w = world({
      tasks: 5,
      latency: new ExponentialDistribution({ mean: 60 }),
      failures: { error: 0.2 },
      orchestrator: { dispatch: 2, process: 10 },
    });
    const { metrics } = runStrategy({
      world: w,
      strategy: { ...oneAtATime, settings: { ...oneAtATime.settings, retries: 3 } },
      seed: 1,
    });
    expect(metrics.outcome).toBe('completed');
    expect(metrics.succeeded + metrics.givenUp).toBe(5);
    expect(metrics.peakInFlight).toBe(1);
    expect(metrics.processTime).toBe(10 * metrics.succeeded);
  });
});
