import { describe, expect, it } from 'vitest';
import { noGhosts } from '../../src/invariants/no-ghosts.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { check, cleanRun, failing, header, type RealRecord, type Trace } from './traces.js';

/**
 * Real code, no `forget` records: task 1's subagent is slow, so at 20 s the orchestrator
 * hedges with a second attempt (declared a retry), takes the first answer (agent 2, at
 * 25 s), synthesizes, and then `late` says what became of the slow subagent 1.
 */
function hedge(late: readonly RealRecord[], end = 40): Trace {
  return [
    header({ tasks: 2 }),
    { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
    { t: 0, type: 'start', agent: 0 },
    { t: 1, type: 'spawn', agent: 1, task: 1, attempt: 0, reason: 'first' },
    { t: 1, type: 'start', agent: 1 },
    { t: 10, type: 'end', agent: 0, fate: 'ok' },
    { t: 10, type: 'deliver', agent: 0 },
    { t: 10, type: 'process.start', agent: 0, task: 0 },
    { t: 10, type: 'process.end', agent: 0, task: 0, caught: false },
    { t: 10, type: 'resolve', task: 0, outcome: 'succeeded', agent: 0 },
    { t: 20, type: 'spawn', agent: 2, task: 1, attempt: 1, reason: 'retry' },
    { t: 20, type: 'start', agent: 2 },
    { t: 25, type: 'end', agent: 2, fate: 'ok' },
    { t: 25, type: 'deliver', agent: 2 },
    { t: 25, type: 'process.start', agent: 2, task: 1 },
    { t: 25, type: 'process.end', agent: 2, task: 1, caught: false },
    { t: 25, type: 'resolve', task: 1, outcome: 'succeeded', agent: 2 },
    { t: 30, type: 'synthesize' },
    ...late,
    { t: end, type: 'run.end', outcome: 'completed', makespan: end, deadlock: null, unresolved: 0 },
  ];
}

describe('noGhosts', () => {
  it('catches the last result arriving after the final answer and never read, from real code without forget records', () => {
    const trace = hedge([
      { t: 40, type: 'end', agent: 1, fate: 'ok' },
      { t: 40, type: 'deliver', agent: 1 },
    ]);
    expect(failing(trace)).toEqual(['noGhosts']);
    const r = check(noGhosts, trace);
    expect(r.status).toBe('fail');
    expect(r.occasions).toBe(3);
    expect(r.violation).toEqual({
      index: 18,
      t: 40,
      agent: 1,
      task: 1,
      message:
        'agent 1 (task 1) ended at 40 s and its result, delivered at 40 s, was never processed: a ghost',
    });
  });

  it('catches it without a deliver record too', () => {
    const r = check(noGhosts, hedge([{ t: 40.12345, type: 'end', agent: 1, fate: 'ok' }], 41));
    expect(r.violation?.message).toBe(
      'agent 1 (task 1) ended at 40.123 s and its result was never consumed nor cancelled: a ghost',
    );
  });

  it('catches a subagent still running when a completed run ended', () => {
    const trace = hedge([]);
    const r = check(noGhosts, trace);
    expect(r.violation).toEqual({
      index: trace.length - 1,
      t: 40,
      agent: 1,
      task: 1,
      message:
        'agent 1 (task 1) was still running when the run ended at 40 s and its outcome was never consumed nor cancelled: a ghost',
    });
  });

  it('passes when the late result is read (processed and discarded), or the slow subagent cancelled', () => {
    const read = hedge([
      { t: 40, type: 'end', agent: 1, fate: 'ok' },
      { t: 40, type: 'deliver', agent: 1 },
      { t: 40, type: 'process.start', agent: 1, task: 1 },
      { t: 40, type: 'process.end', agent: 1, task: 1, caught: false },
    ]);
    expect(failing(read)).toEqual([]);
    expect(check(noGhosts, read)).toEqual({
      status: 'pass',
      occasions: 3,
      occasionsOf: 'subagents spawned',
    });
    const cancelled = hedge([{ t: 30, type: 'cancel', agent: 1, reason: 'timeout' }]);
    expect(failing(cancelled)).toEqual([]);
    // A failure detected is consumed too.
    const detected = hedge([
      { t: 40, type: 'end', agent: 1, fate: 'error' },
      { t: 40, type: 'detect', agent: 1, task: 1, failure: 'error' },
    ]);
    expect(check(noGhosts, detected).status).toBe('pass');
  });

  it('calls a subagent the watchdog cancelled a ghost: the orchestrator neither consumed nor cancelled it', () => {
    const trace: Trace = [
      ...cleanRun(1).slice(0, -1),
      { t: 12, type: 'spawn', agent: 1, task: 0, attempt: 1, reason: 'first' },
      { t: 12, type: 'start', agent: 1 },
      { t: 13, type: 'compaction', before: 10, after: 5 },
      { t: 13, type: 'forget', agent: 1, task: 0 },
      { t: 42, type: 'cancel', agent: 1, reason: 'watchdog' },
      { t: 42, type: 'run.end', outcome: 'completed', makespan: 42, deadlock: null, unresolved: 0 },
    ];
    const r = check(noGhosts, trace);
    expect(r.violation).toMatchObject({ index: 11, t: 13, agent: 1, task: 0 });
    expect(r.violation?.message).toBe(
      "agent 1 (task 0) was forgotten at 13 s, was cancelled by the runtime's watchdog at 42 s and its outcome was never consumed: a ghost",
    );
  });

  it('reports the ghost whose evidence comes first: a forget before an earlier-spawned ghost’s end', () => {
    const trace: Trace = [
      header({ tasks: 2 }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 1, type: 'spawn', agent: 1, task: 1, attempt: 0, reason: 'first' },
      { t: 1, type: 'start', agent: 1 },
      { t: 5, type: 'forget', agent: 1, task: 1 },
      { t: 9, type: 'end', agent: 0, fate: 'ok' },
      { t: 9, type: 'run.end', outcome: 'incomplete', makespan: 9, deadlock: null, unresolved: 2 },
    ];
    // Incomplete: agent 0 merely pending (runEnds' to report); agent 1 lost for good.
    expect(check(noGhosts, trace).violation).toMatchObject({ index: 5, agent: 1 });
    const completed = trace.map((r) =>
      r.type === 'run.end' ? { ...r, outcome: 'completed' as const } : r,
    );
    expect(check(noGhosts, completed).violation).toMatchObject({ index: 5, agent: 1 });
  });

  it('does not count a subagent that was cancelled for its timeout before it was forgotten', () => {
    const trace: Trace = [
      header({ tasks: 1, settings: { timeout: 5, retries: 1, registry: 'volatile' } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 5, type: 'cancel', agent: 0, reason: 'timeout' },
      { t: 5, type: 'forget', agent: 0, task: 0 },
      { t: 5, type: 'drop', agent: 0 },
    ];
    expect(check(noGhosts, trace).status).toBe('pass');
  });

  it('leaves what a deadlock left pending to runEnds, and still calls a forgotten subagent a ghost', () => {
    const deadlock: ModelTraceRecord = {
      t: 50,
      type: 'run.end',
      outcome: 'deadlock',
      makespan: 50,
      deadlock: 'the orchestrator waits for agent 1',
      unresolved: 2,
    };
    const pending: Trace = [
      header({ tasks: 2, settings: { mode: 'foreground' } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 0, type: 'spawn', agent: 1, task: 1, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 1 },
      { t: 10, type: 'end', agent: 0, fate: 'ok' },
      { t: 10, type: 'deliver', agent: 0 },
      deadlock,
    ];
    expect(failing(pending)).toEqual(['runEnds']);
    const forgotten: Trace = [
      ...pending.slice(0, -1),
      { t: 20, type: 'forget', agent: 1, task: 1 },
      deadlock,
    ];
    expect(check(noGhosts, forgotten).violation).toMatchObject({
      index: 7,
      agent: 1,
      message:
        'agent 1 (task 1) was forgotten at 20 s, was still running when the run ended at 50 s and its outcome was never consumed nor cancelled: a ghost',
    });
  });

  it('is vacuous when no subagent was spawned', () => {
    const trace: Trace = [
      header({ tasks: 0 }),
      { t: 0, type: 'run.end', outcome: 'completed', makespan: 0, deadlock: null, unresolved: 0 },
    ];
    expect(check(noGhosts, trace)).toEqual({
      status: 'vacuous',
      occasions: 0,
      occasionsOf: 'subagents spawned',
    });
  });
});
