/**
 * Events, in the style of Claude Code's background subagents watched by a monitor:
 * `spawn(task) → handle` starts a subagent in the background, and the code learns what
 * becomes of it from one stream of events that it reads with `for await`: `progress`
 * (a tool it needed was denied and it carries on), then `completed` with its result or
 * `failed` with its error. `cancel(handle)` stops a running one.
 *
 * `spawn` is synchronous and costs nothing itself, like polling's `start`: the code pays
 * for the dispatch with `await rt.work('dispatch', rt.costs.dispatch)` before it.
 *
 * **When the code gets an event.** An event enters the stream when its fact happens; the
 * code *receives* it when a `next()` of one of its readers resolves with it, and only
 * then is its result in the code's hands (a `deliver`) or its failure known (a `detect`,
 * dated from the end). A reader waiting in `next()` receives it the instant the subagent
 * ends; otherwise it waits in the stream until the code next asks. An event never read
 * is a result the code never got. Events of one instant are all received, in end order.
 *
 * **Readers.** `events()` hands out a new reader of the one stream each time it is
 * called. Each event goes to exactly one reader: the one that asked first, as two
 * consumers of one channel share its messages. So two loops reading at once split the
 * events between them, and nothing is received twice. A reader stops with `return()`
 * (what `break` out of `for await` calls): a `next()` of it still waiting settles as done,
 * and the events it did not take stay in the stream for the next reader, so the code can
 * leave a loop and read on later without losing anything. Code that never reads gets no
 * result: at a deadlock the harness names each subagent that ended unheard, and a run
 * that returns leaves their tasks unresolved.
 *
 * **Timeouts and cancel.** The timeout is the code's own: it sets a `setTimeout` (which
 * the fake clock runs) and calls `cancel(handle)`. A cancel of a running subagent is the
 * code's own act, known at once (a `cancel` and a `detect` of its timeout): it returns
 * true and no event follows. A subagent that has ended cannot be cancelled, even when the
 * code has not yet read its event: `cancel` returns false and the event stays in the
 * stream, as a background runtime reports that the task already finished. So the code's
 * timer never races the end it is about to read.
 */
import { type HarnessAgent, HarnessUsageError, type SimulatedRun } from './simulated-run.js';

/** How the code refers to a subagent it spawned: JSON-like, and accepted by `cancel`. */
export interface SubagentHandle {
  /** The id the runtime knows it by (`task-3-attempt-0`). */
  readonly id: string;
  readonly task: number;
  /** How many times the task was spawned before this one (0 the first time). */
  readonly attempt: number;
}

/** What the stream says of a subagent; `at` is when it happened, in seconds since the run began. */
export type SubagentEvent =
  /** It needed a tool it was not granted, was denied it, and carries on without it. */
  | {
      readonly type: 'progress';
      readonly handle: SubagentHandle;
      readonly at: number;
      readonly message: string;
    }
  | {
      readonly type: 'completed';
      readonly handle: SubagentHandle;
      readonly at: number;
      readonly result: string;
    }
  | {
      readonly type: 'failed';
      readonly handle: SubagentHandle;
      readonly at: number;
      readonly error: string;
    };

export interface SpawnOptions {
  /**
   * Tools granted up front. The world's `needs-permission` fate is by definition a need
   * beyond them, so they change nothing in the run: a background subagent is denied what
   * it was not granted, and the stream says so.
   */
  readonly permissions?: readonly string[];
}

/** One reader of the event stream; `return()` stops it (what `break` does). */
export interface EventReader extends AsyncIterableIterator<SubagentEvent> {
  return(): Promise<IteratorResult<SubagentEvent>>;
}

export interface EventsApi {
  /** Starts a subagent on `task` in the background, at once (pay `dispatch` first). */
  spawn(task: number, options?: SpawnOptions): SubagentHandle;
  /** A new reader of the run's one event stream; each event goes to one reader only. */
  events(): EventReader;
}

/** An event in the stream, beside the subagent it is about. */
interface Pending {
  readonly agent: HarnessAgent;
  readonly event: SubagentEvent;
}

/** A `next()` waiting for an event. */
interface Request {
  readonly reader: Reader;
  readonly resolve: (result: IteratorResult<SubagentEvent>) => void;
}

const done: IteratorResult<SubagentEvent> = { done: true, value: undefined };

