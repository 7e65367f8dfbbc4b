/**
 * The polling runtime a user's orchestrator code calls, in the style of LangChain Deep
 * Agents' async subagents: `start(task) → taskId`, `check(taskId)`, `cancel(taskId)`,
 * `list()`, and `work(kind, seconds)` through which the code spends its own time.
 *
 * Behind it, simulated subagents: attempt k of task t draws its fate and latency from the
 * stream (seed, "attempt", t, k) exactly as the model does (src/model/attempt-draws.ts), so
 * that real code and a built-in strategy meet the same world on the same seed. A subagent's
 * end is a timer on the fake clock the harness drives (run-orchestrator.ts); a hang has no
 * timer and never ends unless cancelled.
 *
 * Every fact is written as a trace format v1 record (docs/trace-format.md) at the instant
 * it happens, so the invariants judge the code's run as they judge the model's.
 */

import { drawAttempt, type Fate } from '../model/attempt-draws.js';
import type { WorldConfig } from '../model/config.js';
import type { ModelTraceRecord } from '../model/trace-records.js';
import { type Seed, StreamFactory, type StreamFamily } from '../sim/random.js';
import type { TraceFields, TraceValue } from '../sim/trace.js';

/** What `check` says of a task id. */
export type TaskStatus = 'running' | 'success' | 'error' | 'cancelled' | 'timeout';

export interface CheckResult {
  readonly status: TaskStatus;
  /** With `success`: the subagent's result. */
  readonly result?: string;
  /** With `error`, `timeout` or `cancelled`: what went wrong. */
  readonly error?: string;
}

/** One entry of `list()`. */
export interface TaskInfo {
  readonly taskId: string;
  readonly task: number;
  readonly attempt: number;
  readonly status: TaskStatus;
}

/** The kinds of the orchestrator's own work (a subset of the trace's `busy` kinds). */
export type WorkKind = 'dispatch' | 'plan' | 'process' | 'poll' | 'synthesize';

/** What the code declares about how it dispatches: the header's `settings`. */
export interface HarnessSettings {
  /** Most subagents the code keeps running at once; null when it keeps no limit or does not say. */
  readonly wip?: number | null;
  /** Seconds after which `check` reports a still-running subagent as `timeout` and cancels it. */
  readonly timeout?: number | null;
  /** Times the code dispatches a failed task again before giving it up. */
  readonly retries?: number;
  /** Seconds between the code's poll rounds, when it says. */
  readonly pollInterval?: number | null;
}

/** The world's orchestrator costs, in seconds, for the code to spend through `work`. */
export interface HarnessCosts {
  readonly dispatch: number;
  readonly plan: number;
  readonly process: number;
  readonly poll: number;
  readonly synthesize: number;
}

/** The runtime as the user's orchestrator sees it. */
export interface PollingRuntime {
  /** How many tasks there are, numbered from 0. */
  readonly tasks: number;
  readonly costs: HarnessCosts;
  /** Starts a subagent on `task` at once; returns its id. */
  start(task: number): string;
  check(taskId: string): CheckResult;
  /** Cancels a running subagent; false when it was not running (nothing happens then). */
  cancel(taskId: string): boolean;
  list(): readonly TaskInfo[];
  /**
   * Spends `seconds` of the orchestrator's time on `kind`. Calls run one at a time, in the
   * order made, as a single-threaded orchestrator's do. `process` names the task id whose
   * result it consumes (`result`): the task is then resolved with it.
   */
  work(kind: WorkKind, seconds: number, options?: { readonly result?: string }): Promise<void>;
  /** Gives `task` up (its retries used up). */
  giveUp(task: number): void;
}

/** The code used the runtime in a way no orchestrator can (an unknown id, a result it never got). */
export class HarnessUsageError extends Error {
  override name = 'HarnessUsageError';
}

type AgentState = 'running' | 'ended' | 'timeout' | 'cancelled';

/** One subagent: one attempt at one task. */
interface Agent {
  readonly id: string;
  readonly agent: number;
  readonly task: number;
  readonly attempt: number;
  readonly fate: Fate;
  /** Seconds of work as drawn; null for a hang. */
  readonly work: number | null;
  readonly startedMs: number;
  state: AgentState;
  /** The end's fate, once ended. */
  ended: 'ok' | 'error' | null;
  /** Whether a check has told the code how it ended (deliver or detect written). */
  told: boolean;
  /** The code detected its failure (error, timeout, cancel). */
  failureKnown: boolean;
}

/** The fake clock as the runtime needs it: the harness's installed clock. */
export interface RuntimeClock {
  readonly now: number;
  setTimeout(callback: () => void, ms: number): unknown;
}

/** Milliseconds: the fake clock's unit. Subagent ends are rounded to it. */
const ms = (seconds: number): number => Math.round(seconds * 1000);

