/**
 * The typed configuration of a simulated world (docs/model.md). Scenario files are parsed
 * into this; the model and the strategies only ever see these types.
 *
 * Every knob maps to one phenomenon of docs/model.md, "The problem", and every one has a default
 * that turns its phenomenon off (zero cost, zero probability, no budget), so a world is only as
 * complicated as the scenario asks for.
 */
import type { Distribution } from '../sim/distributions/index.js';

/** How tasks depend on each other. A task can start only after its dependencies' results are processed. */
export type DependencyShape =
  | { readonly shape: 'none' }
  /** Task i depends on task i-1. */
  | { readonly shape: 'chain' }
  /** Layers of `width` tasks; every task depends on every task of the previous layer. */
  | { readonly shape: 'layered'; readonly width: number }
  /** Each pair i < j is an edge i → j with probability `edgeProbability` (drawn per seed). */
  | { readonly shape: 'random'; readonly edgeProbability: number };

export interface TaskConfig {
  readonly count: number;
  readonly dependencies: DependencyShape;
}

/** Per-attempt fate probabilities; what is left over is `ok`. */
export interface FailureRates {
  readonly error: number;
  readonly hang: number;
  readonly needsPermission: number;
}

export interface SubagentConfig {
  /** Latency of one attempt, in seconds. */
  readonly latency: Distribution;
  readonly failures: FailureRates;
  /** Whether a failing subagent reports its partial progress f (a retry can then resume). */
  readonly reportsProgress: boolean;
}

/** Orchestrator time per action, in seconds. */
export interface OrchestratorCosts {
  /** Per subagent dispatched (paid when the request is made, even if it then queues). */
  readonly dispatch: number;
  /** Per status check of one in-flight subagent (polling continuation). */
  readonly poll: number;
  /** Per result, in arrival order. */
  readonly process: number;
  /** Per wave after the first (the first wave's plan is the job's initial split, shared by all strategies). */
  readonly plan: number;
  /** Per permission request from a foreground subagent. */
  readonly answer: number;
  /** Once, at the end. */
  readonly synthesize: number;
  /**
   * Per turn: each time the orchestrator passes from waiting to working (and once at the
   * start of the run) it takes a turn, a model call that re-reads its context before it
   * can act (docs/model.md, "Turns"). A number of seconds, or a distribution: the n-th
   * turn's cost is then drawn from the stream (seed, "turn", n), apart from every other
   * draw.
   */
  readonly turn: number | Distribution;
}

/** The orchestrator's context window, in tokens. */
export interface ContextConfig {
  readonly base: number;
  /** Per in-flight subagent handle. */
  readonly perHandle: number;
  /** Per result received but not yet processed (held in full). */
  readonly perResult: number;
  /** Per processed result (kept as a summary). */
  readonly perSummary: number;
  /** Compaction runs when the context exceeds this; Infinity turns compaction off. */
  readonly budget: number;
  /** Orchestrator time one compaction takes, in seconds. */
  readonly compactionCost: number;
  /** Share kept by a compaction of everything but the base and the handles (results, summaries). */
  readonly compactionKeeps: number;
  /**
   * With a volatile registry: the probability that a compaction makes the orchestrator
   * forget each in-flight background subagent handle.
   */
  readonly forgetProbability: number;
}

export interface QualityConfig {
  /** Probability that a subagent's result is correct, with nothing learned yet. */
  readonly base: number;
  /**
   * How fast later tasks benefit from processed results: the error probability of an
   * attempt is (1 - base) * exp(-learningRate * results processed when it was dispatched).
   * 0 turns learning off.
   */
  readonly learningRate: number;
  /** Probability that an auto-denied permission makes an otherwise correct result wrong. */
  readonly deniedPenalty: number;
  /** Probability that processing a wrong result catches it (the task is then dispatched again). */
  readonly validation: number;
  /** Probability that a task with a wrong upstream result is wrong itself. */
  readonly propagation: number;
}

/** The orchestrator's actions that write output (docs/model.md, "Tokens"). */
export type OutputAction =
  | 'dispatch'
  | 'plan'
  | 'process'
  | 'poll'
  | 'answer'
  | 'synthesize'
  | 'compaction';

/** Tokens written and spent, beyond the context the orchestrator reads at each turn. */
export interface TokenConfig {
  /** Output tokens the orchestrator writes per action of each kind. */
  readonly output: Readonly<Record<OutputAction, number>>;
  /** Tokens a subagent spends per second of its work. */
  readonly subagentPerSecond: number;
}

/**
 * What a model charges for a million tokens, in the currency of the price table. A share
 * of the tokens read hits the prompt cache and is billed at the cached price (a model
 * call re-reads the conversation, most of which it read in the previous call).
 */
// A type, not an interface: the trace header holds it, and trace values need an index signature.
export type ModelPrice = {
  readonly input: number;
  readonly cachedInput: number;
  /** Share of the tokens read billed as cached input. */
  readonly cacheHitShare: number;
  readonly output: number;
};

/** A subagent's tokens are counted as one figure (a rate per second of work): the share it writes. */
export type SubagentPrice = ModelPrice & {
  /** Share of a subagent's tokens that it writes (billed as output); the rest it reads. */
  readonly outputShare: number;
};

/** Prices per role: the orchestrator's model and the subagents' model may differ. */
export interface PriceTable {
  readonly orchestrator: ModelPrice;
  readonly subagent: SubagentPrice;
}

export interface WorldConfig {
  readonly tasks: TaskConfig;
  readonly subagents: SubagentConfig;
  readonly orchestrator: OrchestratorCosts;
  readonly context: ContextConfig;
  readonly quality: QualityConfig;
  /** None by default. */
  readonly tokens?: TokenConfig;
  /** None by default: every cost is then 0. */
  readonly prices?: PriceTable;
}

export const noTokens: TokenConfig = {
  output: { dispatch: 0, plan: 0, process: 0, poll: 0, answer: 0, synthesize: 0, compaction: 0 },
  subagentPerSecond: 0,
};

export const noFailures: FailureRates = { error: 0, hang: 0, needsPermission: 0 };

export const freeOrchestrator: OrchestratorCosts = {
  dispatch: 0,
  poll: 0,
  process: 0,
  plan: 0,
  answer: 0,
  synthesize: 0,
  turn: 0,
};

export const unlimitedContext: ContextConfig = {
  base: 0,
  perHandle: 0,
  perResult: 0,
  perSummary: 0,
  budget: Number.POSITIVE_INFINITY,
  compactionCost: 0,
  compactionKeeps: 0.25,
  forgetProbability: 0,
};

export const perfectQuality: QualityConfig = {
  base: 1,
  learningRate: 0,
  deniedPenalty: 0,
  validation: 0,
  propagation: 0,
};

/** A world from the parts a caller cares about; everything else is off. */
export function world(parts: {
  tasks: number | TaskConfig;
  latency: Distribution;
  failures?: Partial<FailureRates>;
  reportsProgress?: boolean;
  orchestrator?: Partial<OrchestratorCosts>;
  context?: Partial<ContextConfig>;
  quality?: Partial<QualityConfig>;
}): WorldConfig {
  return {
    tasks:
      typeof parts.tasks === 'number'
        ? { count: parts.tasks, dependencies: { shape: 'none' } }
        : parts.tasks,
    subagents: {
      latency: parts.latency,
      failures: { ...noFailures, ...parts.failures },
      reportsProgress: parts.reportsProgress ?? false,
    },
    orchestrator: { ...freeOrchestrator, ...parts.orchestrator },
    context: { ...unlimitedContext, ...parts.context },
    quality: { ...perfectQuality, ...parts.quality },
  };
}
