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
} as const;

/** 1234567 → "1,234,567", for messages. */
export function formatLimit(n: number): string {
  return n.toLocaleString('en-US');
}
