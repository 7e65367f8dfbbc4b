import { describe, expect, it } from 'vitest';
import { noDuplicateSpawn } from '../../src/invariants/no-duplicate-spawn.js';
import type { DeclaredSpawn } from '../../src/model/facts.js';
import { check, cleanRun, failing, header, type RealRecord, type Trace } from './traces.js';

/**
 * One task: agent 0 runs from 0 to 10 s; agent 1 of the same task is spawned at `at`
 * with `reason`, after `between` happened to agent 0. Both results are read, the first
 * resolves the task: only the second spawn can be at fault.
 */
function secondSpawn(
  at: number,
  reason: DeclaredSpawn,
  between: readonly RealRecord[] = [],
): Trace {
  return [
    header({ tasks: 1 }),
    { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
    { t: 0, type: 'start', agent: 0 },
    ...between,
    { t: at, type: 'spawn', agent: 1, task: 0, attempt: 1, reason },
    { t: at, type: 'start', agent: 1 },
    ...(between.some((r) => r.type === 'end')
      ? []
      : [{ t: 10, type: 'end', agent: 0, fate: 'ok' } as const]),
    { t: 10, type: 'deliver', agent: 0 },
    { t: 10, type: 'process.start', agent: 0, task: 0 },
    { t: 10, type: 'process.end', agent: 0, task: 0, caught: false },
    { t: 10, type: 'resolve', task: 0, outcome: 'succeeded', agent: 0 },
    { t: 20, type: 'end', agent: 1, fate: 'ok' },
    { t: 20, type: 'deliver', agent: 1 },
    { t: 20, type: 'process.start', agent: 1, task: 0 },
    { t: 20, type: 'process.end', agent: 1, task: 0, caught: false },
    { t: 20, type: 'run.end', outcome: 'completed', makespan: 20, deadlock: null, unresolved: 0 },
  ];
}

describe('noDuplicateSpawn', () => {
  it('catches a task spawned again as "first" while its attempt still runs', () => {
    const trace = secondSpawn(5, 'first');
    expect(failing(trace)).toEqual(['noDuplicateSpawn']);
    const r = check(noDuplicateSpawn, trace);
    expect(r.status).toBe('fail');
    expect(r.violation).toEqual({
      index: 3,
      t: 5,
      agent: 1,
      task: 0,
      message:
        'agent 1 (task 0) was spawned at 5 s as "first" while agent 0 of the same task, spawned at 0 s, was still running: a duplicate spawn',
    });
  });

  it('counts an attempt that ended but whose outcome was not taken yet as live', () => {
    const trace = secondSpawn(7.5, 'first', [{ t: 7, type: 'end', agent: 0, fate: 'ok' }]);
    expect(check(noDuplicateSpawn, trace).violation?.message).toBe(
      'agent 1 (task 0) was spawned at 7.5 s as "first" while agent 0 of the same task, spawned at 0 s, had ended at 7 s with its result not yet taken: a duplicate spawn',
    );
  });

  it('allows a declared retry or redispatch beside a live attempt (a hedge)', () => {
    for (const reason of ['retry', 'redispatch'] as const) {
      const trace = secondSpawn(5, reason);
      expect(failing(trace)).toEqual([]);
      expect(check(noDuplicateSpawn, trace)).toEqual({
        status: 'pass',
        occasions: 1,
        occasionsOf: 'spawns of a task spawned before',
      });
    }
  });

  it('passes a retry after the failure was detected, and a "first" after the attempt was cancelled', () => {
    const retry: Trace = [
      header({ tasks: 1, settings: { retries: 1 } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 4, type: 'end', agent: 0, fate: 'error' },
      { t: 4, type: 'detect', agent: 0, task: 0, failure: 'error' },
      { t: 5, type: 'spawn', agent: 1, task: 0, attempt: 1, reason: 'retry' },
      { t: 5, type: 'start', agent: 1 },
      { t: 9, type: 'end', agent: 1, fate: 'ok' },
      { t: 9, type: 'deliver', agent: 1 },
      { t: 9, type: 'process.start', agent: 1, task: 0 },
      { t: 9, type: 'process.end', agent: 1, task: 0, caught: false },
      { t: 9, type: 'resolve', task: 0, outcome: 'succeeded', agent: 1 },
      { t: 9, type: 'run.end', outcome: 'completed', makespan: 9, deadlock: null, unresolved: 0 },
    ];
    expect(failing(retry)).toEqual([]);
    expect(check(noDuplicateSpawn, retry).status).toBe('pass');
    // Mislabelled (no detect, so not a retry), but nothing of agent 0 is live any more.
    const afterCancel: Trace = [
      header({ tasks: 1, settings: { timeout: 5 } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 5, type: 'cancel', agent: 0, reason: 'timeout' },
      { t: 6, type: 'spawn', agent: 1, task: 0, attempt: 1, reason: 'first' },
      { t: 6, type: 'start', agent: 1 },
    ];
    expect(check(noDuplicateSpawn, afterCancel)).toMatchObject({ status: 'pass', occasions: 1 });
  });

  it('is vacuous when no task is spawned twice', () => {
    expect(check(noDuplicateSpawn, cleanRun(3))).toEqual({
      status: 'vacuous',
      occasions: 0,
      occasionsOf: 'spawns of a task spawned before',
    });
  });
});
