/**
 * Bug 4: the last result arrives after the final answer, and is never read.
 *
 * The orchestrator takes the results as they come and writes its final answer once it
 * has the result of the subagent it dispatched last, as if subagents finished in the
 * order they started. When an earlier one is slower than the last (one slow search, a
 * big file), the answer goes out without it; its result comes after the run is over,
 * and nobody reads it. The fix writes the answer once it has a result for every task.
 *
 * Only a straggler dispatched before the last subagent shows the bug: latencies have a
 * heavy tail, and on the default seed the very first subagent is such a straggler: it is
 * still running when the answer goes out.
 */
import { Clock, micros, prng } from './runtime.js';
import { TraceWriter } from './trace-writer.js';

export interface Options {
  readonly buggy: boolean;
  readonly seed?: number;
}

type Event = { readonly kind: 'end'; readonly agent: number };

export function record({ buggy, seed = 8 }: Options): string {
  const tasks = 6;
  const wip = 3;
  const trace = new TraceWriter({
    program: 'answer-before-last-result',
    seed,
    tasks,
    settings: {
      mode: 'background',
      wip,
      timeout: null,
      retries: 0,
      continuation: 'events',
      pollInterval: null,
    },
  });
  const random = prng(seed);
  const clock = new Clock<Event>(trace);

  // The platform: at most `wip` subagents at once, the others wait for a slot.
  const running = new Set<number>();
  const queued: number[] = [];
  const inbox: number[] = [];
  const begin = (t: number, agent: number) => {
    running.add(agent);
    trace.start(t, agent);
    // One subagent in five is slow: three times the usual work.
    const slow = random() < 0.2 ? 3 : 1;
    clock.at(t + micros(slow * (20 + 40 * random())), { kind: 'end', agent });
  };
  clock.handle = (t, event) => {
    trace.end(t, event.agent, 'ok');
    running.delete(event.agent);
    inbox.push(event.agent);
    const next = queued.shift();
    if (next !== undefined) begin(t, next);
  };

  const taskOf = new Map<number, number>();
  let last = -1;
  for (let task = 0; task < tasks; task++) {
    clock.work('dispatch', 1);
    last = trace.spawn(clock.now, task, 'first');
    taskOf.set(last, task);
    if (running.size < wip) begin(clock.now, last);
    else queued.push(last);
  }

  let processed = 0;
  for (;;) {
    const agent = inbox.shift();
    if (agent === undefined) {
      if (!clock.wait()) throw new Error('the orchestrator waits for a notice that cannot come');
      continue;
    }
    const task = taskOf.get(agent)!;
    trace.deliver(clock.now, agent);
    trace.processStart(clock.now, agent, task);
    clock.work('process', 5);
    trace.processEnd(clock.now, agent, task);
    trace.succeeded(clock.now, task, agent);
    processed++;
    if (buggy ? agent === last : processed === tasks) break;
  }
  clock.work('synthesize', 10);
  trace.synthesize(clock.now);
  // The run is over: whatever ends from now on is not part of it.
  trace.runEnd(clock.now, 'completed');
  return trace.text();
}