export class EventCalls implements EventsApi {
  private readonly handles = new Map<HarnessAgent, SubagentHandle>();
  /** Events not yet read, oldest first. */
  private readonly unread: Pending[] = [];
  /** `next()` calls waiting, first asked first served, whatever their reader. */
  private readonly requests: Request[] = [];

  constructor(private readonly run: SimulatedRun) {
    run.onPermissionDenied((agent) => {
      const handle = this.handles.get(agent);
      if (handle === undefined) return; // started by another runtime
      const { task, attemptNo } = agent.attempt;
      this.enter({
        agent,
        event: {
          type: 'progress',
          handle,
          at: run.now,
          message: `task ${task} (attempt ${attemptNo}) needed a tool it was not granted; denied, it carries on without it`,
        },
      });
    });
  }

  spawn(task: number, options?: SpawnOptions): SubagentHandle {
    const permissions = options?.permissions;
    if (
      permissions !== undefined &&
      !(Array.isArray(permissions) && permissions.every((p) => typeof p === 'string'))
    ) {
      throw new HarnessUsageError(`spawn(${task}): permissions is a list of tool names`);
    }
    const agent = this.run.dispatch(task, (a) => this.ended(a), `spawn(${task})`);
    const handle: SubagentHandle = Object.freeze({
      id: agent.id,
      task: agent.attempt.task,
      attempt: agent.attempt.attemptNo,
    });
    this.handles.set(agent, handle);
    return handle;
  }

  events(): EventReader {
    return new Reader(this);
  }

  /** Whether the subagent of `id` was spawned here (its end comes on the stream). */
  owns(id: string): boolean {
    return this.handles.has(this.run.agent(id));
  }

  /** Cancels the running subagent of `id`; false, and nothing happens, otherwise. */
  cancel(id: string): boolean {
    const agent = this.run.agent(id);
    if (this.run.isClosed) return false;
    // Ended (its event read or not), cancelled already: nothing to stop.
    if (agent.attempt.state !== 'running') return false;
    this.run.cancel(agent, this.run.now);
    return true;
  }

  private ended(agent: HarnessAgent): void {
    const handle = this.handles.get(agent)!;
    const { task, attemptNo, fate, endedAt } = agent.attempt;
    this.enter({
      agent,
      event:
        fate === 'error'
          ? {
              type: 'failed',
              handle,
              at: endedAt,
              error: `task ${task} (attempt ${attemptNo}) failed`,
            }
          : {
              type: 'completed',
              handle,
              at: endedAt,
              result: `result of task ${task} (attempt ${attemptNo})`,
            },
    });
  }

  /** An event enters the stream: to the first `next()` waiting, else to wait for one. */
  private enter(pending: Pending): void {
    const request = this.requests.shift();
    if (request === undefined) this.unread.push(pending);
    else request.resolve({ done: false, value: this.receive(pending) });
  }

  /** The code gets the event now: what it learns is stated at this instant. */
  private receive({ agent, event }: Pending): SubagentEvent {
    if (event.type === 'completed') this.run.delivered(agent);
    else if (event.type === 'failed') this.run.failureKnown(agent, 'error', event.at);
    return event;
  }

  /** A reader's `next()`. */
  read(reader: Reader): Promise<IteratorResult<SubagentEvent>> {
    // What the code's leftover continuations read after it returned is not the run's.
    if (this.run.isClosed) return Promise.resolve(done);
    const pending = this.unread.shift();
    if (pending !== undefined) {
      return Promise.resolve({ done: false, value: this.receive(pending) });
    }
    return new Promise((resolve) => this.requests.push({ reader, resolve }));
  }

  /** A reader stopped: its waiting `next()` calls settle as done. */
  release(reader: Reader): void {
    const stopped = this.requests.filter((r) => r.reader === reader);
    if (stopped.length === 0) return;
    const others = this.requests.filter((r) => r.reader !== reader);
    this.requests.splice(0, this.requests.length, ...others);
    for (const request of stopped) request.resolve(done);
  }
}

class Reader implements EventReader {
  private stopped = false;

  constructor(private readonly stream: EventCalls) {}

  next(): Promise<IteratorResult<SubagentEvent>> {
    return this.stopped ? Promise.resolve(done) : this.stream.read(this);
  }

  return(): Promise<IteratorResult<SubagentEvent>> {
    this.stopped = true;
    this.stream.release(this);
    return Promise.resolve(done);
  }

  [Symbol.asyncIterator](): EventReader {
    return this;
  }
}
