import { describe, expect, it } from 'vitest';
import { cancelOnlyLive } from '../../src/invariants/cancel-only-live.js';
import { check, cleanRun, failing, header, type RealRecord, type Trace } from './traces.js';

/** cleanRun(2) with `extra` just before its run.end. */
function cleanRunWith(extra: readonly RealRecord[]): Trace {
  const trace = cleanRun(2);
  return [...trace.slice(0, -1), ...extra, trace.at(-1)!];
}

describe('cancelOnlyLive', () => {
  it('catches a cancel recorded for a subagent that had already finished', () => {
    const trace = cleanRunWith([{ t: 11, type: 'cancel', agent: 0, reason: 'timeout' }]);
    expect(failing(trace)).toEqual(['cancelOnlyLive']);
    const r = check(cancelOnlyLive, trace);
    expect(r.status).toBe('fail');
    expect(r.violation).toEqual({
      index: 15,
      t: 11,
      agent: 0,
      task: 0,
      message:
        'agent 0 (task 0) was cancelled (timeout) at 11 s, but it had already ended at 10 s: a cancel applies only to a live subagent',
    });
  });

  it('catches a second cancel, and a cancel of an agent never spawned', () => {
    const twice: Trace = [
      header({ tasks: 1, settings: { timeout: 5 } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 5, type: 'cancel', agent: 0, reason: 'timeout' },
      { t: 6, type: 'cancel', agent: 0, reason: 'watchdog' },
    ];
    expect(check(cancelOnlyLive, twice).violation).toMatchObject({
      index: 4,
      message:
        'agent 0 (task 0) was cancelled (watchdog) at 6 s, but it had already been cancelled at 5 s: a cancel applies only to a live subagent',
    });
    const stranger: Trace = [header(), { t: 3, type: 'cancel', agent: 9, reason: 'timeout' }];
    expect(check(cancelOnlyLive, stranger).violation).toEqual({
      index: 1,
      t: 3,
      agent: 9,
      message:
        'agent 9 was cancelled (timeout) at 3 s, but it was never spawned: a cancel applies only to a live subagent',
    });
  });

  it('passes a cancel of a running subagent, and of one still waiting for a slot', () => {
    const trace: Trace = [
      header({ tasks: 2, settings: { wip: 1, timeout: 5 } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 1, type: 'spawn', agent: 1, task: 1, attempt: 0, reason: 'first' },
      { t: 4, type: 'cancel', agent: 1, reason: 'timeout' },
      { t: 5, type: 'cancel', agent: 0, reason: 'timeout' },
      { t: 5, type: 'detect', agent: 0, task: 0, failure: 'timeout' },
      {
        t: 5,
        type: 'resolve',
        task: 0,
        outcome: 'given-up',
        reason: 'retries-exhausted',
        attempts: 1,
      },
      { t: 5, type: 'detect', agent: 1, task: 1, failure: 'timeout' },
      {
        t: 5,
        type: 'resolve',
        task: 1,
        outcome: 'given-up',
        reason: 'retries-exhausted',
        attempts: 1,
      },
      { t: 5, type: 'run.end', outcome: 'completed', makespan: 5, deadlock: null, unresolved: 0 },
    ];
    expect(failing(trace)).toEqual([]);
    expect(check(cancelOnlyLive, trace)).toEqual({
      status: 'pass',
      occasions: 2,
      occasionsOf: 'cancels',
    });
  });

  it('is vacuous with no cancel', () => {
    expect(check(cancelOnlyLive, cleanRun(2))).toEqual({
      status: 'vacuous',
      occasions: 0,
      occasionsOf: 'cancels',
    });
  });
});
