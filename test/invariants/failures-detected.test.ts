/**
 * failuresDetected (src/invariants/failures-detected.ts): every failure and hang is
 * detected, and the orchestrator never idles while one it could see waits. Hand-written
 * traces that break exactly this rule, near-misses that keep it, what a trace without the
 * needed facts leaves unchecked, and the simulator's own runs: every bundled scenario and
 * random worlds.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { LognormalDistribution } from '../../src/sim/distributions/lognormal.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { build, strategyArb, type WorldParameters, worldArb } from '../model/arbitraries.js';
import {
  bundledScenarios,
  busy,
  cancel,
  check,
  compaction,
  deadline,
  deliver,
  detect,
  drop,
  end,
  forget,
  givenUp,
  header,
  idle,
  poll,
  pollRound,
  processed,
  runEnd,
  runRecords,
  spawn,
  start,
  synthesized,
  turn,
  without,
  withoutWorld,
} from './failures-detected-traces.js';

type Rec = ModelTraceRecord;

/**
 * Three tasks, events. Agent 2 (task 2) fails at 12.5 s while the orchestrator processes
 * agent 0's result (8 to 20); agent 1's result arrives at 15, behind it. `handled` says
 * what the orchestrator does about the failure.
 */
function errorWhileBusy(handled: 'at 20' | 'never'): Rec[] {
  const before: Rec[] = [
    header(3, { retries: 1 }),
    turn(0),
    busy(1, 'dispatch', 0),
    spawn(1, 0, 0),
    start(1, 0, 'ok', 7),
    busy(2, 'dispatch', 1),
    spawn(2, 1, 1),
    start(2, 1, 'ok', 13),
    busy(3, 'dispatch', 2),
    spawn(3, 2, 2),
    start(3, 2, 'error', 9.5),
    end(8, 0, 'ok'),
    idle(8, 3),
    deliver(8, 0),
    turn(8),
    { t: 8, type: 'process.start', agent: 0, task: 0 },
    end(12.5, 2, 'error'),
    end(15, 1, 'ok'),
    busy(20, 'process', 8),
    { t: 20, type: 'process.end', agent: 0, task: 0, caught: false, world: { correct: true } },
    { t: 20, type: 'resolve', task: 0, outcome: 'succeeded', agent: 0, world: { correct: true } },
  ];
  if (handled === 'at 20') {
    // The failure's notice came before agent 1's result: it is handled first, at once.
    return [
      ...before,
      detect(20, 2, 2, 'error'),
      busy(21, 'dispatch', 20),
      spawn(21, 3, 2, 1, 'retry'),
      start(21, 3, 'ok', 7),
      deliver(21, 1),
      ...processed(21, 33, 1, 1),
      end(28, 3, 'ok'),
      deliver(33, 3),
      ...processed(33, 38, 3, 2),
      ...synthesized(38, 43),
    ];
  }
  // It never detects the failure, yet dispatches the task again (calling it a retry), and
  // works without a pause to the end: only the detection is missing.
  return [
    ...before,
    deliver(20, 1),
    ...processed(20, 32, 1, 1),
    busy(33, 'dispatch', 32),
    spawn(33, 3, 2, 1, 'retry'),
    start(33, 3, 'ok', 7),
    end(40, 3, 'ok'),
    busy(45, 'plan', 33),
    { t: 45, type: 'plan' },
    deliver(45, 3),
    ...processed(45, 50, 3, 2),
    ...synthesized(50, 55),
  ];
}

/**
 * Two tasks, events, a 120 s timeout. Agent 1 (task 1) hangs from 2 s: its deadline
 * passes at 122 s, while the orchestrator processes agent 0's long result (101 to 140).
 * At 140 it detects the hang (`'at once'`), or first goes idle until 150 (`'after idling'`).
 */
function hangWhileBusy(handled: 'at once' | 'after idling'): Rec[] {
  const detectAt = handled === 'at once' ? 140 : 150;
  return [
    header(2, { timeout: 120, retries: 1 }),
    turn(0),
    busy(1, 'dispatch', 0),
    spawn(1, 0, 0),
    start(1, 0, 'ok', 100),
    busy(2, 'dispatch', 1),
    spawn(2, 1, 1),
    start(2, 1, 'hang', null),
    end(101, 0, 'ok'),
    idle(101, 2),
    deliver(101, 0),
    turn(101),
    { t: 101, type: 'process.start', agent: 0, task: 0 },
    deadline(122, 1),
    cancel(122, 1),
    busy(140, 'process', 101),
    { t: 140, type: 'process.end', agent: 0, task: 0, caught: false, world: { correct: true } },
    { t: 140, type: 'resolve', task: 0, outcome: 'succeeded', agent: 0, world: { correct: true } },
    ...(handled === 'at once' ? [] : [idle(150, 140), turn(150)]),
    detect(detectAt, 1, 1, 'timeout'),
    busy(detectAt + 1, 'dispatch', detectAt),
    spawn(detectAt + 1, 2, 1, 1, 'retry'),
    start(detectAt + 1, 2, 'ok', 10),
    end(detectAt + 11, 2, 'ok'),
    idle(detectAt + 11, detectAt + 1),
    deliver(detectAt + 11, 2),
    turn(detectAt + 11),
    ...processed(detectAt + 11, detectAt + 21, 2, 1),
    ...synthesized(detectAt + 21, detectAt + 26),
  ];
}

