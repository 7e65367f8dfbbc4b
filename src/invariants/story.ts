/**
 * A violation told as a story: the few events that led to it, one line each, in the
 * trace's order, then the violation's own sentence. The sentence alone says what broke;
 * the story says how it came to that ("a compaction forgot its handle; the task was
 * dispatched again; the first subagent ended and nobody read its result"), without the
 * reader having to decode raw JSONL records.
 *
 * Which events: when the violation names a subagent or a task, every record about that
 * task's attempts (all of them, before and after the violation: a ghost is made by what
 * happens to it later), the compactions while one of them was live, and the run's end if
 * one was still out then; for a subagent that started above the WIP limit, the starts of
 * those holding a slot then. When it names neither (the orchestrator's own timeline, time
 * itself, the run's ending), the few records just before it, whatever they are about.
 *
 * A story of about a dozen lines is read; one of a hundred is skipped. A longer one keeps
 * its most telling events rather than its first and last ones: a subagent lost early in a
 * long run is told by how it was lost and what became of it, not by the task's later
 * attempts. Each run of events left out is one line that says how many.
 *
 * Facts only, as the trace states them: nothing here guesses at a verdict, and what only
 * a simulation knows (a `world` field) is left out, so that a trace from real code tells
 * the same story.
 */
import type { ModelTraceRecord } from '../model/trace-records.js';
import type { Violation } from './invariant.js';
import { agentName, article, count, seconds } from './words.js';

/** Records told before a violation that names no subagent nor task. */
const nearby = 8;
/** The longest story, in lines (the violation's message aside): beyond it, the least telling events give way. */
const most = 12;

/**
 * How much an event tells about the violation, most first. 0: the violation's own record.
 * 1: its subagent's life up to it, and its fate after (how it ended, where its outcome
 * went). 2: the other attempts up to the violation (a duplicate spawn is about the
 * attempt still out), the task's dispatches and outcome whenever, the compaction that
 * forgot one of its attempts. 3: what else happened to the attempts after it. 4: the
 * compactions that merely happened meanwhile.
 */
type Rank = 0 | 1 | 2 | 3 | 4;

/** The records that tell what became of a subagent: how it ended, where its outcome went. */
const fates: ReadonlySet<string> = new Set([
  'end',
  'cancel',
  'deliver',
  'detect',
  'drop',
  'forget',
  'process.start',
]);

/** One event of the story: the record it tells, where it is, how telling, and the words. */
interface Event {
  readonly index: number;
  readonly t: number;
  readonly rank: Rank;
  readonly text: string;
}

/**
 * The story of `violation` in `records` (the whole trace, header first, as `checkRecords`
 * reads it): one line per event, in the trace's order, each starting with its time, then
 * a last line that is the violation's message.
 */
export function storyOf(records: readonly ModelTraceRecord[], violation: Violation): string[] {
  // Every record about a subagent comes after its spawn (the format's rule), so one map
  // read from the whole trace names each agent's task wherever it is told.
  const tasks = new Map<number, number>();
  for (const r of records) if (r.type === 'spawn') tasks.set(r.agent, r.task);
  const task =
    violation.task ?? (violation.agent === undefined ? undefined : tasks.get(violation.agent));

  const own =
    violation.agent === undefined && task === undefined
      ? undefined
      : about(records, violation, task, tasks);
  // A task nothing happened to (never dispatched: a run that stopped short of it) has no
  // story of its own: what the orchestrator did last tells it instead.
  const events =
    own === undefined || own.every((e) => e.index === violation.index)
      ? before(records, violation, tasks)
      : own;
  const what = [
    ...(violation.agent === undefined ? [] : [`agent ${violation.agent}`]),
    ...(task === undefined ? [] : [`task ${task}`]),
  ].join(' / ');
  return [...lines(capped(events, violation.index), what), violation.message];
}

/** The records just before the violation, and the violation's own: whatever they are. */
function before(
  records: readonly ModelTraceRecord[],
  violation: Violation,
  tasks: ReadonlyMap<number, number>,
): Event[] {
  const events: Event[] = [];
  // From 1: the header says how the run was set up, not something that happened.
  const from = Math.max(1, violation.index - nearby);
  const to = Math.min(records.length - 1, violation.index);
  for (let index = from; index <= to; index++) {
    const r = records[index]!;
    events.push({ index, t: r.t, rank: index === violation.index ? 0 : 1, text: told(r, tasks) });
  }
  return events;
}

/**
 * The records about the violation's subagent and every attempt of its task, the
 * compactions while one of them was live (in the world: spawned, neither ended nor
 * cancelled, whether or not the orchestrator still remembered it), and the run's end if
 * it was the violation or one of them was still live then.
 *
 * When the violation is a `start` (a WIP limit broken), the starts of the subagents still
 * holding a slot then are told too: they are who the limit was exceeded with.
 */
