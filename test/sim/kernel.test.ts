import { describe, expect, it } from 'vitest';
import {
  DeadlockError,
  Interrupt,
  ProcessCancelled,
  ProcessError,
  type ProcessGenerator,
  RunawayError,
  Simulation,
  SimulationError,
} from '../../src/sim/index.js';

describe('clock and ordering', () => {
  it('advances time to each hold and returns process values', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const p = sim.process(
      (function* () {
        yield 1.5;
        seen.push(sim.now);
        yield 0;
        seen.push(sim.now);
        yield 2;
        seen.push(sim.now);
        return 'done';
      })(),
    );
    const result = sim.run();
    expect(seen).toEqual([1.5, 1.5, 3.5]);
    expect(result).toMatchObject({ reason: 'empty', now: 3.5 });
    expect(p.value).toBe('done');
  });

  it('runs processes started at the same instant in creation order', () => {
    const sim = new Simulation();
    const order: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      sim.process(
        (function* () {
          order.push(`${name}@0`);
          yield 5;
          order.push(`${name}@5`);
        })(),
        { name },
      );
    }
    sim.run();
    expect(order).toEqual(['a@0', 'b@0', 'c@0', 'd@0', 'a@5', 'b@5', 'c@5', 'd@5']);
  });

  it('fires same-time timeouts in creation order and resumes waiters in waiting order', () => {
    const sim = new Simulation();
    const order: string[] = [];
    const late = sim.timeout(3, 'late');
    const early = sim.timeout(3, 'early-created-second');
    late.onProcessed(() => order.push('late'));
    early.onProcessed(() => order.push('second'));
    const gate = sim.event<number>('gate');
    for (const name of ['w1', 'w2', 'w3']) {
      sim.process(
        (function* () {
          const v = yield* gate;
          order.push(`${name}:${v}`);
        })(),
        { name },
      );
    }
    sim.schedule(1, () => gate.succeed(7));
    sim.run();
    expect(order).toEqual(['w1:7', 'w2:7', 'w3:7', 'late', 'second']);
  });

  it('lets a process wait on another and receive its typed result', () => {
    const sim = new Simulation();
    const child = sim.process(
      (function* () {
        yield 4;
        return { pages: 12 };
      })(),
      { name: 'child' },
    );
    let got = 0;
    sim.process(
      (function* () {
        const r = yield* child;
        got = r.pages;
        // Waiting on an already finished process continues at once with its value.
        const again = yield* child;
        got += again.pages;
      })(),
    );
    sim.run();
    expect(got).toBe(24);
    expect(sim.now).toBe(4);
  });

  it('runs until a time, then resumes from there', () => {
    const sim = new Simulation();
    const ticks: number[] = [];
    sim.process(
      (function* () {
        for (let i = 0; i < 5; i++) {
          yield 2;
          ticks.push(sim.now);
        }
      })(),
    );
    expect(sim.run({ until: 4 })).toMatchObject({ reason: 'until-time', now: 4 });
    expect(ticks).toEqual([2, 4]); // an event at exactly `until` runs
    expect(sim.run({ until: 5 })).toMatchObject({ reason: 'until-time', now: 5 });
    expect(sim.run()).toMatchObject({ reason: 'empty', now: 10 });
    expect(ticks).toEqual([2, 4, 6, 8, 10]);
    expect(() => sim.run({ until: 3 })).toThrow(/before the current time/);
  });

  it('runs until an event, leaving later events queued', () => {
    const sim = new Simulation();
    const main = sim.process(
      (function* () {
        yield 3;
        return 'main';
      })(),
    );
    sim.timeout(100, 'straggler');
    expect(sim.run({ until: main })).toMatchObject({ reason: 'until-event', now: 3 });
    expect(sim.pendingEvents).toBe(1);
    expect(sim.peek()).toBe(100);
  });
});

