/**
 * The real-code examples against the built-in strategies they describe, seed by seed:
 * blocking fan-out with Promise.all (examples/harness/blocking-promise-all.ts) against
 * blocking(), bounded batches (batches.ts) against batch({ size }), and async with a
 * WIP-limited queue and polling (async-wip-polling.ts) against asyncDispatch with the same
 * wip, poll interval, timeout and retries. The same world and seed give both the same
 * subagents (each attempt draws from its own stream), so a run of the code and a run of
 * the model should tell the same story: this ties the fast model to real code.
 *
 * What must be equal, exactly: the outcome; the attempts spawned, in order, with the
 * reason each was spawned for; the tasks resolved, in order, and how; every count (turns,
 * spawns, retries, redispatches, failures and their detection, permissions, wrong results
 * caught); and the orchestrator's time per kind of work, a sum of the same costs.
 *
 * What may differ, and by how much: the makespan. The harness runs on a fake clock that
 * counts whole milliseconds, so what it sets a timer for is put on one:
 *  - a duration of the orchestrator's (a work call, a turn, an answer, the code's poll
 *    interval) is rounded to the nearest millisecond: it moves what follows by at most
 *    0.0005 s;
 *  - an instant of the world's (a subagent's end or permission stop, a foreground
 *    deadline) is kept unrounded, as the model has it, and its timer put on the first
 *    millisecond at or after it: it moves by less than 0.001 s. (Up, never down: the
 *    orchestrator's instants fall on whole milliseconds when its costs do, and a poll
 *    check at 290 s must not see an end due at 290.0004 s.)
 * The makespan is the end of a chain of these, so it is off by less than
 * 0.0005 s × (orchestrator durations on the path) + 0.001 s × (world instants on it). The
 * test counts every one of the run (busy intervals and poll rounds; starts, permission
 * stops and cancels), which bounds the path's, and asserts the bound on every seed.
 *
 * The limit of the comparison: two instants closer than a millisecond may still be put in
 * the other order, say two subagents' ends, or an end and an orchestrator's instant that
 * a rounded end had moved (the foreground join wakes at ends). Then the stories part (a
 * turn more, a round later). None of these seeds has such a pair, nor did any of 1,000
 * seeds per example and world tried.
 *
 * The costs here are exact in binary (0.5, 1, 2, 3, 5, 10 s). The model adds seconds as
 * floats: a cost such as 0.1 s drifts its clock by about 1e-12 s a step, and that decides
 * an exact tie (a poll round falling due the instant a dispatch ends) one way or the other
 * at random, where the harness's whole milliseconds keep it a tie. The two then part on
 * such ties, the model's float error, not the harness, being the cause.
 */
import { describe, expect, it } from 'vitest';
import {
  type AsyncWipPollingOptions,
  settings as asyncSettings,
  asyncWipPolling,
} from '../../examples/harness/async-wip-polling.js';
import { batches, settings as batchSettings } from '../../examples/harness/batches.js';
import {
  blockingPromiseAll,
  settings as blockingSettings,
} from '../../examples/harness/blocking-promise-all.js';
import {
  type HarnessSettings,
  type OrchestratorRuntime,
  runOrchestrator,
} from '../../src/harness/index.js';
import { checkRecords, invariants } from '../../src/invariants/index.js';
import { type WorldConfig, world } from '../../src/model/config.js';
import type { RunMetrics } from '../../src/model/metrics.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { LognormalDistribution } from '../../src/sim/distributions/index.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';

const seeds = Array.from({ length: 100 }, (_, i) => i);
/** The most a rounded duration of the orchestrator's moves what follows it, in seconds. */
const durationRounding = 0.0005;
/** The most an instant of the world's put on the next millisecond moves, in seconds. */
const instantRounding = 0.001;

const latency = new LognormalDistribution({ median: 60, p95: 300 });
/**
 * Every kind of trouble: errors and hangs (retried, the hangs after a timeout), permission
 * stops (answered in the foreground, denied in the background), wrong results that
 * validation catches (dispatched again).
 */
const trouble = {
  tasks: 12,
  latency,
  failures: { error: 0.2, hang: 0.1, needsPermission: 0.2 },
  quality: { base: 0.8, validation: 0.5 },
} as const;
const worlds: readonly (readonly [string, WorldConfig])[] = [
  ['zero orchestrator costs', world(trouble)],
  [
    'orchestrator costs and turns',
    world({
      ...trouble,
      orchestrator: {
        dispatch: 3,
        plan: 2,
        process: 5,
        poll: 0.5,
        answer: 3,
        synthesize: 10,
        turn: 2,
      },
    }),
  ],
];

const timeout = 400;
const retries = 2;
const asyncOptions: AsyncWipPollingOptions = { wip: 3, pollInterval: 10, timeout, retries };

interface Pair {
  readonly name: string;
  readonly strategy: Strategy;
  readonly orchestrator: (rt: OrchestratorRuntime) => Promise<unknown>;
  readonly settings: HarnessSettings;
}

const pairs: readonly Pair[] = [
  {
    name: 'blocking with Promise.all',
    strategy: blocking({ timeout, retries }),
    orchestrator: blockingPromiseAll({ timeout, retries }),
    settings: blockingSettings({ timeout, retries }),
  },
  {
    name: 'batches of 4',
    strategy: batch({ size: 4, timeout, retries }),
    orchestrator: batches({ size: 4, timeout, retries }),
    settings: batchSettings({ size: 4, timeout, retries }),
  },
  {
    name: 'async, WIP 3, polling every 10 s',
    strategy: asyncDispatch({ ...asyncOptions, continuation: 'polling' }),
    orchestrator: asyncWipPolling(asyncOptions),
    settings: asyncSettings(asyncOptions),
  },
];

