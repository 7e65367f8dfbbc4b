/**
 * How many runs an experiment may make, checked before the first one: every run's metrics
 * are kept until the statistics are taken, and a shard writes every value into its partial
 * document. Past these limits the process would run out of memory, or write a partial
 * that merge cannot read, after minutes of work; the message says what to change instead.
 */
import { formatLimit, limits } from '../scenario/limits.js';
import { UsageError } from './errors.js';

export interface RunBudget {
  /** Grid points (1 for a compare). */
  readonly points: number;
  readonly seeds: number;
  readonly strategies: number;
  /** The number of shards when the experiment is sharded (--shard I/N). */
  readonly shards?: number | undefined;
}

/** Throws a UsageError when the experiment, or one shard of it, would make too many runs. */
export function checkRunBudget(budget: RunBudget): void {
  const { points, seeds, strategies, shards } = budget;
  const runs = points * seeds * strategies;
  const made = `${points > 1 ? `${formatLimit(points)} grid points × ` : ''}${formatLimit(seeds)} seeds × ${strategies} ${strategies === 1 ? 'strategy' : 'strategies'}`;
  if (runs > limits.runs) {
    throw new UsageError(
      `the experiment would make ${formatLimit(runs)} runs (${made}), more than one experiment makes (at most ${formatLimit(limits.runs)}: every run's metrics are kept until the statistics are taken); use fewer ${points > 1 ? 'grid points, ' : ''}seeds or strategies`,
    );
  }
  if (shards === undefined) return;
  const perShard = points * Math.ceil(seeds / shards) * strategies;
  if (perShard > limits.shardRuns) {
    // Shards split the seeds; every shard runs every grid point and strategy on its share.
    const seedsPerShard = Math.floor(limits.shardRuns / (points * strategies));
    const fix =
      seedsPerShard === 0
        ? `even one seed a shard is too many at ${formatLimit(points)} grid points × ${strategies} strategies; use fewer grid points or strategies`
        : `split it into at least ${formatLimit(Math.ceil(seeds / seedsPerShard))} shards`;
    throw new UsageError(
      `each of ${formatLimit(shards)} shards would make up to ${formatLimit(perShard)} runs (${made} in all), more than one partial document holds (at most ${formatLimit(limits.shardRuns)} runs: it carries every value, and merge reads at most 256 MiB); ${fix}`,
    );
  }
}