/**
 * Two tasks, polling every 30 s (free checks), no timeout. Agent 1 (task 1) fails at
 * 12.5 s; the round at 31 s is the first check after that; agent 0's result is found at
 * 61. `handled`: detected at that first check; or the check finds it and the orchestrator
 * idles until the next round, which detects it; or the round at 31 checks agent 0 only.
 */
function errorPolled(
  handled: 'at the first check' | 'idle after the check' | 'round skips it',
): Rec[] {
  const detected = (t: number): Rec[] => [detect(t, 1, 1, 'error'), givenUp(t, 1, 1)];
  return [
    header(2, { continuation: 'polling', pollInterval: 30 }),
    turn(0),
    busy(1, 'dispatch', 0),
    spawn(1, 0, 0),
    start(1, 0, 'ok', 50),
    busy(2, 'dispatch', 1),
    spawn(2, 1, 1),
    start(2, 1, 'error', 10.5),
    end(12.5, 1, 'error'),
    idle(31, 2),
    turn(31),
    poll(31, 0, 'running'),
    ...(handled === 'round skips it' ? [] : [poll(31, 1, 'ended')]),
    ...(handled === 'at the first check' ? detected(31) : []),
    pollRound(31, 31),
    end(51, 0, 'ok'),
    idle(61, 31),
    turn(61),
    poll(61, 0, 'ended'),
    deliver(61, 0),
    ...(handled === 'at the first check' ? [] : [poll(61, 1, 'ended'), ...detected(61)]),
    pollRound(61, 61),
    ...processed(61, 66, 0, 0),
    ...synthesized(66, 71),
  ];
}

/**
 * Two tasks, polling every 30 s, a 120 s timeout. Agent 1 (task 1) hangs from 2 s (its
 * deadline 122 s). The round at 121 finds agent 0's result; processing it takes until
 * 170, so the round due at 151 comes at 170: it finds agent 1 overdue, 48 s after its
 * deadline, more than the timeout and one poll interval. `handled`: detected at that
 * check, or the orchestrator goes idle first.
 */
function hangPolledLate(handled: 'at the check' | 'idle after the check'): Rec[] {
  const round = (at: number, agent0: 'running' | 'ended'): Rec[] => [
    idle(at, at === 31 ? 2 : at - 30),
    turn(at),
    poll(at, 0, agent0),
    ...(agent0 === 'ended' ? [deliver(at, 0)] : []),
    poll(at, 1, 'running'),
    pollRound(at, at),
  ];
  const detectAt = handled === 'at the check' ? 170 : 180;
  return [
    header(2, { continuation: 'polling', pollInterval: 30, timeout: 120, retries: 1 }),
    turn(0),
    busy(1, 'dispatch', 0),
    spawn(1, 0, 0),
    start(1, 0, 'ok', 99),
    busy(2, 'dispatch', 1),
    spawn(2, 1, 1),
    start(2, 1, 'hang', null),
    ...round(31, 'running'),
    ...round(61, 'running'),
    ...round(91, 'running'),
    end(100, 0, 'ok'),
    ...round(121, 'ended'),
    ...processed(121, 170, 0, 0),
    poll(170, 1, 'overdue'),
    cancel(170, 1),
    ...(handled === 'at the check' ? [] : [idle(180, 170), turn(180)]),
    detect(detectAt, 1, 1, 'timeout'),
    busy(detectAt + 1, 'dispatch', detectAt),
    spawn(detectAt + 1, 2, 1, 1, 'retry'),
    start(detectAt + 1, 2, 'ok', 10),
    pollRound(detectAt + 1, 170),
    end(detectAt + 11, 2, 'ok'),
    idle(detectAt + 30, detectAt + 1),
    turn(detectAt + 30),
    poll(detectAt + 30, 2, 'ended'),
    deliver(detectAt + 30, 2),
    pollRound(detectAt + 30, detectAt + 30),
    ...processed(detectAt + 30, detectAt + 35, 2, 1),
    ...synthesized(detectAt + 35, detectAt + 40),
  ];
}