describe('conditions', () => {
  it('anyOf gives the first event to happen; allOf gives all values in order', () => {
    const sim = new Simulation();
    let any: unknown;
    let all: unknown;
    sim.process(
      (function* () {
        const slow = sim.timeout(5, 'slow', 'S');
        const fast = sim.timeout(2, 'fast', 'F');
        const r = yield* sim.anyOf([slow, fast]);
        any = [r.index, r.value, sim.now];
        const values = yield* sim.allOf([sim.timeout(1, 'a', 1), sim.timeout(3, 'b', 'two'), slow]);
        all = [values, sim.now];
      })(),
    );
    sim.run();
    expect(any).toEqual([1, 'F', 2]);
    expect(all).toEqual([[1, 'two', 'S'], 5]);
  });

  it('breaks anyOf ties by FIFO order', () => {
    const sim = new Simulation();
    let index = -1;
    sim.process(
      (function* () {
        const r = yield* sim.anyOf([sim.timeout(1, 'x', 'x'), sim.timeout(1, 'y', 'y')]);
        index = r.index;
      })(),
    );
    sim.run();
    expect(index).toBe(0);
  });

  it('allOf of nothing succeeds at once; anyOf of nothing is an error', () => {
    const sim = new Simulation();
    let done = false;
    sim.process(
      (function* () {
        const v = yield* sim.allOf([]);
        done = v.length === 0;
      })(),
    );
    sim.run();
    expect(done).toBe(true);
    expect(() => sim.anyOf([])).toThrow(/at least one event/);
  });

  it('fails as soon as one event fails', () => {
    const sim = new Simulation();
    const bad = sim.event('bad');
    let caught: unknown;
    sim.process(
      (function* () {
        try {
          yield sim.allOf([sim.timeout(10), bad]);
        } catch (err) {
          caught = [err, sim.now];
        }
      })(),
    );
    sim.schedule(2, () => bad.fail(new Error('tool crashed')));
    sim.run();
    expect(caught).toEqual([new Error('tool crashed'), 2]);
  });
});

describe('interrupts and cancellation', () => {
  it('interrupts a holding process and withdraws its hold', () => {
    const sim = new Simulation();
    const log: unknown[] = [];
    const sleeper = sim.process(
      (function* () {
        try {
          yield 100;
          log.push('woke normally');
        } catch (err) {
          log.push([(err as Interrupt).reason, sim.now, err instanceof Interrupt]);
          yield 1;
          log.push(['resumed', sim.now]);
        }
      })(),
      { name: 'sleeper' },
    );
    sim.process(
      (function* () {
        yield 10;
        sleeper.interrupt('timeout');
      })(),
    );
    const result = sim.run();
    expect(log).toEqual([
      ['timeout', 10, true],
      ['resumed', 11],
    ]);
    // The withdrawn hold at t=100 never fires: the run ends at 11.
    expect(result.now).toBe(11);
  });

  it('interrupts a process waiting on an event, which then no longer resumes it', () => {
    const sim = new Simulation();
    const gate = sim.event('gate');
    const log: string[] = [];
    const waiter = sim.process(
      (function* () {
        try {
          yield gate;
          log.push('gate');
        } catch {
          log.push(`interrupted@${sim.now}`);
        }
        yield 50;
        log.push(`end@${sim.now}`);
      })(),
    );
    sim.schedule(1, () => waiter.interrupt());
    sim.schedule(2, () => gate.succeed(undefined));
    sim.run();
    expect(log).toEqual(['interrupted@1', 'end@51']);
  });

  it('delivers several interrupts in order', () => {
    const sim = new Simulation();
    const reasons: unknown[] = [];
    const p = sim.process(
      (function* () {
        for (;;) {
          try {
            yield 1000;
            return;
          } catch (err) {
            reasons.push((err as Interrupt).reason);
            if (reasons.length === 3) return;
          }
        }
      })(),
    );
    sim.schedule(5, () => {
      p.interrupt('first');
      p.interrupt('second');
      p.interrupt('third');
    });
    sim.run();
    expect(reasons).toEqual(['first', 'second', 'third']);
    expect(sim.now).toBe(5);
  });

  it('refuses to interrupt a finished process', () => {
    const sim = new Simulation();
    const p = sim.process(
      (function* () {
        yield 1;
      })(),
      { name: 'quick' },
    );
    sim.run();
    expect(() => p.interrupt()).toThrow(SimulationError);
    expect(() => p.interrupt()).toThrow(/'quick': it has already finished/);
  });

  it('cancels a process: finally blocks run, waiters learn it was cancelled', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const worker = sim.process(
      (function* () {
        try {
          yield 100;
        } finally {
          log.push(`cleanup@${sim.now}`);
        }
      })(),
      { name: 'worker' },
    );
    sim.process(
      (function* () {
        try {
          yield worker;
        } catch (err) {
          log.push(err instanceof ProcessCancelled ? (err as Error).message : 'other');
        }
      })(),
    );
    sim.schedule(7, () => worker.cancel('hung'));
    const result = sim.run();
    expect(log).toEqual(['cleanup@7', "process 'worker' was cancelled at t=7: hung"]);
    expect(result.now).toBe(7);
    expect(worker.isAlive).toBe(false);
    expect(worker.cancel()).toBe(false);
  });

  it('a cancelled process that nobody waits for does not crash the run', () => {
    const sim = new Simulation();
    const p = sim.process(
      (function* () {
        yield 10;
      })(),
    );
    sim.schedule(1, () => p.cancel());
    expect(sim.run().now).toBe(1);
  });

  it('cancels a scheduled timeout in O(1), so it never fires', () => {
    const sim = new Simulation();
    let fired = false;
    const t = sim.schedule(10, () => {
      fired = true;
    });
    sim.schedule(1, () => t.cancel());
    expect(sim.run().now).toBe(1);
    expect(fired).toBe(false);
  });
});

