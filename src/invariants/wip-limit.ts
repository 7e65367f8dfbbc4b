/**
 * In flight never exceeds the WIP limit (docs/model.md, "Safety invariants").
 *
 * In flight is what holds a slot: the subagents started and not yet ended nor cancelled
 * (docs/trace-format.md, "Facts, not verdicts"). A subagent the orchestrator forgot still
 * holds its slot and still counts: the limit exists to bound what runs at once (rate
 * limits, cost), and a forgotten subagent runs all the same. A spawned subagent that
 * waits for a slot does not count: queueing behind the limit is how the limit is kept.
 *
 * The count can only rise at a `start`, so that is where it is checked. The set of agents
 * holding a slot, rather than a counter, keeps a malformed trace (an `end` of a subagent
 * that never started, a second `cancel`) from freeing a slot nobody held.
 *
 * No limit (`settings.wip` null): nothing to check, vacuous.
 */
import type { ModelTraceRecord, TraceHeader } from '../model/trace-records.js';
import {
  type Checker,
  type CheckResult,
  checkResult,
  type Invariant,
  type Violation,
} from './invariant.js';
import { agentName, count, seconds } from './words.js';

export const wipLimit: Invariant = {
  name: 'wipLimit',
  rule: 'In flight (subagents started and not yet ended nor cancelled, forgotten ones included) never exceeds the WIP limit.',
  reads: ['spawn', 'start', 'end', 'cancel'],
  create(header: TraceHeader): Checker {
    const limit = header.settings.wip;
    const taskOf = new Map<number, number>();
    const holding = new Set<number>();
    let occasions = 0;
    let violation: Violation | undefined;
    return {
      observe(record: ModelTraceRecord, index: number): void {
        switch (record.type) {
          case 'spawn':
            taskOf.set(record.agent, record.task);
            break;
          case 'start': {
            holding.add(record.agent);
            if (limit === null) break;
            occasions++;
            if (violation === undefined && holding.size > limit) {
              const task = taskOf.get(record.agent);
              violation = {
                index,
                t: record.t,
                agent: record.agent,
                ...(task === undefined ? {} : { task }),
                message: `${agentName(record.agent, task)} started at ${seconds(record.t)} with ${count(holding.size, 'subagent')} in flight, above the WIP limit of ${limit}`,
              };
            }
            break;
          }
          case 'end':
          case 'cancel':
            holding.delete(record.agent);
            break;
        }
      },
      result(): CheckResult {
        const occasionsOf = 'subagents started under a WIP limit';
        return checkResult(occasions, occasionsOf, violation);
      },
    };
  },
};
