/**
 * Realistic bugs of orchestrator code on the polling runtime, each caught by an invariant
 * on the trace of its run and told as a story a user can follow; each fixed twin passes
 * every invariant on several seeds.
 */
import { describe, expect, it } from 'vitest';
import {
  cancelAfterFinish,
  cancelAfterFinishFixed,
  cancelAfterFinishSettings,
} from '../../examples/harness/bugs/cancel-after-finish.js';
import {
  nestedFanout,
  nestedFanoutFixed,
  nestedFanoutSettings,
} from '../../examples/harness/bugs/nested-fanout.js';
import { type HarnessRun, runOrchestrator } from '../../src/harness/index.js';
import { checkRecords, invariants } from '../../src/invariants/index.js';
import { storyOf } from '../../src/invariants/story.js';
import { world } from '../../src/model/config.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { LognormalDistribution } from '../../src/sim/distributions/index.js';

const latency = new LognormalDistribution({ median: 60, p95: 300 });
const costs = { dispatch: 1, poll: 0.5, process: 5, synthesize: 10 };
const fixedSeeds = [0, 1, 2, 3, 4, 5];

/** The invariants a run breaks, each with the story `dispatchlab check` would tell. */
function broken(run: HarnessRun<unknown>) {
  const out = new Map<string, { message: string; story: string }>();
  for (const r of checkRecords(run.records, invariants).results) {
    if (r.status !== 'fail' || r.violation === undefined) continue;
    out.set(r.invariant, {
      message: r.violation.message,
      story: storyOf(run.records, r.violation).join('\n'),
    });
  }
  return out;
}

/** Most subagents started and not yet ended nor cancelled, over the run. */
function peakInFlight(records: readonly ModelTraceRecord[]): number {
  const holding = new Set<number>();
  let peak = 0;
  for (const r of records) {
    if (r.type === 'start') peak = Math.max(peak, holding.add(r.agent).size);
    else if (r.type === 'end' || r.type === 'cancel') holding.delete(r.agent);
  }
  return peak;
}

describe('nested fan-outs, each limited to 3', () => {
  const w = world({ tasks: 12, latency, failures: { error: 0.1 }, orchestrator: costs });
  const options = { sections: 2, limit: 3, pollEvery: 10, retries: 1 };
  const settings = nestedFanoutSettings(options);

  it('run 6 subagents at once, and the WIP invariant catches it', async () => {
    const run = await runOrchestrator({
      world: w,
      seed: 1,
      orchestrator: nestedFanout(options),
      settings,
      label: 'nested-fanout',
    });
    expect(run.outcome).toBe('completed');
    expect(peakInFlight(run.records)).toBe(6);
    const v = broken(run);
    expect([...v.keys()]).toEqual(['wipLimit']);
    const { message, story } = v.get('wipLimit')!;
    // The first subagent of the second section is the one over the limit.
    expect(message).toBe(
      'agent 3 (task 6) started at 4 s with 4 subagents in flight, above the WIP limit of 3',
    );
    // The story names the three already holding a slot, then the one that broke the limit.
    expect(story).toMatch(
      /^1 s +agent 0 \(task 0\) started\n2 s +agent 1 \(task 1\) started\n3 s +agent 2 \(task 2\) started\n4 s +task 6 dispatched as agent 3\n4 s +agent 3 \(task 6\) started\n/,
    );
    expect(story.split('\n').at(-1)).toBe(message);
  });

  it('keep to 3 with one limiter for the whole run, on every seed', async () => {
    for (const seed of fixedSeeds) {
      const run = await runOrchestrator({
        world: w,
        seed,
        orchestrator: nestedFanoutFixed(options),
        settings,
      });
      expect(run.outcome, `seed ${seed}`).toBe('completed');
      expect(peakInFlight(run.records), `seed ${seed}`).toBe(3);
      expect([...broken(run).keys()], `seed ${seed}`).toEqual([]);
      const wip = checkRecords(run.records, invariants).results.find(
        (r) => r.invariant === 'wipLimit',
      );
      expect(wip?.status, `seed ${seed}`).toBe('pass');
    }
  });
});

describe('a deadline that cancels without checking first', () => {
  const w = world({
    tasks: 8,
    latency,
    failures: { error: 0.1, hang: 0.1 },
    orchestrator: costs,
  });
  const options = { budget: 300, pollEvery: 60 };
  const settings = cancelAfterFinishSettings(options);

  it('cancels a subagent that had finished, and the cancel-only-live invariant catches it', async () => {
    const run = await runOrchestrator({
      world: w,
      // On this seed task 3 ends at 265.7 s, after the last poll round and before the deadline.
      seed: 1,
      orchestrator: cancelAfterFinish(options),
      settings,
      label: 'cancel-after-finish',
    });
    expect(run.outcome).toBe('completed');
    const v = broken(run);
    expect(v.has('cancelOnlyLive')).toBe(true);
    const { message, story } = v.get('cancelOnlyLive')!;
    expect(message).toBe(
      'agent 3 (task 3) was cancelled (timeout) at 300 s, but it had already ended at 265.701 s: a cancel applies only to a live subagent',
    );
    // The story: it ran, finished with a result, was cancelled at the deadline, and its task
    // was given up; the result never reached the orchestrator.
    expect(story).toMatch(
      /agent 3 \(task 3\) started\n265\.70\d s +agent 3 ended \(ok\)\n300 s +agent 3 cancelled \(timeout\)\n300 s +task 3 given up after 1 attempt\n/,
    );
    expect(story).not.toMatch(/agent 3's result reached the orchestrator/);
    // The cancel is a failure nobody detects, either: the result is lost without a word.
    expect(v.get('failuresDetected')?.message).toBe(
      'agent 3 was cancelled at 300 s and was never detected',
    );
    expect(run.value).not.toContain('task-3-attempt-0');
  });

  it('reads the finished straggler and cancels only the running ones, once fixed, on every seed', async () => {
    let liveCancels = 0;
    for (const seed of fixedSeeds) {
      const run = await runOrchestrator({
        world: w,
        seed,
        orchestrator: cancelAfterFinishFixed(options),
        settings,
      });
      expect(run.outcome, `seed ${seed}`).toBe('completed');
      expect([...broken(run).keys()], `seed ${seed}`).toEqual([]);
      if (seed === 1) expect(run.value).toContain('task-3-attempt-0');
      const cancels = checkRecords(run.records, invariants).results.find(
        (r) => r.invariant === 'cancelOnlyLive',
      );
      if (cancels?.status === 'pass') liveCancels += cancels.occasions;
    }
    // The seeds put the fix to the test: it cancelled stragglers still running at the deadline.
    expect(liveCancels).toBeGreaterThan(0);
  });
});