function about(
  records: readonly ModelTraceRecord[],
  violation: Violation,
  task: number | undefined,
  tasks: ReadonlyMap<number, number>,
): Event[] {
  const main = violation.agent;
  const agents = new Set<number>();
  if (main !== undefined) agents.add(main);
  if (task !== undefined) for (const [agent, of] of tasks) if (of === task) agents.add(agent);

  const holding = slotsAt(records, violation);
  const live = new Set<number>();
  const events: { index: number; t: number; rank: Rank; text: string }[] = [];
  /** The last compaction told: a `forget` of one of ours that follows makes it telling. */
  let compaction: { rank: Rank } | undefined;
  for (const [index, r] of records.entries()) {
    let rank: Rank | undefined;
    if ('agent' in r && agents.has(r.agent)) {
      if (r.type === 'spawn') live.add(r.agent);
      if (r.type === 'end' || r.type === 'cancel') live.delete(r.agent);
      if (r.type === 'forget' && compaction !== undefined) compaction.rank = 2;
      // A poll that found it running says nothing new: it was running.
      if (!(r.type === 'poll' && r.status === 'running')) {
        const ours = r.agent === main || (main === undefined && 'task' in r);
        const after = index > violation.index;
        rank =
          ours && (!after || fates.has(r.type))
            ? 1
            : !after || r.type === 'spawn' || r.type === 'resolve'
              ? 2
              : 3;
      }
    } else if ('task' in r && r.task === task) {
      rank = main === undefined || index <= violation.index ? 1 : 2;
    } else if (r.type === 'run.end') {
      if (main !== undefined && live.has(main)) rank = 1;
      else if (live.size > 0) rank = 3;
    } else if (r.type === 'compaction') {
      if (live.size > 0) rank = 4;
    } else if (r.type === 'start' && holding.has(r.agent)) {
      rank = 2;
    }
    if (r.type !== 'forget') compaction = undefined;
    if (index === violation.index) rank = 0;
    if (rank === undefined) continue;
    const event = { index, t: r.t, rank, text: told(r, tasks) };
    if (r.type === 'compaction') compaction = event;
    events.push(event);
  }
  return events;
}

/**
 * The other subagents holding a slot when the violation's record, a `start`, took one;
 * none for a violation of another kind.
 */
function slotsAt(records: readonly ModelTraceRecord[], violation: Violation): Set<number> {
  const holding = new Set<number>();
  const at = records[violation.index];
  if (at?.type !== 'start') return holding;
  for (let i = 1; i < violation.index; i++) {
    const r = records[i]!;
    if (r.type === 'start') holding.add(r.agent);
    else if (r.type === 'end' || r.type === 'cancel') holding.delete(r.agent);
  }
  holding.delete(at.agent);
  return holding;
}

/**
 * The events that fit in `most` lines, in the trace's order, each run of events left out
 * counted in a line of its own (a number: how many). The most telling are kept first, and
 * among equals those nearest the violation: a story of a subagent lost early in a long run
 * keeps how it was lost, not the long tail of the task's later attempts.
 */
function capped(events: readonly Event[], violation: number): (Event | number)[] {
  if (events.length <= most) return [...events];
  const byWorth = [...events.keys()].sort(
    (a, b) =>
      events[a]!.rank - events[b]!.rank ||
      Math.abs(events[a]!.index - violation) - Math.abs(events[b]!.index - violation) ||
      a - b,
  );
  const kept = new Set<number>();
  for (const k of byWorth) {
    kept.add(k);
    if (shown(events, kept).length > most) kept.delete(k);
  }
  return shown(events, kept);
}

/** The events `kept` (positions in `events`), and for each run of the others, its length. */
function shown(events: readonly Event[], kept: ReadonlySet<number>): (Event | number)[] {
  const out: (Event | number)[] = [];
  let gap = 0;
  for (const [k, e] of events.entries()) {
    if (!kept.has(k)) {
      gap++;
      continue;
    }
    if (gap > 0) out.push(gap);
    gap = 0;
    out.push(e);
  }
  if (gap > 0) out.push(gap);
  return out;
}

/** Each event as `12 s  agent 7 (task 3) started`, the times padded to one column. */
function lines(events: readonly (Event | number)[], about: string): string[] {
  const width = Math.max(
    0,
    ...events.map((e) => (typeof e === 'number' ? 0 : seconds(e.t).length)),
  );
  return events.map((e) =>
    typeof e === 'number'
      ? `… ${count(e, 'more event')}${about === '' ? '' : ` about ${about}`} …`
      : `${seconds(e.t).padEnd(width)}  ${e.text}`,
  );
}

