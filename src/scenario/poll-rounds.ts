/**
 * How many poll rounds one run of a polling strategy will need, estimated from the scenario
 * alone, so that an interval such as 1e-9 s is refused at `validate` instead of running for
 * minutes into the kernel's event guard. Rounds go on while subagents are out, so about
 * makespan / pollInterval of them.
 *
 * The makespan is estimated upper-ish and cheaply, from expectations rather than runs:
 *   agent time     = tasks × attempts per task × time per attempt
 *   parallelism    = min(wip, tasks, what the dependencies allow: 1 for a chain, the
 *                    width for layers)
 *   orchestrator   = dispatches + processing + plans + synthesis (its serial work)
 *   makespan       ≈ agent time / parallelism + orchestrator
 * where an attempt takes its latency cut at the timeout (a hang takes the whole timeout),
 * and a task takes 1 + f + f² + … + f^retries attempts for a per-attempt failure chance f.
 * A latency with an infinite mean (a Pareto with alpha ≤ 1) counts instead its quantile at
 * 1 − 1/(100 · attempts): the longest attempt of about one run in a hundred, since with such
 * a tail the longest attempt of a run varies by orders of magnitude from run to run, and
 * the run that polls through it is the one that meets the kernel's guard. Compactions,
 * poll costs and redispatches after validation are left out: this is a guard against
 * intervals wrong by orders of magnitude, not a forecast (the kernel's event guard stays
 * the last resort).
 */
import type { WorldConfig } from '../model/config.js';
import type { Strategy } from '../model/strategy.js';

export interface PollEstimate {
  /** Estimated seconds of one run. */
  readonly makespan: number;
  /** makespan / pollInterval. */
  readonly rounds: number;
}

/** Subagents that can run at once, given the WIP limit and the task graph. */
function parallelism(world: WorldConfig, wip: number): number {
  const { count, dependencies } = world.tasks;
  const byGraph =
    dependencies.shape === 'chain'
      ? 1
      : dependencies.shape === 'layered'
        ? dependencies.width
        : count;
  return Math.max(1, Math.min(wip, count, byGraph));
}

/**
 * The estimate for a strategy that polls (its settings say so; one that does not needs no
 * rounds). What it knows of the strategy is its settings, and the `waveSize` its description
 * may give (a plan per wave).
 */
export function estimatePollRounds(
  world: WorldConfig,
  strategy: Pick<Strategy, 'settings' | 'description'>,
): PollEstimate {
  const { latency, failures } = world.subagents;
  const tasks = world.tasks.count;
  const { timeout, retries, wip, continuation } = strategy.settings;
  const waveSize = strategy.description?.waveSize;
  const timed = Number.isFinite(timeout);

  // Per attempt: the chance it fails (and is retried), and the agent time it takes.
  const overrun = timed ? 1 - latency.cdf(timeout) : 0;
  const finishing = 1 - failures.error - failures.hang;
  const fails = Math.min(1, failures.error + (timed ? failures.hang : 0) + finishing * overrun);
  const attempts = fails >= 1 ? retries + 1 : (1 - fails ** (retries + 1)) / (1 - fails);
  const mean = latency.mean();
  const typical = Number.isFinite(mean)
    ? mean
    : latency.quantile(Math.max(0.5, 1 - 1 / (100 * tasks * attempts)));
  // A hang without a timeout ends the run as a deadlock, without further rounds.
  const perAttempt =
    finishing * Math.min(typical, timeout) +
    failures.error * Math.min(typical, timeout) +
    (timed ? failures.hang * timeout : 0);

  const agentTime = tasks * attempts * perAttempt;
  const o = world.orchestrator;
  // A plan per wave after the first: a chain is a wave per task, layers a wave per layer.
  const deps = world.tasks.dependencies;
  const waves =
    deps.shape === 'chain'
      ? tasks
      : deps.shape === 'layered'
        ? Math.ceil(tasks / deps.width)
        : typeof waveSize === 'number'
          ? Math.ceil(tasks / waveSize)
          : 1;
  const orchestrator =
    tasks * attempts * o.dispatch + tasks * o.process + (waves - 1) * o.plan + o.synthesize;
  const makespan = agentTime / parallelism(world, wip) + orchestrator;
  return {
    makespan,
    rounds: continuation.kind === 'polling' ? makespan / continuation.interval : 0,
  };
}
