/**
 * Bug 2: completion notices dropped when two subagents end within moments of each other.
 *
 * The glue between the platform and the orchestrator debounces completion notices: one
 * that comes within a millisecond of the previous one is merged into the same wake-up, so
 * that a burst of ends costs one turn rather than several. The buggy merge keeps a single
 * pending id and overwrites it, so of two subagents that end within that millisecond only
 * the second is ever handed over. The orchestrator waits until the platform has nothing
 * running and nothing to tell, then writes its final answer: without the result it never
 * heard of, which nobody reads. The fix keeps every id of the burst.
 *
 * Only two ends within a millisecond lose a notice. Latencies are whole seconds plus
 * sub-millisecond jitter, as a platform that reports in seconds and schedules in
 * microseconds would show; on the default seed two subagents end within a millisecond, in
 * the near miss too.
 */
import { Clock, micros, prng } from './runtime.js';
import { TraceWriter } from './trace-writer.js';

export interface Options {
  readonly buggy: boolean;
  readonly seed?: number;
}

type Event = { readonly kind: 'end'; readonly agent: number } | { readonly kind: 'notify' };

/** Notices this close together are merged into one wake-up. */
const debounce = 0.001;

export function record({ buggy, seed = 4 }: Options): string {
  const tasks = 8;
  const wip = 4;
  const trace = new TraceWriter({
    program: 'dropped-notice',
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
  const begin = (t: number, agent: number) => {
    running.add(agent);
    trace.start(t, agent);
    const seconds = 10 + Math.floor(30 * random());
    clock.at(t + seconds + 0.0004 * random(), { kind: 'end', agent });
  };

  // The glue: a notice opens a debounce window; what ends within it joins the wake-up.
  let burst: number[] | undefined;
  const inbox: number[] = [];
  clock.handle = (t, event) => {
    if (event.kind === 'notify') {
      inbox.push(...burst!);
      burst = undefined;
      return;
    }
    trace.end(t, event.agent, 'ok');
    running.delete(event.agent);
    const next = queued.shift();
    if (next !== undefined) begin(t, next);
    if (burst === undefined) {
      burst = [event.agent];
      clock.at(micros(t + debounce), { kind: 'notify' });
    } else if (buggy) {
      burst[0] = event.agent; // one pending id: the later notice replaces the earlier
    } else {
      burst.push(event.agent);
    }
  };

  const taskOf = new Map<number, number>();
  for (let task = 0; task < tasks; task++) {
    clock.work('dispatch', 1);
    const agent = trace.spawn(clock.now, task, 'first');
    taskOf.set(agent, task);
    if (running.size < wip) begin(clock.now, agent);
    else queued.push(agent);
  }

  for (;;) {
    const agent = inbox.shift();
    if (agent !== undefined) {
      const task = taskOf.get(agent)!;
      trace.deliver(clock.now, agent);
      trace.processStart(clock.now, agent, task);
      clock.work('process', 4);
      trace.processEnd(clock.now, agent, task);
      trace.succeeded(clock.now, task, agent);
      continue;
    }
    // "Done" is the platform's word: nothing running, nothing queued, nothing to tell.
    if (running.size === 0 && queued.length === 0 && burst === undefined) {
      clock.work('synthesize', 8);
      trace.synthesize(clock.now);
      trace.runEnd(clock.now, 'completed');
      return trace.text();
    }
    if (!clock.wait()) throw new Error('the orchestrator waits for a notice that cannot come');
  }
}
