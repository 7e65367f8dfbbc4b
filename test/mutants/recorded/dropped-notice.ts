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
import { micros, Platform, Recording } from './runtime.js';

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
  const run = new Recording<Event>({ program: 'dropped-notice', seed, tasks, wip });
  const { trace, clock, random } = run;

  const platform = new Platform(trace, wip, (t, agent) => {
    const seconds = 10 + Math.floor(30 * random());
    clock.at(t + seconds + 0.0004 * random(), { kind: 'end', agent });
  });

  // The glue: a notice opens a debounce window; what ends within it joins the wake-up.
  let burst: number[] | undefined;
  const inbox: number[] = [];
  clock.handle = (t, event) => {
    if (event.kind === 'notify') {
      inbox.push(...burst!);
      burst = undefined;
      return;
    }
    platform.end(t, event.agent, 'ok');
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
    const agent = run.spawn(task, 'first');
    taskOf.set(agent, task);
    platform.submit(clock.now, agent);
  }

  for (;;) {
    const agent = inbox.shift();
    if (agent !== undefined) {
      run.consume(agent, taskOf.get(agent)!, 4);
      continue;
    }
    // "Done" is the platform's word: nothing running, nothing queued, nothing to tell.
    if (platform.quiet && burst === undefined) return run.answer(8);
    run.awaitNotice();
  }
}
