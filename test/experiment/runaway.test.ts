/**
 * A run that never ends is the scenario's doing, not a bug: the experiment reports it as
 * a UsageError (exit code 2) naming the strategy, the seed and the fields to look at, in
 * this thread and from a worker thread alike.
 */
import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/experiment/errors.js';
import { runOnce, runSeeds } from '../../src/experiment/run-seeds.js';
import runChunk from '../../src/experiment/worker.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { RunawayError } from '../../src/sim/errors.js';
import { tinyInput } from './helpers.js';

// The kernel's guards stop a run after 10^9 events; a test cannot wait for that, so the
// run itself is replaced by one that trips the guard at once (seed 3 only).
vi.mock('../../src/model/run.js', async (original) => {
  const real = await original<typeof import('../../src/model/run.js')>();
  return {
    ...real,
    runStrategy: (options: Parameters<typeof real.runStrategy>[0]) => {
      if (options.seed === 3) throw new RunawayError('more than 1000000000 events (maxEvents)');
      return real.runStrategy(options);
    },
  };
});

const scenario = parseScenario(tinyInput(), { source: 'tiny.yaml', baseDir: '.' });

describe('a runaway run', () => {
  it('is a UsageError naming the scenario, strategy, seed and what to change', () => {
    expect(() => runSeeds(scenario, [1, 2])).not.toThrow();
    let caught: unknown;
    try {
      runSeeds(scenario, [2, 3]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as Error).message).toMatch(
      /^tiny\.yaml: strategy "blocking\(timeout=15m,retries=1\)" on seed 3 did not finish: more than 1000000000 events.*pollInterval/,
    );
  });

  it('is the same UsageError for a single run (dispatchlab run, with or without a trace)', () => {
    const config = scenario.strategies[2]!;
    expect(runOnce(scenario, config, 2).metrics.outcome).toBe('completed');
    expect(() => runOnce(scenario, config, 3)).toThrow(UsageError);
    expect(() => runOnce(scenario, config, 3)).toThrow(
      /strategy "async.*" on seed 3 did not finish/,
    );
  });

  it('an input error in the worker (its latency file gone since the main thread read it) comes back as data too', async () => {
    const input = {
      ...scenario.input,
      subagents: { latency: { dist: 'empirical', file: 'no-such-latencies.csv' } },
    };
    const result = await runChunk({
      input,
      source: 'tiny.yaml',
      baseDir: '/nonexistent',
      modules: [],
      seeds: [1],
    });
    expect(result).toEqual({ usageError: expect.stringMatching(/no-such-latencies\.csv/) });
  });

  it('comes back from a worker thread as data, to be thrown again as a UsageError', async () => {
    const result = await runChunk({
      input: scenario.input,
      source: 'tiny.yaml',
      baseDir: '.',
      modules: [],
      seeds: [3],
    });
    expect(result).toEqual({ usageError: expect.stringMatching(/on seed 3 did not finish/) });
    expect(
      await runChunk({
        input: scenario.input,
        source: 'tiny.yaml',
        baseDir: '.',
        modules: [],
        seeds: [1],
      }),
    ).toHaveProperty('runs');
  });
});