describe('errors', () => {
  it('throws a process error into whoever waits on it, naming the process', () => {
    const sim = new Simulation();
    let caught: unknown;
    const child = sim.process(
      (function* (): ProcessGenerator<number> {
        yield 2;
        throw new Error('rate limited');
      })(),
      { name: 'subagent-3' },
    );
    sim.process(
      (function* () {
        try {
          yield child;
        } catch (err) {
          caught = err;
        }
      })(),
    );
    sim.run();
    expect(caught).toBeInstanceOf(ProcessError);
    expect((caught as Error).message).toBe("process 'subagent-3' failed at t=2: rate limited");
    expect((caught as Error).cause).toEqual(new Error('rate limited'));
  });

  it('an unhandled process failure ends the run with the chain of processes', () => {
    const sim = new Simulation();
    const child = sim.process(
      (function* () {
        yield 1;
        throw new Error('boom');
      })(),
      { name: 'child' },
    );
    sim.process(
      (function* () {
        yield child;
      })(),
      { name: 'parent' },
    );
    expect(() => sim.run()).toThrow(
      "process 'parent' failed at t=1: process 'child' failed at t=1: boom",
    );
  });

  it('rejects bad yields with a message that says what to yield', () => {
    for (const [bad, pattern] of [
      [-1, /yielded -1; a hold must be a finite number of seconds >= 0/],
      [Number.NaN, /yielded NaN/],
      [Number.POSITIVE_INFINITY, /yielded Infinity/],
      ['10s', /yielded a string \(10s\); yield a hold in seconds/],
      [{}, /yielded an object \(Object\)/],
    ] as const) {
      const sim = new Simulation();
      sim.process(
        (function* (): ProcessGenerator<void> {
          yield bad as unknown as number;
        })(),
        { name: 'careless' },
      );
      expect(() => sim.run()).toThrow(pattern);
    }
  });

  it("refuses to trigger a process from outside: its outcome is its generator's", () => {
    const sim = new Simulation();
    const p = sim.process(
      (function* () {
        yield 1;
        return 'own';
      })(),
      { name: 'worker' },
    );
    expect(() => p.succeed('forced')).toThrow(/cannot succeed process 'worker'/);
    expect(() => p.fail(new Error('forced'))).toThrow(/cannot fail process 'worker'/);
    sim.run();
    expect(p.value).toBe('own');
  });

  it('refuses to trigger an event twice', () => {
    const sim = new Simulation();
    const e = sim.event('once');
    e.succeed(undefined);
    expect(() => e.fail(new Error('x'))).toThrow(
      "cannot fail event 'once': it was already triggered",
    );
    expect(() => sim.timeout(-1)).toThrow(/finite number of seconds >= 0, got -1/);
  });
});

