import { describe, expect, it } from 'vitest';
import { oneThingAtATime } from '../../src/invariants/one-thing-at-a-time.js';
import { check, cleanRun, failing, header, type RealRecord, type Trace } from './traces.js';

/**
 * One task, its dispatch busy from 0 to 1 s, the subagent running 1 to 10 s, its result
 * processed from 10 to 12 s; `between` is what the orchestrator's records say it did
 * meanwhile (written, as always, when each interval ends).
 */
function oneTask(between: readonly RealRecord[]): Trace {
  return [
    header({ tasks: 1 }),
    { t: 1, type: 'busy', kind: 'dispatch', start: 0 },
    { t: 1, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
    { t: 1, type: 'start', agent: 0 },
    ...between,
    { t: 12, type: 'process.end', agent: 0, task: 0, caught: false },
    { t: 12, type: 'resolve', task: 0, outcome: 'succeeded', agent: 0 },
    { t: 12, type: 'run.end', outcome: 'completed', makespan: 12, deadlock: null, unresolved: 0 },
  ];
}

const ends: RealRecord[] = [
  { t: 10, type: 'end', agent: 0, fate: 'ok' },
  { t: 10, type: 'deliver', agent: 0 },
  { t: 10, type: 'process.start', agent: 0, task: 0 },
];

describe('oneThingAtATime', () => {
  it('catches two busy intervals that overlap', () => {
    const trace = oneTask([
      ...ends,
      { t: 11, type: 'busy', kind: 'plan', start: 9.5 },
      { t: 12, type: 'busy', kind: 'process', start: 10 },
    ]);
    expect(failing(trace)).toEqual(['oneThingAtATime']);
    const r = check(oneThingAtATime, trace);
    expect(r.status).toBe('fail');
    expect(r.violation).toEqual({
      index: 8,
      t: 12,
      message:
        'the orchestrator was busy with process from 10 s to 12 s, overlapping its plan from 9.5 s to 11 s: it does one thing at a time',
    });
  });

  it('catches an idle interval that overlaps a busy one', () => {
    const trace = oneTask([
      { t: 5, type: 'busy', kind: 'plan', start: 1 },
      ...ends,
      { t: 10, type: 'idle', start: 4 },
      { t: 12, type: 'busy', kind: 'process', start: 10 },
    ]);
    expect(failing(trace)).toEqual(['oneThingAtATime']);
    expect(check(oneThingAtATime, trace).violation).toEqual({
      index: 8,
      t: 10,
      message:
        'the orchestrator waited idle from 4 s to 10 s, overlapping its plan from 1 s to 5 s: it does one thing at a time',
    });
  });

  it('passes intervals that only touch, tiling the run as a completed run’s do', () => {
    const trace = oneTask([
      ...ends.slice(0, 1),
      { t: 10, type: 'idle', start: 1 },
      ...ends.slice(1),
      { t: 12, type: 'busy', kind: 'process', start: 10 },
    ]);
    expect(failing(trace)).toEqual([]);
    expect(check(oneThingAtATime, trace)).toEqual({
      status: 'pass',
      occasions: 2,
      occasionsOf: 'busy intervals',
    });
  });

  it('leaves an interval that ends before it starts to timeForward', () => {
    const trace = oneTask([...ends, { t: 12, type: 'busy', kind: 'process', start: 13 }]);
    expect(failing(trace)).toEqual(['timeForward']);
  });

  it('is vacuous when the trace carries no busy records (they are optional)', () => {
    expect(check(oneThingAtATime, cleanRun(3))).toEqual({
      status: 'vacuous',
      occasions: 0,
      occasionsOf: 'busy intervals',
    });
  });
});
