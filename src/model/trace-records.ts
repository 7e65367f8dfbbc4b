/**
 * The trace format, version 1 (docs/trace-format.md): the contract between the simulator,
 * the real-code harness and the invariant checkers. A trace is JSON Lines; every record
 * has the time `t` at which it happened, in seconds since the run began, and a `type`.
 * Agents are numbered in spawn order from 0; tasks from 0. The first record is the header
 * (`run.start`), the last `run.end`.
 *
 * Records state facts only. Verdicts — a ghost, a duplicate of a live attempt, how late a
 * failure was noticed — are derived from them by whoever judges. What only a simulation
 * can know (a subagent's drawn fate and work, whether a result is right) sits under a
 * field named `world`, so that a trace from real code can omit it.
 *
 * Readers ignore record types and fields they do not know: later minor additions (the
 * turn and token facts to come) keep `version: 1`.
 */
import type { TraceSink } from '../sim/trace.js';
import type { ModelPrice, OutputAction, SubagentPrice } from './config.js';
import type { CancelReason, DeclaredSpawn, PollStatus } from './facts.js';
import type { ActivityKind, RunOutcome } from './metrics.js';

/** The value of the header's `format` field. */
export const traceFormatName = 'dispatchlab-trace';
export const traceFormatVersion = 1;

// A type alias, not an interface: only aliases are assignable to TraceRecord's index signature.
type At<T extends string> = {
  readonly t: number;
  readonly type: T;
};

/** A duration or limit: seconds or a count, `null` for none (no timeout, no WIP limit). */
type Limit = number | null;

/** Everything a checker needs to know about the run without its scenario file. */
export type TraceHeader = At<'run.start'> & {
  readonly format: typeof traceFormatName;
  readonly version: typeof traceFormatVersion;
  /** What wrote the trace: a name and version. */
  readonly tool: { readonly name: string; readonly version: string };
  /** The scenario the run came from, when one did: its name and a hash of its normalized input. */
  readonly scenario: { readonly name: string; readonly hash: string } | null;
  readonly seed: number | string;
  readonly strategy: {
    readonly label: string;
    /** Its kind and every option (see StrategyDescription); null for a strategy that gives none. */
    readonly description: { readonly [option: string]: string | number | boolean | null } | null;
  };
  /** How subagents are dispatched: what the invariants are checked against. */
  readonly settings: {
    readonly mode: 'foreground' | 'background';
    readonly wip: Limit;
    readonly timeout: Limit;
    readonly retries: number;
    readonly continuation: 'events' | 'polling';
    readonly pollInterval: Limit;
    readonly registry: 'durable' | 'volatile';
    readonly resume: boolean;
    readonly forgottenTimeout: 'runtime' | 'none';
  };
  readonly tasks: number;
  /** `[a, b]`: task b needs task a's result first. Every edge, whatever the shape. */
  readonly dependencies: readonly (readonly [number, number])[];
  /** Seconds each orchestrator action costs. */
  readonly costs: {
    readonly dispatch: number;
    readonly plan: number;
    readonly process: number;
    readonly poll: number;
    readonly answer: number;
    readonly synthesize: number;
    readonly compaction: number;
    /** Null when each turn's cost is drawn from a distribution. */
    readonly turn: number | null;
  };
  /** The context model, in tokens; `budget` null when compaction is off. */
  readonly context: {
    readonly base: number;
    readonly perHandle: number;
    readonly perResult: number;
    readonly perSummary: number;
    readonly budget: Limit;
    readonly compactionKeeps: number;
    readonly forgetProbability: number;
  };
  /** Output tokens the orchestrator writes per action of each kind, and tokens a subagent spends per second of work. */
  readonly tokens: {
    readonly output: Readonly<Record<OutputAction, number>>;
    readonly subagentPerSecond: number;
  };
  /** The price table, per million tokens per role; only when the world has one. */
  readonly prices?: {
    readonly orchestrator: ModelPrice;
    readonly subagent: SubagentPrice;
  };
  /** The quality model (simulation only): a single subagent is right with probability `base`. */
  readonly world: {
    readonly quality: {
      readonly base: number;
      readonly validation: number;
      readonly learningRate: number;
      readonly deniedPenalty: number;
      readonly propagation: number;
    };
  };
};

export type ModelTraceRecord =
  | TraceHeader
  | (At<'spawn'> & {
      readonly agent: number;
      readonly task: number;
      readonly attempt: number;
      readonly reason: DeclaredSpawn;
    })
  | (At<'start'> & {
      readonly agent: number;
      /** Simulation only: the drawn fate, and the seconds of work (null for a hang). */
      readonly world: {
        readonly fate: 'ok' | 'error' | 'hang' | 'needs-permission';
        readonly work: number | null;
      };
    })
  | (At<'permission'> & { readonly agent: number; readonly outcome: 'asked' | 'denied' })
  | (At<'answer'> & { readonly agent: number })
  | (At<'end'> & { readonly agent: number; readonly fate: 'ok' | 'error' })
  | (At<'deadline'> & { readonly agent: number })
  | (At<'cancel'> & { readonly agent: number; readonly reason: CancelReason })
  | (At<'poll'> & { readonly agent: number; readonly status: PollStatus })
  | (At<'poll.round'> & { readonly start: number })
  | (At<'deliver'> & { readonly agent: number })
  | (At<'detect'> & {
      readonly agent: number;
      readonly task: number;
      readonly failure: 'error' | 'timeout';
    })
  | (At<'drop'> & { readonly agent: number })
  | (At<'process.start'> & { readonly agent: number; readonly task: number })
  | (At<'process.end'> & {
      readonly agent: number;
      readonly task: number;
      readonly caught: boolean;
      /** Simulation only: whether the result was right. */
      readonly world: { readonly correct: boolean };
    })
  | (At<'forget'> & { readonly agent: number; readonly task: number })
  | (At<'compaction'> & { readonly before: number; readonly after: number })
  | (At<'context'> & { readonly tokens: number })
  | (At<'turn'> & { readonly context: number })
  | At<'plan'>
  | At<'synthesize'>
  | (At<'busy'> & { readonly kind: ActivityKind; readonly start: number })
  | (At<'idle'> & { readonly start: number })
  | (At<'resolve'> &
      (
        | {
            readonly task: number;
            readonly outcome: 'succeeded';
            readonly agent: number;
            /** Simulation only: whether the accepted result was right. */
            readonly world: { readonly correct: boolean };
          }
        | {
            readonly task: number;
            readonly outcome: 'given-up';
            readonly reason: 'retries-exhausted' | 'upstream-given-up';
            readonly attempts: number;
          }
      ))
  | (At<'run.end'> & {
      readonly outcome: RunOutcome;
      readonly makespan: number;
      /** What the deadlock left waiting, when the outcome is `deadlock`. */
      readonly deadlock: string | null;
      /** Tasks neither succeeded nor given up. */
      readonly unresolved: number;
    });

export type ModelTraceType = ModelTraceRecord['type'];

export type ModelTrace = TraceSink<ModelTraceRecord>;
