/**
 * Small scenarios built in code for the experiment tests: a handful of tasks and seeds, so
 * a whole compare takes milliseconds, yet with failures, hangs, permissions and a
 * strategy that deadlocks, so every path of the documents is exercised.
 */
import { parseScenario, type Scenario } from '../../src/scenario/index.js';

/** Every feature the documents have to carry: retries, polling, deadlocks, NaN errorAmplification. */
export function tinyInput(): Record<string, unknown> {
  return {
    name: 'tiny',
    description: 'A small mixed workload for the experiment tests.',
    tasks: { count: 12 },
    subagents: {
      latency: { dist: 'lognormal', median: '90s', p95: '10m' },
      failures: { error: 0.1, hang: 0.05, needsPermission: 0.2 },
    },
    orchestrator: { dispatch: '2s', process: '10s', synthesize: '30s', poll: '1s', answer: '5s' },
    // quality.base stays 1, so a wrong result (from an auto-denied permission) makes
    // errorAmplification NaN for that run.
    quality: { deniedPenalty: 0.5 },
    strategies: [
      { kind: 'blocking', timeout: '15m', retries: 1 },
      { kind: 'batch', size: 4, timeout: '15m', retries: 1 },
      {
        kind: 'async',
        wip: 4,
        timeout: '15m',
        retries: 1,
        continuation: 'polling',
        pollInterval: '30s',
      },
      { kind: 'blocking', label: 'no-timeout' },
    ],
    seeds: { count: 12 },
  };
}

/** Blocking against async with nothing else going on: they tie exactly when processing costs nothing. */
export function processingInput(): Record<string, unknown> {
  return {
    name: 'processing',
    description: 'Async pays off only when the orchestrator has work to overlap.',
    tasks: { count: 10 },
    subagents: { latency: { dist: 'lognormal', median: '2m', p95: '8m' } },
    orchestrator: { dispatch: '2s', synthesize: '30s' },
    strategies: [{ kind: 'blocking' }, { kind: 'async' }],
    seeds: { count: 20 },
  };
}

export function scenarioOf(input: unknown, source = 'test scenario'): Scenario {
  return parseScenario(input, { source, baseDir: process.cwd() });
}

/** A partial document that claims a billion shards of a billion seeds: merge must refuse it, not allocate it. */
export function billionShardClaim(): Record<string, unknown> {
  return {
    format: 'dispatchlab-partial',
    version: 1,
    kind: 'compare',
    shard: { index: 1, of: 1e9 },
    dispatchlab: '0.1.0',
    scenario: { name: 'x', description: 'x', inputHash: 'sha256:0' },
    seeds: { start: 0, count: 1e9 },
    baseline: null,
    strategies: [],
    runs: { seeds: [], strategies: [] },
  };
}
