/**
 * A timeout that does not wake the loop. The code gives each subagent a deadline: a timer
 * cancels it and puts its task on the retry list. But the main loop sleeps until the
 * monitor wakes it with an event, and a cancel is the code's own act, which no event
 * follows: the retry waits for some other subagent to finish. When the hung subagent was
 * the last one out, nothing ever wakes the loop, and the harness reports the deadlock,
 * naming the task left to retry. The fix wakes the loop from the timer too:
 * `neverWokenFixed`.
 */
import type { OrchestratorRuntime, SubagentEvent } from '../../../src/harness/index.js';

export interface NeverWokenOptions {
  /** Seconds a subagent may run before the code cancels it. */
  readonly timeout: number;
  /** Times a failed task is tried again before it is given up. */
  readonly retries: number;
}

/** What the code declares: events, no WIP limit, its timeout and retries. */
export function neverWokenSettings(o: NeverWokenOptions) {
  return { wip: null, timeout: o.timeout, retries: o.retries };
}

function orchestrator(o: NeverWokenOptions, timerWakes: boolean) {
  return async (rt: OrchestratorRuntime): Promise<number[]> => {
    const inbox: SubagentEvent[] = [];
    let wake: (() => void) | null = null;
    const resume = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const stream = rt.events();
    const monitor = (async () => {
      for await (const event of stream) {
        inbox.push(event);
        resume();
      }
    })();

    const toRetry: number[] = [];
    const failures = new Array<number>(rt.tasks).fill(0);
    let open = rt.tasks;
    const failed = (task: number) => {
      if (++failures[task]! > o.retries) {
        rt.giveUp(task);
        open--;
      } else {
        toRetry.push(task);
      }
    };
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const start = async (task: number) => {
      await rt.work('dispatch', rt.costs.dispatch);
      const handle = rt.spawn(task);
      const timer = setTimeout(() => {
        if (!rt.cancel(handle)) return; // it ended at this very instant: its event is coming
        failed(task);
        if (timerWakes) resume(); // the fix; the bug leaves the loop asleep
      }, o.timeout * 1000);
      timers.set(handle.id, timer);
    };

    for (let task = 0; task < rt.tasks; task++) await start(task);
    const succeeded: number[] = [];
    while (open > 0) {
      const retry = toRetry.shift();
      if (retry !== undefined) {
        await start(retry);
        continue;
      }
      const event = inbox.shift();
      if (event === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (event.type === 'progress') continue;
      clearTimeout(timers.get(event.handle.id));
      const { task } = event.handle;
      if (event.type === 'failed') {
        failed(task);
      } else if (await rt.work('process', rt.costs.process, { result: event.handle.id })) {
        succeeded.push(task);
        open--;
      } else {
        toRetry.push(task); // validation caught it wrong: dispatch it anew
      }
    }
    await stream.return();
    await monitor;
    await rt.work('synthesize', rt.costs.synthesize);
    return succeeded;
  };
}

/** The buggy orchestrator: a timeout puts the task on the retry list and goes back to sleep. */
export function neverWoken(o: NeverWokenOptions) {
  return orchestrator(o, false);
}

/** Its fixed twin: the timer wakes the loop. */
export function neverWokenFixed(o: NeverWokenOptions) {
  return orchestrator(o, true);
}
