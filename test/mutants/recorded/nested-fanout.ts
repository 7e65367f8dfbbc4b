/**
 * Bug 5: nested fan-outs, each with a concurrency of 3, running 6 subagents at once.
 *
 * The orchestrator reviews a repository folder by folder: an outer fan-out over the
 * folders, an inner one over each folder's files, both through the same `mapLimit(items,
 * 3, fn)` helper, because the platform allows 3 subagents at a time. Each call makes its
 * own limiter, so the limits multiply: two folders at once, three files each, six
 * subagents where the rate limit allows three. The fix passes one limiter down to every
 * level and only subagents take a slot of it.
 *
 * Only folders reviewed side by side exceed the limit: a repository of one folder would
 * not show it. This one has two.
 */
import { micros, Recording } from './runtime.js';

export interface Options {
  readonly buggy: boolean;
  readonly seed?: number;
}

type Event = { readonly kind: 'end'; readonly agent: number };

/** What `mapLimit` is given, at every level. */
const concurrency = 3;

interface Folder {
  readonly files: readonly number[];
  next: number;
  /** Subagents of this folder in flight: what its inner limiter counts. */
  inFlight: number;
}

export function record({ buggy, seed = 5 }: Options): string {
  const folders: Folder[] = [
    { files: [0, 1, 2, 3, 4, 5], next: 0, inFlight: 0 },
    { files: [6, 7, 8, 9, 10, 11], next: 0, inFlight: 0 },
  ];
  const tasks = 12;
  const run = new Recording<Event>({ program: 'nested-fanout', seed, tasks, wip: concurrency });
  const { trace, clock, random } = run;

  // The platform runs whatever it is given: keeping to the limit is the orchestrator's job.
  const inbox: number[] = [];
  clock.handle = (t, event) => {
    trace.end(t, event.agent, 'ok');
    inbox.push(event.agent);
  };

  const owner = new Map<number, { folder: Folder; task: number }>();
  let inFlight = 0; // across folders: what the shared limiter of the fix counts
  let resolved = 0;
  // The outer limiter: at most `concurrency` folders at once (both of them, here).
  const active = folders.slice(0, concurrency);

  for (;;) {
    const agent = inbox.shift();
    if (agent !== undefined) {
      const { folder, task } = owner.get(agent)!;
      run.consume(agent, task, 3);
      folder.inFlight--;
      inFlight--;
      resolved++;
      continue;
    }
    const room = (folder: Folder) =>
      buggy ? folder.inFlight < concurrency : inFlight < concurrency;
    const folder = active.find((f) => f.next < f.files.length && room(f));
    if (folder !== undefined) {
      const task = folder.files[folder.next++]!;
      const spawned = run.spawn(task, 'first');
      trace.start(clock.now, spawned);
      owner.set(spawned, { folder, task });
      folder.inFlight++;
      inFlight++;
      clock.at(clock.now + micros(15 + 45 * random()), { kind: 'end', agent: spawned });
      continue;
    }
    if (resolved === tasks) return run.answer(10);
    run.awaitNotice();
  }
}