describe('liveness', () => {
  it('reports a deadlock naming each waiting process and what it waits for', () => {
    const sim = new Simulation();
    const never = sim.event('result of task 7');
    const hung = sim.process(
      (function* () {
        yield never;
      })(),
      { name: 'subagent-7' },
    );
    sim.process(
      (function* () {
        yield 3;
        yield sim.allOf([hung]);
      })(),
      { name: 'orchestrator' },
    );
    let error: unknown;
    try {
      sim.run();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DeadlockError);
    const report = (error as DeadlockError).report;
    expect(report.time).toBe(3);
    expect(report.waiting).toEqual([
      { process: 'subagent-7', waitingFor: "event 'result of task 7'" },
      { process: 'orchestrator', waitingFor: "allOf(process 'subagent-7')" },
    ]);
    expect((error as Error).message).toMatch(/^deadlock at t=3: 2 processes wait/);
  });

  it('lists the live processes in creation order as processes end first, last and in between', () => {
    const sim = new Simulation();
    const never = sim.event('never');
    // Processes 0..5; those with a finite life end at t = life, the others wait forever.
    const lives = [
      1,
      Number.POSITIVE_INFINITY,
      2,
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      3,
    ];
    const processes = lives.map((life, i) =>
      sim.process(
        (function* () {
          if (life === Number.POSITIVE_INFINITY) yield never;
          else yield life;
        })(),
        { name: `p${i}` },
      ),
    );
    const live = () => sim.liveProcesses().map((p) => p.name);
    expect(live()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
    sim.run({ until: 1.5 });
    expect(live()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    processes[3]!.cancel('no longer needed');
    sim.run({ until: 2.5 });
    expect(live()).toEqual(['p1', 'p4', 'p5']);
    const late = sim.process(
      (function* () {
        yield never;
      })(),
      { name: 'late' },
    );
    const result = sim.run({ onDeadlock: 'report' });
    expect(result.deadlock?.waiting.map((w) => w.process)).toEqual(['p1', 'p4', 'late']);
    expect(late.isAlive).toBe(true);
  });

  it('can return the deadlock report instead of throwing', () => {
    const sim = new Simulation();
    sim.process(
      (function* () {
        yield sim.event('never');
      })(),
      { name: 'stuck' },
    );
    const result = sim.run({ onDeadlock: 'report' });
    expect(result.reason).toBe('deadlock');
    expect(result.deadlock?.waiting).toEqual([{ process: 'stuck', waitingFor: "event 'never'" }]);
  });

  it('reports an `until` event that can no longer happen', () => {
    const sim = new Simulation();
    const goal = sim.event('synthesis');
    sim.timeout(5);
    expect(() => sim.run({ until: goal })).toThrow(
      /deadlock at t=5: the run was to stop at event 'synthesis', but nothing left is scheduled/,
    );
  });

  it('does not count daemons that wait forever', () => {
    const sim = new Simulation();
    const inbox = sim.event('inbox');
    sim.process(
      (function* () {
        yield inbox;
      })(),
      { name: 'monitor', daemon: true },
    );
    sim.process(
      (function* () {
        yield 4;
      })(),
    );
    expect(sim.run()).toMatchObject({ reason: 'empty', now: 4 });
  });

  it('stops a zero-delay loop with a runaway report', () => {
    const sim = new Simulation();
    sim.process(
      (function* () {
        for (;;) yield 0;
      })(),
      { name: 'spinner' },
    );
    expect(() => sim.run({ maxEventsPerInstant: 10_000 })).toThrow(RunawayError);
    const again = new Simulation();
    again.process(
      (function* () {
        for (;;) yield 0;
      })(),
      { name: 'spinner' },
    );
    expect(() => again.run({ maxEventsPerInstant: 10_000 })).toThrow(
      /10000 events ran at t=0 without simulated time advancing .*yield 0/,
    );
  });

  it('stops runs that pass the event or time guards', () => {
    const forever = () => {
      const sim = new Simulation();
      sim.process(
        (function* () {
          for (;;) yield 1;
        })(),
      );
      return sim;
    };
    expect(() => forever().run({ maxEvents: 500 })).toThrow(/event guard maxEvents=500/);
    expect(() => forever().run({ maxTime: 1e4 })).toThrow(/time guard maxTime=10000/);
  });
});

// The queue hands out the entry being fired without removing it (the next push takes its
// place); these pin down what the kernel's users can observe of that.
describe('the queue as seen from a firing', () => {
  it('peek() and pendingEvents during a firing leave out the event being fired', () => {
    const sim = new Simulation();
    const seen: [number, number][] = [];
    sim.process(
      (function* () {
        yield 1;
        seen.push([sim.peek(), sim.pendingEvents]);
        yield 1; // scheduled after the peek settled the queue: the ordinary push path
        seen.push([sim.peek(), sim.pendingEvents]);
      })(),
    );
    sim.timeout(5);
    sim.run();
    expect(seen).toEqual([
      [5, 1],
      [5, 1],
    ]);
    expect(sim.now).toBe(5);
  });

  it('a zero hold goes after everything already scheduled at that instant', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.process(
      (function* () {
        yield 2;
        order.push('a@2');
        sim.schedule(0, () => order.push('callback'));
        yield 0;
        order.push('a again');
        yield 0;
        order.push('a last');
      })(),
    );
    sim.process(
      (function* () {
        yield 2;
        order.push('b@2');
        yield 0;
        order.push('b again');
      })(),
    );
    sim.run();
    expect(order).toEqual(['a@2', 'b@2', 'callback', 'a again', 'b again', 'a last']);
  });

  it('cancelling the event being fired is a no-op; cancelling a later one at that time works', () => {
    const sim = new Simulation();
    const log: string[] = [];
    let second: ReturnType<Simulation['timeout']> | undefined;
    const first = sim.schedule(3, () => {
      log.push(`first cancels itself: ${first.cancel()}`);
      log.push(`first cancels second: ${second!.cancel()}`);
    });
    second = sim.schedule(3, () => log.push('second fired'));
    sim.schedule(3, () => log.push('third fired'));
    sim.run();
    expect(log).toEqual([
      'first cancels itself: false',
      'first cancels second: true',
      'third fired',
    ]);
    expect(first.processed).toBe(true);
    expect(second.state).toBe(3); // CANCELLED
  });

  it('run({ until }) and the guards leave the next event queued, so a later run fires it', () => {
    const sim = new Simulation();
    const fired: number[] = [];
    for (const t of [1, 10, 20]) sim.schedule(t, () => fired.push(sim.now));
    expect(() => sim.run({ maxTime: 5 })).toThrow(/time guard maxTime=5/);
    expect(sim.pendingEvents).toBe(2);
    expect(sim.run({ until: 15 })).toMatchObject({ reason: 'until-time', now: 15, events: 1 });
    expect(sim.pendingEvents).toBe(1);
    expect(() => sim.run({ maxEvents: 0 })).toThrow(/event guard maxEvents=0/);
    expect(sim.run()).toMatchObject({ reason: 'empty', now: 20, events: 1 });
    expect(fired).toEqual([1, 10, 20]);
  });

  it('withdraws thousands of holds at once (compaction while an event is being fired)', () => {
    const sim = new Simulation();
    const n = 3000;
    const woke: number[] = [];
    const sleepers = Array.from({ length: n }, (_, i) =>
      sim.process(
        (function* () {
          try {
            yield 1000 + i;
          } catch {
            yield 1 + (n - i) / n; // woken in reverse order, by t=3
            woke.push(i);
          }
        })(),
      ),
    );
    let fired = 0;
    const alarms = Array.from({ length: 4000 }, (_, i) =>
      sim.schedule(2 + i / 4000, () => fired++),
    );
    sim.schedule(1, () => {
      // No push yet in this firing: the cancellations compact the queue while the entry
      // being fired is still at its top.
      for (const t of alarms) t.cancel();
      for (const p of sleepers) p.interrupt();
    });
    expect(sim.run()).toMatchObject({ reason: 'empty', now: 3 });
    expect(fired).toBe(0);
    expect(woke).toEqual(Array.from({ length: n }, (_, i) => n - 1 - i));
    expect(sim.pendingEvents).toBe(0);
  });
});

describe('descriptions', () => {
  it('names processes process#<id> unless named, and says when holds and timeouts end', () => {
    const sim = new Simulation();
    const deadline = sim.timeout(2.5, 'deadline');
    const holder = sim.process(
      (function* () {
        yield 7;
      })(),
    );
    const waiter = sim.process(
      (function* () {
        yield deadline;
      })(),
      { name: 'waiter' },
    );
    expect(holder.name).toBe('process#0');
    expect(waiter.name).toBe('waiter');
    expect(holder.describeWait()).toBe('its start');
    sim.run({ until: 1 });
    expect(holder.describeWait()).toBe('the end of a hold at t=7');
    expect(waiter.describeWait()).toBe("timeout 'deadline' at t=2.5");
    expect(deadline.describe()).toBe("timeout 'deadline' at t=2.5");
    sim.run();
    expect(deadline.describe()).toBe("timeout 'deadline'");
    expect(() => deadline.onProcessed(() => {})).toThrow(
      "timeout 'deadline' was already processed; nothing can wait on it",
    );
    expect(holder.describeWait()).toBe('nothing (it has finished)');
  });

  it('keeps several waiters of one event in order, and drops interrupted ones', () => {
    const sim = new Simulation();
    const gate = sim.event<string>('gate');
    const log: string[] = [];
    const waiters = ['w1', 'w2', 'w3'].map((name) =>
      sim.process(
        (function* () {
          try {
            log.push(`${name}:${yield* gate}`);
          } catch (err) {
            log.push(`${name}:${(err as Interrupt).reason}`);
          }
        })(),
        { name },
      ),
    );
    const counts: number[] = [];
    sim.schedule(1, () => {
      counts.push(gate.waiterCount);
      waiters[1]!.interrupt('left');
      counts.push(gate.waiterCount);
    });
    sim.schedule(2, () => gate.succeed('open'));
    sim.run();
    expect(counts).toEqual([3, 2]);
    expect(log).toEqual(['w2:left', 'w1:open', 'w3:open']);
    expect(gate.waiterCount).toBe(0);
  });
});

describe('interrupts and cancellation from nested calls', () => {
  it('an interrupt that reaches a process further up the call stack waits for its next yield', () => {
    const sim = new Simulation();
    const log: unknown[] = [];
    let a: ReturnType<Simulation['process']> | undefined;
    const b = sim.process(
      (function* () {
        try {
          yield 100;
        } finally {
          a!.interrupt('from cleanup');
        }
      })(),
      { name: 'b' },
    );
    a = sim.process(
      (function* () {
        yield 1;
        try {
          b.cancel(); // runs b's finally block, which interrupts a, still running here
          log.push(['after cancel', sim.now]);
          yield 5;
          log.push('hold ended');
        } catch (err) {
          log.push([(err as Interrupt).reason, sim.now]);
        }
      })(),
      { name: 'a' },
    );
    expect(sim.run()).toMatchObject({ reason: 'empty', now: 1 });
    expect(log).toEqual([
      ['after cancel', 1],
      ['from cleanup', 1],
    ]);
  });

  it('refuses to cancel a process further up the call stack', () => {
    const sim = new Simulation();
    let a: ReturnType<Simulation['process']> | undefined;
    const b = sim.process(
      (function* () {
        try {
          yield 100;
        } finally {
          a!.cancel();
        }
      })(),
      { name: 'b' },
    );
    a = sim.process(
      (function* () {
        yield 1;
        b.cancel();
        yield 1;
        return 'a finished';
      })(),
      { name: 'a' },
    );
    // b's cleanup failed, and nobody waits for b: its failure ends the run.
    expect(() => sim.run()).toThrow(/cannot cancel process 'a' while it runs/);
    sim.run();
    expect(a.value).toBe('a finished');
  });
});

describe('lazy process names', () => {
  it('calls a name function only when the name is needed, e.g. in a deadlock report', () => {
    const sim = new Simulation();
    let calls = 0;
    const named = () => {
      calls++;
      return 'subagent-7 (task 3)';
    };
    sim.process(
      (function* () {
        yield 1;
      })(),
      { name: named },
    );
    sim.run();
    expect(calls).toBe(0);
    const stuck = new Simulation();
    stuck.process(
      (function* () {
        yield stuck.event('a reply');
      })(),
      { name: named },
    );
    expect(() => stuck.run()).toThrow("'subagent-7 (task 3)' waits for event 'a reply'");
  });
});

describe('the per-instant guard', () => {
  it('also counts a process that keeps yielding an event that already happened', () => {
    const sim = new Simulation();
    const done = sim.event('done');
    done.succeed(undefined);
    sim.process(
      (function* () {
        yield 1; // let `done` be processed first
        for (;;) yield done;
      })(),
      { name: 'spinner' },
    );
    expect(() => sim.run({ maxEventsPerInstant: 100 })).toThrow(
      /100 events ran at t=1 without simulated time advancing/,
    );
  });
});
