/**
 * Bug 6: a cancel recorded for a subagent that had already finished.
 *
 * The orchestrator arms a timer per subagent, its start plus the timeout; when it fires
 * the subagent is cancelled, the timeout handled as a failure and the task retried. The
 * buggy orchestrator clears the timer when it processes the result, not when the
 * subagent ends. A subagent that ends just before its deadline while the orchestrator is
 * busy with another result still has its timer armed when the deadline comes: the timer
 * cancels a subagent that has finished (the platform ignores it; the orchestrator records
 * it), throws its result away as that of a cancelled subagent, and retries the task for a
 * timeout that never happened. The fix clears the timer in the completion handler.
 *
 * Only an end that comes shortly before its deadline, while the orchestrator is busy,
 * races the timer: on the default seed one does. Subagents that really run past the
 * timeout are cancelled and retried in the near miss as well.
 */
import { micros, Platform, Recording } from './runtime.js';

export interface Options {
  readonly buggy: boolean;
  readonly seed?: number;
}

type Event =
  | { readonly kind: 'end'; readonly agent: number }
  | { readonly kind: 'timer'; readonly agent: number };

type Notice = { readonly kind: 'ended' | 'timed-out'; readonly agent: number };

const timeout = 60;
const retries = 1;

export function record({ buggy, seed = 4 }: Options): string {
  const tasks = 8;
  const wip = 3;
  const run = new Recording<Event>({
    program: 'cancel-after-finish',
    seed,
    tasks,
    wip,
    timeout,
    retries,
  });
  const { trace, clock, random } = run;

  const inbox: Notice[] = [];
  const armed = new Set<number>();
  const timedOut = new Set<number>();
  const platform = new Platform(trace, wip, (t, agent) => {
    // Most finish well within the timeout; now and then one runs long.
    const work = random() < 0.15 ? 70 + 30 * random() : 15 + 45 * random();
    clock.at(t + micros(work), { kind: 'end', agent });
    armed.add(agent);
    clock.at(t + timeout, { kind: 'timer', agent });
  });
  clock.handle = (t, event) => {
    const agent = event.agent;
    if (event.kind === 'end') {
      if (!platform.running.has(agent)) return; // cancelled before it could end
      if (!buggy) armed.delete(agent);
      platform.end(t, agent, 'ok');
      inbox.push({ kind: 'ended', agent });
      return;
    }
    if (!armed.has(agent)) return;
    armed.delete(agent);
    timedOut.add(agent);
    trace.deadline(t, agent);
    platform.cancel(t, agent, 'timeout');
    inbox.push({ kind: 'timed-out', agent });
  };

  const taskOf = new Map<number, number>();
  const spawn = (task: number, reason: 'first' | 'retry') => {
    const agent = run.spawn(task, reason);
    taskOf.set(agent, task);
    platform.submit(clock.now, agent);
  };
  for (let task = 0; task < tasks; task++) spawn(task, 'first');

  const attempts = new Map<number, number>();
  const done = new Set<number>();
  let over = 0;
  for (;;) {
    const notice = inbox.shift();
    if (notice === undefined) {
      if (over === tasks) break;
      run.awaitNotice();
      continue;
    }
    const agent = notice.agent;
    const task = taskOf.get(agent)!;
    if (notice.kind === 'timed-out') {
      trace.detect(clock.now, agent, task, 'timeout');
      if (done.has(task)) continue; // a late timer of a task already done: nothing to retry
      const tried = (attempts.get(task) ?? 0) + 1;
      attempts.set(task, tried);
      if (tried <= retries) spawn(task, 'retry');
      else {
        trace.givenUp(clock.now, task);
        over++;
      }
      continue;
    }
    // A cancelled subagent's output is partial at best: not to be used.
    if (timedOut.has(agent)) continue;
    armed.delete(agent); // the buggy orchestrator's only clearing of the timer
    run.consume(agent, task, 8);
    done.add(task);
    over++;
  }
  return run.answer(10);
}
