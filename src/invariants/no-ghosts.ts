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

/** A record of the trace: where it is and when it happened. */
interface At {
  readonly index: number;
  readonly t: number;
}

/** What the trace says about one subagent, as far as ghosts go. */
interface Agent {
  readonly task: number;
  started: boolean;
  end?: At & { readonly fate: 'ok' | 'error' };
  /** The first cancel (by the orchestrator, or the watchdog). */
  cancel?: At & { readonly byOrchestrator: boolean };
  consumed: boolean;
  delivered?: At;
  /** Forgotten while not yet cancelled by the orchestrator. */
  forgotten?: At;
  dropped?: At;
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
    let runEnd: (At & { readonly completed: boolean }) | undefined;
    return {
      observe(record: ModelTraceRecord, index: number): void {
        if (record.type === 'spawn') {
          agents.set(record.agent, { task: record.task, started: false, consumed: false });
          return;
        }
        if (record.type === 'run.end') {
          runEnd = { index, t: record.t, completed: record.outcome === 'completed' };
          return;
        }
        if (!('agent' in record)) return;
        // A record about an agent never spawned says nothing about a ghost.
        const a = agents.get(record.agent);
        if (a === undefined) return;
        const at = { index, t: record.t };
        switch (record.type) {
          case 'start':
            a.started = true;
            break;
          case 'end':
            a.end ??= { ...at, fate: record.fate };
            break;
          case 'cancel':
            a.cancel ??= { ...at, byOrchestrator: record.reason !== 'watchdog' };
            break;
          case 'deliver':
            a.delivered ??= at;
            break;
          case 'process.start':
          case 'detect':
            a.consumed = true;
            break;
          case 'forget':
            // Cancelled for its timeout before it was forgotten: it ran no further, and
            // losing its handle loses nothing (as the `ghosts` metric reads it).
            if (a.cancel?.byOrchestrator !== true) a.forgotten ??= at;
            break;
          case 'drop':
            a.dropped ??= at;
            break;
        }
      },
      result(): CheckResult {
        const occasionsOf = 'subagents spawned';
        const occasions = agents.size;
        let violation: Violation | undefined;
        for (const [agent, a] of agents) {
          if (a.consumed || a.cancel?.byOrchestrator === true) continue;
          // Here a cancel can only be the watchdog's.
          const lost = a.forgotten ?? a.dropped ?? a.cancel;
          if (lost === undefined && runEnd?.completed !== true) continue;
          // Never undefined: a subagent not lost is judged only once a completed run.end was read.
          const evidence = lost ?? a.end ?? runEnd;
          if (evidence === undefined) continue;
          if (violation !== undefined && violation.index <= evidence.index) continue;
          violation = {
            index: evidence.index,
            t: evidence.t,
            agent,
            task: a.task,
            message: ghostMessage(agent, a, runEnd),
          };
        }
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
function ghostMessage(agent: number, a: Agent, runEnd: At | undefined): string {
  const clauses: string[] = [];
  if (a.forgotten !== undefined) clauses.push(`was forgotten at ${seconds(a.forgotten.t)}`);
  if (a.end !== undefined) {
    clauses.push(`ended at ${seconds(a.end.t)}${a.end.fate === 'error' ? ' with an error' : ''}`);
  } else if (a.cancel !== undefined) {
    clauses.push(`was cancelled by the runtime's watchdog at ${seconds(a.cancel.t)}`);
  } else {
    const doing = a.started ? 'running' : 'waiting for a slot';
    const when =
      runEnd === undefined ? 'when the trace ends' : `when the run ended at ${seconds(runEnd.t)}`;
    clauses.push(`was still ${doing} ${when}`);
  }
  const what = a.end === undefined ? 'outcome' : a.end.fate === 'ok' ? 'result' : 'failure';
  const fate =
    a.delivered !== undefined
      ? `its result, delivered at ${seconds(a.delivered.t)}, was never processed`
      : a.dropped !== undefined
        ? `its ${what} went nowhere at ${seconds(a.dropped.t)} (dropped)`
        : a.cancel !== undefined
          ? `its ${what} was never consumed`
          : `its ${what} was never consumed nor cancelled`;
  return `${agentName(agent, a.task)} ${clauses.join(', ')} and ${fate}: a ghost`;
}
