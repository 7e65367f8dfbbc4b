/**
 * A simulated subagent: what one attempt does in the world once it holds a WIP slot.
 * It works for its latency; a `hang` never replies; a `needs-permission` attempt stops
 * part-way to ask (foreground: it waits for the orchestrator's answer; background: it is
 * auto-denied and carries on); an `error` ends like a success but reports failure.
 */
import type { ProcessGenerator, Yieldable } from '../sim/process.js';
import type { Attempt } from './attempt.js';

/** The runtime, as a subagent's life needs it. */
export interface SubagentWorld {
  readonly now: number;
  /** Hung subagents wait on this; it never happens. */
  readonly hangs: Yieldable;
  askPermission(a: Attempt): ProcessGenerator<void>;
  ended(a: Attempt): void;
}

export function* subagentLife(o: SubagentWorld, a: Attempt): ProcessGenerator<void> {
  if (a.fate === 'hang') {
    yield o.hangs; // only a timeout (cancellation) ends this
    return;
  }
  if (a.fate === 'needs-permission') {
    const before = a.work * a.permissionPoint;
    yield before;
    yield* o.askPermission(a);
    a.endsAt = o.now + (a.work - before);
    yield a.work - before;
  } else {
    a.endsAt = o.now + a.work;
    yield a.work;
  }
  o.ended(a);
}