/**
 * One task, events, a 60 s timeout. Agent 0 hangs from 1 s: its deadline passes at 61 s.
 * The orchestrator plans until 10 s, then waits, idle, until `wokenAt`. At 61 its timer
 * cancels the hang and it detects the timeout; later than that, only the provider's
 * gateway ends the hang, with an error, and the orchestrator detects that error. The
 * idle record comes before what woke it and the detection (`'idle first'`), or after them.
 */
function idleThroughDeadline(wokenAt: number, order: 'idle first' | 'idle last'): Rec[] {
  const cause: Rec[] =
    wokenAt === 61 ? [deadline(61, 0), cancel(61, 0)] : [end(wokenAt, 0, 'error')];
  const handled: Rec[] = [
    turn(wokenAt),
    detect(wokenAt, 0, 0, wokenAt === 61 ? 'timeout' : 'error'),
  ];
  const slept = idle(wokenAt, 10);
  return [
    header(1, { timeout: 60 }),
    turn(0),
    busy(1, 'dispatch', 0),
    spawn(1, 0, 0),
    start(1, 0, 'hang', null),
    busy(10, 'plan', 1),
    { t: 10, type: 'plan' },
    ...(order === 'idle first' ? [slept, ...cause, ...handled] : [...cause, ...handled, slept]),
    givenUp(wokenAt, 0, 1),
    ...synthesized(wokenAt, wokenAt + 5),
  ];
}

