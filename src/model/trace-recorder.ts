/**
 * The facts of a run written as a trace (format v1, trace-records.ts and
 * docs/trace-format.md): one record per fact, in the order the model states them.
 */
import { dispatchlabVersion } from '../version.js';
import type { Attempt } from './attempt.js';
import { noTokens, type WorldConfig } from './config.js';
import type { TaskGraph } from './dependencies.js';
import type { CancelReason, DeclaredSpawn, PollStatus, RunFacts } from './facts.js';
import type { ActivityKind, RunOutcome } from './metrics.js';
import type { Strategy } from './strategy.js';
import {
  type ModelTrace,
  type TraceHeader,
  traceFormatName,
  traceFormatVersion,
} from './trace-records.js';

const limit = (x: number) => (Number.isFinite(x) ? x : null);

/** Where a run came from, for the header: the scenario's name and a hash of its input. */
export interface TraceSource {
  readonly name: string;
  readonly hash: string;
}

/**
 * The header of a run's trace: everything a checker needs without the scenario file.
 *
 * It copies the world's objects field by field rather than spreading them (`{ ...o }`):
 * a header is built for every traced run, and those spreads, most of all one followed by
 * a field of its own, took about four times as long as all the rest of it. The fields
 * copied are the format's (docs/trace-format.md), which are all the world's types hold.
 */
export function traceHeader(
  world: WorldConfig,
  strategy: Pick<Strategy, 'label' | 'settings' | 'description'>,
  seed: number | string,
  graph: TaskGraph,
  source: TraceSource | null,
): TraceHeader {
  const s = strategy.settings;
  const dependencies: [number, number][] = [];
  for (let b = 0; b < graph.count; b++) {
    for (const a of graph.dependsOn[b]!) dependencies.push([a, b]);
  }
  const o = world.orchestrator;
  const c = world.context;
  const q = world.quality;
  const tokens = world.tokens ?? noTokens;
  const out = tokens.output;
  const p = world.prices;
  return {
    t: 0,
    type: 'run.start',
    format: traceFormatName,
    version: traceFormatVersion,
    tool: { name: 'dispatchlab', version: dispatchlabVersion },
    scenario: source === null ? null : { name: source.name, hash: source.hash },
    seed,
    strategy: { label: strategy.label, description: strategy.description ?? null },
    settings: {
      mode: s.mode,
      wip: limit(s.wip),
      timeout: limit(s.timeout),
      retries: s.retries,
      continuation: s.continuation.kind,
      pollInterval: s.continuation.kind === 'polling' ? s.continuation.interval : null,
      registry: s.registry,
      resume: s.resume,
      forgottenTimeout: s.forgottenTimeout ?? 'runtime',
    },
    tasks: graph.count,
    dependencies,
    costs: {
      dispatch: o.dispatch,
      plan: o.plan,
      process: o.process,
      poll: o.poll,
      answer: o.answer,
      synthesize: o.synthesize,
      // A turn drawn from a distribution has no one cost: its turns' busy records say it.
      turn: typeof o.turn === 'number' ? o.turn : null,
      compaction: c.compactionCost,
    },
    context: {
      base: c.base,
      perHandle: c.perHandle,
      perResult: c.perResult,
      perSummary: c.perSummary,
      budget: limit(c.budget),
      compactionKeeps: c.compactionKeeps,
      forgetProbability: c.forgetProbability,
    },
    tokens: {
      output: {
        dispatch: out.dispatch,
        plan: out.plan,
        process: out.process,
        poll: out.poll,
        answer: out.answer,
        synthesize: out.synthesize,
        compaction: out.compaction,
      },
      subagentPerSecond: tokens.subagentPerSecond,
    },
    // Only with a price table: a trace of a world without one is as it was before prices.
    ...(p === undefined
      ? {}
      : {
          prices: {
            orchestrator: {
              input: p.orchestrator.input,
              cachedInput: p.orchestrator.cachedInput,
              cacheHitShare: p.orchestrator.cacheHitShare,
              output: p.orchestrator.output,
            },
            subagent: {
              input: p.subagent.input,
              cachedInput: p.subagent.cachedInput,
              cacheHitShare: p.subagent.cacheHitShare,
              output: p.subagent.output,
              outputShare: p.subagent.outputShare,
            },
          },
        }),
    world: {
      quality: {
        base: q.base,
        validation: s.validation ?? q.validation,
        learningRate: q.learningRate,
        deniedPenalty: q.deniedPenalty,
        propagation: q.propagation,
      },
    },
  };
}

/**
 * Writes each fact as a record, after handing it to the metrics: the run's one consumer of
 * facts when a trace is written. Each method forwards its own parameters to a consumer of
 * one class, so that a traced run pays one more plain call per fact, not a generic
 * forwarder's argument array and megamorphic call (the metrics hear every fact first, as
 * they would without a trace).
 */
export class TraceRecorder implements RunFacts {
  /** The context size last written: a `context` record is written only when it changes. */
  private lastContext: number;

  constructor(
    private readonly metrics: RunFacts,
    private readonly trace: ModelTrace,
    header: TraceHeader,
  ) {
    this.lastContext = header.context.base;
    trace.write(header);
  }

