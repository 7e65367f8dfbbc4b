import { describe, expect, it } from 'vitest';
import { cancelOnlyLive } from '../../src/invariants/cancel-only-live.js';
import { checkRecords } from '../../src/invariants/check-trace.js';
import { invariants } from '../../src/invariants/index.js';
import type { Violation } from '../../src/invariants/invariant.js';
import { noGhosts } from '../../src/invariants/no-ghosts.js';
import { oneThingAtATime } from '../../src/invariants/one-thing-at-a-time.js';
import { storyOf } from '../../src/invariants/story.js';
import { wipLimit } from '../../src/invariants/wip-limit.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { check, header, type RealRecord, simulated, type Trace } from './traces.js';

/**
 * The story of the first violation of `invariant` in a hand-written trace. Records without
 * `world` are what real code writes; the story never reads `world`, so they stand in for
 * the simulator's records as they do for the checkers (traces.ts).
 */
function story(invariant: Parameters<typeof check>[0], trace: Trace): string[] {
  const violation = check(invariant, trace).violation;
  if (violation === undefined) throw new Error(`${invariant.name} found no violation`);
  return storyOf(trace as readonly ModelTraceRecord[], violation);
}

/** The time an event line starts with, in seconds; undefined for a gap line or the message. */
function timeOf(line: string): number | undefined {
  const m = /^(-?\d+(?:\.\d+)?) s {2,}\S/.exec(line);
  return m === null ? undefined : Number(m[1]);
}

/** How many events a gap line (`… 4 more events about … …`) leaves out; 0 for another line. */
function gapOf(line: string): number {
  const m = /^… (\d+) more events? /.exec(line);
  return m === null ? 0 : Number(m[1]);
}

const end = (t: number): RealRecord => ({
  t,
  type: 'run.end',
  outcome: 'completed',
  makespan: t,
  deadlock: null,
  unresolved: 0,
});

