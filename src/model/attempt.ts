/**
 * One spawned subagent: a single attempt at a task. The orchestrator refers to it by its
 * agent id (its handle); the simulated subagent itself runs as a kernel process.
 */

import type { Timeout } from '../sim/event.js';
import type { NameSource, Process } from '../sim/process.js';
import type { AttemptDraws } from './attempt-draws.js';

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
  /** Seconds of work this attempt needs (its draw, less any resumed progress). */
  readonly work: number;
  startedAt = Number.NaN;
  /** When it will end by itself, once its last stretch of work has begun (NaN before, and for hangs). */
  endsAt = Number.NaN;
  endedAt = Number.NaN;
  /** Seconds spent waiting for permission answers (foreground), on top of `work`. */
  paused = 0;
  /** The orchestrator lost the handle in a compaction (volatile registry). */
  forgotten = false;
  /** The orchestrator took in its outcome: result processed or failure handled. */
  consumed = false;
  /** A background permission request was auto-denied. */
  denied = false;
  /** Results processed when this attempt was dispatched (quality learning). */
  readonly processedAtDispatch: number;
  process: Process<void> | null = null;
  /** The timeout's timer; its value is this attempt. */
  deadline: Timeout<Attempt> | null = null;
  /** Held in the orchestrator's registry; the links of its list (see HandleRegistry). */
  registryHeld = false;
  registryPrevious: Attempt | null = null;
  registryNext: Attempt | null = null;

  constructor(
    readonly agent: number,
    readonly task: number,
    readonly attemptNo: number,
    readonly draws: AttemptDraws,
    /** Progress resumed from the previous failed attempt, in [0, 1). */
    resumedProgress: number,
    processedAtDispatch: number,
  ) {
    this.work = draws.latency * (1 - resumedProgress);
    this.processedAtDispatch = processedAtDispatch;
  }

  get fate() {
    return this.draws.fate;
  }

  /** How deadlock reports and errors name this subagent's process. */
  processName(): string {
    return `subagent-${this.agent} (task ${this.task})`;
  }
}
