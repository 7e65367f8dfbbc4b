/**
 * One spawned subagent: a single attempt at a task. The orchestrator refers to it by its
 * agent id (its handle); the simulated subagent itself runs as a kernel process.
 *
 * An attempt is requested (queued behind the WIP limit), then starts, then ends or is
 * cancelled. What the world holds for it, its dice and its timeline, is made when it
 * starts (`begin`): behind a WIP limit a run may hold 10^5 queued attempts at once, and
 * those carry only their identity and the orchestrator's bookkeeping. When the dice are
 * drawn does not matter: their stream is keyed by task and attempt (attempt-draws.ts).
 */

import type { Timeout } from '../sim/event.js';
import type { NameSource, Process } from '../sim/process.js';
import type { AttemptDraws, Fate } from './attempt-draws.js';

export type SpawnReason = 'first' | 'retry' | 'redispatch' | 'duplicate';

export type AttemptState =
  /** Requested, waiting for a WIP slot. */
  | 'queued'
  /** Holding a slot and working (possibly paused on a permission request). */
  | 'running'
  /** Ended by itself (ok or error); the slot is free. */
  | 'ended'
  /** Cancelled by the orchestrator (timeout). */
  | 'cancelled';

export class Attempt implements NameSource {
  state: AttemptState = 'queued';
  /** The orchestrator lost the handle in a compaction (volatile registry). */
  forgotten = false;
  /** The orchestrator took in its outcome: result processed or failure handled. */
  consumed = false;
  /** A background permission request was auto-denied. */
  denied = false;
  process: Process<void> | null = null;
  /** The timeout's timer; its value is this attempt. */
  deadline: Timeout<Attempt> | null = null;
  /** Held in the orchestrator's registry; the links of its list (see HandleRegistry). */
  registryHeld = false;
  registryPrevious: Attempt | null = null;
  registryNext: Attempt | null = null;
  /** Set when it starts. */
  private life: AttemptLife | null = null;

  constructor(
    readonly agent: number,
    readonly task: number,
    readonly attemptNo: number,
    /** Results processed when this attempt was dispatched (quality learning). */
    readonly processedAtDispatch: number,
    /** A retry that resumes from the progress its failed predecessor reported. */
    readonly resumes: boolean,
  ) {}

  /** The subagent starts at `now` with its dice, `resumedProgress` (in [0, 1)) of its work done already. */
  begin(now: number, draws: AttemptDraws, resumedProgress: number): void {
    if (this.life !== null) throw new Error(`agent ${this.agent} has started already`);
    this.state = 'running';
    this.life = new AttemptLife(now, draws, draws.latency * (1 - resumedProgress));
  }

  /** Its dice; only once it has started. */
  get draws(): AttemptDraws {
    return this.started().draws;
  }

  get fate(): Fate {
    return this.started().draws.fate;
  }

  /** Seconds of work it needs (its latency draw, less any resumed progress). */
  get work(): number {
    return this.started().work;
  }

  /** NaN while queued. */
  get startedAt(): number {
    return this.life === null ? Number.NaN : this.life.startedAt;
  }

  /** When it will end by itself, once its last stretch of work has begun (NaN before, and for hangs). */
  get endsAt(): number {
    return this.life === null ? Number.NaN : this.life.endsAt;
  }

  set endsAt(t: number) {
    this.started().endsAt = t;
  }

  /** When it ended or was cancelled (NaN before). */
  get endedAt(): number {
    return this.life === null ? Number.NaN : this.life.endedAt;
  }

  set endedAt(t: number) {
    this.started().endedAt = t;
  }

  /** Seconds spent waiting for permission answers (foreground), on top of `work`. */
  get paused(): number {
    return this.life === null ? 0 : this.life.paused;
  }

  set paused(seconds: number) {
    this.started().paused = seconds;
  }

  /** How deadlock reports and errors name this subagent's process. */
  processName(): string {
    return `subagent-${this.agent} (task ${this.task})`;
  }

  private started(): AttemptLife {
    if (this.life === null) {
      throw new Error(
        `agent ${this.agent} (task ${this.task}) has not started: it has no dice yet`,
      );
    }
    return this.life;
  }
}

/** What the world holds for a started attempt: its dice and its timeline. */
class AttemptLife {
  endsAt = Number.NaN;
  endedAt = Number.NaN;
  paused = 0;

  constructor(
    readonly startedAt: number,
    readonly draws: AttemptDraws,
    readonly work: number,
  ) {}
}
