import { describe, expect, it } from 'vitest';
import { runEnds } from '../../src/invariants/run-ends.js';
import { check, cleanRun, failing, header, type Trace } from './traces.js';

describe('runEnds', () => {
  it('catches a deadlock, quoting who waited for what on one line', () => {
    // Blocking without a timeout: agent 1 hangs, the join waits for it forever.
    const trace: Trace = [
      header({ tasks: 2, settings: { mode: 'foreground' } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 0, type: 'spawn', agent: 1, task: 1, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 1 },
      { t: 30, type: 'end', agent: 0, fate: 'ok' },
      { t: 30, type: 'deliver', agent: 0 },
      {
        t: 30,
        type: 'run.end',
        outcome: 'deadlock',
        makespan: 30,
        deadlock:
          "deadlock at t=30: 2 processes wait:\n  - 'orchestrator' waits for event 'the join'\n  - 'subagent-1 (task 1)' waits for event 'the reply of a hung subagent (it never comes)'",
        unresolved: 2,
      },
    ];
    expect(failing(trace)).toEqual(['runEnds']);
    const r = check(runEnds, trace);
    expect(r.status).toBe('fail');
    expect(r.violation).toEqual({
      index: 7,
      t: 30,
      message:
        "the run did not end: it deadlocked at 30 s (\"deadlock at t=30: 2 processes wait: 'orchestrator' waits for event 'the join'; 'subagent-1 (task 1)' waits for event 'the reply of a hung subagent (it never comes)'\")",
    });
  });

  it('catches an incomplete run, naming the tasks the strategy left unresolved', () => {
    // The strategy returned before it processed task 1's result.
    const trace = cleanRun(2)
      .filter((r) => !('agent' in r && r.agent === 1 && r.type.startsWith('process')))
      .filter((r) => !(r.type === 'resolve' && r.task === 1))
      .map((r) =>
        r.type === 'run.end' ? { ...r, outcome: 'incomplete' as const, unresolved: 1 } : r,
      );
    expect(failing(trace)).toEqual(['runEnds']);
    expect(check(runEnds, trace).violation).toEqual({
      index: trace.length - 1,
      t: 11,
      task: 1,
      message:
        'the run did not complete: the strategy returned at 11 s with 1 task unresolved (task 1)',
    });
  });

  it('catches a trace without run.end, and records after it', () => {
    const cut = cleanRun(2).slice(0, -1);
    expect(failing(cut)).toEqual(['runEnds']);
    expect(check(runEnds, cut).violation).toEqual({
      index: cut.length - 1,
      t: 11,
      message:
        'the trace stops at 11 s with a resolve record and no run.end: the run never ended, or its trace was cut short',
    });
    const after: Trace = [...cleanRun(2), { t: 12, type: 'synthesize' }];
    expect(check(runEnds, after).violation).toEqual({
      index: after.length - 1,
      t: 12,
      message:
        'a synthesize record at 12 s follows the run.end at 11 s: the trace must end with run.end',
    });
  });

  it('passes a completed run: the one occasion every trace has', () => {
    expect(check(runEnds, cleanRun(2))).toEqual({
      status: 'pass',
      occasions: 1,
      occasionsOf: 'runs',
    });
  });

  it('is never vacuous: every trace is of a run that must end, and a bare header has not', () => {
    expect(check(runEnds, [header()])).toMatchObject({
      status: 'fail',
      occasions: 1,
      violation: { index: 0, t: 0 },
    });
  });
});
