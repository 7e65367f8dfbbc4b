/**
 * The world `dispatchlab check` starts from without a scenario FILE: every phenomenon of
 * the model switched on at a typical size (errors, hangs, permission requests, orchestrator
 * costs, a context budget with compaction that forgets handles in a volatile registry), so
 * that the generated workloads around it (workload-variations.ts) cover every dimension.
 * A strategy is then checked against the whole space rather than one team's workload.
 *
 * Its built-in strategies are the safe configuration of each family (a timeout for hangs,
 * a durable registry): `check` without arguments checks dispatchlab's own strategies.
 * Unsafe-by-design configurations are what the bundled scenarios frequent-compaction and
 * hung-subagents show, with the violations they expect.
 */
export const genericScenarioName = 'generated';

export function genericScenarioInput(strategies?: readonly unknown[]): Record<string, unknown> {
  return {
    name: genericScenarioName,
    description:
      'A generic world with every phenomenon on (errors, hangs, permission requests, orchestrator costs, compaction that forgets handles), which check varies in every dimension.',
    tasks: { count: 20 },
    subagents: {
      latency: { dist: 'lognormal', median: 90, p95: 600 },
      failures: { error: 0.05, hang: 0.02, needsPermission: 0.02 },
    },
    orchestrator: { dispatch: 2, plan: 10, process: 10, poll: 1, answer: 5, synthesize: 30 },
    context: {
      base: 2000,
      perHandle: 100,
      perResult: 2000,
      perSummary: 300,
      budget: 20000,
      compactionCost: 10,
      forgetProbability: 0.1,
    },
    strategies: strategies ?? [
      { kind: 'blocking', timeout: '15m', retries: 1 },
      { kind: 'batch', size: 5, timeout: '15m', retries: 1 },
      { kind: 'async', wip: 5, continuation: 'events', timeout: '15m', retries: 1 },
      {
        kind: 'async',
        wip: 5,
        continuation: 'polling',
        pollInterval: '30s',
        timeout: '15m',
        retries: 1,
      },
    ],
    seeds: { count: 20 },
  };
}