describe('storyOf', () => {
  it('tells a ghost: its start, the compaction that forgot it, the re-dispatch, its end and dropped notice', () => {
    const trace: Trace = [
      header({ tasks: 1, settings: { registry: 'volatile' } }),
      // Before any subagent of the story lived: not part of it.
      { t: 2, type: 'compaction', before: 3000, after: 1000 },
      { t: 12, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 12, type: 'start', agent: 0 },
      { t: 15.5, type: 'compaction', before: 14000, after: 4200 },
      { t: 15.5, type: 'forget', agent: 0, task: 0 },
      { t: 16, type: 'spawn', agent: 1, task: 0, attempt: 1, reason: 'first' },
      { t: 16, type: 'start', agent: 1 },
      { t: 16, type: 'poll', agent: 1, status: 'running' },
      { t: 30, type: 'end', agent: 1, fate: 'ok' },
      { t: 30, type: 'process.start', agent: 1, task: 0 },
      { t: 35, type: 'process.end', agent: 1, task: 0, caught: false },
      { t: 35, type: 'resolve', task: 0, outcome: 'succeeded', agent: 1 },
      { t: 41.2, type: 'end', agent: 0, fate: 'ok' },
      { t: 41.2, type: 'drop', agent: 0 },
      { t: 50, type: 'synthesize' },
      end(50),
    ];
    expect(story(noGhosts, trace)).toEqual([
      '12 s    task 0 dispatched as agent 0',
      '12 s    agent 0 (task 0) started',
      '15.5 s  compaction (context 14,000 → 4,200 tokens)',
      "15.5 s  a compaction forgot agent 0's handle (task 0)",
      '16 s    task 0 dispatched again as agent 1 (attempt 2, declared a first dispatch)',
      '16 s    agent 1 (task 0) started',
      '30 s    agent 1 ended (ok)',
      "30 s    the orchestrator began processing agent 1's result",
      "35 s    the orchestrator finished processing agent 1's result",
      '35 s    task 0 succeeded (agent 1)',
      '41.2 s  agent 0 ended (ok)',
      "41.2 s  agent 0's completion notice was dropped",
      'agent 0 (task 0) was forgotten at 15.5 s, ended at 41.2 s and its result went nowhere at 41.2 s (dropped): a ghost',
    ]);
  });

  it('tells the run end when the ghost was still running then, and a retry and a failure in words', () => {
    const trace: Trace = [
      header({ tasks: 1, settings: { timeout: 10, retries: 1 } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 10, type: 'deadline', agent: 0 },
      { t: 10, type: 'cancel', agent: 0, reason: 'timeout' },
      { t: 10, type: 'detect', agent: 0, task: 0, failure: 'timeout' },
      { t: 11, type: 'spawn', agent: 1, task: 0, attempt: 1, reason: 'retry' },
      { t: 11, type: 'start', agent: 1 },
      { t: 12.25, type: 'synthesize' },
      end(12.25),
    ];
    expect(story(noGhosts, trace)).toEqual([
      '0 s      task 0 dispatched as agent 0',
      '0 s      agent 0 (task 0) started',
      '10 s     agent 0 passed its deadline',
      '10 s     agent 0 cancelled (timeout)',
      "10 s     the orchestrator detected agent 0's failure (timeout)",
      '11 s     task 0 dispatched again as agent 1 (attempt 2, declared a retry)',
      '11 s     agent 1 (task 0) started',
      '12.25 s  the run ended (completed, makespan 12.25 s)',
      'agent 1 (task 0) was still running when the run ended at 12.25 s and its outcome was never consumed nor cancelled: a ghost',
    ]);
  });

  it('tells a WIP limit broken with the starts of the subagents holding a slot then', () => {
    const trace: Trace = [
      header({ tasks: 4, settings: { wip: 2 } }),
      // Ended before: it no longer held a slot, and is not part of the story.
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 0.5, type: 'end', agent: 0, fate: 'ok' },
      { t: 1, type: 'spawn', agent: 1, task: 1, attempt: 0, reason: 'first' },
      { t: 1, type: 'start', agent: 1 },
      { t: 2, type: 'spawn', agent: 2, task: 2, attempt: 0, reason: 'first' },
      { t: 2, type: 'start', agent: 2 },
      { t: 3, type: 'spawn', agent: 3, task: 3, attempt: 0, reason: 'first' },
      { t: 3, type: 'start', agent: 3 },
      end(4),
    ];
    expect(story(wipLimit, trace)).toEqual([
      '1 s  agent 1 (task 1) started',
      '2 s  agent 2 (task 2) started',
      '3 s  task 3 dispatched as agent 3',
      '3 s  agent 3 (task 3) started',
      // Still running when the run ended: part of its story.
      '4 s  the run ended (completed, makespan 4 s)',
      'agent 3 (task 3) started at 3 s with 3 subagents in flight, above the WIP limit of 2',
    ]);
  });

  it('tells the records just before a violation about no subagent nor task, whatever they are', () => {
    const trace: Trace = [
      header({ tasks: 1 }),
      { t: 0, type: 'turn', context: 1200 },
      { t: 0, type: 'plan' },
      { t: 1, type: 'busy', kind: 'dispatch', start: 0 },
      { t: 1, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 1, type: 'start', agent: 0 },
      { t: 1, type: 'context', tokens: 1400 },
      { t: 10, type: 'end', agent: 0, fate: 'ok' },
      { t: 10, type: 'idle', start: 1 },
      { t: 10, type: 'deliver', agent: 0 },
      { t: 15, type: 'busy', kind: 'process', start: 10 },
      // Processing began at 10: the orchestrator cannot also have synthesized from 12.
      { t: 14, type: 'busy', kind: 'synthesize', start: 12 },
      end(15),
    ];
    const lines = story(oneThingAtATime, trace);
    // The violation (index 11) and the 8 records before it, from the spawn's busy record on.
    expect(lines).toEqual([
      '1 s   the orchestrator was busy (dispatch) from 0 s',
      '1 s   task 0 dispatched as agent 0',
      '1 s   agent 0 (task 0) started',
      '1 s   the context now holds 1,400 tokens',
      '10 s  agent 0 ended (ok)',
      '10 s  the orchestrator waited idle from 1 s',
      "10 s  agent 0's result reached the orchestrator",
      '15 s  the orchestrator was busy (process) from 10 s',
      '14 s  the orchestrator was busy (synthesize) from 12 s',
      'the orchestrator was busy with synthesize from 12 s to 14 s, overlapping its process from 10 s to 15 s: it does one thing at a time',
    ]);
  });

  it('caps a long story, keeping the stretch that led to the violation, and counts what it leaves out', () => {
    // Task 0 tried 30 times, each attempt erring and detected; the last one, having ended
    // ok, is cancelled: a cancel of a subagent no longer live.
    const records: RealRecord[] = [];
    const tries = 30;
    for (let i = 0; i < tries; i++) {
      const t = i * 10;
      records.push({
        t,
        type: 'spawn',
        agent: i,
        task: 0,
        attempt: i,
        reason: i === 0 ? 'first' : 'retry',
      });
      records.push({ t, type: 'start', agent: i });
      if (i < tries - 1) {
        records.push({ t: t + 5, type: 'end', agent: i, fate: 'error' });
        records.push({ t: t + 5, type: 'detect', agent: i, task: 0, failure: 'error' });
      }
    }
    const last = tries - 1;
    records.push({ t: 300, type: 'end', agent: last, fate: 'ok' });
    records.push({ t: 301, type: 'cancel', agent: last, reason: 'timeout' });
    const trace: Trace = [header({ tasks: 1, settings: { retries: tries } }), ...records, end(310)];
    const lines = story(cancelOnlyLive, trace);
    const events = records.length; // every record is about task 0; the run's end is not told

    // The attempts before the last, the last one's life, then the violation; what came
    // earlier (27 attempts and the dispatch of the 28th) in one line.
    expect(lines.slice(0, -1)).toEqual([
      '… 109 more events about agent 29 / task 0 …',
      '270 s  agent 27 (task 0) started',
      '275 s  agent 27 ended (error)',
      "275 s  the orchestrator detected agent 27's failure (error)",
      '280 s  task 0 dispatched again as agent 28 (attempt 29, declared a retry)',
      '280 s  agent 28 (task 0) started',
      '285 s  agent 28 ended (error)',
      "285 s  the orchestrator detected agent 28's failure (error)",
      '290 s  task 0 dispatched again as agent 29 (attempt 30, declared a retry)',
      '290 s  agent 29 (task 0) started',
      '300 s  agent 29 ended (ok)',
      '301 s  agent 29 cancelled (timeout)',
    ]);
    expect(lines.at(-1)).toBe(
      'agent 29 (task 0) was cancelled (timeout) at 301 s, but it had already ended at 300 s: a cancel applies only to a live subagent',
    );
    // Nothing lost: the lines told and the gaps' counts add up to every event.
    const told = lines.slice(0, -1).filter((l) => timeOf(l) !== undefined).length;
    const left = lines.reduce((n, l) => n + gapOf(l), 0);
    expect(told + left).toBe(events);
  });

  it('never leaves out the violation, however early in a long story', () => {
    const records: RealRecord[] = [
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0 },
      { t: 1, type: 'cancel', agent: 0, reason: 'timeout' },
      // The violation: a second cancel.
      { t: 2, type: 'cancel', agent: 0, reason: 'timeout' },
      { t: 2, type: 'detect', agent: 0, task: 0, failure: 'timeout' },
    ];
    for (let i = 1; i <= 20; i++) {
      records.push({ t: 2 + i, type: 'spawn', agent: i, task: 0, attempt: i, reason: 'retry' });
      records.push({ t: 2 + i, type: 'start', agent: i });
      records.push({ t: 2.5 + i, type: 'end', agent: i, fate: 'error' });
      records.push({ t: 2.5 + i, type: 'detect', agent: i, task: 0, failure: 'error' });
    }
    const trace: Trace = [header({ tasks: 1, settings: { retries: 20 } }), ...records, end(30)];
    const lines = story(cancelOnlyLive, trace);
    expect(lines.length).toBeLessThanOrEqual(13);
    expect(lines.slice(0, 5)).toEqual([
      '0 s  task 0 dispatched as agent 0',
      '0 s  agent 0 (task 0) started',
      '1 s  agent 0 cancelled (timeout)',
      '2 s  agent 0 cancelled (timeout)',
      "2 s  the orchestrator detected agent 0's failure (timeout)",
    ]);
    const told = lines.slice(0, -1).filter((l) => timeOf(l) !== undefined).length;
    const left = lines.reduce((n, l) => n + gapOf(l), 0);
    expect(told + left).toBe(records.length);
    expect(lines.at(-1)).toMatch(/^agent 0 \(task 0\) was cancelled \(timeout\) at 2 s/);
  });

  describe('on a simulated run with a volatile registry (frequent-compaction, seed 0)', async () => {
    // The strategy labelled async-volatile-registry, second in the file.
    const records = await simulated('frequent-compaction.yaml', 1, 0);
    const results = checkRecords(records, invariants).results;
    const violationOf = (name: string): Violation => {
      const v = results.find((r) => r.invariant === name)?.violation;
      if (v === undefined) throw new Error(`${name} was not broken`);
      return v;
    };

    it('tells the ghost: the forget, the same task dispatched again as another agent, the violation last', () => {
      const ghost = violationOf('noGhosts');
      const agent = ghost.agent!;
      const task = ghost.task!;
      const lines = storyOf(records, ghost);
      expect(lines.length).toBeLessThanOrEqual(13);
      expect(lines.at(-1)).toBe(ghost.message);
      expect(lines[0]).toMatch(new RegExp(`^\\S+ s +task ${task} dispatched as agent ${agent}$`));
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^\\S+ s +a compaction forgot agent ${agent}'s handle \\(task ${task}\\)$`),
        ),
      );
      const again = lines.find((l) => l.includes(`task ${task} dispatched again as agent `));
      expect(again).toBeDefined();
      expect(again).not.toContain(`as agent ${agent} `);
      expect(again).toContain('declared a first dispatch');
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`agent ${agent} ended \\(ok\\)$`)),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`agent ${agent}'s completion notice was dropped$`)),
      );
      // The forget comes after the start, and the re-dispatch after the forget.
      const at = (pattern: string) => lines.findIndex((l) => l.includes(pattern));
      expect(at(`agent ${agent} (task ${task}) started`)).toBeLessThan(
        at(`forgot agent ${agent}'s handle`),
      );
      expect(at(`forgot agent ${agent}'s handle`)).toBeLessThan(at('dispatched again'));
    });

    it('tells every violation in time order, ending with its message', () => {
      for (const name of ['noGhosts', 'noDuplicateSpawn']) {
        const violation = violationOf(name);
        const lines = storyOf(records, violation);
        expect(lines.at(-1)).toBe(violation.message);
        const times = lines.map(timeOf).filter((t): t is number => t !== undefined);
        expect(times.length).toBeGreaterThan(4);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times).toContain(Number(violation.t.toFixed(3)));
      }
    });
  });
});
