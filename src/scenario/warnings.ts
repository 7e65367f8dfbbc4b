/**
 * What is valid in a scenario but most likely a mistake, said before anything runs: a run
 * that will deadlock, timeouts that cut most attempts short, latencies that look like
 * another unit. Each warning is one sentence naming the file, the field and the fix;
 * `validate`, `run`, `compare` and `sweep` print them on stderr ("warning: ...") and go on:
 * a warning never changes the exit code or the results.
 */
import { formatDuration, formatDurationRoughly } from '../sim/format.js';
import { isModuleStrategy, strategyOf } from './module-strategy.js';
import { isOrchestratorModule } from './orchestrator-module.js';
import type { AnyScenario } from './parse.js';

/** Durations a suggested timeout is rounded up to, so that it reads as one a person picks. */
const ROUND_TIMEOUTS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, 10_800, 14_400, 21_600,
  28_800, 43_200, 86_400,
];

/**
 * The first round duration above `seconds`: 9m28s → 10m. Strictly above: a timeout equal
 * to the latency (a fixed 10s) would have every attempt race its deadline.
 */
function roundTimeout(seconds: number): string {
  const round = ROUND_TIMEOUTS.find((t) => t > seconds);
  return formatDuration(round ?? Math.ceil(seconds / 86_400) * 86_400);
}

/** A share of runs or attempts for a sentence: "92%", "almost every", "under 1%". */
function share(p: number): string {
  if (p >= 0.995) return p >= 1 ? '100%' : 'over 99%';
  if (p < 0.01) return 'under 1%';
  return `${Math.round(p * 100)}%`;
}

/**
 * The scenario's warnings, as sentences naming the file, the field and the fix; empty when
 * nothing looks wrong.
 */
export function scenarioWarnings(scenario: AnyScenario): string[] {
  const { world, source } = scenario;
  const out: string[] = [];
  const say = (sentence: string) => out.push(`${source}: ${sentence}`);
  const latency = world.subagents.latency;
  const hang = world.subagents.failures.hang;
  const tasks = world.tasks.count;
  const p99 = latency.quantile(0.99);

  scenario.strategies.forEach((config, i) => {
    const who = `strategies[${i}] (${config.label})`;
    // A module's settings are written in the module, not in the scenario's entry.
    const inModule = isModuleStrategy(config)
      ? ` (in the settings its module ${JSON.stringify(config.module)} returns, in seconds)`
      : isOrchestratorModule(config)
        ? ` (in the settings its orchestrator module ${JSON.stringify(config.orchestrator)} declares, in seconds)`
        : '';
    // What the strategy asks of the model, whatever its kind.
    const strategy = strategyOf(config, scenario.kinds).settings;
    // Code run by the harness may also poll a hung subagent forever, until its guard stops it.
    const neverEnd = isOrchestratorModule(config)
      ? 'never end (they deadlock, or poll forever)'
      : 'deadlock';
    if (hang > 0 && strategy.timeout === Number.POSITIVE_INFINITY) {
      // Every task's first attempt alone: a run meets a hang with at least this chance.
      const meets = 1 - (1 - hang) ** tasks;
      say(
        `${who} has no timeout while subagents hang with probability ${hang} (subagents.failures.hang): its runs ${neverEnd} whenever a subagent hangs (a run of ${tasks} tasks meets one with a probability of at least ${share(meets)}); add timeout: ${roundTimeout(p99)} to it${inModule} (the latency's p99 is ${formatDurationRoughly(p99)}).`,
      );
    }
    if (Number.isFinite(strategy.timeout)) {
      const longer = 1 - latency.cdf(strategy.timeout);
      if (longer > 0.5) {
        say(
          `${who} times out after ${formatDurationRoughly(strategy.timeout)}, but ${share(longer)} of attempts take longer (the median of subagents.latency is ${formatDurationRoughly(latency.quantile(0.5))}): most tasks will fail and be retried until given up; raise its timeout above the latency's p99 (timeout: ${roundTimeout(p99)}${inModule}), or check the latency's unit.`,
        );
      }
    }
    if (
      strategy.registry === 'volatile' &&
      strategy.forgottenTimeout === 'none' &&
      Number.isFinite(strategy.wip) &&
      Number.isFinite(strategy.timeout) &&
      hang > 0 &&
      world.context.forgetProbability > 0 &&
      Number.isFinite(world.context.budget)
    ) {
      say(
        `${who} keeps its timeouts only in its context (forgottenTimeout: none) while compactions forget handles (context.forgetProbability ${world.context.forgetProbability}) and subagents hang (subagents.failures.hang ${hang}): a forgotten hung subagent holds one of its ${strategy.wip} WIP slots for good, so its runs can deadlock although it has a timeout; write forgottenTimeout: runtime (the agent runtime's watchdog) or registry: durable${inModule} if that is not what you mean to show.`,
      );
    }
  });

  for (const warning of scenario.dataWarnings ?? []) say(`${warning.path}: ${warning.message}`);
  return out;
}
