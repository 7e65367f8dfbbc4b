/**
 * A run's trace as a Chrome trace-event file (the Trace Event Format's JSON object form),
 * which Perfetto (ui.perfetto.dev) and chrome://tracing open as a timeline: the
 * orchestrator's busy and idle intervals on one lane, one lane per subagent (waiting for
 * a slot, then running until its end or cancellation), and counters for the subagents in
 * flight and the context's size.
 *
 * The conversion reads the trace's facts only (docs/trace-format.md), so a trace written
 * by real code converts as well as a simulated one; what only a simulation knows (a
 * subagent's drawn fate) appears in arguments when present. The output is deterministic:
 * events are built in record order and sorted stably, and every object's keys are written
 * in a fixed order, so the same records give the same bytes through JSON.stringify.
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';

/** An event argument: what the viewer lists when an event is selected. */
export type ChromeTraceArg = string | number | boolean | null;
export type ChromeTraceArgs = { readonly [key: string]: ChromeTraceArg };

interface Placed {
  readonly pid: number;
  readonly tid: number;
}

/** A complete event: a slice from `ts` lasting `dur` (microseconds). */
export interface ChromeCompleteEvent extends Placed {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X';
  readonly ts: number;
  readonly dur: number;
  readonly args: ChromeTraceArgs;
}

/** An instant event: on its thread's lane (`s: 't'`) or across the whole timeline (`'g'`). */
export interface ChromeInstantEvent extends Placed {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'i';
  readonly ts: number;
  readonly s: 't' | 'g';
  readonly args: ChromeTraceArgs;
}

/** A counter's value from `ts` on; each argument is one series. */
export interface ChromeCounterEvent extends Placed {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'C';
  readonly ts: number;
  readonly args: { readonly [series: string]: number };
}

/** Names and orders processes and threads. */
export interface ChromeMetadataEvent extends Placed {
  readonly name: 'process_name' | 'process_sort_index' | 'thread_name' | 'thread_sort_index';
  readonly ph: 'M';
  readonly args: { readonly name: string } | { readonly sort_index: number };
}

export type ChromeTraceEvent =
  | ChromeCompleteEvent
  | ChromeInstantEvent
  | ChromeCounterEvent
  | ChromeMetadataEvent;

export interface ChromeTrace {
  readonly traceEvents: readonly ChromeTraceEvent[];
  readonly displayTimeUnit: 'ms';
  /** What run this is: shown by the viewers as the trace's metadata. */
  readonly otherData: {
    readonly source: string;
    readonly scenario: string | null;
    readonly strategy: string | null;
    readonly seed: number | string | null;
    readonly outcome: string | null;
    readonly makespan: number | null;
  };
}

/** The orchestrator's process and its one thread. */
export const orchestratorPid = 1;
export const orchestratorTid = 0;
/** The subagents' process: one thread per agent, its tid the agent's number. */
export const subagentsPid = 2;

/**
 * Seconds to microseconds, at nanosecond precision: rounding to whole nanoseconds first
 * makes a slice's end (ts + dur) meet the next slice's start exactly, and the printed
 * number the shortest decimal, instead of a product's last-bit noise (111.107 s is not
 * 111107000 µs in binary floating point).
 */
function nanos(seconds: number): number {
  return Math.round(seconds * 1e9);
}
function micros(ns: number): number {
  return ns / 1e3;
}

interface AgentLane {
  readonly agent: number;
  task: number | null;
  attempt: number | null;
  spawnedNs: number | null;
  startedNs: number | null;
  /** The drawn fate, when the trace is a simulation's. */
  world: string | null;
  done: boolean;
}

/** The file's text: the trace as JSON, one event a line (readable, diffable), with a final newline. */
export function chromeTraceText(trace: ChromeTrace): string {
  const events = trace.traceEvents.map((e) => JSON.stringify(e)).join(',\n');
  return `{"traceEvents":[\n${events}\n],"displayTimeUnit":${JSON.stringify(trace.displayTimeUnit)},"otherData":${JSON.stringify(trace.otherData)}}\n`;
}

