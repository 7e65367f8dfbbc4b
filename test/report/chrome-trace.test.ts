/** A run's trace as a Chrome trace-event file: lanes, slices, instants and counters. */
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/experiment/run-seeds.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import {
  type ChromeTraceEvent,
  chromeTraceOf,
  chromeTraceText,
  orchestratorPid,
  subagentsPid,
} from '../../src/report/chrome-trace.js';
import { loadScenario } from '../../src/scenario/load.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { header } from '../invariants/traces.js';

const world = (fate: 'ok' | 'error' | 'hang', work: number | null) => ({ fate, work });

/**
 * Two tasks, one slot: agent 0 runs from 1 to 3.5; agent 1, spawned at 2, waits for the
 * slot until 3.5 and hangs until the run ends at 10.
 */
const records: ModelTraceRecord[] = [
  header({ tasks: 2, seed: 7, settings: { wip: 1 }, context: { ...header().context, base: 500 } }),
  { t: 0, type: 'turn', context: 500 },
  { t: 1, type: 'busy', kind: 'dispatch', start: 0 },
  { t: 1, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
  { t: 1, type: 'start', agent: 0, world: world('ok', 2.5) },
  { t: 1, type: 'context', tokens: 600 },
  { t: 2, type: 'busy', kind: 'dispatch', start: 1 },
  { t: 2, type: 'spawn', agent: 1, task: 1, attempt: 0, reason: 'first' },
  { t: 2, type: 'context', tokens: 700 },
  { t: 3.5, type: 'end', agent: 0, fate: 'ok' },
  { t: 3.5, type: 'start', agent: 1, world: world('hang', null) },
  { t: 3.5, type: 'idle', start: 2 },
  { t: 3.5, type: 'deliver', agent: 0 },
  { t: 3.5, type: 'process.start', agent: 0, task: 0 },
  { t: 4, type: 'busy', kind: 'process', start: 3.5 },
  {
    t: 4,
    type: 'process.end',
    agent: 0,
    task: 0,
    caught: false,
    world: { correct: true },
  },
  { t: 4, type: 'resolve', task: 0, outcome: 'succeeded', agent: 0, world: { correct: true } },
  { t: 10, type: 'idle', start: 4 },
  { t: 10, type: 'run.end', outcome: 'deadlock', makespan: 10, deadlock: 'waits', unresolved: 1 },
];

function ofType<P extends ChromeTraceEvent['ph']>(
  events: readonly ChromeTraceEvent[],
  ph: P,
): Extract<ChromeTraceEvent, { ph: P }>[] {
  return events.filter((e): e is Extract<ChromeTraceEvent, { ph: P }> => e.ph === ph);
}

describe('chromeTraceOf', () => {
  const trace = chromeTraceOf(records);
  const slices = ofType(trace.traceEvents, 'X');
  const instants = ofType(trace.traceEvents, 'i');
  const counters = ofType(trace.traceEvents, 'C');
  const metadata = ofType(trace.traceEvents, 'M');

  it("puts the orchestrator's busy and idle intervals on its lane, in microseconds", () => {
    const lane = slices.filter((e) => e.pid === orchestratorPid);
    expect(lane.map((e) => [e.name, e.ts, e.dur])).toEqual([
      ['dispatch', 0, 1e6],
      ['dispatch', 1e6, 1e6],
      ['idle', 2e6, 1.5e6],
      ['process', 3.5e6, 0.5e6],
      ['idle', 4e6, 6e6],
    ]);
    expect(lane.every((e) => e.tid === 0)).toBe(true);
  });

  it('names the processes and one lane per agent, in spawn order', () => {
    const names = metadata
      .filter((e) => e.name === 'thread_name' || e.name === 'process_name')
      .map((e) => [e.name, e.pid, e.tid, 'name' in e.args ? e.args.name : null]);
    expect(names).toEqual([
      ['process_name', orchestratorPid, 0, 'orchestrator'],
      ['thread_name', orchestratorPid, 0, 'orchestrator'],
      ['process_name', subagentsPid, 0, 'subagents'],
      ['thread_name', subagentsPid, 0, 'agent 0 · task 0 (attempt 0)'],
      ['thread_name', subagentsPid, 1, 'agent 1 · task 1 (attempt 0)'],
    ]);
    const sort = metadata.filter((e) => e.name === 'thread_sort_index' && e.pid === subagentsPid);
    expect(sort.map((e) => [e.tid, e.args])).toEqual([
      [0, { sort_index: 0 }],
      [1, { sort_index: 1 }],
    ]);
  });

  it('gives a subagent a queued slice while it waits for a slot, then one named by its fate', () => {
    const agent1 = slices.filter((e) => e.pid === subagentsPid && e.tid === 1);
    expect(agent1.map((e) => [e.name, e.ts, e.dur])).toEqual([
      ['queued', 2e6, 1.5e6],
      ['running', 3.5e6, 6.5e6],
    ]);
    // Still running when the run ended: its slice reaches the end, marked unfinished.
    expect(agent1[1]!.args).toMatchObject({ unfinished: true, drawnFate: 'hang', task: 1 });
    const agent0 = slices.filter((e) => e.pid === subagentsPid && e.tid === 0);
    expect(agent0.map((e) => [e.name, e.ts, e.dur])).toEqual([['ok', 1e6, 2.5e6]]);
    expect(agent0[0]!.args).not.toHaveProperty('unfinished');
  });

  it('marks instants on the lanes, and the run end across the timeline', () => {
    expect(instants.map((e) => [e.name, e.pid, e.tid, e.ts, e.s])).toEqual([
      ['turn', orchestratorPid, 0, 0, 't'],
      ['deliver', subagentsPid, 0, 3.5e6, 't'],
      ['process.start', subagentsPid, 0, 3.5e6, 't'],
      ['process.end', subagentsPid, 0, 4e6, 't'],
      ['resolve succeeded', orchestratorPid, 0, 4e6, 't'],
      ['run.end', orchestratorPid, 0, 10e6, 'g'],
    ]);
  });

  it('counts subagents in flight and the context, one value per instant', () => {
    const series = (name: string) =>
      counters.filter((e) => e.name === name).map((e) => [e.ts, e.args]);
    // At 3.5 one ends and one starts: a single value, no spike to 0.
    expect(series('in flight')).toEqual([
      [0, { subagents: 0 }],
      [1e6, { subagents: 1 }],
      [3.5e6, { subagents: 1 }],
    ]);
    expect(series('context')).toEqual([
      [0, { tokens: 500 }],
      [1e6, { tokens: 600 }],
      [2e6, { tokens: 700 }],
    ]);
  });

  it('says which run it is in otherData, and the file is JSON', () => {
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.otherData).toEqual({
      source: 'dispatchlab',
      scenario: null,
      strategy: 'hand-written',
      seed: 7,
      outcome: 'deadlock',
      makespan: 10,
    });
    expect(JSON.parse(chromeTraceText(trace))).toEqual(JSON.parse(JSON.stringify(trace)));
  });

  it('ends a cancelled subagent at its cancel', () => {
    const cancelled = chromeTraceOf([
      header({ settings: { timeout: 5 } }),
      { t: 0, type: 'spawn', agent: 0, task: 0, attempt: 0, reason: 'first' },
      { t: 0, type: 'start', agent: 0, world: world('hang', null) },
      { t: 5, type: 'deadline', agent: 0 },
      { t: 5, type: 'cancel', agent: 0, reason: 'timeout' },
      { t: 5, type: 'detect', agent: 0, task: 0, failure: 'timeout' },
      { t: 5, type: 'idle', start: 0 },
      { t: 5, type: 'run.end', outcome: 'incomplete', makespan: 5, deadlock: null, unresolved: 3 },
    ]).traceEvents;
    const lane = cancelled.filter((e) => e.pid === subagentsPid && e.ph !== 'M');
    expect(lane.map((e) => [e.ph, e.name])).toEqual([
      ['C', 'in flight'],
      ['X', 'cancelled (timeout)'],
      ['i', 'deadline'],
      ['i', 'cancel'],
      ['C', 'in flight'],
    ]);
    expect(
      ofType(cancelled, 'C')
        .filter((e) => e.name === 'in flight')
        .at(-1)!.args,
    ).toEqual({
      subagents: 0,
    });
  });
});

