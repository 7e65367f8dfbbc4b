/**
 * Orchestrator actions run on one reusable iterator (src/model/action.ts). Used as
 * documented, `yield*` where called, they behave as generators would; used otherwise,
 * they say what is wrong rather than misbehave.
 */
import { describe, expect, it } from 'vitest';
import { backgroundDefaults, runStrategy, type Strategy, world } from '../../src/index.js';
import {
  type Action,
  ActionStep,
  type Effect,
  maxActionsPerInstant,
} from '../../src/model/action.js';
import type { ActivityKind } from '../../src/model/metrics.js';
import { StalledError } from '../../src/sim/errors.js';
import type { Yieldable } from '../../src/sim/process.js';
import { fixed } from './helpers.js';

/** An owner that records what the step asks of it. */
function recordingOwner() {
  const calls: string[] = [];
  const clock = { now: 0 };
  return {
    calls,
    clock,
    owner: {
      now: () => clock.now,
      busy(kind: ActivityKind, seconds: number) {
        calls.push(`busy ${kind} ${seconds}`);
        return seconds;
      },
      idleAgain() {
        calls.push('idle');
      },
      afterPaid(effect: Effect, subject: unknown) {
        calls.push(`${effect} ${String(subject)}`);
        return `result of ${String(subject)}`;
      },
    },
  };
}

/** Drives an action the way `yield*` does, answering every yield with `undefined`. */
function drive<R>(action: Action<R>): { yielded: Yieldable[]; value: R } {
  const it = action[Symbol.iterator]();
  const yielded: Yieldable[] = [];
  for (;;) {
    const r = it.next();
    if (r.done) return { yielded, value: r.value };
    yielded.push(r.value);
  }
}

describe('ActionStep', () => {
  it('pays a cost with one hold, then does its effect; a free action holds not at all', () => {
    const { calls, owner } = recordingOwner();
    const step = new ActionStep(owner);
    expect(drive(step.pay('dispatch', 2, 'spawn', 7))).toEqual({
      yielded: [2],
      value: 'result of 7',
    });
    expect(drive(step.pay('plan', 0, 'nothing', undefined))).toEqual({
      yielded: [],
      value: 'result of undefined',
    });
    expect(drive(step.returning(42))).toEqual({ yielded: [], value: 42 });
    expect(calls).toEqual(['busy dispatch 2', 'idle', 'spawn 7', 'nothing undefined']);
  });

  it('refuses a second action before the first has finished, and an action iterated twice', () => {
    const { owner } = recordingOwner();
    const step = new ActionStep(owner);
    const first = step.pay('process', 5, 'processed', 'a')[Symbol.iterator]();
    expect(() => step.returning(1)).toThrow(/started before the previous one had finished/);
    first.next(); // holding
    expect(() => step.pay('plan', 1, 'nothing', undefined)).toThrow(/before the previous one/);
    expect(first.next().done).toBe(true);
    expect(() => first.next()).toThrow(/iterated after it had finished/);
  });

  it('stops a strategy that starts a million actions at one instant, and counts afresh when time passes', () => {
    const { clock, owner } = recordingOwner();
    const step = new ActionStep(owner);
    for (let i = 0; i < maxActionsPerInstant; i++) drive(step.returning(i));
    clock.now = 1;
    for (let i = 0; i <= maxActionsPerInstant; i++) drive(step.returning(i));
    expect(() => drive(step.returning('one too many'))).toThrow(StalledError);
    expect(() => drive(step.returning('one too many'))).toThrow(
      /started 1,000,000 actions at 1 s without simulated time passing/,
    );
  });

  it('ends on an error thrown into it (an interrupt while it holds), freeing the step', () => {
    const { calls, owner } = recordingOwner();
    const step = new ActionStep(owner);
    const it = step.pay('dispatch', 3, 'spawn', 1)[Symbol.iterator]();
    it.next();
    expect(() => it.throw?.(new Error('interrupted'))).toThrow('interrupted');
    expect(drive(step.returning('free again')).value).toBe('free again');
    expect(calls).toEqual(['busy dispatch 3']); // no effect: the action did not complete
  });
});

describe('a strategy that misuses actions', () => {
  it('fails with a message that says how to use them', () => {
    const eager: Strategy = {
      label: 'eager',
      settings: backgroundDefaults,
      *run(o) {
        // Two dispatches started, then yielded: the first is still unfinished.
        const [a, b] = o.readyTasks(2) as [number, number];
        const first = o.dispatch(a);
        const second = o.dispatch(b);
        yield* first;
        yield* second;
      },
    };
    const w = world({ tasks: 2, latency: fixed(10), orchestrator: { dispatch: 1 } });
    expect(() => runStrategy({ world: w, strategy: eager, seed: 0 })).toThrow(
      /`yield\*` each action where you call it, one at a time/,
    );
  });
});
