/**
 * The events runtime of the harness: spawn, one stream of events read with `for await`,
 * cancel by handle; when the code receives what; an async orchestrator written on it; and
 * two bugs of event-driven code, each caught by an invariant, beside its fixed twin.
 */
import { describe, expect, it } from 'vitest';
import { asyncEvents, asyncEventsSettings } from '../../examples/harness/async-events.js';
import {
  droppedSameTick,
  droppedSameTickFixed,
  droppedSameTickSettings,
} from '../../examples/harness/bugs/dropped-same-tick.js';
import {
  neverWoken,
  neverWokenFixed,
  neverWokenSettings,
} from '../../examples/harness/bugs/never-woken.js';
import {
  type HarnessRun,
  HarnessUsageError,
  harnessJsonl,
  type OrchestratorRuntime,
  runOrchestrator,
  type SubagentEvent,
} from '../../src/harness/index.js';
import { checkRecords, invariants } from '../../src/invariants/index.js';
import { type WorldConfig, world } from '../../src/model/config.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { traceRecordSchema } from '../../src/model/trace-schema.js';
import { FixedDistribution, LognormalDistribution } from '../../src/sim/distributions/index.js';

const sleep = (seconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/** Every subagent works exactly 10 s; the orchestrator's work costs nothing unless asked. */
const tenSeconds = new FixedDistribution({ value: 10 });
const fixedWorld = (tasks: number, more: Partial<Parameters<typeof world>[0]> = {}) =>
  world({ tasks, latency: tenSeconds, ...more });

/** Runs `orchestrator` on `w`, seed 0, declaring events. */
const run = <R>(w: WorldConfig, orchestrator: (rt: OrchestratorRuntime) => Promise<R>) =>
  runOrchestrator({ world: w, seed: 0, orchestrator, settings: {} });

const at = (records: readonly ModelTraceRecord[], type: string) =>
  records.filter((r) => r.type === type).map((r) => ('agent' in r ? [r.t, r.agent] : [r.t]));

const failures = (r: HarnessRun<unknown>) =>
  checkRecords(r.records, invariants)
    .results.filter((v) => v.status === 'fail')
    .map((v) => `${v.invariant}: ${v.violation?.message}`);

/** Reads `n` events from one reader, processing each result (its `process` cost) as it comes. */
async function readAndProcess(rt: OrchestratorRuntime, n: number): Promise<SubagentEvent[]> {
  const got: SubagentEvent[] = [];
  for await (const event of rt.events()) {
    got.push(event);
    if (event.type === 'completed') {
      await rt.work('process', rt.costs.process, { result: event.handle.id });
    }
    if (got.length === n) break;
  }
  return got;
}

describe('the event stream', () => {
  it('hands a handle at spawn and each end as an event, in end order', async () => {
    const r = await run(fixedWorld(3), async (rt) => {
      const handles = [0, 1, 2].map((task) => rt.spawn(task));
      expect(handles[1]).toEqual({ id: 'task-1-attempt-0', task: 1, attempt: 0 });
      return readAndProcess(rt, 3);
    });
    expect(r.outcome).toBe('completed');
    // Three ends of one instant: all received, in end order, each with its result.
    expect(r.value).toEqual(
      [0, 1, 2].map((task) => ({
        type: 'completed',
        handle: { id: `task-${task}-attempt-0`, task, attempt: 0 },
        at: 10,
        result: `result of task ${task} (attempt 0)`,
      })),
    );
    expect(JSON.parse(JSON.stringify(r.value))).toEqual(r.value); // JSON-like
    for (const record of r.records) expect(traceRecordSchema.safeParse(record).success).toBe(true);
    expect(failures(r)).toEqual([]);
  });

  it('delivers a result when the code reads it, not when the subagent ends', async () => {
    // The three end at 10 s; the reader takes the first then, and the others after
    // processing each result before them (5 s each).
    const busy = await run(fixedWorld(3, { orchestrator: { process: 5 } }), async (rt) => {
      for (const task of [0, 1, 2]) rt.spawn(task);
      return readAndProcess(rt, 3);
    });
    expect(at(busy.records, 'end')).toEqual([
      [10, 0],
      [10, 1],
      [10, 2],
    ]);
    expect(at(busy.records, 'deliver')).toEqual([
      [10, 0],
      [15, 1],
      [20, 2],
    ]);
    expect(busy.value?.map((e) => e.at)).toEqual([10, 10, 10]);
    // A reader that starts late receives what waited for it when it asks.
    const late = await run(fixedWorld(1), async (rt) => {
      rt.spawn(0);
      await sleep(30);
      return readAndProcess(rt, 1);
    });
    expect(at(late.records, 'deliver')).toEqual([[30, 0]]);
    expect(late.value?.[0]).toMatchObject({ type: 'completed', at: 10 });
  });

  it('gives each event to one reader when two read at once', async () => {
    // Dispatch costs 1 s: the subagents end at 11, 12, 13 and 14 s.
    const r = await run(fixedWorld(4, { orchestrator: { dispatch: 1 } }), async (rt) => {
      const readers = [rt.events(), rt.events()];
      const got: string[][] = [[], []];
      let seen = 0;
      const loops = readers.map(async (reader, i) => {
        for await (const event of reader) {
          got[i]!.push(event.handle.id);
          await rt.work('process', 0, { result: event.handle.id });
          // The last event read: stop both readers; the other's waiting next() settles done.
          if (++seen === rt.tasks) for (const each of readers) await each.return();
        }
      });
      for (let task = 0; task < rt.tasks; task++) {
        await rt.work('dispatch', rt.costs.dispatch);
        rt.spawn(task);
      }
      await Promise.all(loops);
      return got;
    });
    // Whoever asked first gets the next event: the two loops take turns.
    expect(r.value).toEqual([
      ['task-0-attempt-0', 'task-2-attempt-0'],
      ['task-1-attempt-0', 'task-3-attempt-0'],
    ]);
    expect(at(r.records, 'deliver')).toEqual([
      [11, 0],
      [12, 1],
      [13, 2],
      [14, 3],
    ]);
    expect(failures(r)).toEqual([]);
  });

  it('keeps what a reader left behind for the next one', async () => {
    const r = await run(fixedWorld(3, { orchestrator: { dispatch: 1 } }), async (rt) => {
      for (let task = 0; task < rt.tasks; task++) {
        await rt.work('dispatch', rt.costs.dispatch);
        rt.spawn(task);
      }
      const first = await readAndProcess(rt, 1); // `break` after one: return() is called
      await sleep(20 - Date.now() / 1000);
      const rest = await readAndProcess(rt, 2);
      return [...first, ...rest].map((e) => e.handle.task);
    });
    expect(r.value).toEqual([0, 1, 2]);
    expect(at(r.records, 'end')).toEqual([
      [11, 0],
      [12, 1],
      [13, 2],
    ]);
    expect(at(r.records, 'deliver')).toEqual([
      [11, 0],
      [20, 1],
      [20, 2],
    ]);
    expect(failures(r)).toEqual([]);
  });

  it('settles a waiting next() as done when its reader is stopped', async () => {
    const r = await run(fixedWorld(1), async (rt) => {
      rt.spawn(0);
      const reader = rt.events();
      const waiting = reader.next();
      await sleep(1);
      await reader.return();
      const settled = await waiting;
      // Stopped, the reader reads nothing more; the event waits for another reader.
      const after = await reader.next();
      const event = await rt.events().next();
      if (!event.done) await rt.work('process', 0, { result: event.value.handle.id });
      return { settled, after, event: event.value?.type };
    });
    expect(r.value).toEqual({
      settled: { done: true, value: undefined },
      after: { done: true, value: undefined },
      event: 'completed',
    });
    expect(at(r.records, 'deliver')).toEqual([[10, 0]]);
  });

  it('gives code that never reads no result, and the deadlock names what ended unheard', async () => {
    const r = await run(fixedWorld(2), async (rt) => {
      rt.spawn(0);
      rt.spawn(1);
      await new Promise<void>(() => {}); // waits on nothing that the events wake
    });
    expect(r.outcome).toBe('deadlock');
    expect(at(r.records, 'deliver')).toEqual([]);
    expect(r.deadlock).toMatch(/^the orchestrator is still waiting/);
    expect(r.makespan).toBe(10);
    expect(r.deadlock).toMatch(
      /subagent 0 \(task-0-attempt-0\) ended \(ok\) and the code was never told; subagent 1 \(task-1-attempt-0\) ended \(ok\)/,
    );
  });

  it('reports a denied permission as progress, and the subagent carries on', async () => {
    const w = fixedWorld(2, { failures: { needsPermission: 1 } });
    const r = await run(w, async (rt) => {
      rt.spawn(0, { permissions: ['Read', 'Grep'] });
      rt.spawn(1);
      return readAndProcess(rt, 4);
    });
    const events = r.value ?? [];
    expect(events.map((e) => `${e.type} ${e.handle.task}`)).toEqual([
      expect.stringMatching(/^progress [01]$/),
      expect.stringMatching(/^progress [01]$/),
      'completed 0',
      'completed 1',
    ]);
    const progress = events.find((e) => e.type === 'progress');
    expect(progress).toMatchObject({
      message: expect.stringMatching(/needed a tool it was not granted; denied, it carries on/),
    });
    const denials = r.records.filter((x) => x.type === 'permission');
    expect(denials.map((x) => [x.t, 'outcome' in x && x.outcome])).toEqual(
      events.filter((e) => e.type === 'progress').map((e) => [e.at, 'denied']),
    );
    expect(failures(r)).toEqual([]);
  });

  it('reports an error as a failed event, detected when read', async () => {
    const r = await run(fixedWorld(1, { failures: { error: 1 } }), async (rt) => {
      const handle = rt.spawn(0);
      expect(() => rt.check(handle.id)).toThrow(HarnessUsageError);
      await sleep(15);
      const event = await rt.events().next();
      rt.giveUp(0);
      return event.value;
    });
    expect(r.value).toEqual({
      type: 'failed',
      handle: { id: 'task-0-attempt-0', task: 0, attempt: 0 },
      at: 10,
      error: 'task 0 (attempt 0) failed',
    });
    const detect = r.records.find((x) => x.type === 'detect');
    expect(detect).toMatchObject({ t: 15, agent: 0, failure: 'error' });
    expect(r.metrics.detectionLatency).toBe(5);
    expect(r.outcome).toBe('completed');
  });

  it('refuses a spawn with permissions that are not a list of names', async () => {
    const r = run(fixedWorld(1), async (rt) => {
      rt.spawn(0, { permissions: 'Read' as unknown as string[] });
    });
    await expect(r).rejects.toThrow(/permissions is a list of tool names/);
  });
});

describe('cancel', () => {
  it('stops a running subagent by its handle; no event follows', async () => {
    const r = await run(fixedWorld(2), async (rt) => {
      const first = rt.spawn(0);
      await sleep(15);
      const second = rt.spawn(1);
      const cancels = [rt.cancel(second), rt.cancel(second.id), rt.cancel(first)];
      const reader = rt.events();
      const event = await reader.next();
      if (!event.done) await rt.work('process', 0, { result: event.value.handle.id });
      // Past the instant the cancelled one would have ended: nothing more comes.
      const waiting = reader.next();
      await sleep(30);
      await reader.return();
      rt.giveUp(1);
      return { cancels, event: event.value?.handle.id, rest: await waiting };
    });
    expect(r.value).toEqual({
      // The ended one is not cancelled, though its event was unread: it is still to come.
      cancels: [true, false, false],
      event: 'task-0-attempt-0',
      rest: { done: true, value: undefined },
    });
    expect(r.records.filter((x) => x.type === 'cancel' || x.type === 'detect')).toEqual([
      { t: 15, type: 'cancel', agent: 1, reason: 'timeout' },
      { t: 15, type: 'detect', agent: 1, task: 1, failure: 'timeout' },
    ]);
    expect(failures(r)).toEqual([]);
  });

  it('still cancels a polling id, the polling way', async () => {
    const r = await run(fixedWorld(1), async (rt) => {
      const id = rt.start(0);
      await sleep(15);
      const cancelled = rt.cancel(id); // ended unchecked: recorded, and its result lost
      rt.giveUp(0);
      return cancelled;
    });
    expect(r.value).toBe(true);
    expect(r.records.find((x) => x.type === 'cancel')).toMatchObject({ t: 15, agent: 0 });
  });
});

describe('an async orchestrator on events (examples/harness/async-events.ts)', () => {
  const latency = new LognormalDistribution({ median: 60, p95: 300 });
  /** Errors, hangs and denied permissions; the orchestrator's work and turns cost time. */
  const rough = world({
    tasks: 12,
    latency,
    failures: { error: 0.15, hang: 0.1, needsPermission: 0.1 },
    orchestrator: { dispatch: 1, process: 5, synthesize: 10, turn: 2 },
  });
  const options = { wip: 4, timeout: 300, retries: 2 };
  const settings = asyncEventsSettings(options);

  it('passes every invariant, within its WIP limit, timing out hangs and retrying', async () => {
    const types = new Set<string>();
    let denied = 0;
    let givenUp = 0;
    // Seeds 3 and 6 time a subagent out where start + timeout, summed in floating point,
    // is not the millisecond the timer fires at: the invariant takes them as one instant.
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const r = await runOrchestrator({
        world: rough,
        seed,
        orchestrator: asyncEvents(options),
        settings,
        label: 'async-events',
      });
      expect(r.outcome).toBe('completed');
      expect(failures(r), `seed ${seed}`).toEqual([]);
      const value = r.value!;
      expect([...value.succeeded, ...value.givenUp].sort((a, b) => a - b)).toEqual(
        Array.from({ length: rough.tasks.count }, (_, task) => task),
      );
      denied += value.denied;
      givenUp += value.givenUp.length;
      for (const record of r.records) types.add(record.type);
      expect(r.records[0]).toMatchObject({
        settings: { wip: 4, timeout: 300, retries: 2, continuation: 'events' },
      });
    }
    // The seeds put the example to the test: hangs cancelled, errors retried, tasks given
    // up, denials reported.
    for (const type of ['cancel', 'detect', 'permission', 'deliver', 'turn', 'idle']) {
      expect(types, type).toContain(type);
    }
    expect(denied).toBeGreaterThan(0);
    expect(givenUp).toBeGreaterThan(0);
  });

  it('is deterministic: the same seed gives the same bytes', async () => {
    const once = () =>
      runOrchestrator({ world: rough, seed: 7, orchestrator: asyncEvents(options), settings });
    const [a, b] = [await once(), await once()];
    expect(harnessJsonl(a.records)).toBe(harnessJsonl(b.records));
    expect(harnessJsonl(a.records).length).toBeGreaterThan(1000);
  });

  it('refills a slot the moment a subagent ends while it waits', async () => {
    // wip 1, nothing costs time: each spawn is at the previous end.
    const w = fixedWorld(3);
    const r = await runOrchestrator({
      world: w,
      seed: 0,
      orchestrator: asyncEvents({ wip: 1, timeout: 60, retries: 0 }),
      settings: asyncEventsSettings({ wip: 1, timeout: 60, retries: 0 }),
    });
    expect(at(r.records, 'spawn')).toEqual([
      [0, 0],
      [10, 1],
      [20, 2],
    ]);
    expect(r.makespan).toBe(30);
    expect(failures(r)).toEqual([]);
  });
});

