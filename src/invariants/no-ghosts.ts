/**
 * No ghost agents: every spawned subagent ends consumed or explicitly cancelled
 * (docs/model.md, "Safety invariants").
 *
 * Consumed means the orchestrator took the subagent's outcome: it began to process its
 * result (`process.start`), or it detected its failure (`detect`). A `deliver` is not
 * enough: it says the result reached the orchestrator's buffer, not that anyone read it,
 * and "the last result arrived after the final answer and was never read" is exactly the
 * ghost that real orchestrator code leaves (docs/trace-format.md: a trace from real code
 * has no `forget` records, so a ghost must show without them).
 *
 * Explicitly cancelled means cancelled by the orchestrator: a `cancel` whose reason is not
 * `watchdog`. The runtime's watchdog cancels only a subagent the orchestrator had
 * forgotten; docs/model.md calls it "still a ghost whose work is wasted", and so does this
 * rule (as the `ghosts` metric does).
 *
 * A ghost is judged when the trace is over, since only the end shows that an outcome was
 * never consumed. Which subagents are judged depends on how the run ended:
 *
 * - a completed run: every subagent. One still running, or still waiting for a slot, when
 *   the run ended is a ghost too: the orchestrator finished without it and nobody will
 *   read what it produces.
 * - a deadlock, an incomplete run, or a trace cut short: only the subagents the
 *   orchestrator had lost for good (a `forget` not preceded by its own cancel, a `drop`,
 *   a cancel by the watchdog), which no ending could have redeemed. A subagent that was
 *   merely pending when such a run stopped (still running, its result still in the
 *   buffer) is the stopped run's doing, and the `runEnds` invariant reports that once.
 *
 * The first violation is the ghost whose evidence comes first in the trace: the `forget`
 * that lost it, else the `drop` of its notice, else the watchdog's cancel, else its `end`,
 * else the `run.end` it was still out at.
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import {
  type Checker,
  type CheckResult,
  checkResult,
  type Invariant,
  type Violation,
} from './invariant.js';
import { agentName, seconds } from './words.js';

/**
 * What the trace says about one subagent, as far as ghosts go: each fact the first time it
 * came, as its record's position and time. Plain fields, set in place: a run has a few
 * records about each of its subagents, and checking must not allocate per record.
 */
class Agent {
  started = false;
  consumed = false;
  ended = false;
  endIndex = 0;
  endT = 0;
  endFate: 'ok' | 'error' = 'ok';
  /** The first cancel (by the orchestrator, or the watchdog). */
  cancelled = false;
  cancelIndex = 0;
  cancelT = 0;
  cancelByOrchestrator = false;
  delivered = false;
  deliveredT = 0;
  /** Forgotten while not yet cancelled by the orchestrator. */
  forgotten = false;
  forgottenIndex = 0;
  forgottenT = 0;
  dropped = false;
  droppedIndex = 0;
  droppedT = 0;
  constructor(readonly task: number) {}
}

