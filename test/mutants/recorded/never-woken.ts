/**
 * Bug 3: a waiting orchestrator never woken when its last subagent ends.
 *
 * The orchestrator sleeps on a signal that the completion handler raises, and takes one
 * result per wake-up. A signal raised while nobody sleeps on it is lost (a condition
 * variable notified with no waiter): when a subagent ends while the orchestrator is busy
 * with the previous result, its result lands in the buffer but the orchestrator, done
 * with its work, goes back to sleep without looking there. Every loss leaves one more
 * result behind in the buffer; after the last end no signal is left to come, and it
 * sleeps with a result waiting for it. The harness that runs it gives up after half an
 * hour and closes the trace with the run incomplete. The fix looks in the buffer before
 * sleeping, and takes everything there.
 *
 * Only an end that comes while the orchestrator is busy is lost: on the default seed two
 * subagents end within the time it takes to process a result, in the near miss too.
 */
import { micros, Platform, Recording } from './runtime.js';

export interface Options {
  readonly buggy: boolean;
  readonly seed?: number;
}

type Event = { readonly kind: 'end'; readonly agent: number } | { readonly kind: 'budget' };

/** Seconds the harness lets the orchestrator run before it stops it. */
const budget = 1800;

export function record({ buggy, seed = 3 }: Options): string {
  const tasks = 6;
  const wip = 3;
  const run = new Recording<Event>({ program: 'never-woken', seed, tasks, wip });
  const { trace, clock, random } = run;
  clock.at(budget, { kind: 'budget' });

  const platform = new Platform(trace, wip, (t, agent) => {
    clock.at(t + micros(20 + 60 * random()), { kind: 'end', agent });
  });

  // The completion handler: the result into the buffer, and a signal to whoever sleeps.
  const results: number[] = [];
  let sleeping = false;
  let stopped = false;
  clock.handle = (t, event) => {
    if (event.kind === 'budget') {
      stopped = true;
      return;
    }
    platform.end(t, event.agent, 'ok');
    results.push(event.agent);
    sleeping = false; // a notify: it wakes a sleeper, and is lost on anyone awake
  };

  const taskOf = new Map<number, number>();
  for (let task = 0; task < tasks; task++) {
    const agent = run.spawn(task, 'first');
    taskOf.set(agent, task);
    platform.submit(clock.now, agent);
  }

  let outstanding = tasks;
  while (outstanding > 0) {
    if (buggy || results.length === 0) {
      sleeping = true;
      while (sleeping && !stopped) clock.wait();
      if (stopped) return run.stop('incomplete');
    }
    // One result per wake-up in the buggy loop; the fixed one drains the buffer.
    const batch = buggy ? results.splice(0, 1) : results.splice(0);
    for (const agent of batch) {
      run.consume(agent, taskOf.get(agent)!, 5);
      outstanding--;
    }
  }
  return run.answer(10);
}
