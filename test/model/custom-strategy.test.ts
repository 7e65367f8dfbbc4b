/**
 * A user-written strategy, exactly as the README shows it (the test checks the two texts
 * agree): it uses the same API as the built-in ones and gets timeouts, retries and the
 * metrics for free.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backgroundDefaults, runStrategy, type Strategy, world } from '../../src/index.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { ExponentialDistribution } from '../../src/sim/distributions/exponential.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { blocking } from '../../src/strategies/blocking.js';

// One subagent at a time: dispatch, wait for its result, process it, next.
const oneAtATime: Strategy = {
  label: 'one-at-a-time',
  settings: { ...backgroundDefaults, wip: 1, timeout: 600, retries: 2 },
  *run(o) {
    for (;;) {
      const [task] = o.readyTasks(1);
      if (task === undefined) break;
      yield* o.dispatch(task); // pays `dispatch`
      const result = yield* o.nextResult(); // idles until a result arrives
      if (result !== undefined) yield* o.process(result); // pays `process`
    }
    yield* o.synthesize();
  },
};

/** The `const oneAtATime ... };` block of a text. */
function strategyBlock(text: string): string {
  const start = text.indexOf('const oneAtATime: Strategy = {');
  return text.slice(start, text.indexOf('\n};\n', start) + 3);
}

describe('a user-written strategy', () => {
  it('is the one the README shows', () => {
    const block = strategyBlock(readFileSync('test/model/custom-strategy.test.ts', 'utf8'));
    expect(block.length).toBeGreaterThan(100);
    expect(strategyBlock(readFileSync('README.md', 'utf8'))).toBe(block);
  });

  it('runs through the same model as the built-in ones, with their retries and timeouts', () => {
    const w = world({
      tasks: 5,
      latency: new ExponentialDistribution({ mean: 60 }),
      failures: { error: 0.2, hang: 0.1 },
      orchestrator: { dispatch: 2, process: 10 },
    });
    const { metrics } = runStrategy({ world: w, strategy: oneAtATime, seed: 2 });
    expect(metrics.outcome).toBe('completed');
    expect(metrics.succeeded + metrics.givenUp).toBe(5);
    expect(metrics.failures).toBeGreaterThan(0);
    expect(metrics.failuresDetected).toBe(metrics.failures);
    expect(metrics.peakInFlight).toBe(1);
    expect(metrics.processTime).toBe(10 * metrics.succeeded);
  });

  it('can check in without waiting', () => {
    const w = world({ tasks: 2, latency: new ExponentialDistribution({ mean: 60 }) });
    const seen: (number | undefined)[] = [];
    const checker: Strategy = {
      label: 'check-in',
      settings: backgroundDefaults,
      *run(o) {
        for (const task of o.readyTasks()) yield* o.dispatch(task);
        seen.push((yield* o.checkIn())?.task); // nothing has ended yet: undefined at once
        for (let r = yield* o.nextResult(); r !== undefined; r = yield* o.nextResult()) {
          yield* o.process(r);
        }
      },
    };
    const { metrics } = runStrategy({ world: w, strategy: checker, seed: 3 });
    expect(seen).toEqual([undefined]);
    expect(metrics.succeeded).toBe(2);
  });
});

describe('a strategy that returns before its work is done', () => {
  const w = world({ tasks: 4, latency: new ExponentialDistribution({ mean: 60 }) });

  it('ends incomplete, with what it left: unresolved tasks, unprocessed results, subagents out', () => {
    const hasty: Strategy = {
      label: 'hasty',
      settings: backgroundDefaults,
      *run(o) {
        for (const task of o.readyTasks()) yield* o.dispatch(task);
        const first = yield* o.nextResult(); // one result read, never processed
        expect(first).toBeDefined();
      },
    };
    const trace = new MemoryTrace<ModelTraceRecord>();
    const r = runStrategy({ world: w, strategy: hasty, seed: 1, trace });
    expect(r.metrics.outcome).toBe('incomplete');
    expect(r.metrics.unresolved).toBe(4);
    expect(r.left).toEqual({ unresolved: 4, unprocessed: 1, outstanding: 3 });
    expect(trace.records.at(-1)).toMatchObject({
      type: 'run.end',
      outcome: 'incomplete',
      unresolved: 4,
    });
  });

  it('is not incomplete when it finishes its work (a control)', () => {
    const r = runStrategy({ world: w, strategy: blocking(), seed: 1 });
    expect(r.metrics.outcome).toBe('completed');
    expect(r.left).toBeUndefined();
  });
});