/** The metrics that count things, or sum the same costs: equal, exactly. */
const exact = [
  'outcome',
  'tasks',
  'succeeded',
  'givenUp',
  'unresolved',
  'turns',
  'spawns',
  'retries',
  'redispatches',
  'failures',
  'failuresDetected',
  'undetectedFailures',
  'permissionRequests',
  'permissionsDenied',
  'wrongCaught',
  'dispatchTime',
  'planTime',
  'processTime',
  'pollTime',
  'answerTime',
  'synthesizeTime',
  'turnTime',
] as const satisfies readonly (keyof RunMetrics)[];

const pick = (m: RunMetrics) => Object.fromEntries(exact.map((k) => [k, m[k]]));

/** The attempts spawned, in order: task, attempt and why. */
const spawns = (records: readonly ModelTraceRecord[]) =>
  records.flatMap((r) => (r.type === 'spawn' ? [`${r.task}/${r.attempt} ${r.reason}`] : []));

/** The tasks resolved, in order, and how. */
const resolves = (records: readonly ModelTraceRecord[]) =>
  records.flatMap((r) => (r.type === 'resolve' ? [`${r.task} ${r.outcome}`] : []));

/** How far the fake clock's millisecond can move the makespan: see the file's comment. */
const roundingBound = (model: readonly ModelTraceRecord[]) => {
  let durations = 0;
  let instants = 0;
  for (const r of model) {
    if (r.type === 'busy' || r.type === 'poll.round') durations++;
    else if (r.type === 'start' || r.type === 'permission' || r.type === 'cancel') instants++;
  }
  return durations * durationRounding + instants * instantRounding;
};

describe.each(worlds)('with %s', (_, w) => {
  it.each(pairs)('$name makes the built-in strategy’s runs, seed by seed', async (pair) => {
    const kinds = new Set<string>();
    for (const seed of seeds) {
      const trace = new MemoryTrace<ModelTraceRecord>();
      const model = runStrategy({ world: w, strategy: pair.strategy, seed, trace });
      const code = await runOrchestrator({
        world: w,
        seed,
        orchestrator: pair.orchestrator,
        settings: pair.settings,
        label: pair.name,
      });
      const at = `seed ${seed}`;
      expect(model.metrics.outcome, at).toBe('completed');
      expect(pick(code.metrics), at).toEqual(pick(model.metrics));
      expect(spawns(code.records), at).toEqual(spawns(trace.records));
      expect(resolves(code.records), at).toEqual(resolves(trace.records));

      const bound = roundingBound(trace.records);
      const off = Math.abs(code.makespan - model.metrics.makespan);
      expect(
        off,
        `${at}: makespan ${code.makespan} against ${model.metrics.makespan}`,
      ).toBeLessThanOrEqual(bound);

      // The code's runs are correct runs: every invariant holds on their traces.
      const failed = checkRecords(code.records, invariants).results.filter(
        (r) => r.status === 'fail',
      );
      expect(failed.map((r) => `${at}: ${r.invariant}`)).toEqual([]);
      for (const r of trace.records) {
        if (r.type === 'spawn') kinds.add(r.reason);
        if (r.type === 'end' && r.fate !== 'ok') kinds.add(r.fate);
        if (r.type === 'cancel') kinds.add('cancel');
        if (r.type === 'permission') kinds.add(`permission ${r.outcome}`);
      }
    }
    // The seeds put what could part the two to the test: retries after errors and
    // timeouts, validation's redispatches, permission stops.
    for (const kind of ['retry', 'redispatch', 'error', 'cancel']) expect(kinds).toContain(kind);
    expect([...kinds].some((k) => k.startsWith('permission'))).toBe(true);
  });
});

describe('a WIP limit the runtime keeps (queueBeyondWip)', () => {
  it('holds a start beyond it as pending, unchecked, until a slot frees', async () => {
    const w = world({ tasks: 3, latency });
    const seen: string[] = [];
    const run = await runOrchestrator({
      world: w,
      seed: 1,
      settings: { wip: 1, queueBeyondWip: true, pollInterval: 10 },
      orchestrator: async (rt) => {
        const ids = [rt.start(0), rt.start(1), rt.start(2)];
        seen.push(
          rt
            .list({ status: 'pending' })
            .map((t) => t.taskId)
            .join(','),
        );
        seen.push(rt.check(ids[2]!).status);
        for (const id of ids) {
          for (;;) {
            const { status } = rt.check(id);
            if (status === 'success') break;
            await new Promise((resolve) => setTimeout(resolve, 10_000));
          }
          await rt.work('process', 0, { result: id });
        }
      },
    });
    expect(seen).toEqual(['task-1-attempt-0,task-2-attempt-0', 'pending']);
    expect(run.outcome).toBe('completed');
    // One at a time: each starts the instant the one before it ends.
    const starts = run.records.filter((r) => r.type === 'start').map((r) => r.t);
    const ends = run.records.filter((r) => r.type === 'end').map((r) => r.t);
    expect(starts.slice(1)).toEqual(ends.slice(0, 2));
    // A check of a pending subagent is no fact of the run: none names the last before it starts.
    const lastStart = run.records.find((r) => r.type === 'start' && r.agent === 2)?.t ?? 0;
    expect(lastStart).toBeGreaterThan(0);
    const early = run.records.filter((r) => r.type === 'poll' && r.agent === 2 && r.t < lastStart);
    expect(early).toEqual([]);
    expect(
      checkRecords(run.records, invariants).results.filter((r) => r.status === 'fail'),
    ).toEqual([]);
  });
});
