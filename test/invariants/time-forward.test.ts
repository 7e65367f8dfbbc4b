import { describe, expect, it } from 'vitest';
import { timeForward } from '../../src/invariants/time-forward.js';
import { check, cleanRun, failing, header, type Trace } from './traces.js';

describe('timeForward', () => {
  it('catches a record whose t is earlier than the one before it', () => {
    // Task 1's result is resolved "at 9 s", after its processing ended at 11 s.
    const trace = cleanRun(2).map((r) =>
      r.type === 'resolve' && r.task === 1 ? { ...r, t: 9 } : r,
    );
    expect(failing(trace)).toEqual(['timeForward']);
    const r = check(timeForward, trace);
    expect(r.status).toBe('fail');
    expect(r.violation).toEqual({
      index: 14,
      t: 9,
      message:
        'the resolve record at 9 s comes after the process.end record at 11 s: time went backwards',
    });
  });

  it('catches an interval that ends before it starts', () => {
    const trace: Trace = [
      ...cleanRun(1).slice(0, -1),
      { t: 20, type: 'busy', kind: 'synthesize', start: 20.5 },
      { t: 20, type: 'run.end', outcome: 'completed', makespan: 20, deadlock: null, unresolved: 0 },
    ];
    expect(failing(trace)).toEqual(['timeForward']);
    expect(check(timeForward, trace).violation).toEqual({
      index: 8,
      t: 20,
      message: 'the busy interval ends at 20 s but starts later, at 20.5 s: time went backwards',
    });
  });

  it('catches a time that is not a finite number', () => {
    const trace: Trace = [header(), { t: Number.NaN, type: 'plan' }];
    expect(check(timeForward, trace).violation).toEqual({
      index: 1,
      t: Number.NaN,
      message: 'the plan record at position 1 has no finite time (t is NaN)',
    });
  });

  it('passes equal times (facts of one instant) and an interval of no length', () => {
    const trace: Trace = [
      ...cleanRun(1).slice(0, -1),
      { t: 10, type: 'poll.round', start: 10 },
      { t: 10, type: 'run.end', outcome: 'completed', makespan: 10, deadlock: null, unresolved: 0 },
    ];
    expect(failing(trace)).toEqual([]);
    expect(check(timeForward, trace)).toEqual({
      status: 'pass',
      occasions: 9,
      occasionsOf: 'records',
    });
  });

  it('is vacuous for a trace of its header alone', () => {
    expect(check(timeForward, [header()])).toEqual({
      status: 'vacuous',
      occasions: 0,
      occasionsOf: 'records',
    });
  });
});
