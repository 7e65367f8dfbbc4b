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
import { Clock, micros, prng } from './runtime.js';
import { TraceWriter } from './trace-writer.js';

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
  const trace = new TraceWriter({
    program: 'never-woken',
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
  clock.at(budget, { kind: 'budget' });

  // The platform: at most `wip` subagents at once, the others wait for a slot.
  const running = new Set<number>();
  const queued: number[] = [];
  const begin = (t: number, agent: number) => {
    running.add(agent);
    trace.start(t, agent);
    clock.at(t + micros(20 + 60 * random()), { kind: 'end', agent });
  };

  // The completion handler: the result into the buffer, and a signal to whoever sleeps.
  const results: number[] = [];
  let sleeping = false;
  let stopped = false;
  clock.handle = (t, event) => {
    if (event.kind === 'budget') {
      stopped = true;
      return;
    }
    trace.end(t, event.agent, 'ok');
    running.delete(event.agent);
    const next = queued.shift();
    if (next !== undefined) begin(t, next);
    results.push(event.agent);
    sleeping = false; // a notify: it wakes a sleeper, and is lost on anyone awake
  };

  const taskOf = new Map<number, number>();
  for (let task = 0; task < tasks; task++) {
    clock.work('dispatch', 1);
    const agent = trace.spawn(clock.now, task, 'first');
    taskOf.set(agent, task);
    if (running.size < wip) begin(clock.now, agent);
    else queued.push(agent);
  }

  let outstanding = tasks;
  while (outstanding > 0) {
    if (buggy || results.length === 0) {
      sleeping = true;
      while (sleeping && !stopped) clock.wait();
      if (stopped) {
        trace.runEnd(clock.now, 'incomplete');
        return trace.text();
      }
    }
    // One result per wake-up in the buggy loop; the fixed one drains the buffer.
    const batch = buggy ? results.splice(0, 1) : results.splice(0);
    for (const agent of batch) {
      const task = taskOf.get(agent)!;
      trace.deliver(clock.now, agent);
      trace.processStart(clock.now, agent, task);
      clock.work('process', 5);
      trace.processEnd(clock.now, agent, task);
      trace.succeeded(clock.now, task, agent);
      outstanding--;
    }
  }
  clock.work('synthesize', 10);
  trace.synthesize(clock.now);
  trace.runEnd(clock.now, 'completed');
  return trace.text();
}