describe('bugs of event-driven code', () => {
  const verdicts = (r: HarnessRun<unknown>) =>
    new Map(checkRecords(r.records, invariants).results.map((v) => [v.invariant, v]));

  describe('events coalesced into one slot per tick (bugs/dropped-same-tick.ts)', () => {
    // Nothing to pay for a dispatch: both subagents start together and, working exactly
    // 60 s, end in the same millisecond.
    const w = world({
      tasks: 2,
      latency: new FixedDistribution({ value: 60 }),
      orchestrator: { process: 5, synthesize: 10, turn: 2 },
    });
    const options = { budget: 600 };

    it('drops the first of two ends of one tick, and noGhosts catches it', async () => {
      const r = await runOrchestrator({
        world: w,
        seed: 0,
        orchestrator: droppedSameTick(options),
        settings: droppedSameTickSettings(),
      });
      expect(at(r.records, 'end')).toEqual([
        [62, 0],
        [62, 1],
      ]);
      // Both were received; only the second was processed, and task 0 given up at the budget.
      expect(at(r.records, 'deliver')).toEqual([
        [62, 0],
        [62, 1],
      ]);
      expect(r.value).toEqual([1]);
      expect(r.outcome).toBe('completed');
      expect(failures(r)).toEqual([
        'noGhosts: agent 0 (task 0) ended at 62 s and its result, delivered at 62 s, was never processed: a ghost',
      ]);
    });

    it('keeps both with the latest event of each subagent', async () => {
      const r = await runOrchestrator({
        world: w,
        seed: 0,
        orchestrator: droppedSameTickFixed(options),
        settings: droppedSameTickSettings(),
      });
      expect(r.value).toEqual([0, 1]);
      expect(failures(r)).toEqual([]);
    });

    it('is a bug of ends that share a tick: the buggy code passes when none do', async () => {
      const spread = world({
        tasks: 8,
        latency: new LognormalDistribution({ median: 60, p95: 300 }),
        failures: { error: 0.1, needsPermission: 0.2 },
        orchestrator: { dispatch: 1, process: 5, synthesize: 10, turn: 2 },
      });
      for (const seed of [0, 1, 2, 3]) {
        for (const orchestrator of [droppedSameTick, droppedSameTickFixed]) {
          const r = await runOrchestrator({
            world: spread,
            seed,
            orchestrator: orchestrator({ budget: 3600 }),
            settings: droppedSameTickSettings(),
          });
          expect(failures(r), `${orchestrator.name}, seed ${seed}`).toEqual([]);
        }
      }
    });
  });

  describe('a timeout that does not wake the loop (bugs/never-woken.ts)', () => {
    const w = world({
      tasks: 4,
      latency: new LognormalDistribution({ median: 60, p95: 300 }),
      failures: { hang: 0.25 },
      orchestrator: { dispatch: 1, process: 5, synthesize: 10, turn: 2 },
    });
    const options = { timeout: 300, retries: 1 };
    const settings = neverWokenSettings(options);

    it('deadlocks when the hung subagent was the last one out, and runEnds catches it', async () => {
      // Seed 0: task 2 hangs from 5 s; the others are back long before its deadline.
      const r = await runOrchestrator({
        world: w,
        seed: 0,
        orchestrator: neverWoken(options),
        settings,
      });
      expect(r.outcome).toBe('deadlock');
      expect(r.deadlock).toBe(
        'the orchestrator is still waiting, no timer is pending and no subagent will end; pending: tasks never resolved: 2',
      );
      // The timeout was detected: the retry is what never came.
      expect(r.records.filter((x) => x.t === 305).map((x) => x.type)).toEqual([
        'cancel',
        'detect',
        'run.end',
      ]);
      const v = verdicts(r);
      expect(v.get('runEnds')?.status).toBe('fail');
      expect(v.get('runEnds')?.violation?.message).toMatch(
        /^the run did not end: it deadlocked at 305 s/,
      );
      expect(failures(r)).toHaveLength(1);
    });

    it('retries and finishes when the timer wakes the loop', async () => {
      let retried = 0;
      for (const seed of [0, 1, 2, 3, 4, 5]) {
        const r = await runOrchestrator({
          world: w,
          seed,
          orchestrator: neverWokenFixed(options),
          settings,
        });
        expect(r.outcome, `seed ${seed}`).toBe('completed');
        expect(failures(r), `seed ${seed}`).toEqual([]);
        retried += r.records.filter((x) => x.type === 'spawn' && x.reason === 'retry').length;
      }
      expect(retried).toBeGreaterThan(0);
    });
  });
});

describe('the async events example without a timeout', () => {
  it('arms no timer: nothing is cancelled, every subagent ends by itself', async () => {
    const options = { wip: 4, timeout: Number.POSITIVE_INFINITY, retries: 1 };
    const run = await runOrchestrator({
      world: world({ tasks: 12, latency: new LognormalDistribution({ median: 60, p95: 300 }) }),
      seed: 0,
      orchestrator: asyncEvents(options),
      settings: asyncEventsSettings(options),
    });
    expect(run.outcome).toBe('completed');
    expect(run.records.filter((r) => r.type === 'cancel')).toEqual([]);
    expect(run.records.filter((r) => r.type === 'end')).toHaveLength(12);
    expect(run.records[0]).toMatchObject({ settings: { timeout: null } });
  });
});
