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
import { micros, Platform, Recording } from './runtime.js';

export interface Options {
  readonly buggy: boolean;
  readonly seed?: number;
}

type Event = { readonly kind: 'end'; readonly agent: number };

export function record({ buggy, seed = 8 }: Options): string {
  const tasks = 6;
  const wip = 3;
  const run = new Recording<Event>({ program: 'answer-before-last-result', seed, tasks, wip });
  const { trace, clock, random } = run;

  const inbox: number[] = [];
  const platform = new Platform(trace, wip, (t, agent) => {
    // One subagent in five is slow: three times the usual work.
    const slow = random() < 0.2 ? 3 : 1;
    clock.at(t + micros(slow * (20 + 40 * random())), { kind: 'end', agent });
  });
  clock.handle = (t, event) => {
    platform.end(t, event.agent, 'ok');
    inbox.push(event.agent);
  };

  const taskOf = new Map<number, number>();
  let last = -1;
  for (let task = 0; task < tasks; task++) {
    last = run.spawn(task, 'first');
    taskOf.set(last, task);
    platform.submit(clock.now, last);
  }

  let processed = 0;
  for (;;) {
    const agent = inbox.shift();
    if (agent === undefined) {
      run.awaitNotice();
      continue;
    }
    run.consume(agent, taskOf.get(agent)!, 5);
    processed++;
    if (buggy ? agent === last : processed === tasks) break;
  }
  // The answer ends the run: whatever ends from now on is not part of it.
  return run.answer(10);
}
