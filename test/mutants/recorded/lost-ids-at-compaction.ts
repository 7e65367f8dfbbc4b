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
import { Clock, micros, prng } from './runtime.js';
import { TraceWriter } from './trace-writer.js';

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
  const trace = new TraceWriter({
    program: 'lost-ids-at-compaction',
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

  // The platform: it runs at most `wip` subagents at once, the others wait for a slot.
  const running = new Set<number>();
  const queued: number[] = [];
  const inbox: number[] = [];
  const begin = (t: number, agent: number) => {
    running.add(agent);
    trace.start(t, agent);
    clock.at(t + micros(20 + 60 * random()), { kind: 'end', agent });
  };
  clock.handle = (t, event) => {
    trace.end(t, event.agent, 'ok');
    running.delete(event.agent);
    inbox.push(event.agent);
    const next = queued.shift();
    if (next !== undefined) begin(t, next);
  };

  // The orchestrator's memory: the subagents it knows of (agent → task), the tasks done.
  const handles = new Map<number, number>();
  const done = new Set<number>();
  let context = base;

  const dispatch = (task: number) => {
    clock.work('dispatch', 1);
    // It believes the task was never dispatched: nothing it remembers says otherwise.
    const agent = trace.spawn(clock.now, task, 'first');
    handles.set(agent, task);
    context += perHandle;
    if (running.size < wip) begin(clock.now, agent);
    else queued.push(agent);
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
      trace.deliver(clock.now, agent);
      trace.processStart(clock.now, agent, task);
      clock.work('process', 5);
      trace.processEnd(clock.now, agent, task);
      trace.succeeded(clock.now, task, agent);
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
    if (todo === undefined && handles.size === 0) {
      clock.work('synthesize', 10);
      trace.synthesize(clock.now);
      trace.runEnd(clock.now, 'completed');
      return trace.text();
    }
    if (!clock.wait()) throw new Error('the orchestrator waits for a notice that cannot come');
  }
}