describe('failuresDetected: traces that break exactly this rule', () => {
  it('an error never detected, in a run that completed', () => {
    const records = errorWhileBusy('never');
    const r = check(records);
    expect(r.status).toBe('fail');
    expect(r.occasions).toBe(1);
    expect(r.violation).toEqual({
      index: records.length - 1,
      t: 55,
      message: 'agent 2 (task 2) failed at 12.5 s and was never detected',
      agent: 2,
      task: 2,
    });
  });

  it('a hang whose deadline passes, then an idle interval that begins before its detection', () => {
    const records = hangWhileBusy('after idling');
    const r = check(records);
    expect(r.status).toBe('fail');
    expect(r.violation?.message).toBe(
      'agent 1 (task 1) hung; its deadline passed at 122 s and the orchestrator went idle at 140 s without detecting it',
    );
    expect(records[r.violation!.index]).toEqual(idle(150, 140));
    expect(r.violation).toMatchObject({ t: 150, agent: 1, task: 1 });
  });

  it('with polling: an idle interval after the first check that saw the failure', () => {
    const records = errorPolled('idle after the check');
    const r = check(records);
    expect(r.status).toBe('fail');
    expect(r.violation?.message).toBe(
      'agent 1 (task 1) failed at 12.5 s; the poll check at 31 s found it ended, and the orchestrator went idle at 31 s without detecting it',
    );
    expect(records[r.violation!.index]).toEqual(idle(61, 31));
  });

  it('with polling: an idle interval after a round that began after the failure and skipped it', () => {
    const r = check(errorPolled('round skips it'));
    expect(r.status).toBe('fail');
    expect(r.violation?.message).toBe(
      'agent 1 (task 1) failed at 12.5 s; the poll round that ended at 31 s did not check it, and the orchestrator went idle at 31 s without detecting it',
    );
  });

  it('with polling: a check that found a hang overdue, then an idle interval', () => {
    const r = check(hangPolledLate('idle after the check'));
    expect(r.status).toBe('fail');
    expect(r.violation?.message).toBe(
      'agent 1 (task 1) hung; its deadline passed at 122 s, the poll check at 170 s found it overdue, and the orchestrator went idle at 170 s without detecting it',
    );
  });

  it('an idle interval that begins at the very instant the failure becomes observable', () => {
    const records: Rec[] = [
      header(1),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'error', 19),
      busy(20, 'plan', 1),
      { t: 20, type: 'plan' },
      end(20, 0, 'error'),
      idle(30, 20),
      detect(30, 0, 0, 'error'),
      givenUp(30, 0, 1),
      ...synthesized(30, 35),
    ];
    expect(check(records).violation?.message).toBe(
      'agent 0 (task 0) failed at 20 s and the orchestrator went idle at 20 s without detecting it',
    );
  });

  it('an idle record that a tool writes after the detection it delayed', () => {
    const records: Rec[] = [
      header(1),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'error', 9),
      end(10, 0, 'error'),
      busy(25, 'plan', 1),
      detect(30, 0, 0, 'error'),
      idle(30, 25),
      givenUp(30, 0, 1),
      ...synthesized(30, 35),
    ];
    expect(check(records).violation?.message).toBe(
      'agent 0 (task 0) failed at 10 s and the orchestrator went idle at 25 s without detecting it',
    );
  });

  it('a hang with no timeout, in a run that deadlocked: nothing could detect it', () => {
    const records: Rec[] = [
      header(1, { mode: 'foreground' }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'hang', null),
      runEnd(1, 'deadlock', 1),
    ];
    const r = check(records);
    expect(r.status).toBe('fail');
    expect(r.violation?.message).toBe(
      'agent 0 (task 0) hung (it started at 1 s) and was never detected: the run has no timeout (settings.timeout is null), and only a timeout ends a hang',
    );
    expect(r.violation?.index).toBe(records.length - 1);
  });

  it('an overrun with events that the orchestrator let run on past its deadline, never cancelled', () => {
    // Its timer should have fired at 61; the orchestrator slept on, and took the result.
    const records: Rec[] = [
      header(1, { timeout: 60 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'ok', 100),
      end(101, 0, 'ok'),
      idle(101, 1),
      deliver(101, 0),
      turn(101),
      ...processed(101, 106, 0, 0),
      ...synthesized(106, 111),
    ];
    // It slept through the deadline (its idle ran from 1 s to 101 s), and never detected it.
    expect(check(records).violation?.message).toBe(
      'agent 0 (task 0) ran past its timeout; its deadline passed at 61 s and the orchestrator, idle since 1 s, stayed idle until 101 s without detecting it',
    );
    expect(check(without(records, 'idle')).violation?.message).toBe(
      'agent 0 (task 0) ran past its timeout; its deadline passed at 61 s and was never detected',
    );
  });

  it('an orchestrator whose timer fires late: the deadline counts, not the cancellation', () => {
    const records: Rec[] = [
      header(1, { timeout: 60 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'hang', null),
      busy(70, 'plan', 1),
      { t: 70, type: 'plan' },
      deadline(100, 0),
      cancel(100, 0),
      idle(100, 70),
      turn(100),
      detect(100, 0, 0, 'timeout'),
      givenUp(100, 0, 1),
      ...synthesized(100, 105),
    ];
    expect(check(records).violation?.message).toBe(
      'agent 0 (task 0) hung; its deadline passed at 61 s and the orchestrator went idle at 70 s without detecting it',
    );
  });

  it('a timer on a millisecond clock fires at the deadline: start + timeout summed in floating point is the same instant', () => {
    // 281.061 + 300 is 581.0609999999999 in binary floating point; a tool counting whole
    // milliseconds writes its timer's instant as 581.061. One millisecond later is late.
    const timedOutAt = (t: number): Rec[] => [
      header(1, { timeout: 300 }),
      turn(0),
      busy(281.061, 'plan', 0),
      { t: 281.061, type: 'plan' },
      spawn(281.061, 0, 0),
      start(281.061, 0, 'hang', null),
      idle(t, 281.061),
      cancel(t, 0),
      turn(t),
      detect(t, 0, 0, 'timeout'),
      givenUp(t, 0, 1),
      ...synthesized(t, t + 5),
    ];
    expect(281.061 + 300).not.toBe(581.061);
    expect(check(timedOutAt(581.061)).status).toBe('pass');
    expect(check(timedOutAt(581.062)).violation?.message).toBe(
      'agent 0 (task 0) hung; its deadline passed at 581.061 s and the orchestrator, idle since 281.061 s, stayed idle until 581.062 s without detecting it',
    );
  });

  it('an idle begun before a hang fell due that runs on past its deadline: it slept through it', () => {
    // A monitor that arms no timer: only the gateway's error, long after the deadline,
    // wakes the orchestrator.
    for (const order of ['idle first', 'idle last'] as const) {
      const records = idleThroughDeadline(200, order);
      const r = check(records);
      expect(r, order).toMatchObject({ status: 'fail', occasions: 1 });
      expect(r.violation?.message, order).toBe(
        'agent 0 (task 0) hung; its deadline passed at 61 s and the orchestrator, idle since 10 s, stayed idle until 200 s without detecting it',
      );
      expect(records[r.violation!.index], order).toEqual(idle(200, 10));
      // Only the idle breaks it: detected it is, and as an error (see the near misses).
      expect(check(without(records, 'idle')).status, order).toBe('pass');
    }
  });

  it('an idle that runs on past an error ended while it lasted, in either record order', () => {
    for (const order of ['end first', 'idle written after the detection'] as const) {
      const wake: Rec[] =
        order === 'end first'
          ? [idle(30, 5), detect(30, 0, 0, 'error')]
          : [detect(30, 0, 0, 'error'), idle(30, 5)];
      const records: Rec[] = [
        header(1),
        turn(0),
        busy(1, 'dispatch', 0),
        spawn(1, 0, 0),
        start(1, 0, 'error', 11),
        busy(5, 'plan', 1),
        { t: 5, type: 'plan' },
        end(12, 0, 'error'),
        ...wake,
        givenUp(30, 0, 1),
        ...synthesized(30, 35),
      ];
      expect(check(records).violation?.message, order).toBe(
        'agent 0 (task 0) failed at 12 s and the orchestrator, idle since 5 s, stayed idle until 30 s without detecting it',
      );
    }
  });

  it('a deadlocked run with a failure no poll check ever saw', () => {
    const records: Rec[] = [
      header(2, { continuation: 'polling', pollInterval: 30 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'error', 9),
      end(10, 0, 'error'),
      runEnd(20, 'deadlock', 1),
    ];
    expect(check(records).violation?.message).toBe(
      'agent 0 (task 0) failed at 10 s and was never detected (the run deadlocked at 20 s)',
    );
  });

  it('a run that ended incomplete with an observable failure undetected', () => {
    const records: Rec[] = [
      header(1),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'error', 9),
      end(10, 0, 'error'),
      busy(12, 'plan', 1),
      runEnd(12, 'incomplete', 1),
    ];
    expect(check(records).violation?.message).toBe(
      'agent 0 (task 0) failed at 10 s and was never detected (the run ended incomplete at 12 s)',
    );
  });
});