export class SimulatedPollingRuntime implements PollingRuntime {
  readonly tasks: number;
  readonly costs: HarnessCosts;
  readonly records: ModelTraceRecord[] = [];
  private readonly agents: Agent[] = [];
  private readonly byId = new Map<string, Agent>();
  private readonly spawns: number[];
  private readonly resolved: boolean[];
  private readonly streams: StreamFamily;
  private readonly timeoutMs: number | null;
  /** Work calls run one after another: the tail of their chain. */
  private workTail: Promise<void> = Promise.resolve();
  private working = false;
  /** When the orchestrator last stopped working, in ms: an idle interval runs from here. */
  private idleSince = 0;
  /** Set once the run is over: later facts (a timer left behind) are not the run's. */
  private closed = false;

  constructor(
    private readonly clock: RuntimeClock,
    private readonly world: WorldConfig,
    seed: Seed,
    tasks: number,
    settings: HarnessSettings,
  ) {
    this.tasks = tasks;
    const c = world.orchestrator;
    this.costs = {
      dispatch: c.dispatch,
      plan: c.plan,
      process: c.process,
      poll: c.poll,
      synthesize: c.synthesize,
    };
    this.spawns = new Array<number>(tasks).fill(0);
    this.resolved = new Array<boolean>(tasks).fill(false);
    // The model's own family: the stream (seed, "attempt", task, attempt) per attempt.
    this.streams = new StreamFactory(seed).family('attempt');
    this.timeoutMs = settings.timeout == null ? null : ms(settings.timeout);
  }

  /** Seconds since the run began. */
  private get t(): number {
    return this.clock.now / 1000;
  }

  private write(type: string, fields: TraceFields): void {
    if (this.closed) return;
    // The records are built field by field to the format's shapes; ModelTraceRecord types
    // the simulator's records, whose `world` fields a trace from code may leave out
    // (docs/trace-format.md, "What only a simulation knows"), as the file reader casts too.
    this.records.push({ t: this.t, type, ...fields } as unknown as ModelTraceRecord);
  }

  private agentOf(taskId: string): Agent {
    const a = this.byId.get(taskId);
    if (a === undefined)
      throw new HarnessUsageError(`no subagent has the id ${JSON.stringify(taskId)}`);
    return a;
  }

  start(task: number): string {
    if (this.closed) throw new HarnessUsageError('start() after the orchestrator returned');
    if (!Number.isInteger(task) || task < 0 || task >= this.tasks) {
      throw new HarnessUsageError(`no task ${task}: tasks are numbered 0 to ${this.tasks - 1}`);
    }
    const attempt = this.spawns[task]!;
    this.spawns[task] = attempt + 1;
    // A retry is a dispatch after the code learned that the task's latest attempt failed;
    // any other dispatch of a task spawned before says "first" and shows as a duplicate.
    const latest = this.agents.findLast((a) => a.task === task);
    const reason = latest?.failureKnown ? 'retry' : 'first';
    const draws = drawAttempt(
      this.streams,
      task,
      attempt,
      this.world.subagents.latency,
      this.world.subagents.failures,
    );
    const work = draws.fate === 'hang' ? null : draws.latency;
    const agent = this.agents.length;
    const a: Agent = {
      id: `task-${task}-attempt-${attempt}`,
      agent,
      task,
      attempt,
      fate: draws.fate,
      work,
      startedMs: this.clock.now,
      state: 'running',
      ended: null,
      told: false,
      failureKnown: false,
    };
    this.agents.push(a);
    this.byId.set(a.id, a);
    this.write('spawn', { agent, attempt, reason, task });
    // No slot to wait for: the runtime starts every subagent at once; a WIP limit is the
    // code's to keep, and the header says which one it declares.
    this.write('start', { agent, world: { fate: draws.fate, work } });
    if (work !== null) {
      if (draws.fate === 'needs-permission') {
        // In the background a permission not granted up front is denied; the subagent carries on.
        const at = Math.min(ms(work * draws.permissionPoint), ms(work));
        this.clock.setTimeout(() => {
          if (a.state === 'running') this.write('permission', { agent, outcome: 'denied' });
        }, at);
      }
      this.clock.setTimeout(() => this.end(a), ms(work));
    }
    return a.id;
  }

  private end(a: Agent): void {
    if (a.state !== 'running') return;
    a.state = 'ended';
    a.ended = a.fate === 'error' ? 'error' : 'ok';
    this.write('end', { agent: a.agent, fate: a.ended });
  }

  check(taskId: string): CheckResult {
    const a = this.agentOf(taskId);
    if (a.state === 'running') {
      if (this.timeoutMs !== null && this.clock.now - a.startedMs > this.timeoutMs) {
        // Overdue: the check finds it, cancels it and the code learns of the timeout.
        this.write('poll', { agent: a.agent, status: 'overdue' });
        a.state = 'timeout';
        this.write('cancel', { agent: a.agent, reason: 'timeout' });
        this.detect(a, 'timeout');
        a.told = true;
      } else {
        this.write('poll', { agent: a.agent, status: 'running' });
        return { status: 'running' };
      }
    } else if (a.state === 'ended' && !a.told) {
      a.told = true;
      this.write('poll', { agent: a.agent, status: 'ended' });
      if (a.ended === 'ok') this.write('deliver', { agent: a.agent });
      else this.detect(a, 'error');
    }
    // Checks after the code was told repeat what it knows and are not facts of the run.
    return this.statusOf(a);
  }

