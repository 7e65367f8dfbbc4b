/**
 * The largest experiment dispatchlab agrees to start. Each limit is far beyond any real
 * orchestrator's workload and well below what would exhaust the memory of an ordinary
 * machine or run for days; a request past one is refused before any work starts, with a
 * message that gives the limit and the reason, rather than dying later of an
 * out-of-memory error. They are documented in the README ("Limits"): change both together.
 */
export const limits = {
  /** tasks.count: one run keeps a few hundred bytes per task. */
  tasks: 1_000_000,
  /** Seeds of one experiment (compare, each sweep point): every run's metrics are kept until the statistics are taken. */
  seeds: 100_000,
  /** Strategies in one scenario. */
  strategies: 100,
  /** Dependency edges of one run's task graph (layered: exact; random: expected). */
  dependencyEdges: 5_000_000,
  /** Points of a sweep grid (the product of every --vary's values). */
  gridPoints: 10_000,
  /** Runs of one experiment: grid points × seeds × strategies. */
  runs: 10_000_000,
  /**
   * Bytes of one partial document read by `merge`: 256 MiB. A shard of a large sweep
   * (1,000 seeds × 10 points × 5 strategies) writes tens of MB; JavaScript cannot hold a
   * string of more than about 512 MiB at all.
   */
  partialDocumentBytes: 256 * 1024 * 1024,
  /**
   * Pairs of tasks a random dependency graph draws for (n(n−1)/2, one uniform each, every
   * run): 5·10^7, about 10,000 tasks and 0.4 s of draws per run. A million tasks would need
   * 5·10^11 draws, hours per run, whatever the edge probability.
   */
  dependencyPairs: 50_000_000,
  /** strategies[].retries: far more than any workload needs, and each retry is a dispatch. */
  retries: 100,
  /**
   * Each token count of `context` (base, perHandle, perResult, perSummary, budget): 10^9,
   * a thousand times the largest context windows, and small enough that a context of a
   * million such items stays an exact integer (below 2^53).
   */
  tokens: 1_000_000_000,
  /** The shortest pollInterval, in seconds: 1 ms. */
  minPollInterval: 0.001,
  /**
   * Poll rounds one run may need, estimated before it starts (poll-rounds.ts): 10^7. Each
   * round is at least one event, and the kernel stops a run at 10^9 events.
   */
  pollRounds: 10_000_000,
  /** Bytes of a scenario file: 1 MiB, a thousand times the bundled ones. */
  scenarioFileBytes: 1024 * 1024,
  /**
   * Nesting of a scenario file's lists and mappings: 100 levels (a mixture nested 16 deep,
   * the most allowed, needs about 70). The YAML parser recurses per level, and far deeper
   * input overflows the stack.
   */
  nesting: 100,
  /**
   * YAML aliases (`*name`) one anchor may be expanded through: 100, as the yaml package's
   * default. A "billion laughs" file expands a few lines into gigabytes.
   */
  yamlAliases: 100,
} as const;

/** 1234567 → "1,234,567", for messages. */
export function formatLimit(n: number): string {
  return n.toLocaleString('en-US');
}
