/**
 * An async orchestrator that polls, written as real code against the harness's polling
 * runtime: it dispatches every task up front, keeps working while its subagents run, and
 * checks on them every `pollInterval` seconds.
 *
 * - WIP limit: at most `wip` subagents run at once. The platform keeps the limit
 *   (`queueBeyondWip`): a start beyond it waits in the platform's queue and begins the
 *   instant a slot frees; a run still waiting is `pending` and is not checked.
 * - Poll rounds: between two actions, when a round is due, the orchestrator checks each
 *   started subagent in dispatch order, paying `poll` per check. The next round is due
 *   `pollInterval` after this one began; with nothing out, `pollInterval` after the next
 *   dispatch. When it has nothing to do it sleeps until the next round.
 * - Failures: a subagent that errs, or runs past `timeout` (the check that finds it
 *   overdue cancels it), is dispatched again at once, up to `retries` times per task;
 *   then its task is given up.
 * - Results are processed first in, first out, while the others run. A result that
 *   validation catches wrong is planned and dispatched again. Then the final answer.
 *
 * The orchestrator's own time is spent through `rt.work`; after a sleep, the first call
 * pays a turn (the model call that re-reads the context) before anything else.
 */
import type { HarnessSettings, OrchestratorRuntime } from '../../src/harness/index.js';

export interface AsyncWipPollingOptions {
  /** Most subagents running at once; Infinity for no limit. */
  readonly wip: number;
  /** Seconds between poll rounds. */
  readonly pollInterval: number;
  /** Seconds a subagent may run before the check that finds it overdue cancels it; Infinity for none. */
  readonly timeout: number;
  /** Times a failed task is dispatched again before it is given up. */
  readonly retries: number;
}

/** What the code declares about itself, for runOrchestrator's `settings`. */
export function settings(o: AsyncWipPollingOptions): HarnessSettings {
  return {
    mode: 'background',
    wip: Number.isFinite(o.wip) ? o.wip : null,
    queueBeyondWip: true,
    pollInterval: o.pollInterval,
    timeout: Number.isFinite(o.timeout) ? o.timeout : null,
    retries: o.retries,
  };
}

/** Sleeps on the (simulated) clock until `at`, in milliseconds since the run began. */
const sleepUntil = (at: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, at - Date.now()));

export function asyncWipPolling(o: AsyncWipPollingOptions) {
  const intervalMs = Math.round(o.pollInterval * 1000);
  return async (rt: OrchestratorRuntime): Promise<string[]> => {
    const { costs } = rt;
    /** Subagents out, by id, in dispatch order: what each poll round checks. */
    const out = new Map<string, number>();
    /** Results received, not yet processed, oldest first: [id, task]. */
    const results: [string, number][] = [];
    const failures = new Map<number, number>();
    const accepted: string[] = [];
    let nextRoundAt = 0;

    // Dispatching: pay for it, then start the subagent (the platform may queue it).
    const dispatch = async (task: number) => {
      await rt.work('dispatch', costs.dispatch);
      if (out.size === 0) nextRoundAt = Date.now() + intervalMs;
      out.set(rt.start(task), task);
    };

    // A failed attempt: dispatch the task again while it has retries left, else give it up.
    const failed = async (task: number) => {
      const count = (failures.get(task) ?? 0) + 1;
      failures.set(task, count);
      if (count > o.retries) rt.giveUp(task);
      else await dispatch(task);
    };

    const pollRound = async () => {
      // Waking from a sleep costs a turn, paid here, so that the round begins after it.
      await rt.work('poll', 0);
      const roundStart = Date.now();
      // The subagents that have a slot, in the order they got one (those queued for a
      // slot have nothing to check yet).
      for (const { taskId: id, task } of rt.list({ status: 'running' })) {
        await rt.work('poll', costs.poll);
        const { status } = rt.check(id);
        if (status === 'running') continue;
        out.delete(id);
        if (status === 'success') results.push([id, task]);
        else await failed(task); // error, or timeout: the check cancelled it
      }
      nextRoundAt = roundStart + intervalMs;
    };

    // Before each action: the poll rounds that are due (back to back if one ran long).
    const roundsDue = async () => {
      while (out.size > 0 && Date.now() >= nextRoundAt) await pollRound();
    };

    for (let task = 0; task < rt.tasks; task++) {
      await roundsDue();
      await dispatch(task);
    }
    for (;;) {
      await roundsDue();
      const next = results.shift();
      if (next !== undefined) {
        const [id, task] = next;
        if (await rt.work('process', costs.process, { result: id })) {
          accepted.push(id);
        } else {
          // Validation caught it wrong: plan the task anew and dispatch it again.
          await roundsDue();
          await rt.work('plan', costs.plan);
          await roundsDue();
          await dispatch(task);
        }
        continue;
      }
      if (out.size === 0) break;
      await sleepUntil(nextRoundAt);
    }
    await rt.work('synthesize', costs.synthesize);
    return accepted;
  };
}
