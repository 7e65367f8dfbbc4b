/**
 * An async orchestrator on the events runtime, written as real code: it keeps at most
 * `wip` subagents running and starts the next task the moment one ends, gives each
 * subagent `timeout` seconds of its own (a setTimeout that cancels it), retries a failed
 * task up to `retries` times before giving it up, processes results one by one in the
 * order they arrived, and writes the final answer once every task has an outcome.
 *
 * Its shape is the usual one for an event-driven agent: a monitor reads the event stream
 * and puts each event in an inbox; the main loop, single-threaded like the orchestrator it
 * drives, handles the inbox first (so failures are retried at once), then fills free slots,
 * then processes the oldest result, and otherwise sleeps until the monitor or a timer
 * wakes it. The monitor reads every event the instant it comes, so the code knows of each
 * end when it happens, even while it is busy.
 */
import type {
  OrchestratorRuntime,
  SubagentEvent,
  SubagentHandle,
} from '../../src/harness/index.js';

export interface AsyncEventsOptions {
  /** Most subagents running at once. */
  readonly wip: number;
  /** Seconds a subagent may run before the code cancels it; Infinity for no timeout. */
  readonly timeout: number;
  /** Times a failed task is tried again before it is given up. */
  readonly retries: number;
}

/** What the code declares (no poll interval: it learns of ends by events). */
export function asyncEventsSettings(o: AsyncEventsOptions) {
  return {
    wip: o.wip,
    timeout: Number.isFinite(o.timeout) ? o.timeout : null,
    retries: o.retries,
  };
}

export interface AsyncEventsSummary {
  /** The tasks whose result was accepted, in the order they were. */
  readonly succeeded: readonly number[];
  readonly givenUp: readonly number[];
  /** Subagents that were denied a tool and carried on (from `progress` events). */
  readonly denied: number;
}

/** What wakes the main loop: an event from the stream, or one of the code's own timeouts. */
type Notice = SubagentEvent | { readonly type: 'timed-out'; readonly handle: SubagentHandle };

export function asyncEvents(o: AsyncEventsOptions) {
  return async (rt: OrchestratorRuntime): Promise<AsyncEventsSummary> => {
    const toStart = Array.from({ length: rt.tasks }, (_, task) => task);
    const failures = new Array<number>(rt.tasks).fill(0);
    /** Running subagents, by id, with the timer that would cancel each. */
    const running = new Map<string, ReturnType<typeof setTimeout> | undefined>();
    const results: SubagentHandle[] = [];
    const succeeded: number[] = [];
    const givenUp: number[] = [];
    let denied = 0;
    let open = rt.tasks;

    const inbox: Notice[] = [];
    let wake: (() => void) | null = null;
    const notify = (notice: Notice) => {
      inbox.push(notice);
      const resume = wake;
      wake = null;
      resume?.();
    };

    const stream = rt.events();
    const monitor = (async () => {
      for await (const event of stream) notify(event);
    })();

    const start = async (task: number) => {
      await rt.work('dispatch', rt.costs.dispatch);
      const handle = rt.spawn(task);
      // No timer without a timeout: setTimeout takes an infinite delay as none at all.
      const timer = Number.isFinite(o.timeout)
        ? setTimeout(() => {
            // False when it ended at this very instant: its event is in the inbox already.
            if (rt.cancel(handle)) notify({ type: 'timed-out', handle });
          }, o.timeout * 1000)
        : undefined;
      running.set(handle.id, timer);
    };

    const failed = (task: number) => {
      if (++failures[task]! > o.retries) {
        rt.giveUp(task);
        givenUp.push(task);
        open--;
      } else {
        toStart.unshift(task); // a retry goes before tasks not yet tried
      }
    };

    const handle = (notice: Notice) => {
      if (notice.type === 'progress') {
        denied++;
        return;
      }
      clearTimeout(running.get(notice.handle.id));
      running.delete(notice.handle.id);
      if (notice.type === 'completed') results.push(notice.handle);
      else failed(notice.handle.task);
    };

    while (open > 0) {
      const notice = inbox.shift();
      if (notice !== undefined) {
        handle(notice);
        continue;
      }
      const next = running.size < o.wip ? toStart.shift() : undefined;
      if (next !== undefined) {
        await start(next);
        continue;
      }
      const result = results.shift();
      if (result !== undefined) {
        const accepted = await rt.work('process', rt.costs.process, { result: result.id });
        if (accepted) {
          succeeded.push(result.task);
          open--;
        } else {
          toStart.unshift(result.task); // validation caught it wrong: dispatch it anew
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    await stream.return();
    await monitor;
    await rt.work('synthesize', rt.costs.synthesize);
    return { succeeded, givenUp, denied };
  };
}
