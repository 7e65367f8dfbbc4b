/**
 * The trace writer the recorded orchestrators share: what a user adds to their own
 * orchestrator to record a trace in the format of docs/trace-format.md, written from the
 * page alone. It imports nothing from dispatchlab on purpose: these programs stand for
 * orchestrators written elsewhere, and their traces must be judged the way any other
 * tool's would be.
 *
 * It writes the header fields the format requires (and a `tool` and `seed`, which it
 * allows), then one line per fact, in the order the program reports them. It numbers
 * subagents in spawn order and counts each task's spawns itself: the log outlives the
 * orchestrator's memory, so a task dispatched again after its handle was lost still gets
 * the `attempt` it really is. No `world` fields: real code does not know a subagent's
 * fate when it starts.
 */

export type Mode = 'foreground' | 'background';
export type Continuation = 'events' | 'polling';
export type Activity = 'dispatch' | 'plan' | 'process' | 'poll' | 'synthesize' | 'compaction';
export type Reason = 'first' | 'retry' | 'redispatch';
export type Outcome = 'completed' | 'deadlock' | 'incomplete';

export interface Settings {
  readonly mode: Mode;
  readonly wip: number | null;
  readonly timeout: number | null;
  readonly retries: number;
  readonly continuation: Continuation;
  readonly pollInterval: number | null;
}

export interface Header {
  readonly program: string;
  readonly seed: number;
  readonly tasks: number;
  readonly dependencies?: readonly (readonly [number, number])[];
  readonly settings: Settings;
}

export class TraceWriter {
  private readonly lines: string[] = [];
  private last = 0;
  private agents = 0;
  private readonly spawns = new Map<number, number>();
  private readonly resolved = new Set<number>();
  private ended = false;

  constructor(private readonly header: Header) {
    this.line(0, 'run.start', {
      format: 'dispatchlab-trace',
      version: 1,
      tasks: header.tasks,
      dependencies: header.dependencies ?? [],
      settings: header.settings,
      tool: { name: header.program, version: '1.0.0' },
      seed: header.seed,
    });
  }

  /** Records the spawn of a subagent for `task`; returns its number. */
  spawn(t: number, task: number, reason: Reason): number {
    const agent = this.agents++;
    const attempt = this.spawns.get(task) ?? 0;
    this.spawns.set(task, attempt + 1);
    this.line(t, 'spawn', { agent, task, attempt, reason });
    return agent;
  }

  start(t: number, agent: number): void {
    this.line(t, 'start', { agent });
  }

  end(t: number, agent: number, fate: 'ok' | 'error'): void {
    this.line(t, 'end', { agent, fate });
  }

  deadline(t: number, agent: number): void {
    this.line(t, 'deadline', { agent });
  }

  cancel(t: number, agent: number, reason: 'timeout' | 'watchdog'): void {
    this.line(t, 'cancel', { agent, reason });
  }

  deliver(t: number, agent: number): void {
    this.line(t, 'deliver', { agent });
  }

  detect(t: number, agent: number, task: number, failure: 'error' | 'timeout'): void {
    this.line(t, 'detect', { agent, task, failure });
  }

  /** A notice about a subagent the orchestrator does not know (any more): it went nowhere. */
  drop(t: number, agent: number): void {
    this.line(t, 'drop', { agent });
  }

  processStart(t: number, agent: number, task: number): void {
    this.line(t, 'process.start', { agent, task });
  }

  processEnd(t: number, agent: number, task: number): void {
    this.line(t, 'process.end', { agent, task, caught: false });
  }

  succeeded(t: number, task: number, agent: number): void {
    this.resolved.add(task);
    this.line(t, 'resolve', { task, outcome: 'succeeded', agent });
  }

  givenUp(t: number, task: number): void {
    this.resolved.add(task);
    const attempts = this.spawns.get(task) ?? 0;
    this.line(t, 'resolve', { task, outcome: 'given-up', reason: 'retries-exhausted', attempts });
  }

  compaction(t: number, before: number, after: number): void {
    this.line(t, 'compaction', { before, after });
  }

  synthesize(t: number): void {
    this.line(t, 'synthesize', {});
  }

  /** The orchestrator did `kind` from `start` to `t`; nothing for an activity that cost nothing. */
  busy(kind: Activity, start: number, t: number): void {
    if (t > start) this.line(t, 'busy', { kind, start });
  }

  /** The orchestrator waited from `start` to `t`. */
  idle(start: number, t: number): void {
    if (t > start) this.line(t, 'idle', { start });
  }

  /** The last record: `unresolved` is counted from the resolves written, not taken on trust. */
  runEnd(t: number, outcome: Outcome): void {
    const unresolved = this.header.tasks - this.resolved.size;
    this.line(t, 'run.end', { outcome, makespan: t, deadlock: null, unresolved });
    this.ended = true;
  }

  /** The trace as JSON Lines. */
  text(): string {
    return this.lines.join('');
  }

  private line(t: number, type: string, fields: Record<string, unknown>): void {
    // The programs are wrong, not the format, if either happens: fail loudly while writing
    // rather than hand the checker a trace that is malformed for a reason nobody meant.
    if (this.ended) throw new Error(`${type} at ${t} written after run.end`);
    if (!(t >= this.last))
      throw new Error(`${type} at ${t} written after a record at ${this.last}`);
    this.last = t;
    this.lines.push(`${JSON.stringify({ t, type, ...fields })}\n`);
  }
}
