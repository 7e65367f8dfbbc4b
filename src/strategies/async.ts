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
import { backgroundDefaults, type DispatchSettings } from '../model/settings.js';
import type { Orchestrator, Strategy } from '../model/strategy.js';
import type { ProcessGenerator } from '../sim/process.js';
import { retriesOption, settingsWith, timeoutOption, validationOption } from './common.js';
import {
  createStrategy,
  defineStrategyKind,
  type KindOptions,
  kindDefaults,
} from './descriptor.js';

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

export const asyncKind = defineStrategyKind({
  kind: 'async',
  // Polling is one more loop to get right (and to tune) than events.
  simplicity: (v) => (v.continuation === 'polling' ? 3 : 2),
  summary: 'dispatch and keep working; process results as they arrive',
  options: {
    wip: {
      type: 'limit',
      default: Number.POSITIVE_INFINITY,
      unboundedMeans: 'fire-and-forget',
      description: 'most subagents in flight (default unbounded)',
    },
    waveSize: {
      type: 'limit',
      default: Number.POSITIVE_INFINITY,
      unboundedMeans: 'every ready task',
      description: 'tasks per wave (default unbounded: every ready task)',
      label: { name: 'wave' },
    },
    gating: {
      type: 'share',
      default: 0,
      description: 'share of the previous wave resolved before the next is dispatched (default 0)',
      label: { name: 'gate' },
    },
    continuation: {
      type: 'choice',
      values: ['events', 'polling'],
      default: 'events',
      description: 'how the orchestrator learns a subagent ended (default events)',
      label: { bare: true, always: true },
    },
    pollInterval: {
      type: 'duration',
      default: 30,
      positive: true,
      appliesWhen: { option: 'continuation', is: 'polling' },
      description: 'seconds between poll rounds (polling; default 30s)',
      label: { attached: true },
    },
    timeout: timeoutOption,
    retries: retriesOption,
    resume: {
      type: 'flag',
      default: false,
      description: 'retries resume from reported partial progress (default false)',
      label: { bare: true },
    },
    registry: {
      type: 'choice',
      values: ['durable', 'volatile'],
      default: 'durable',
      description: 'whether handles survive compaction (default durable)',
      label: { bare: true },
    },
    forgottenTimeout: {
      type: 'choice',
      values: ['runtime', 'none'],
      default: 'runtime',
      description:
        "what times out a subagent whose handle a compaction forgot (volatile registry): 'runtime', the agent runtime's watchdog, cancels it at its deadline; 'none', the timer lived only in the orchestrator's context and goes with the handle, so a forgotten hang holds its WIP slot for good, a deadlock risk (default runtime)",
    },
    validation: validationOption,
  },
  build: (v) => {
    const settings: DispatchSettings = {
      ...settingsWith(backgroundDefaults, v),
      wip: v.wip,
      continuation:
        v.continuation === 'polling'
          ? { kind: 'polling', interval: v.pollInterval }
          : { kind: 'events' },
      registry: v.registry,
      resume: v.resume,
      forgottenTimeout: v.forgottenTimeout,
    };
    return { settings, run: asyncProgram(v.waveSize, v.gating) };
  },
});

/**
 * The options of asyncDispatch. `wip`: most subagents in flight, Infinity or 'unbounded' for
 * fire-and-forget (the "bag of agents"). `forgottenTimeout`: what times out a subagent whose
 * handle a compaction forgot (see DispatchSettings).
 */
export type AsyncOptions = KindOptions<typeof asyncKind.options>;

/** The async options' defaults (scenario files default to the same: they come from asyncKind). */
export const asyncDefaults = kindDefaults(asyncKind);

export function asyncDispatch(options: AsyncOptions = {}): Strategy {
  return createStrategy(asyncKind, options);
}