/** A record in plain English: the fact it states, without its time. */
function told(r: ModelTraceRecord, tasks: ReadonlyMap<number, number>): string {
  switch (r.type) {
    case 'run.start':
      return 'the run began';
    case 'spawn':
      return spawned(r.task, r.agent, r.attempt, r.reason);
    case 'start':
      return `${agentName(r.agent, tasks.get(r.agent))} started`;
    case 'permission':
      return r.outcome === 'asked'
        ? `agent ${r.agent} asked for a permission`
        : `agent ${r.agent} was denied a permission`;
    case 'answer':
      return `the orchestrator answered agent ${r.agent}'s request`;
    case 'end':
      return `agent ${r.agent} ended (${r.fate})`;
    case 'deadline':
      return `agent ${r.agent} passed its deadline`;
    case 'cancel':
      return r.reason === 'watchdog'
        ? `agent ${r.agent} cancelled (by the runtime's watchdog)`
        : `agent ${r.agent} cancelled (${r.reason})`;
    case 'poll':
      return `a poll found agent ${r.agent} ${r.status}`;
    case 'poll.round':
      return `the poll round begun at ${seconds(r.start)} was over`;
    case 'deliver':
      return `agent ${r.agent}'s result reached the orchestrator`;
    case 'detect':
      return `the orchestrator detected agent ${r.agent}'s failure (${r.failure})`;
    case 'drop':
      return `agent ${r.agent}'s completion notice was dropped`;
    case 'process.start':
      return `the orchestrator began processing agent ${r.agent}'s result`;
    case 'process.end':
      return `the orchestrator finished processing agent ${r.agent}'s result${r.caught ? ', and validation caught it wrong' : ''}`;
    case 'forget':
      return `a compaction forgot agent ${r.agent}'s handle (task ${r.task})`;
    case 'compaction':
      return `compaction (context ${tokens(r.before)} → ${tokens(r.after)} tokens)`;
    case 'context':
      return `the context now holds ${tokens(r.tokens)} tokens`;
    case 'turn':
      return `the orchestrator took a turn (context ${tokens(r.context)} tokens)`;
    case 'plan':
      return 'the orchestrator planned a wave';
    case 'synthesize':
      return 'the orchestrator synthesized';
    case 'busy':
      return `the orchestrator was busy (${r.kind}) from ${seconds(r.start)}`;
    case 'idle':
      return `the orchestrator waited idle from ${seconds(r.start)}`;
    case 'resolve':
      if (r.outcome === 'succeeded') return `task ${r.task} succeeded (agent ${r.agent})`;
      return `task ${r.task} given up after ${count(r.attempts, 'attempt')}${r.reason === 'upstream-given-up' ? ' (a task it needs was given up)' : ''}`;
    case 'run.end': {
      const unresolved = r.unresolved > 0 ? `, ${count(r.unresolved, 'task')} unresolved` : '';
      return `the run ended (${r.outcome}, makespan ${seconds(r.makespan)}${unresolved})`;
    }
    default: {
      // A trace read from a file may hold record types this version does not know
      // (the format says readers ignore them); the type system believes it cannot.
      const type = String((r as { readonly type: unknown }).type);
      return `${article(type)} ${type} record`;
    }
  }
}

/**
 * "task 3 dispatched as agent 7", or for a later attempt "task 3 dispatched again as agent
 * 9 (attempt 2, declared a retry)". The record's `attempt` counts the spawns before, from
 * 0; people count attempts from 1. The declared reason is what the orchestrator said, which
 * a forgotten handle makes "first" on a second attempt: that is the fact worth reading.
 */
function spawned(task: number, agent: number, attempt: number, reason: string): string {
  const declared =
    reason === 'first'
      ? 'declared a first dispatch'
      : reason === 'retry'
        ? 'declared a retry'
        : reason === 'redispatch'
          ? 'declared a redispatch after validation'
          : `declared "${reason}"`;
  if (attempt === 0) {
    return `task ${task} dispatched as agent ${agent}${reason === 'first' ? '' : ` (${declared})`}`;
  }
  return `task ${task} dispatched again as agent ${agent} (attempt ${attempt + 1}, ${declared})`;
}

/**
 * 14800 → "14,800": whole tokens, digits grouped by three, the same on every machine (toLocaleString
 * depends on the locale of the one it runs on).
 */
function tokens(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // A context's size may be fractional (a summary's share of what it replaced): a token
  // more or less tells nothing.
  const whole = Math.round(n);
  const sign = whole < 0 ? '-' : '';
  return sign + String(Math.abs(whole)).replace(/\B(?=(\d{3})+$)/g, ',');
}
