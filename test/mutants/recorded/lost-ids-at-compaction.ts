/**
 * Bug 1: background task ids lost at compaction.
 *
 * An orchestrator keeps the ids of its background subagents where an LLM agent keeps
 * everything: in its context, as the tool calls that started them. When the context
 * outgrows its budget it is compacted into a summary of the goal and the results so far.
 * The buggy summary keeps the results and not the ids of the subagents still running:
 * they run on, their completion notices name ids the orchestrator no longer knows (it
 * drops them), and since their tasks are neither done nor running as far as it can tell,
 * it dispatches them again as if for the first time. The fix carries the table of
 * subagents in flight over into the compacted context.
 *
 * Only a compaction while subagents are in flight loses anything: the near miss compacts
 * just as often, at the same moments.
 */
import { micros, Platform, Recording } from './runtime.js';

export interface Options {
  readonly buggy: boolean;
  readonly seed?: number;
}

type Event = { readonly kind: 'end'; readonly agent: number };

/** Tokens: what the orchestrator's context holds. */
const base = 1500;
const perHandle = 400;
const perResult = 900;
const perSummary = 200;
const budget = 6000;

export function record({ buggy, seed = 7 }: Options): string {
  const tasks = 10;
  const wip = 3;
  const run = new Recording<Event>({ program: 'lost-ids-at-compaction', seed, tasks, wip });
  const { trace, clock, random } = run;

  // The platform runs at most `wip` subagents at once and tells of each that ends.
  const inbox: number[] = [];
  const platform = new Platform(trace, wip, (t, agent) => {
    clock.at(t + micros(20 + 60 * random()), { kind: 'end', agent });
  });
  clock.handle = (t, event) => {
    platform.end(t, event.agent, 'ok');
    inbox.push(event.agent);
  };

  // The orchestrator's memory: the subagents it knows of (agent → task), the tasks done.
  const handles = new Map<number, number>();
  const done = new Set<number>();
  let context = base;

  const dispatch = (task: number) => {
    // It believes the task was never dispatched: nothing it remembers says otherwise.
    const agent = run.spawn(task, 'first');
    handles.set(agent, task);
    context += perHandle;
    platform.submit(clock.now, agent);
  };

  const compact = () => {
    const before = context;
    clock.work('compaction', 6);
    if (buggy) {
      // The summary keeps the goal and the results; the ids were in the tool calls it
      // summarized away.
      handles.clear();
      context = base + perSummary * done.size;
    } else {
      context = base + perSummary * done.size + perHandle * handles.size;
    }
    trace.compaction(clock.now, before, context);
  };

  for (;;) {
    const agent = inbox.shift();
    if (agent !== undefined) {
      const task = handles.get(agent);
      if (task === undefined) {
        trace.drop(clock.now, agent); // "unknown task id": logged and ignored
        continue;
      }
      run.consume(agent, task, 5);
      handles.delete(agent);
      done.add(task);
      context += perResult;
      if (context > budget) compact();
      continue;
    }
    const out = new Set(handles.values());
    const todo = [...Array(tasks).keys()].find((task) => !done.has(task) && !out.has(task));
    if (todo !== undefined && handles.size < wip) {
      dispatch(todo);
      continue;
    }
    if (todo === undefined && handles.size === 0) return run.answer(10);
    run.awaitNotice();
  }
}
