/**
 * The real-code harness: example orchestrators in plain async TypeScript, run on
 * simulated time against the scenario's subagents, judged by the invariants on their trace.
 */
import { describe, expect, it } from 'vitest';
import { blockingPolling } from '../../examples/harness/blocking-polling.js';
import { finalAnswerEarly } from '../../examples/harness/final-answer-early.js';
import { HarnessRunawayError, harnessJsonl, runOrchestrator } from '../../src/harness/index.js';
import { checkRecords, invariants } from '../../src/invariants/index.js';
import { world } from '../../src/model/config.js';
import { runStrategy } from '../../src/model/run.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { traceRecordSchema } from '../../src/model/trace-schema.js';
import { LognormalDistribution } from '../../src/sim/distributions/index.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { blocking } from '../../src/strategies/blocking.js';

const latency = new LognormalDistribution({ median: 60, p95: 300 });
/** Failures of every kind, and costs for the orchestrator's own work. */
const rough = world({
  tasks: 12,
  latency,
  failures: { error: 0.15, hang: 0.1, needsPermission: 0.1 },
  orchestrator: { dispatch: 1, poll: 0.5, process: 5, synthesize: 10 },
});
const settings = { wip: null, timeout: 600, retries: 0, pollInterval: 10 };

const verdicts = (records: readonly ModelTraceRecord[]) =>
  Object.fromEntries(checkRecords(records, invariants).results.map((r) => [r.invariant, r]));

