/**
 * How a strategy asks the model to run its subagents: the knobs that are properties of the
 * dispatch mechanism rather than of the world (docs/model.md, "Strategies").
 */

export type Continuation =
  /** Terminal events are pushed to the orchestrator's inbox as subagents end. */
  | { readonly kind: 'events' }
  /** The orchestrator checks each in-flight subagent every `interval` seconds. */
  | { readonly kind: 'polling'; readonly interval: number };

export interface DispatchSettings {
  /**
   * foreground: the orchestrator blocks on a join; permission requests come to it and it
   * answers them. background: subagents run on while the orchestrator works; permissions
   * not granted up front are auto-denied, and handles live in a registry.
   */
  readonly mode: 'foreground' | 'background';
  /** Most subagents in flight at once; Infinity for no limit. */
  readonly wip: number;
  readonly continuation: Continuation;
  /** Seconds a subagent may run before it is cancelled; Infinity for no timeout. */
  readonly timeout: number;
  /** Times a failed (error or timed-out) task is dispatched again before it is given up. */
  readonly retries: number;
  /** Whether the registry of handles survives compaction (durable) or may lose them (volatile). */
  readonly registry: 'durable' | 'volatile';
  /** A retry resumes from the partial progress its failed attempt reported. */
  readonly resume: boolean;
  /**
   * What still enforces the timeout of a subagent whose handle a compaction made the
   * orchestrator forget (volatile registry). `runtime` (undefined means the same): the
   * agent runtime's watchdog, which survives compaction (as Claude Code fails a stalled
   * subagent after 10 minutes whatever the orchestrator remembers), cancels it at its
   * deadline and frees its WIP slot; it is a ghost all the same, its work wasted. `none`:
   * the timer lived only in the orchestrator's context and goes with the handle, so the
   * subagent runs on past its deadline, and a forgotten hang holds its WIP slot for good
   * (with a WIP limit, a deadlock risk). Subagents the orchestrator still tracks are timed
   * out as before either way (events: when the timer fires; polling: at the first check
   * after the deadline).
   */
  readonly forgottenTimeout?: 'runtime' | 'none';
  /**
   * Chance that processing catches a wrong result, when this strategy's orchestrator
   * validates differently from the world's default (`quality.validation`); undefined: the default.
   */
  readonly validation?: number;
}

export const foregroundDefaults: DispatchSettings = {
  mode: 'foreground',
  wip: Number.POSITIVE_INFINITY,
  continuation: { kind: 'events' },
  timeout: Number.POSITIVE_INFINITY,
  retries: 0,
  registry: 'durable',
  resume: false,
  forgottenTimeout: 'runtime',
};

/** Async dispatch: the same defaults, with subagents in the background. */
export const backgroundDefaults: DispatchSettings = { ...foregroundDefaults, mode: 'background' };