  spawned(t: number, a: Attempt, reason: DeclaredSpawn): void {
    this.metrics.spawned(t, a, reason);
    this.trace.write({
      t,
      type: 'spawn',
      agent: a.agent,
      task: a.task,
      attempt: a.attemptNo,
      reason,
    });
  }

  started(t: number, a: Attempt): void {
    this.metrics.started(t, a);
    const fate = a.fate;
    this.trace.write({
      t,
      type: 'start',
      agent: a.agent,
      world: { fate, work: fate === 'hang' ? null : a.work },
    });
  }

  permission(t: number, a: Attempt, outcome: 'asked' | 'denied'): void {
    this.metrics.permission(t, a, outcome);
    this.trace.write({ t, type: 'permission', agent: a.agent, outcome });
  }

  answered(t: number, a: Attempt): void {
    this.metrics.answered(t, a);
    this.trace.write({ t, type: 'answer', agent: a.agent });
  }

  ended(t: number, a: Attempt, ran: number): void {
    this.metrics.ended(t, a, ran);
    this.trace.write({ t, type: 'end', agent: a.agent, fate: a.fate === 'error' ? 'error' : 'ok' });
  }

  deadline(t: number, a: Attempt): void {
    this.metrics.deadline(t, a);
    this.trace.write({ t, type: 'deadline', agent: a.agent });
  }

  cancelled(t: number, a: Attempt, reason: CancelReason, ran: number): void {
    this.metrics.cancelled(t, a, reason, ran);
    this.trace.write({ t, type: 'cancel', agent: a.agent, reason });
  }

  polled(t: number, a: Attempt, status: PollStatus): void {
    this.metrics.polled(t, a, status);
    this.trace.write({ t, type: 'poll', agent: a.agent, status });
  }

  pollRound(t: number, start: number): void {
    this.metrics.pollRound(t, start);
    this.trace.write({ t, type: 'poll.round', start });
  }

  delivered(t: number, a: Attempt): void {
    this.metrics.delivered(t, a);
    this.trace.write({ t, type: 'deliver', agent: a.agent });
  }

  failureKnown(t: number, a: Attempt, failure: 'error' | 'timeout', failedAt: number): void {
    this.metrics.failureKnown(t, a, failure, failedAt);
    this.trace.write({ t, type: 'detect', agent: a.agent, task: a.task, failure });
  }

  dropped(t: number, a: Attempt): void {
    this.metrics.dropped(t, a);
    this.trace.write({ t, type: 'drop', agent: a.agent });
  }

  processStarted(t: number, a: Attempt): void {
    this.metrics.processStarted(t, a);
    this.trace.write({ t, type: 'process.start', agent: a.agent, task: a.task });
  }

  processed(t: number, a: Attempt, correct: boolean, caught: boolean): void {
    this.metrics.processed(t, a, correct, caught);
    this.trace.write({
      t,
      type: 'process.end',
      agent: a.agent,
      task: a.task,
      caught,
      world: { correct },
    });
  }

  forgot(t: number, a: Attempt): void {
    this.metrics.forgot(t, a);
    this.trace.write({ t, type: 'forget', agent: a.agent, task: a.task });
  }

  planned(t: number): void {
    this.metrics.planned(t);
    this.trace.write({ t, type: 'plan' });
  }

  synthesized(t: number): void {
    this.metrics.synthesized(t);
    this.trace.write({ t, type: 'synthesize' });
  }

  compacted(t: number, before: number, after: number): void {
    this.metrics.compacted(t, before, after);
    this.lastContext = after;
    this.trace.write({ t, type: 'compaction', before, after });
  }

  context(t: number, tokens: number): void {
    this.metrics.context(t, tokens);
    if (tokens === this.lastContext) return;
    this.lastContext = tokens;
    this.trace.write({ t, type: 'context', tokens });
  }

  turn(t: number, contextTokens: number): void {
    this.metrics.turn(t, contextTokens);
    this.trace.write({ t, type: 'turn', context: contextTokens });
  }

  busy(t: number, kind: ActivityKind, start: number, seconds: number): void {
    this.metrics.busy(t, kind, start, seconds);
    this.trace.write({ t, type: 'busy', kind, start });
  }

  idle(t: number, start: number): void {
    this.metrics.idle(t, start);
    if (t > start) this.trace.write({ t, type: 'idle', start });
  }

  succeeded(t: number, task: number, a: Attempt, correct: boolean): void {
    this.metrics.succeeded(t, task, a, correct);
    this.trace.write({
      t,
      type: 'resolve',
      task,
      outcome: 'succeeded',
      agent: a.agent,
      world: { correct },
    });
  }

  givenUp(
    t: number,
    task: number,
    reason: 'retries-exhausted' | 'upstream-given-up',
    attempts: number,
  ): void {
    this.metrics.givenUp(t, task, reason, attempts);
    this.trace.write({ t, type: 'resolve', task, outcome: 'given-up', reason, attempts });
  }

  /** The last record. */
  runEnded(
    makespan: number,
    outcome: RunOutcome,
    deadlock: string | undefined,
    unresolved: number,
  ): void {
    this.trace.write({
      t: makespan,
      type: 'run.end',
      outcome,
      makespan,
      deadlock: deadlock ?? null,
      unresolved,
    });
  }
}