export const noGhosts: Invariant = {
  name: 'noGhosts',
  rule: 'Every spawned subagent ends consumed (its result processed or its failure detected) or cancelled by the orchestrator.',
  reads: [
    'spawn',
    'start',
    'end',
    'cancel',
    'deliver',
    'process.start',
    'detect',
    'forget',
    'drop',
    'run.end',
  ],
  create(_header: TraceHeader): Checker {
    const agents = new Map<number, Agent>();
    let runEnded = false;
    let runEndIndex = 0;
    let runEndT = 0;
    let runEndCompleted = false;
    // A record about an agent never spawned says nothing about a ghost.
    const about = (record: ModelTraceRecord): Agent | undefined =>
      'agent' in record ? agents.get(record.agent) : undefined;
    return {
      observe(record: ModelTraceRecord, index: number): void {
        switch (record.type) {
          case 'spawn':
            agents.set(record.agent, new Agent(record.task));
            return;
          case 'run.end':
            runEnded = true;
            runEndIndex = index;
            runEndT = record.t;
            runEndCompleted = record.outcome === 'completed';
            return;
          case 'start': {
            const a = about(record);
            if (a !== undefined) a.started = true;
            return;
          }
          case 'end': {
            const a = about(record);
            if (a !== undefined && !a.ended) {
              a.ended = true;
              a.endIndex = index;
              a.endT = record.t;
              a.endFate = record.fate;
            }
            return;
          }
          case 'cancel': {
            const a = about(record);
            if (a !== undefined && !a.cancelled) {
              a.cancelled = true;
              a.cancelIndex = index;
              a.cancelT = record.t;
              a.cancelByOrchestrator = record.reason !== 'watchdog';
            }
            return;
          }
          case 'deliver': {
            const a = about(record);
            if (a !== undefined && !a.delivered) {
              a.delivered = true;
              a.deliveredT = record.t;
            }
            return;
          }
          case 'process.start':
          case 'detect': {
            const a = about(record);
            if (a !== undefined) a.consumed = true;
            return;
          }
          case 'forget': {
            // Cancelled for its timeout before it was forgotten: it ran no further, and
            // losing its handle loses nothing (as the `ghosts` metric reads it).
            const a = about(record);
            if (a !== undefined && !(a.cancelled && a.cancelByOrchestrator) && !a.forgotten) {
              a.forgotten = true;
              a.forgottenIndex = index;
              a.forgottenT = record.t;
            }
            return;
          }
          case 'drop': {
            const a = about(record);
            if (a !== undefined && !a.dropped) {
              a.dropped = true;
              a.droppedIndex = index;
              a.droppedT = record.t;
            }
            return;
          }
        }
      },
      result(): CheckResult {
        const occasionsOf = 'subagents spawned';
        const occasions = agents.size;
        // The ghost whose evidence comes first; its message is written once it is known.
        let first: { agent: number; a: Agent; index: number; t: number } | undefined;
        for (const [agent, a] of agents) {
          if (a.consumed || (a.cancelled && a.cancelByOrchestrator)) continue;
          // The evidence: what lost it (here a cancel can only be the watchdog's), else
          // its end, else the run.end it was still out at; a subagent not lost is judged
          // only once a completed run.end was read.
          let index: number;
          let t: number;
          if (a.forgotten) {
            index = a.forgottenIndex;
            t = a.forgottenT;
          } else if (a.dropped) {
            index = a.droppedIndex;
            t = a.droppedT;
          } else if (a.cancelled) {
            index = a.cancelIndex;
            t = a.cancelT;
          } else if (!(runEnded && runEndCompleted)) {
            continue;
          } else if (a.ended) {
            index = a.endIndex;
            t = a.endT;
          } else {
            index = runEndIndex;
            t = runEndT;
          }
          if (first !== undefined && first.index <= index) continue;
          first = { agent, a, index, t };
        }
        const violation: Violation | undefined =
          first === undefined
            ? undefined
            : {
                index: first.index,
                t: first.t,
                agent: first.agent,
                task: first.a.task,
                message: ghostMessage(first.agent, first.a, runEnded ? runEndT : undefined),
              };
        return checkResult(occasions, occasionsOf, violation);
      },
    };
  },
};

/**
 * "agent 7 (task 3) ended at 41.2 s and its result was never consumed nor cancelled: a
 * ghost", with what the trace says: forgotten when, how it ended or that it was still
 * out, and where its outcome went.
 */
function ghostMessage(agent: number, a: Agent, runEndT: number | undefined): string {
  const clauses: string[] = [];
  if (a.forgotten) clauses.push(`was forgotten at ${seconds(a.forgottenT)}`);
  if (a.ended) {
    clauses.push(`ended at ${seconds(a.endT)}${a.endFate === 'error' ? ' with an error' : ''}`);
  } else if (a.cancelled) {
    clauses.push(`was cancelled by the runtime's watchdog at ${seconds(a.cancelT)}`);
  } else {
    const doing = a.started ? 'running' : 'waiting for a slot';
    const when =
      runEndT === undefined ? 'when the trace ends' : `when the run ended at ${seconds(runEndT)}`;
    clauses.push(`was still ${doing} ${when}`);
  }
  const what = !a.ended ? 'outcome' : a.endFate === 'ok' ? 'result' : 'failure';
  const fate = a.delivered
    ? `its result, delivered at ${seconds(a.deliveredT)}, was never processed`
    : a.dropped
      ? `its ${what} went nowhere at ${seconds(a.droppedT)} (dropped)`
      : a.cancelled
        ? `its ${what} was never consumed`
        : `its ${what} was never consumed nor cancelled`;
  return `${agentName(agent, a.task)} ${clauses.join(', ')} and ${fate}: a ghost`;
}
