/**
 * A small scenario for the representative seed and its charts (test/experiment and
 * test/report): a few seconds' worth of runs with everything the charts draw.
 */

/** Async recommended over blocking (the reference) on these 8 seeds, with failures and compactions. */
export function seedInput(): Record<string, unknown> {
  return {
    name: 'seed-charts',
    description: 'A small job where async is recommended, for the representative seed.',
    tasks: { count: 20 },
    subagents: {
      latency: { dist: 'lognormal', median: '90s', p95: '4m' },
      failures: { error: 0.1, hang: 0.05 },
    },
    orchestrator: { dispatch: '2s', process: '30s', synthesize: '30s', turn: '5s' },
    context: {
      base: 2000,
      perHandle: 200,
      perResult: 3000,
      perSummary: 500,
      budget: 12000,
      compactionCost: '10s',
    },
    strategies: [
      { kind: 'blocking', timeout: '15m', retries: 1 },
      { kind: 'async', wip: 5, timeout: '15m', retries: 1, registry: 'durable' },
    ],
    seeds: { count: 8 },
  };
}

/** Every strategy deadlocks on some seed (hangs, no timeout): nothing is safe. */
export function unsafeInput(): Record<string, unknown> {
  return {
    name: 'all-unsafe',
    description: 'Hangs and no timeout: every strategy deadlocks somewhere.',
    tasks: { count: 6 },
    subagents: {
      latency: { dist: 'lognormal', median: '90s', p95: '4m' },
      failures: { hang: 0.2 },
    },
    orchestrator: { dispatch: '2s', process: '10s' },
    strategies: [
      { kind: 'async', wip: 2, label: 'async-no-timeout' },
      { kind: 'blocking', label: 'blocking-no-timeout' },
    ],
    seeds: { count: 7 },
  };
}