/** The Chrome trace of a run, from its trace records (in the order they were written). */
export function chromeTraceOf(records: readonly ModelTraceRecord[]): ChromeTrace {
  const metadata: ChromeMetadataEvent[] = [];
  const events: (ChromeCompleteEvent | ChromeInstantEvent | ChromeCounterEvent)[] = [];
  const lanes = new Map<number, AgentLane>();
  let header: TraceHeader | undefined;
  let endNs = 0;
  let outcome: string | null = null;
  let makespan: number | null = null;

  const lane = (agent: number): AgentLane => {
    let l = lanes.get(agent);
    if (l === undefined) {
      l = {
        agent,
        task: null,
        attempt: null,
        spawnedNs: null,
        startedNs: null,
        world: null,
        done: false,
      };
      lanes.set(agent, l);
    }
    return l;
  };
  const slice = (
    pid: number,
    tid: number,
    name: string,
    cat: string,
    fromNs: number,
    toNs: number,
    args: ChromeTraceArgs,
  ) => {
    events.push({
      name,
      cat,
      ph: 'X',
      ts: micros(fromNs),
      // A malformed trace (an end before its start) gives an empty slice, not a negative one.
      dur: micros(Math.max(0, toNs - fromNs)),
      pid,
      tid,
      args,
    });
  };
  const instant = (
    pid: number,
    tid: number,
    name: string,
    cat: string,
    atNs: number,
    args: ChromeTraceArgs,
    scope: 't' | 'g' = 't',
  ) => {
    events.push({ name, cat, ph: 'i', ts: micros(atNs), s: scope, pid, tid, args });
  };
  const orchestrator = (name: string, atNs: number, args: ChromeTraceArgs = {}) =>
    instant(orchestratorPid, orchestratorTid, name, 'orchestrator', atNs, args);
  const onAgent = (agent: number, name: string, atNs: number, args: ChromeTraceArgs = {}) => {
    lane(agent);
    instant(subagentsPid, agent, name, 'subagent', atNs, args);
  };

  // Counters: one event per instant, holding the value after every change at that instant
  // (several subagents start together; a viewer would draw a spike to each intermediate value).
  const counterLast = new Map<string, { ts: number; index: number }>();
  const counter = (pid: number, name: string, series: string, atNs: number, value: number) => {
    const ts = micros(atNs);
    const last = counterLast.get(name);
    if (last !== undefined && last.ts === ts) {
      events[last.index] = {
        ...(events[last.index] as ChromeCounterEvent),
        args: { [series]: value },
      };
      return;
    }
    counterLast.set(name, { ts, index: events.length });
    events.push({ name, cat: 'counter', ph: 'C', ts, pid, tid: 0, args: { [series]: value } });
  };
  let inFlight = 0;
  const setInFlight = (atNs: number, delta: number) => {
    inFlight += delta;
    counter(subagentsPid, 'in flight', 'subagents', atNs, inFlight);
  };
  const setContext = (atNs: number, tokens: number) =>
    counter(orchestratorPid, 'context', 'tokens', atNs, tokens);

  /** Closes an agent's running slice at its end or cancellation. */
  const finish = (agent: number, atNs: number, name: string, args: ChromeTraceArgs) => {
    const l = lane(agent);
    if (l.done || l.startedNs === null) return; // a cancel or end of an agent never started: no slice to close
    l.done = true;
    slice(subagentsPid, agent, name, 'subagent', l.startedNs, atNs, { ...agentArgs(l), ...args });
    setInFlight(atNs, -1);
  };

  for (const r of records) {
    const at = nanos(r.t);
    if (at > endNs) endNs = at;
    switch (r.type) {
      case 'run.start':
        header = r;
        setInFlight(at, 0);
        setContext(at, r.context.base);
        break;
      case 'busy':
        slice(orchestratorPid, orchestratorTid, r.kind, 'busy', nanos(r.start), at, {});
        break;
      case 'idle':
        slice(orchestratorPid, orchestratorTid, 'idle', 'idle', nanos(r.start), at, {});
        break;
      case 'turn':
        orchestrator('turn', at, { context: r.context });
        break;
      case 'plan':
      case 'synthesize':
        orchestrator(r.type, at);
        break;
      case 'compaction':
        orchestrator('compaction', at, { before: r.before, after: r.after });
        // The compaction's `after` is the context's size until the next `context` record.
        setContext(at, r.after);
        break;
      case 'detect':
        orchestrator(`detect ${r.failure}`, at, {
          agent: r.agent,
          task: r.task,
          failure: r.failure,
        });
        break;
      case 'forget':
        orchestrator('forget', at, { agent: r.agent, task: r.task });
        break;
      case 'resolve':
        orchestrator(
          `resolve ${r.outcome}`,
          at,
          r.outcome === 'succeeded'
            ? { task: r.task, outcome: r.outcome, agent: r.agent }
            : { task: r.task, outcome: r.outcome, reason: r.reason, attempts: r.attempts },
        );
        break;
      case 'context':
        setContext(at, r.tokens);
        break;
      case 'spawn': {
        const l = lane(r.agent);
        l.task = r.task;
        l.attempt = r.attempt;
        l.spawnedNs = at;
        break;
      }
      case 'start': {
        const l = lane(r.agent);
        l.startedNs = at;
        // `world` is the simulation's; a trace from real code may leave it out.
        l.world = r.world?.fate ?? null;
        if (l.spawnedNs !== null && at > l.spawnedNs) {
          slice(subagentsPid, r.agent, 'queued', 'queued', l.spawnedNs, at, agentArgs(l));
        }
        setInFlight(at, +1);
        break;
      }
      case 'end':
        finish(r.agent, at, r.fate, {});
        break;
      case 'cancel':
        onAgent(r.agent, 'cancel', at, { reason: r.reason });
        finish(r.agent, at, `cancelled (${r.reason})`, { reason: r.reason });
        break;
      case 'deadline':
      case 'deliver':
      case 'drop':
      case 'answer':
        onAgent(r.agent, r.type, at);
        break;
      case 'poll':
        onAgent(r.agent, `poll: ${r.status}`, at, { status: r.status });
        break;
      case 'permission':
        onAgent(r.agent, `permission ${r.outcome}`, at, { outcome: r.outcome });
        break;
      case 'process.start':
        onAgent(r.agent, 'process.start', at, { task: r.task });
        break;
      case 'process.end':
        onAgent(r.agent, 'process.end', at, { task: r.task, caught: r.caught });
        break;
      case 'run.end':
        outcome = r.outcome;
        makespan = r.makespan;
        instant(
          orchestratorPid,
          orchestratorTid,
          'run.end',
          'run',
          at,
          { outcome: r.outcome },
          'g',
        );
        break;
      default:
        // poll.round (its interval is the polls' busy slices already), and record types
        // of later versions, which a reader ignores.
        break;
    }
  }

  // Subagents still waiting or running when the run ended: their slices reach its end.
  for (const l of lanes.values()) {
    if (l.done) continue;
    if (l.startedNs === null) {
      if (l.spawnedNs !== null && endNs > l.spawnedNs) {
        slice(subagentsPid, l.agent, 'queued', 'queued', l.spawnedNs, endNs, {
          ...agentArgs(l),
          unfinished: true,
        });
      }
    } else {
      slice(subagentsPid, l.agent, 'running', 'subagent', l.startedNs, endNs, {
        ...agentArgs(l),
        unfinished: true,
      });
    }
  }

  metadata.push(
    ...processMetadata(orchestratorPid, 'orchestrator', 0),
    ...threadMetadata(orchestratorPid, orchestratorTid, 'orchestrator', 0),
    ...processMetadata(subagentsPid, 'subagents', 1),
  );
  for (const l of [...lanes.values()].sort((a, b) => a.agent - b.agent)) {
    metadata.push(...threadMetadata(subagentsPid, l.agent, laneName(l), l.agent));
  }

  // Stable: events at the same instant keep the order of the records they came from.
  events.sort((a, b) => a.ts - b.ts);
  return {
    traceEvents: [...metadata, ...events],
    displayTimeUnit: 'ms',
    otherData: {
      source: 'dispatchlab',
      scenario: header?.scenario?.name ?? null,
      strategy: header?.strategy.label ?? null,
      seed: header?.seed ?? null,
      outcome,
      makespan,
    },
  };
}

/** "agent 3 · task 2 (attempt 1)": `attempt` as the trace counts it, 0 for the first spawn. */
function laneName(l: AgentLane): string {
  const task = l.task === null ? '' : ` · task ${l.task}`;
  const attempt = l.attempt === null ? '' : ` (attempt ${l.attempt})`;
  return `agent ${l.agent}${task}${attempt}`;
}

function agentArgs(l: AgentLane): ChromeTraceArgs {
  const args = { agent: l.agent, task: l.task, attempt: l.attempt };
  return l.world === null ? args : { ...args, drawnFate: l.world };
}

function processMetadata(pid: number, name: string, order: number): ChromeMetadataEvent[] {
  return [
    { name: 'process_name', ph: 'M', pid, tid: 0, args: { name } },
    { name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: order } },
  ];
}

function threadMetadata(
  pid: number,
  tid: number,
  name: string,
  order: number,
): ChromeMetadataEvent[] {
  return [
    { name: 'thread_name', ph: 'M', pid, tid, args: { name } },
    { name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: order } },
  ];
}
