/**
 * Async dispatch (docs/model.md, "Strategies"): dispatch and keep working. The orchestrator plans
 * the next wave, processes results in arrival order as they come back, and dispatches more, while
 * subagents run in the background.
 *
 * - Backpressure: at most `wip` subagents in flight; requests beyond it queue and start
 *   the instant a slot frees.
 * - Dispatch gating: a wave is dispatched only once `gating` (a share) of the previous
 *   wave's tasks are resolved, so later waves can be refined by early results.
 * - Continuation: events pushed to an inbox, or polling every `pollInterval`.
 * - Timeouts, retries (resuming from reported progress if `resume`), and a registry of
 *   handles that is durable or volatile (handles may be lost in compaction). Whether a
 *   forgotten subagent is still timed out is `forgottenTimeout`: by the runtime's
 *   watchdog (the default), or not at all.
 *
 * Each time round the loop the orchestrator first dispatches a wave if one is ready and
 * the gate is open (keeping slots full is what async is for), otherwise processes the
 * oldest result, otherwise waits.
 */
import { backgroundDefaults, type Continuation, type DispatchSettings } from '../model/settings.js';
import type { Orchestrator, Strategy } from '../model/strategy.js';
import { formatDuration } from '../sim/format.js';
import type { ProcessGenerator } from '../sim/process.js';
import {
  checkLimit,
  checkShare,
  type RetryOptions,
  settingsWith,
  strategyLabel,
} from './common.js';

/** The async options' defaults (scenario files default to the same). */
export const asyncDefaults = {
  wip: Number.POSITIVE_INFINITY,
  continuation: 'events',
  pollInterval: 30,
  waveSize: Number.POSITIVE_INFINITY,
  gating: 0,
  registry: 'durable',
  resume: false,
  forgottenTimeout: 'runtime',
} as const;

export interface AsyncOptions extends RetryOptions {
  /** Most subagents in flight; Infinity or 'unbounded' is fire-and-forget (the "bag of agents"). */
  readonly wip?: number | 'unbounded';
  readonly continuation?: 'events' | 'polling';
  /** Seconds between poll rounds (polling only). */
  readonly pollInterval?: number;
  /** Tasks per wave; all ready tasks (Infinity) by default. */
  readonly waveSize?: number;
  /** Share of the previous wave that must be resolved before the next is dispatched (0: no gating). */
  readonly gating?: number;
  readonly registry?: 'durable' | 'volatile';
  /** Retries resume from the progress a failed attempt reported. */
  readonly resume?: boolean;
  /**
   * What times out a subagent whose handle a compaction forgot (volatile registry):
   * `runtime`, the agent runtime's watchdog, at its deadline (the default); or `none`, the
   * timer was in the orchestrator's context only and is forgotten with the handle (a
   * forgotten hang then holds its WIP slot for good: a deadlock risk). See DispatchSettings.
   */
  readonly forgottenTimeout?: 'runtime' | 'none';
  readonly label?: string;
}

function asyncProgram(waveSize: number, gating: number) {
  return function* (o: Orchestrator): ProcessGenerator<void> {
    let previousWave: readonly number[] = [];
    let waves = 0;
    const gateOpen = () => {
      if (gating === 0 || previousWave.length === 0) return true;
      // With nothing out and nothing to process, no result can come to open the gate.
      if (o.outstanding === 0 && o.bufferedResults === 0) return true;
      let resolved = 0;
      for (const t of previousWave) if (o.isResolved(t)) resolved++;
      return resolved >= Math.ceil(gating * previousWave.length);
    };
    for (;;) {
      // The gate first: while it is closed, the ready list need not be built.
      const ready = gateOpen() ? o.readyTasks(waveSize) : [];
      if (ready.length > 0) {
        if (waves++ > 0) yield* o.plan();
        for (const task of ready) yield* o.dispatch(task);
        previousWave = ready;
        continue;
      }
      const result = yield* o.nextResult();
      if (result !== undefined) {
        yield* o.process(result);
        continue;
      }
      // No result: either nothing is out and nothing is buffered (done, unless tasks were
      // opened again), or a compaction forgot a handle and its task is ready again.
      if (o.readyTasks(1).length === 0) break;
    }
    yield* o.synthesize();
  };
}

export function asyncDispatch(options: AsyncOptions = {}): Strategy {
  const wip =
    options.wip === 'unbounded' ? Number.POSITIVE_INFINITY : (options.wip ?? asyncDefaults.wip);
  checkLimit(wip, 'wip');
  const waveSize = options.waveSize ?? asyncDefaults.waveSize;
  checkLimit(waveSize, 'wave size');
  const gating = options.gating ?? asyncDefaults.gating;
  checkShare(gating, 'gating');
  const continuation: Continuation =
    (options.continuation ?? asyncDefaults.continuation) === 'polling'
      ? { kind: 'polling', interval: options.pollInterval ?? asyncDefaults.pollInterval }
      : { kind: 'events' };
  if (continuation.kind === 'polling' && !(continuation.interval > 0)) {
    throw new RangeError(
      `pollInterval must be a number of seconds > 0, got ${continuation.interval}`,
    );
  }
  const forgottenTimeout = options.forgottenTimeout ?? asyncDefaults.forgottenTimeout;
  if (forgottenTimeout !== 'runtime' && forgottenTimeout !== 'none') {
    throw new RangeError(
      `forgottenTimeout must be 'runtime' or 'none', got ${JSON.stringify(forgottenTimeout)}`,
    );
  }
  const settings: DispatchSettings = {
    ...settingsWith(backgroundDefaults, options),
    wip,
    continuation,
    registry: options.registry ?? asyncDefaults.registry,
    resume: options.resume ?? asyncDefaults.resume,
    forgottenTimeout,
  };
  const how =
    continuation.kind === 'polling' ? `polling@${formatDuration(continuation.interval)}` : 'events';
  return {
    label:
      options.label ??
      strategyLabel('async', [
        ['wip', Number.isFinite(wip) ? String(wip) : 'unbounded'],
        [how],
        ['timeout', settings.timeout],
        // Only when not the default, so that labels read as before.
        ...(forgottenTimeout === asyncDefaults.forgottenTimeout
          ? []
          : [['forgottenTimeout', forgottenTimeout] as const]),
      ]),
    settings,
    run: asyncProgram(waveSize, gating),
  };
}
