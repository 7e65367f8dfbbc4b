import { describe, expect, it } from 'vitest';
import { tasksEndOnce } from '../../src/invariants/tasks-end-once.js';
import type { RealRecord } from './traces.js';
import { check, cleanRun, failing, header, type Trace } from './traces.js';

/** cleanRun(n) with `extra` inserted before its run.end, and the run.end as given. */
function withEnd(
  n: number,
  extra: readonly RealRecord[],
  outcome: 'completed' | 'incomplete' = 'completed',
): Trace {
  const trace = cleanRun(n);
  const end = trace.at(-1)!;
  if (end.type !== 'run.end') throw new Error('cleanRun ends with run.end');
  return [...trace.slice(0, -1), ...extra, { ...end, outcome }];
}

describe('tasksEndOnce', () => {
  it('catches a task that ends a second time (given up after it succeeded)', () => {
    const trace = withEnd(2, [
      {
        t: 11,
        type: 'resolve',
        task: 0,
        outcome: 'given-up',
        reason: 'retries-exhausted',
        attempts: 1,
      },
    ]);
    expect(failing(trace)).toEqual(['tasksEndOnce']);
    const r = check(tasksEndOnce, trace);
    expect(r.status).toBe('fail');
    expect(r.violation).toEqual({
      index: 15,
      t: 11,
      task: 0,
      message:
        'task 0 ended a second time at 11 s: it was given up (retries-exhausted), after it succeeded with agent 0 at 10 s',
    });
  });

  it('catches a result used twice: one subagent’s result processed a second time', () => {
    const trace = withEnd(2, [
      { t: 11, type: 'process.start', agent: 0, task: 0 },
      { t: 11, type: 'process.end', agent: 0, task: 0, caught: false },
    ]);
    expect(failing(trace)).toEqual(['tasksEndOnce']);
    expect(check(tasksEndOnce, trace).violation).toEqual({
      index: 15,
      t: 11,
      agent: 0,
      task: 0,
      message:
        'agent 0 (task 0) had its result processed a second time at 11 s, after 10 s: a result used twice',
    });
  });

  it('catches a completed run with a task that never ended', () => {
    const trace = cleanRun(3).filter((r) => !(r.type === 'resolve' && r.task === 2));
    expect(failing(trace)).toEqual(['tasksEndOnce']);
    expect(check(tasksEndOnce, trace).violation).toEqual({
      index: trace.length - 1,
      t: 12,
      task: 2,
      message: 'the run completed at 12 s with 1 task never ended (no resolve): task 2',
    });
  });

  it('catches a resolve of a task the run does not have', () => {
    const trace = withEnd(1, [
      {
        t: 10,
        type: 'resolve',
        task: 1,
        outcome: 'given-up',
        reason: 'upstream-given-up',
        attempts: 0,
      },
    ]);
    expect(check(tasksEndOnce, trace).violation?.message).toBe(
      'task 1 was given up (upstream-given-up) at 10 s, but the run has 1 task (task 0)',
    );
  });

  it('passes two attempts of one task, each processed once (a redispatch after validation)', () => {
    const trace: Trace = [
      header({ tasks: 1 }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 5, type: 'end', agent: 0, fate: 'ok' },
      { t: 5, type: 'deliver', agent: 0 },
      { t: 5, type: 'process.start', agent: 0, task: 0 },
      { t: 6, type: 'process.end', agent: 0, task: 0, caught: true },
      { t: 6, type: 'spawn', agent: 1, task: 0, attempt: 1, reason: 'redispatch' },
      { t: 6, type: 'start', agent: 1 },
      { t: 9, type: 'end', agent: 1, fate: 'ok' },
      { t: 9, type: 'deliver', agent: 1 },
      { t: 9, type: 'process.start', agent: 1, task: 0 },
      { t: 10, type: 'process.end', agent: 1, task: 0, caught: false },
      { t: 10, type: 'resolve', task: 0, outcome: 'succeeded', agent: 1 },
      { t: 10, type: 'run.end', outcome: 'completed', makespan: 10, deadlock: null, unresolved: 0 },
    ];
    expect(failing(trace)).toEqual([]);
    expect(check(tasksEndOnce, trace)).toEqual({
      status: 'pass',
      occasions: 1,
      occasionsOf: 'tasks',
    });
  });

  it('does not count the missing resolves of an incomplete run: that is runEnds’ to report', () => {
    const trace = withEnd(3, [], 'incomplete').filter(
      (r) => !(r.type === 'resolve' && r.task === 2),
    );
    expect(failing(trace)).toEqual(['runEnds']);
  });

  it('is vacuous for a run of no tasks', () => {
    const trace: Trace = [
      header({ tasks: 0 }),
      { t: 0, type: 'run.end', outcome: 'completed', makespan: 0, deadlock: null, unresolved: 0 },
    ];
    expect(check(tasksEndOnce, trace)).toEqual({
      status: 'vacuous',
      occasions: 0,
      occasionsOf: 'tasks',
    });
  });
});
