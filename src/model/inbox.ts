/**
 * The orchestrator's inbox: what the agent runtime tells it, in arrival order, and the
 * wake-up of an orchestrator idling until something arrives.
 */
import type { SimEvent } from '../sim/event.js';
import type { Simulation } from '../sim/simulation.js';
import type { Attempt } from './attempt.js';
import { Fifo } from './fifo.js';

/** A foreground subagent's request, waiting for the orchestrator's answer. */
export interface PermissionRequest {
  readonly attempt: Attempt;
  readonly answered: SimEvent<undefined>;
}

/**
 * What the inbox holds: a permission request, or an attempt whose end (state 'ended') or
 * timeout (state 'cancelled', by its timer) the orchestrator is to learn of. Ends are the
 * commonest notice by far, and the attempt itself costs no allocation.
 */
export type Notice = Attempt | PermissionRequest;

/** Where the runtime's notices go. */
export interface NoticeBox {
  notify(notice: Notice): void;
  /** A subagent the orchestrator tracks started (polling waits for starts when none has). */
  trackedStarted(): void;
}

export class Inbox implements NoticeBox {
  private readonly notices = new Fifo<Notice>();
  /** Woken when a notice arrives or a tracked subagent starts, while the orchestrator idles. */
  private wakeUp: SimEvent<undefined> | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly polling: boolean,
  ) {}

  get length(): number {
    return this.notices.length;
  }

  /** The oldest notice, left in place. */
  peek(): Notice | undefined {
    return this.notices.length > 0 ? this.notices.at(0) : undefined;
  }

  shift(): Notice | undefined {
    return this.notices.shift();
  }

  notify(notice: Notice): void {
    this.notices.push(notice);
    this.wake();
  }

  trackedStarted(): void {
    if (this.polling) this.wake();
  }

  /** The event an idle orchestrator waits for: the next notice (or, polling, start). */
  nextArrival(): SimEvent<undefined> {
    this.wakeUp = this.sim.event('a subagent to end or ask for something');
    return this.wakeUp;
  }

  private wake(): void {
    if (this.wakeUp !== null) {
      const e = this.wakeUp;
      this.wakeUp = null;
      e.succeed(undefined);
    }
  }
}