describe('chromeTraceOf on a simulated run', async () => {
  const scenario = await loadScenario('scenarios/docs-audit.yaml');
  const run = (strategy: number) => {
    const memory = new MemoryTrace<ModelTraceRecord>();
    runOnce(scenario, scenario.strategies[strategy]!, 3, memory);
    return memory.records;
  };

  it.each([0, 1, 2])(
    'strategy %i: one lane per agent, no negative time, the same bytes twice',
    (s) => {
      const recs = run(s);
      const trace = chromeTraceOf(recs);
      const spawned = recs.filter((r) => r.type === 'spawn').map((r) => r.agent);
      const lanes = trace.traceEvents
        .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === subagentsPid)
        .map((e) => e.tid);
      expect(lanes).toEqual(spawned);
      expect(new Set(lanes).size).toBe(spawned.length);
      for (const e of trace.traceEvents) {
        if (e.ph === 'M') continue;
        expect(e.ts).toBeGreaterThanOrEqual(0);
        if (e.ph === 'X') expect(e.dur).toBeGreaterThanOrEqual(0);
      }
      // Every agent that started has a slice that is not "queued".
      const started = new Set(recs.filter((r) => r.type === 'start').map((r) => r.agent));
      const ran = new Set(
        trace.traceEvents
          .filter((e) => e.ph === 'X' && e.pid === subagentsPid && e.name !== 'queued')
          .map((e) => e.tid),
      );
      expect(ran).toEqual(started);
      // The orchestrator's busy and idle slices cover the run, as the trace's records do.
      const makespan = recs.at(-1)!.t;
      const covered = trace.traceEvents
        .filter((e) => e.ph === 'X' && e.pid === orchestratorPid)
        .reduce((sum, e) => sum + (e.ph === 'X' ? e.dur : 0), 0);
      expect(covered).toBeCloseTo(makespan * 1e6, 0);
      expect(JSON.stringify(chromeTraceOf(run(s)))).toBe(JSON.stringify(trace));
      expect(chromeTraceText(chromeTraceOf(run(s)))).toBe(chromeTraceText(trace));
    },
  );
});