describe('runOrchestrator', () => {
  it('runs the blocking polling example to a trace that passes every invariant', async () => {
    const types = new Set<string>();
    for (const seed of [0, 1, 2, 3]) {
      const run = await runOrchestrator({
        world: rough,
        seed,
        orchestrator: blockingPolling(10),
        settings,
        label: 'blocking-polling',
      });
      expect(run.outcome).toBe('completed');
      for (const r of run.records) expect(traceRecordSchema.safeParse(r).success).toBe(true);
      const failed = checkRecords(run.records, invariants).results.filter(
        (r) => r.status === 'fail',
      );
      expect(failed.map((r) => `${r.invariant}: ${r.violation?.message}`)).toEqual([]);
      for (const r of run.records) types.add(r.type);
      expect(run.records.at(-1)).toMatchObject({ type: 'run.end', makespan: run.makespan });
    }
    // The seeds put every fact of a polling run to the test: errors, timeouts, denials.
    for (const type of [
      'end',
      'cancel',
      'poll',
      'deliver',
      'detect',
      'permission',
      'idle',
      'busy',
    ]) {
      expect(types, type).toContain(type);
    }
  });

  it('is deterministic: the same seed gives the same bytes', async () => {
    const once = () =>
      runOrchestrator({ world: rough, seed: 7, orchestrator: blockingPolling(10), settings });
    const [a, b] = [await once(), await once()];
    expect(harnessJsonl(a.records)).toBe(harnessJsonl(b.records));
    expect(harnessJsonl(a.records).length).toBeGreaterThan(1000);
  });

  it('catches the final answer written before the last result was read', async () => {
    const w = world({ tasks: 12, latency, orchestrator: { process: 5, synthesize: 10 } });
    const run = await runOrchestrator({
      world: w,
      // On this seed the last two results arrive in the same poll round.
      seed: 0,
      orchestrator: finalAnswerEarly(60),
      settings: { pollInterval: 60 },
    });
    expect(run.outcome).toBe('incomplete');
    const v = verdicts(run.records);
    expect(v.runEnds?.status).toBe('fail');
    expect(v.runEnds?.violation?.message).toMatch(
      /did not complete: .* returned at \d+ s with 1 task unresolved \(task \d+\)/,
    );
    // The same world and seed, with every result processed before the answer, pass.
    const fixed = await runOrchestrator({
      world: w,
      seed: 0,
      orchestrator: blockingPolling(60),
      settings: { pollInterval: 60 },
    });
    expect(fixed.outcome).toBe('completed');
    expect(verdicts(fixed.records).runEnds?.status).toBe('pass');
  });

  it('reports a deadlock, naming what is pending', async () => {
    const run = await runOrchestrator({
      world: world({ tasks: 2, latency }),
      seed: 0,
      orchestrator: async (rt) => {
        rt.start(0);
        await new Promise<void>(() => {}); // a monitor that nothing ever wakes
      },
    });
    expect(run.outcome).toBe('deadlock');
    expect(run.deadlock).toMatch(/^the orchestrator is still waiting/);
    expect(run.deadlock).toMatch(
      /subagent 0 \(task-0-attempt-0\) ended \(ok\) and the code was never told/,
    );
    expect(run.deadlock).toMatch(/tasks never resolved: 0, 1/);
    expect(verdicts(run.records).runEnds?.status).toBe('fail');
    expect(typeof Date.now()).toBe('number');
    expect(Date.now()).toBeGreaterThan(1e12); // the real clock is back
  });

  it('stops a runaway loop, naming the hang it polls forever', async () => {
    const run = await runOrchestrator({
      world: world({ tasks: 1, latency, failures: { hang: 1 } }),
      seed: 0,
      orchestrator: async (rt) => {
        const id = rt.start(0);
        while (rt.check(id).status === 'running') await new Promise((r) => setTimeout(r, 1000));
      },
      maxSteps: 500,
    }).catch((e: unknown) => e);
    expect(run).toBeInstanceOf(HarnessRunawayError);
    expect((run as Error).message).toMatch(
      /runaway: 500 timers fired by 500 s .*subagent 0 \(task-0-attempt-0\) hangs since 0 s/,
    );
  });

  it("records nothing after the run ends: leftover continuations are not the run's", async () => {
    let leftover = false;
    const run = await runOrchestrator({
      world: world({ tasks: 1, latency }),
      seed: 0,
      orchestrator: async (rt) => {
        const id = rt.start(0);
        // Still running when the orchestrator returns: a check and a cancel, a few
        // microtasks after the return, at the same instant.
        void (async () => {
          for (let i = 0; i < 5; i++) await null;
          rt.check(id);
          rt.cancel(id);
          leftover = true;
        })();
        rt.giveUp(0);
      },
    });
    expect(leftover).toBe(true);
    expect(run.records.at(-1)?.type).toBe('run.end');
    expect(run.records.filter((r) => r.type === 'cancel' || r.type === 'poll')).toEqual([]);
  });

  it('hands an orchestrator error back and restores the real clock', async () => {
    await expect(
      runOrchestrator({
        world: world({ tasks: 1, latency }),
        seed: 0,
        orchestrator: async () => {
          await new Promise((r) => setTimeout(r, 5000));
          throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    expect(Date.now()).toBeGreaterThan(1e12);
  });
});

describe('cross-validation with the model', () => {
  // fake-timers counts whole milliseconds: a latency is rounded to the nearest one.
  const tolerance = 0.001;

  it('gives each attempt the latency and fate the model gives it on the same seed', async () => {
    const w = world({ tasks: 10, latency, failures: { error: 0.2 } });
    for (const seed of [0, 1, 2, 3, 4]) {
      const model = new MemoryTrace<ModelTraceRecord>();
      runStrategy({ world: w, strategy: blocking(), seed, trace: model });
      const run = await runOrchestrator({ world: w, seed, orchestrator: blockingPolling(5) });
      const lives = (records: readonly ModelTraceRecord[]) => {
        const byAgent = new Map<number, { key: string; start: number }>();
        const out = new Map<string, { latency: number; fate: string }>();
        for (const r of records) {
          if (r.type === 'spawn') byAgent.set(r.agent, { key: `${r.task}/${r.attempt}`, start: 0 });
          if (r.type === 'start') byAgent.get(r.agent)!.start = r.t;
          if (r.type === 'end') {
            const a = byAgent.get(r.agent)!;
            out.set(a.key, { latency: r.t - a.start, fate: r.fate });
          }
        }
        return out;
      };
      const expected = lives(model.records);
      const actual = lives(run.records);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [key, { latency: l, fate }] of expected) {
        const got = actual.get(key)!;
        expect(got.fate, key).toBe(fate);
        expect(Math.abs(got.latency - l), key).toBeLessThanOrEqual(tolerance);
      }
      // With no orchestrator costs and a 5 s poll, the makespan is the last end, within a poll.
      const lastEnd = Math.max(...run.records.filter((r) => r.type === 'end').map((r) => r.t));
      expect(run.makespan).toBeGreaterThanOrEqual(lastEnd);
      expect(run.makespan - lastEnd).toBeLessThanOrEqual(5);
      expect(Math.abs(lastEnd - model.records.at(-1)!.t)).toBeLessThanOrEqual(tolerance);
    }
  });
});
