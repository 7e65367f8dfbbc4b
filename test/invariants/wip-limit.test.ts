import { describe, expect, it } from 'vitest';
import { wipLimit } from '../../src/invariants/wip-limit.js';
import { check, cleanRun, failing, header, type Trace } from './traces.js';

/** Two tasks under a WIP limit of `wip`; subagent 1 starts at `start1` (at 1 s, its spawn, unless it queues). */
function twoAgents(wip: number | null, start1: number): Trace {
  return [
    header({ tasks: 2, settings: { wip } }),
    { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
    { t: 0, type: 'start', agent: 0 },
    { t: 1, type: 'spawn', agent: 1, task: 1, attempt: 0, reason: 'first' },
    ...(start1 < 10 ? [{ t: start1, type: 'start' as const, agent: 1 }] : []),
    { t: 10, type: 'end', agent: 0, fate: 'ok' },
    ...(start1 >= 10 ? [{ t: start1, type: 'start' as const, agent: 1 }] : []),
    { t: 10, type: 'deliver', agent: 0 },
    { t: 10, type: 'process.start', agent: 0, task: 0 },
    { t: 10, type: 'process.end', agent: 0, task: 0, caught: false },
    { t: 10, type: 'resolve', task: 0, outcome: 'succeeded', agent: 0 },
    { t: 20, type: 'end', agent: 1, fate: 'ok' },
    { t: 20, type: 'deliver', agent: 1 },
    { t: 20, type: 'process.start', agent: 1, task: 1 },
    { t: 20, type: 'process.end', agent: 1, task: 1, caught: false },
    { t: 20, type: 'resolve', task: 1, outcome: 'succeeded', agent: 1 },
    { t: 20, type: 'run.end', outcome: 'completed', makespan: 20, deadlock: null, unresolved: 0 },
  ];
}

describe('wipLimit', () => {
  it('catches a second subagent started while the one slot of a WIP limit of 1 is held', () => {
    const trace = twoAgents(1, 1);
    expect(failing(trace)).toEqual(['wipLimit']);
    const r = check(wipLimit, trace);
    expect(r.status).toBe('fail');
    expect(r.violation).toEqual({
      index: 4,
      t: 1,
      agent: 1,
      task: 1,
      message:
        'agent 1 (task 1) started at 1 s with 2 subagents in flight, above the WIP limit of 1',
    });
  });

  it('passes a subagent that waits for its slot and starts the instant one frees (end before start)', () => {
    const r = check(wipLimit, twoAgents(1, 10));
    expect(r).toEqual({
      status: 'pass',
      occasions: 2,
      occasionsOf: 'subagents started under a WIP limit',
    });
  });

  it('frees a slot at a cancel as at an end', () => {
    const trace: Trace = [
      header({ tasks: 1, settings: { wip: 1, timeout: 5, retries: 1 } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 5, type: 'cancel', agent: 0, reason: 'timeout' },
      { t: 5, type: 'detect', agent: 0, task: 0, failure: 'timeout' },
      { t: 5, type: 'spawn', agent: 1, task: 0, attempt: 1, reason: 'retry' },
      { t: 5, type: 'start', agent: 1 },
    ];
    expect(check(wipLimit, trace).status).toBe('pass');
  });

  it('counts a forgotten subagent: it still holds its slot', () => {
    const trace: Trace = [
      header({ tasks: 1, settings: { wip: 1, registry: 'volatile' } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 3, type: 'compaction', before: 100, after: 50 },
      { t: 3, type: 'forget', agent: 0, task: 0 },
      { t: 4, type: 'spawn', agent: 1, task: 0, attempt: 1, reason: 'first' },
      { t: 4, type: 'start', agent: 1 },
    ];
    const r = check(wipLimit, trace);
    expect(r.status).toBe('fail');
    expect(r.violation?.index).toBe(6);
    expect(r.violation?.message).toBe(
      'agent 1 (task 0) started at 4 s with 2 subagents in flight, above the WIP limit of 1',
    );
  });

  it('is vacuous without a limit, however many run at once', () => {
    expect(check(wipLimit, twoAgents(null, 1))).toEqual({
      status: 'vacuous',
      occasions: 0,
      occasionsOf: 'subagents started under a WIP limit',
    });
    // And with a limit but nothing started.
    expect(check(wipLimit, [header({ settings: { wip: 2 } })]).status).toBe('vacuous');
  });

  it('passes a clean run under a limit it never reaches', () => {
    const [, ...records] = cleanRun(3);
    const trace = [header({ tasks: 3, settings: { wip: 3 } }), ...records];
    expect(check(wipLimit, trace)).toMatchObject({ status: 'pass', occasions: 3 });
  });
});
