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
import { Clock, micros, prng } from './runtime.js';
import { TraceWriter } from './trace-writer.js';

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
  const trace = new TraceWriter({
    program: 'cancel-after-finish',
    seed,
    tasks,
    settings: {
      mode: 'background',
      wip,
      timeout,
      retries,
      continuation: 'events',
      pollInterval: null,
    },
  });
  const random = prng(seed);
  const clock = new Clock<Event>(trace);

  // The platform: at most `wip` subagents at once; a cancel stops one still running and
  // is a no-op for one that has finished.
  const running = new Set<number>();
  const queued: number[] = [];
  const inbox: Notice[] = [];
  const armed = new Set<number>();
  const timedOut = new Set<number>();
  const begin = (t: number, agent: number) => {
    running.add(agent);
    trace.start(t, agent);
    // Most finish well within the timeout; now and then one runs long.
    const work = random() < 0.15 ? 70 + 30 * random() : 15 + 45 * random();
    clock.at(t + micros(work), { kind: 'end', agent });
    armed.add(agent);
    clock.at(t + timeout, { kind: 'timer', agent });
  };
  const free = (t: number, agent: number) => {
    running.delete(agent);
    const next = queued.shift();
    if (next !== undefined) begin(t, next);
  };
  clock.handle = (t, event) => {
    const agent = event.agent;
    if (event.kind === 'end') {
      if (!running.has(agent)) return; // cancelled before it could end
      trace.end(t, agent, 'ok');
      if (!buggy) armed.delete(agent);
      free(t, agent);
      inbox.push({ kind: 'ended', agent });
      return;
    }
    if (!armed.has(agent)) return;
    armed.delete(agent);
    timedOut.add(agent);
    trace.deadline(t, agent);
    trace.cancel(t, agent, 'timeout');
    if (running.has(agent)) free(t, agent);
    inbox.push({ kind: 'timed-out', agent });
  };

  const taskOf = new Map<number, number>();
  const spawn = (task: number, reason: 'first' | 'retry') => {
    clock.work('dispatch', 1);
    const agent = trace.spawn(clock.now, task, reason);
    taskOf.set(agent, task);
    if (running.size < wip) begin(clock.now, agent);
    else queued.push(agent);
  };
  for (let task = 0; task < tasks; task++) spawn(task, 'first');

  const attempts = new Map<number, number>();
  const done = new Set<number>();
  let over = 0;
  for (;;) {
    const notice = inbox.shift();
    if (notice === undefined) {
      if (over === tasks) break;
      if (!clock.wait()) throw new Error('the orchestrator waits for a notice that cannot come');
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
    trace.deliver(clock.now, agent);
    trace.processStart(clock.now, agent, task);
    clock.work('process', 8);
    trace.processEnd(clock.now, agent, task);
    trace.succeeded(clock.now, task, agent);
    done.add(task);
    over++;
  }
  clock.work('synthesize', 10);
  trace.synthesize(clock.now);
  trace.runEnd(clock.now, 'completed');
  return trace.text();
}