describe('failuresDetected: near-misses that keep the rule', () => {
  it('a failure detected after the action the orchestrator was in: busy time is not bounded', () => {
    const r = check(errorWhileBusy('at 20'));
    expect(r).toMatchObject({ status: 'pass', occasions: 1 });
  });

  it('a hang detected as soon as a long action ends, 18 s after its deadline', () => {
    expect(check(hangWhileBusy('at once'))).toMatchObject({ status: 'pass', occasions: 1 });
  });

  it('polling: a busy orchestrator detects a hang later than timeout + one poll interval', () => {
    expect(check(hangPolledLate('at the check'))).toMatchObject({ status: 'pass', occasions: 1 });
  });

  it('polling: an error detected at the first check after it, after an idle spanning its end', () => {
    expect(check(errorPolled('at the first check'))).toMatchObject({
      status: 'pass',
      occasions: 1,
    });
  });

  it("the format's example: an error and a hang detected at once, each waking the idle orchestrator", () => {
    const doc = readFileSync('docs/trace-format.md', 'utf8');
    const example = /```jsonl\n([\s\S]*?)```/.exec(doc)![1]!;
    const records = example
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Rec);
    expect(check(records)).toMatchObject({ status: 'pass', occasions: 2 });
  });

  it('an idle begun before a deadline and ended by its timer at that very instant', () => {
    // The timer's records may come before or after the idle record that ends at 61.
    for (const order of ['idle first', 'idle last'] as const) {
      expect(check(idleThroughDeadline(61, order)), order).toMatchObject({
        status: 'pass',
        occasions: 1,
      });
    }
  });

  it('a hang detected as an error, after the error that ended it, by a busy orchestrator', () => {
    // The kind a detect names is not compared: the hang did end with an error, and a
    // busy orchestrator may learn of its failure that late.
    const records: Rec[] = [
      header(1, { timeout: 60 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'hang', null),
      end(601, 0, 'error'),
      busy(700, 'plan', 1),
      { t: 700, type: 'plan' },
      detect(700, 0, 0, 'error'),
      givenUp(700, 0, 1),
      ...synthesized(700, 705),
    ];
    expect(check(records)).toMatchObject({ status: 'pass', occasions: 1 });
  });

  it('failures waiting behind each other in FIFO order, the orchestrator busy throughout', () => {
    const records: Rec[] = [
      header(2, { retries: 1 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'error', 9),
      busy(2, 'dispatch', 1),
      spawn(2, 1, 1),
      start(2, 1, 'error', 9),
      busy(15, 'plan', 2),
      { t: 15, type: 'plan' },
      end(10, 0, 'error'),
      end(11, 1, 'error'),
      detect(15, 0, 0, 'error'),
      busy(16, 'dispatch', 15),
      spawn(16, 2, 0, 1, 'retry'),
      start(16, 2, 'ok', 10),
      detect(16, 1, 1, 'error'),
      busy(17, 'dispatch', 16),
      spawn(17, 3, 1, 1, 'retry'),
      start(17, 3, 'ok', 10),
      end(26, 2, 'ok'),
      idle(26, 17),
      deliver(26, 2),
      turn(26),
      end(27, 3, 'ok'),
      ...processed(26, 31, 2, 0),
      deliver(31, 3),
      ...processed(31, 36, 3, 1),
      ...synthesized(36, 41),
    ];
    expect(check(records)).toMatchObject({ status: 'pass', occasions: 2 });
  });

  it('a subagent ending at the very instant of its deadline did not overrun it', () => {
    const records: Rec[] = [
      header(1, { timeout: 60 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'ok', 60),
      deadline(61, 0),
      end(61, 0, 'ok'),
      idle(61, 1),
      deliver(61, 0),
      turn(61),
      ...processed(61, 66, 0, 0),
      ...synthesized(66, 71),
    ];
    expect(check(records)).toMatchObject({ status: 'vacuous', occasions: 0 });
  });

  it('polling: a check at the very instant of the deadline finds the subagent within its time', () => {
    for (const fate of ['hang', 'ok'] as const) {
      const records: Rec[] = [
        header(1, { continuation: 'polling', pollInterval: 30, timeout: 30 }),
        turn(0),
        busy(1, 'dispatch', 0),
        spawn(1, 0, 0),
        start(1, 0, fate, fate === 'hang' ? null : 100),
        idle(31, 1),
        turn(31),
        poll(31, 0, 'running'),
        pollRound(31, 31),
        idle(61, 31),
        turn(61),
        poll(61, 0, 'overdue'),
        cancel(61, 0),
        detect(61, 0, 0, 'timeout'),
        givenUp(61, 0, 1),
        pollRound(61, 61),
        ...synthesized(61, 66),
      ];
      expect(check(records), fate).toMatchObject({ status: 'pass', occasions: 1 });
    }
  });

  it('polling: an overrun that ends with a result before a check sees it is no failure', () => {
    const records: Rec[] = [
      header(1, { continuation: 'polling', pollInterval: 30, timeout: 20 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'ok', 25),
      end(26, 0, 'ok'),
      idle(31, 1),
      turn(31),
      poll(31, 0, 'ended'),
      deliver(31, 0),
      pollRound(31, 31),
      ...processed(31, 36, 0, 0),
      ...synthesized(36, 41),
    ];
    expect(check(records)).toMatchObject({ status: 'vacuous', occasions: 0 });
  });

  it('a run that ended incomplete before a hang fell due: not judged here', () => {
    const records: Rec[] = [
      header(1, { timeout: 120 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'hang', null),
      busy(20, 'plan', 1),
      runEnd(20, 'incomplete', 1),
    ];
    expect(check(records).status).toBe('pass');
  });
});

describe('failuresDetected: forgotten subagents', () => {
  const compacted = (t: number, agent: number): Rec[] => [
    busy(t, 'compaction', t - 10),
    compaction(t, 5000, 1000),
    forget(t, agent, 0),
  ];

  it('a ghost that fails after its handle was forgotten is not counted', () => {
    const records: Rec[] = [
      header(1, { registry: 'volatile' }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'error', 19),
      ...compacted(11, 0),
      end(20, 0, 'error'),
      busy(21, 'dispatch', 20),
      spawn(21, 1, 0, 1, 'first'),
      start(21, 1, 'ok', 9),
      drop(21, 0),
      end(30, 1, 'ok'),
      idle(30, 21),
      deliver(30, 1),
      turn(30),
      ...processed(30, 35, 1, 0),
      ...synthesized(35, 40),
    ];
    const r = check(records);
    expect(r).toMatchObject({ status: 'vacuous', occasions: 0 });
    expect(r.occasionsOf).toContain('1 more, of ghosts');
  });

  it('an error whose notice waits while a compaction forgets its subagent: a ghost, not counted', () => {
    const records: Rec[] = [
      header(1, { registry: 'volatile' }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'error', 7),
      end(8, 0, 'error'),
      ...compacted(11, 0),
      drop(11, 0),
      busy(12, 'dispatch', 11),
      spawn(12, 1, 0, 1, 'first'),
      start(12, 1, 'ok', 2),
      end(14, 1, 'ok'),
      idle(14, 12),
      deliver(14, 1),
      turn(14),
      ...processed(14, 19, 1, 0),
      ...synthesized(19, 24),
    ];
    expect(check(records)).toMatchObject({ status: 'vacuous', occasions: 0 });
  });

  it('a timeout the orchestrator cancelled, then forgot before handling its notice: no ghost, and undetected', () => {
    // noGhosts passes it (cancelled by the orchestrator), noDuplicateSpawn too (a
    // cancelled attempt is over): the lost detection is this invariant's to report.
    const records: Rec[] = [
      header(1, { registry: 'volatile', timeout: 5 }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'hang', null),
      deadline(6, 0),
      cancel(6, 0),
      ...compacted(11, 0),
      drop(11, 0),
      busy(12, 'dispatch', 11),
      spawn(12, 1, 0, 1, 'first'),
      start(12, 1, 'ok', 2),
      end(14, 1, 'ok'),
      idle(14, 12),
      deliver(14, 1),
      turn(14),
      ...processed(14, 19, 1, 0),
      ...synthesized(19, 24),
    ];
    const r = check(records);
    expect(r).toMatchObject({ status: 'fail', occasions: 1 });
    expect(r.violation?.message).toBe(
      'agent 0 (task 0) hung; its deadline passed at 6 s and the orchestrator went idle at 12 s without detecting it; the orchestrator had cancelled it, then forgot its handle at 11 s',
    );
    expect(check(without(records, 'idle')).violation?.message).toBe(
      'agent 0 (task 0) hung; its deadline passed at 6 s and was never detected; the orchestrator had cancelled it, then forgot its handle at 11 s',
    );
  });
});

describe('failuresDetected: what a trace without the facts leaves unchecked', () => {
  it('no failure: vacuous', () => {
    const records: Rec[] = [
      header(1),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'ok', 10),
      end(11, 0, 'ok'),
      idle(11, 1),
      deliver(11, 0),
      turn(11),
      ...processed(11, 16, 0, 0),
      ...synthesized(16, 21),
    ];
    const r = check(records);
    expect(r).toMatchObject({ status: 'vacuous', occasions: 0 });
    expect(r.violation).toBeUndefined();
  });

  it('without busy and idle records, only the detection is checked, and the result says so', () => {
    const late = check(without(hangWhileBusy('after idling'), 'busy', 'idle'));
    expect(late.status).toBe('pass');
    expect(late.occasionsOf).toContain('the trace has no busy or idle records');
    const never = check(without(errorWhileBusy('never'), 'busy', 'idle'));
    expect(never.violation?.message).toBe(
      'agent 2 (task 2) failed at 12.5 s and was never detected',
    );
  });

  it('without start.world, a hang never cancelled is not counted (it may be a slow subagent)', () => {
    const records: Rec[] = [
      header(1, { mode: 'foreground' }),
      turn(0),
      busy(1, 'dispatch', 0),
      spawn(1, 0, 0),
      start(1, 0, 'hang', null),
      runEnd(1, 'deadlock', 1),
    ];
    const r = check(withoutWorld(records));
    expect(r).toMatchObject({ status: 'vacuous', occasions: 0 });
    expect(r.occasionsOf).toContain('start records carry no world');
    // A cancelled one is a failure all the same.
    expect(check(withoutWorld(hangWhileBusy('after idling'))).status).toBe('fail');
  });

  it('a trace cut short (no run.end) is judged on its idles only', () => {
    const records = errorWhileBusy('never').slice(0, -1);
    const r = check(records);
    expect(r.status).toBe('pass');
    expect(r.occasionsOf).toContain('the trace has no run.end');
  });
});

describe("failuresDetected on the simulator's runs", () => {
  const seeds = [0, 1, 2, 3, 4];

  it('every bundled scenario, every strategy: kept, but where no timeout meets hangs', async () => {
    const unsafeRuns: string[] = [];
    let judged = 0;
    for (const { file, scenario } of await bundledScenarios()) {
      for (const config of scenario.strategies) {
        for (const seed of seeds) {
          const { records, metrics } = runRecords(scenario, config, seed);
          const r = check(records);
          const where = `${file} ${config.label} seed ${seed}: ${r.violation?.message}`;
          const header = records[0]!;
          if (header.type !== 'run.start') throw new Error('no header');
          if (header.settings.registry === 'durable' || header.settings.mode === 'foreground') {
            expect(r.occasions, where).toBe(metrics.failures);
          }
          // Unsafe by construction: no timeout while subagents hang. The hang is never
          // detected, and the run deadlocks.
          const unsafe = header.settings.timeout === null && metrics.outcome === 'deadlock';
          if (unsafe) {
            unsafeRuns.push(`${file} ${config.label}`);
            expect(r.status, where).toBe('fail');
            expect(r.violation?.message, where).toMatch(
              /hung .* never detected: the run has no timeout/,
            );
          } else {
            expect(r.status, where).not.toBe('fail');
            if (r.status === 'pass') judged++;
          }
        }
      }
    }
    expect(new Set(unsafeRuns)).toEqual(new Set(['hung-subagents.yaml blocking-no-timeout']));
    expect(judged).toBeGreaterThan(50);
  });

  it('a busy orchestrator polling every 30 s detects a hang more than 30 s after its deadline, and passes', async () => {
    const { scenario } = (await bundledScenarios()).find((s) => s.file === 'hung-subagents.yaml')!;
    const config = scenario.strategies.find((s) => s.label.includes('polling@30s'))!;
    const late = Array.from({ length: 10 }, (_, seed) => runRecords(scenario, config, seed)).filter(
      (run) => run.metrics.maxDetectionLatency > 30,
    );
    expect(late.length).toBeGreaterThan(0);
    for (const run of late) expect(check(run.records).status).toBe('pass');
  });

  it("breaks when a real run's detections are taken out, or one is put off past an idle", async () => {
    const { scenario } = (await bundledScenarios()).find((s) => s.file === 'hung-subagents.yaml')!;
    // The strategies with a timeout; seed 1 has failures detected before an idle in each.
    for (const config of scenario.strategies.slice(1)) {
      const { records, metrics } = runRecords(scenario, config, 1);
      expect(metrics.failuresDetected, config.label).toBeGreaterThan(0);
      expect(check(records).status, config.label).toBe('pass');
      expect(check(without(records, 'detect')).status, config.label).toBe('fail');
      // The first detection followed by an idle interval, moved to the end of the run.
      const i = records.findIndex(
        (r, k) => r.type === 'detect' && records.slice(k).some((later) => later.type === 'idle'),
      );
      expect(i, config.label).toBeGreaterThan(0);
      const runEnd = records.at(-1)!;
      const moved = [...records.slice(0, i), ...records.slice(i + 1, -1)];
      moved.push({ ...records[i]!, t: runEnd.t } as Rec, runEnd);
      const r = check(moved);
      expect(r.status, config.label).toBe('fail');
      expect(r.violation?.message, config.label).toContain('went idle');
    }
  });
});

describe('failuresDetected: a volatile registry can lose a timeout it cancelled', () => {
  it('a random world of test/model/arbitraries.ts, found by sampling: fails, and says why', () => {
    // The orchestrator's timer cancels agent 28 at its deadline while a compaction runs;
    // the compaction then forgets its handle, and the cancellation's notice is dropped.
    const p: WorldParameters = {
      tasks: 23,
      dependencies: { shape: 'none' },
      latency: new LognormalDistribution({ median: 69, p95: 414 }),
      error: 0.1206,
      hang: 0.0072,
      needsPermission: 0.2934,
      reportsProgress: false,
      dispatch: 0,
      poll: 14,
      process: 7,
      plan: 1,
      answer: 0,
      synthesize: 0,
      budget: 3319,
      forgetProbability: 0.447,
      base: 0.625,
      learningRate: 0.133,
      validation: 0.005,
      propagation: 0.994,
    };
    const strategy = asyncDispatch({
      wip: 9,
      waveSize: 27,
      gating: 0.003,
      timeout: 100,
      retries: 2,
      registry: 'volatile',
    });
    const trace = new MemoryTrace<Rec>();
    const { metrics } = runStrategy({ world: build(p), strategy, seed: 681, trace });
    expect(metrics.outcome).toBe('completed');
    const r = check(trace.records);
    expect(r.status).toBe('fail');
    expect(r.violation?.message).toMatch(
      /^agent 28 \(task 7\) ran past its timeout; its deadline passed at 270\.111 s and the orchestrator went idle at .* without detecting it; the orchestrator had cancelled it, then forgot its handle at 271\.809 s$/,
    );
  });
});

describe('failuresDetected over random worlds', () => {
  const runChecked = (p: WorldParameters, strategy: Strategy, seed: number) => {
    const trace = new MemoryTrace<Rec>();
    const { metrics } = runStrategy({ world: build(p), strategy, seed, trace });
    return { metrics, records: trace.records, result: check(trace.records) };
  };

  it('holds for every strategy with a timeout and a durable registry (or in the foreground)', () => {
    const safe = strategyArb.filter(
      (s) =>
        Number.isFinite(s.settings.timeout) &&
        (s.settings.registry === 'durable' || s.settings.mode === 'foreground'),
    );
    fc.assert(
      fc.property(worldArb, safe, fc.integer({ min: 0, max: 1000 }), (p, strategy, seed) => {
        const { metrics, result } = runChecked(p, strategy, seed);
        const where = `${strategy.label} seed ${seed}: ${result.violation?.message}`;
        expect(result.status, where).not.toBe('fail');
        expect(result.occasions, where).toBe(metrics.failures);
      }),
      { seed: 1313, numRuns: 200 },
    );
  });

  it('fails, whatever the strategy, only where the design is unsafe: no timeout among hangs, or a volatile registry losing a timeout', () => {
    fc.assert(
      fc.property(worldArb, strategyArb, fc.integer({ min: 0, max: 1000 }), (p, strategy, seed) => {
        const { metrics, records, result } = runChecked(p, strategy, seed);
        const forgotten = new Set(records.flatMap((r) => (r.type === 'forget' ? [r.agent] : [])));
        const trackedHang = records.some(
          (r) => r.type === 'start' && r.world.fate === 'hang' && !forgotten.has(r.agent),
        );
        // A subagent cancelled for its timeout, then forgotten before its detection.
        const lostTimeout = records.some((r, k) => {
          if (r.type !== 'cancel' || r.reason !== 'timeout') return false;
          const after = records.slice(k);
          const forgot = after.findIndex((l) => l.type === 'forget' && l.agent === r.agent);
          const detected = after.findIndex((l) => l.type === 'detect' && l.agent === r.agent);
          return forgot >= 0 && (detected < 0 || forgot < detected);
        });
        const unsafe =
          (strategy.settings.timeout === Number.POSITIVE_INFINITY &&
            metrics.outcome === 'deadlock' &&
            trackedHang) ||
          lostTimeout;
        const where = `${strategy.label} seed ${seed}: ${result.violation?.message}`;
        expect(result.status === 'fail', where).toBe(unsafe);
      }),
      { seed: 1314, numRuns: 200 },
    );
  });
});