  private detect(a: Agent, failure: 'error' | 'timeout'): void {
    a.failureKnown = true;
    this.write('detect', { agent: a.agent, failure, task: a.task });
  }

  private statusOf(a: Agent): CheckResult {
    switch (a.state) {
      case 'running':
        return { status: 'running' };
      case 'timeout':
        return { status: 'timeout', error: `timed out after ${this.timeoutMs! / 1000} s` };
      case 'cancelled':
        return { status: 'cancelled', error: 'cancelled' };
      case 'ended':
        return a.ended === 'ok'
          ? { status: 'success', result: `result of task ${a.task} (attempt ${a.attempt})` }
          : { status: 'error', error: `task ${a.task} (attempt ${a.attempt}) failed` };
    }
  }

  cancel(taskId: string): boolean {
    const a = this.agentOf(taskId);
    if (a.state !== 'running') return false;
    a.state = 'cancelled';
    a.told = true;
    // The format's only reasons are a timeout and the watchdog: the code's own cancel is its timeout.
    this.write('cancel', { agent: a.agent, reason: 'timeout' });
    this.detect(a, 'timeout');
    return true;
  }

  list(): readonly TaskInfo[] {
    return this.agents.map((a) => ({
      taskId: a.id,
      task: a.task,
      attempt: a.attempt,
      // What the code could know without checking: a subagent not yet checked is running.
      status: a.told ? this.statusOf(a).status : 'running',
    }));
  }

  giveUp(task: number): void {
    if (this.closed) throw new HarnessUsageError('giveUp() after the orchestrator returned');
    this.resolved[task] = true;
    this.write('resolve', {
      attempts: this.spawns[task] ?? 0,
      outcome: 'given-up',
      reason: 'retries-exhausted',
      task,
    });
  }

  work(kind: WorkKind, seconds: number, options?: { readonly result?: string }): Promise<void> {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new HarnessUsageError(`work(${kind}) takes seconds ≥ 0, got ${seconds}`);
    }
    let consumed: Agent | null = null;
    if (kind === 'process') {
      if (options?.result === undefined) {
        throw new HarnessUsageError('work("process") names the task id whose result it consumes');
      }
      consumed = this.agentOf(options.result);
      if (!(consumed.told && consumed.ended === 'ok')) {
        throw new HarnessUsageError(
          `processing ${consumed.id}, whose result no check returned: the code cannot have it`,
        );
      }
    }
    const run = (): Promise<void> => this.spend(kind, seconds, consumed);
    const next = this.workTail.then(run);
    // The chain goes on after a failed step; the caller sees the failure through `next`.
    this.workTail = next.catch(() => undefined);
    return next;
  }

  private async spend(kind: WorkKind, seconds: number, consumed: Agent | null): Promise<void> {
    if (this.closed) return;
    this.working = true;
    const from = this.clock.now;
    if (from > this.idleSince) this.write('idle', { start: this.idleSince / 1000 });
    if (consumed !== null) {
      this.write('process.start', { agent: consumed.agent, task: consumed.task });
    }
    const duration = ms(seconds);
    if (duration > 0) {
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, duration));
      this.write('busy', { kind, start: from / 1000 });
    }
    this.working = false;
    this.idleSince = this.clock.now;
    if (this.closed) return;
    if (consumed !== null) {
      this.write('process.end', { agent: consumed.agent, caught: false, task: consumed.task });
      this.resolved[consumed.task] = true;
      this.write('resolve', { agent: consumed.agent, outcome: 'succeeded', task: consumed.task });
    } else if (kind === 'plan' || kind === 'synthesize') {
      this.write(kind, {});
    }
  }

  /** Tasks without a resolve. */
  get unresolved(): number {
    return this.resolved.filter((r) => !r).length;
  }

  /** What is still out, for a deadlock's report. */
  pending(): string[] {
    const out: string[] = [];
    for (const a of this.agents) {
      const what = `subagent ${a.agent} (${a.id})`;
      if (a.state === 'running') {
        out.push(
          a.work === null
            ? `${what} hangs since ${a.startedMs / 1000} s and was never cancelled`
            : `${what} is running`,
        );
      } else if (!a.told && a.state === 'ended') {
        out.push(`${what} ended (${a.ended}) and was never checked`);
      }
    }
    const open = this.resolved.flatMap((r, task) => (r ? [] : [task]));
    if (open.length > 0) out.push(`tasks never resolved: ${open.join(', ')}`);
    return out;
  }

  /** The run is over at the fake clock's now: the last idle interval, then `run.end`. */
  close(outcome: 'completed' | 'incomplete' | 'deadlock', deadlock: string | null): void {
    const now = this.clock.now;
    // A deadlocked run's last wait never ends and has no record (docs/trace-format.md).
    if (outcome !== 'deadlock' && !this.working && now > this.idleSince) {
      this.write('idle', { start: this.idleSince / 1000 });
    }
    const fields: Record<string, TraceValue> = {
      deadlock,
      makespan: now / 1000,
      outcome,
      unresolved: this.unresolved,
    };
    this.write('run.end', fields);
    this.closed = true;
  }
}
