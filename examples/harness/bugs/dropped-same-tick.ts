/**
 * Events coalesced the way a UI coalesces state. To spare the model a turn per event, the
 * monitor keeps the latest event and hands it to the main loop once per tick (a
 * `setTimeout(flush, 0)`), which is right for one subagent's progress, where the latest
 * supersedes the rest. But the events of two subagents do not supersede each other: when
 * two finish in the same tick, only the second reaches the loop, and the first result,
 * received, is never processed; the loop waits for it until its budget runs out and gives
 * the task up. The fix keeps the latest event of each subagent: `droppedSameTickFixed`.
 */
import type {
  OrchestratorRuntime,
  SubagentEvent,
  SubagentHandle,
} from '../../../src/harness/index.js';

export interface DroppedSameTickOptions {
  /** Seconds the code waits for its results before it answers with what it has. */
  readonly budget: number;
}

/** What the code declares: events, no WIP limit, no timeout of its own, no retries. */
export function droppedSameTickSettings() {
  return { wip: null, timeout: null, retries: 0 };
}

function orchestrator(o: DroppedSameTickOptions, latestPerSubagent: boolean) {
  return async (rt: OrchestratorRuntime): Promise<number[]> => {
    const inbox: SubagentEvent[] = [];
    let wake: (() => void) | null = null;
    const resume = () => {
      const w = wake;
      wake = null;
      w?.();
    };

    // The coalescing: the bug keeps one event, the fix one per subagent.
    let latest: SubagentEvent | null = null;
    const latestOf = new Map<string, SubagentEvent>();
    let flushDue = false;
    const flush = () => {
      flushDue = false;
      if (latestPerSubagent) {
        inbox.push(...latestOf.values());
        latestOf.clear();
      } else if (latest !== null) {
        inbox.push(latest);
        latest = null;
      }
      resume();
    };
    const stream = rt.events();
    const monitor = (async () => {
      for await (const event of stream) {
        if (latestPerSubagent) latestOf.set(event.handle.id, event);
        else latest = event;
        if (!flushDue) {
          flushDue = true;
          setTimeout(flush, 0);
        }
      }
    })();

    const out = new Map<number, SubagentHandle>();
    for (let task = 0; task < rt.tasks; task++) {
      await rt.work('dispatch', rt.costs.dispatch);
      const handle = rt.spawn(task);
      out.set(task, handle);
    }
    let outOfTime = false;
    const budget = setTimeout(() => {
      outOfTime = true;
      resume();
    }, o.budget * 1000);

    const succeeded: number[] = [];
    while (out.size > 0 && !outOfTime) {
      const event = inbox.shift();
      if (event === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const { task } = event.handle;
      if (event.type === 'progress') continue;
      out.delete(task);
      if (event.type === 'failed') {
        rt.giveUp(task);
      } else if (await rt.work('process', rt.costs.process, { result: event.handle.id })) {
        succeeded.push(task);
      } else {
        rt.giveUp(task); // caught wrong; no time to try again
      }
    }
    clearTimeout(budget);
    // Out of time: what has not come back is cancelled, if it still runs, and given up.
    for (const [task, handle] of out) {
      rt.cancel(handle);
      rt.giveUp(task);
    }
    await stream.return();
    await monitor;
    await rt.work('synthesize', rt.costs.synthesize);
    return succeeded;
  };
}

/** The buggy orchestrator: one slot for the events of a tick. */
export function droppedSameTick(o: DroppedSameTickOptions) {
  return orchestrator(o, false);
}

/** Its fixed twin: the latest event of each subagent. */
export function droppedSameTickFixed(o: DroppedSameTickOptions) {
  return orchestrator(o, true);
}
