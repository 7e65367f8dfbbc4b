/**
 * A cancel applies only to a live subagent: one spawned (running, or still waiting for a
 * slot) and not yet ended nor cancelled.
 *
 * A `cancel` record says the subagent was stopped and its slot freed (docs/trace-format.md).
 * Recorded for a subagent that had already ended, it is a cancel that raced its end and
 * lost: the orchestrator believes it stopped work that in fact finished, and may then
 * treat a result that exists as a failure (detect a timeout, retry the task) or free a
 * slot twice. Recorded a second time, or for an agent never spawned, it is bookkeeping
 * that does not match the world either way.
 *
 * Liveness here is the world's: a subagent is live between its `spawn` and its `end` or
 * first `cancel`, whatever the orchestrator remembers of it (the watchdog cancels
 * forgotten subagents, and rightly so).
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

class Agent {
  /** How it stopped being live (undefined while live), and when; set in place. */
  overHow: string | undefined = undefined;
  overT = 0;
  constructor(readonly task: number) {}
}

export const cancelOnlyLive: Invariant = {
  name: 'cancelOnlyLive',
  rule: 'A cancel applies only to a live subagent: spawned, and not yet ended nor cancelled.',
  reads: ['spawn', 'end', 'cancel'],
  create(_header: TraceHeader): Checker {
    const agents = new Map<number, Agent>();
    let occasions = 0;
    let violation: Violation | undefined;
    return {
      observe(record: ModelTraceRecord, index: number): void {
        switch (record.type) {
          case 'spawn':
            agents.set(record.agent, new Agent(record.task));
            break;
          case 'end': {
            const a = agents.get(record.agent);
            if (a !== undefined && a.overHow === undefined) {
              a.overHow = 'ended';
              a.overT = record.t;
            }
            break;
          }
          case 'cancel': {
            occasions++;
            const a = agents.get(record.agent);
            if (violation === undefined && (a === undefined || a.overHow !== undefined)) {
              const why =
                a === undefined
                  ? 'it was never spawned'
                  : `it had already ${a.overHow} at ${seconds(a.overT)}`;
              violation = {
                index,
                t: record.t,
                agent: record.agent,
                ...(a === undefined ? {} : { task: a.task }),
                message: `${agentName(record.agent, a?.task)} was cancelled (${record.reason}) at ${seconds(record.t)}, but ${why}: a cancel applies only to a live subagent`,
              };
            }
            if (a !== undefined && a.overHow === undefined) {
              a.overHow = 'been cancelled';
              a.overT = record.t;
            }
            break;
          }
        }
      },
      result(): CheckResult {
        const occasionsOf = 'cancels';
        return checkResult(occasions, occasionsOf, violation);
      },
    };
  },
};
