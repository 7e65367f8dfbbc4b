/**
 * One spawned subagent: a single attempt at a task. The orchestrator refers to it by its
 * agent id (its handle); the simulated subagent itself runs as a kernel process.
 *
 * An attempt is requested (queued behind the WIP limit), then starts, then ends or is
 * cancelled. Its numbers, its dice and its timeline, live in the orchestrator's
 * AttemptTable from its start (`begin`) until the orchestrator is done with it (`settle`):
 * behind a WIP limit a run may hold 10^5 queued attempts at once, and those carry only
 * their identity and the orchestrator's bookkeeping. When the dice are drawn does not
 * matter: their stream is keyed by task and attempt (attempt-draws.ts).
 */

import type { Timeout } from '../sim/event.js';
import type { NameSource, Process } from '../sim/process.js';
import type { AttemptDraws, Fate } from './attempt-draws.js';
import {
  type AttemptTable,
  CORRECTNESS,
  ENDED_AT,
  ENDS_AT,
  PAUSED,
  PERMISSION_POINT,
  PROGRESS,
  STARTED_AT,
  VALIDATION,
  WORK,
} from './attempt-table.js';

export type AttemptState =
  /** Requested, waiting for a WIP slot. */
  | 'queued'
  /** Holding a slot and working (possibly paused on a permission request). */
  | 'running'
  /** Ended by itself (ok or error); the slot is free. */
  | 'ended'
  /** Cancelled by the orchestrator (timeout). */
  | 'cancelled';

/** `slot` before the start and after `settle`. */
const NO_SLOT = -1;

// The state and the flags of an attempt, packed in one small integer: a run may hold 10^5
// attempts at once (a whole wave queued behind the WIP limit, or its results buffered),
// all old enough for the GC to copy, and each field costs 8 bytes of every one.
const STATES: readonly AttemptState[] = ['queued', 'running', 'ended', 'cancelled'];
const STATE_MASK = 0b11;
const FORGOTTEN = 1 << 2;
const CONSUMED = 1 << 3;
const DENIED = 1 << 4;
const REGISTRY_HELD = 1 << 5;
const RESUMES = 1 << 6;

function stateCode(state: AttemptState): number {
  switch (state) {
    case 'queued':
      return 0;
    case 'running':
      return 1;
    case 'ended':
      return 2;
    case 'cancelled':
      return 3;
  }
}

export class Attempt implements NameSource {
  process: Process<void> | null = null;
  /** The timeout's timer; its value is this attempt. */
  deadline: Timeout<Attempt> | null = null;
  /** The links of the orchestrator's registry (see HandleRegistry). */
  registryPrevious: Attempt | null = null;
  registryNext: Attempt | null = null;
  /** The state and the flags below. */
  private bits: number;
  /** Its row in `numbers` while it has one. */
  private slot = NO_SLOT;

  constructor(
    readonly agent: number,
    readonly task: number,
    readonly attemptNo: number,
    /** Results processed when this attempt was dispatched (quality learning). */
    readonly processedAtDispatch: number,
    /** A retry that resumes from the progress its failed predecessor reported. */
    resumes: boolean,
    private readonly numbers: AttemptTable,
  ) {
    this.bits = resumes ? RESUMES : 0;
  }

  get state(): AttemptState {
    return STATES[this.bits & STATE_MASK]!;
  }

  set state(state: AttemptState) {
    this.bits = (this.bits & ~STATE_MASK) | stateCode(state);
  }

  /** The orchestrator lost the handle in a compaction (volatile registry). */
  get forgotten(): boolean {
    return (this.bits & FORGOTTEN) !== 0;
  }

  set forgotten(on: boolean) {
    this.flag(FORGOTTEN, on);
  }

  /** The orchestrator took in its outcome: result processed or failure handled. */
  get consumed(): boolean {
    return (this.bits & CONSUMED) !== 0;
  }

  set consumed(on: boolean) {
    this.flag(CONSUMED, on);
  }

  /** A background permission request was auto-denied. */
  get denied(): boolean {
    return (this.bits & DENIED) !== 0;
  }

  set denied(on: boolean) {
    this.flag(DENIED, on);
  }

  /** Held in the orchestrator's registry (see HandleRegistry). */
  get registryHeld(): boolean {
    return (this.bits & REGISTRY_HELD) !== 0;
  }

  set registryHeld(on: boolean) {
    this.flag(REGISTRY_HELD, on);
  }

  /** A retry that resumes from the progress its failed predecessor reported. */
  get resumes(): boolean {
    return (this.bits & RESUMES) !== 0;
  }

  /** The subagent starts at `now` with its dice, `resumedProgress` (in [0, 1)) of its work done already. */
  begin(now: number, draws: AttemptDraws, resumedProgress: number): void {
    if (this.state !== 'queued') throw new Error(`agent ${this.agent} has started already`);
    this.state = 'running';
    this.slot = this.numbers.allocate(now, draws, resumedProgress);
  }

  /** The orchestrator is done with it (result processed, failure handled): its numbers go. */
  settle(): void {
    const slot = this.row();
    this.numbers.release(slot);
    this.slot = NO_SLOT;
  }

  get fate(): Fate {
    return this.numbers.fate(this.row());
  }

  /** Seconds of work it needs (its latency draw, less any resumed progress). */
  get work(): number {
    return this.numbers.read(this.row(), WORK);
  }

  /** Partial progress it reports if it fails with `error`, in (0, 1). */
  get progressDraw(): number {
    return this.numbers.read(this.row(), PROGRESS);
  }

  /** For `needs-permission`: the share of its work done when it needs the tool, in (0, 1). */
  get permissionPoint(): number {
    return this.numbers.read(this.row(), PERMISSION_POINT);
  }

  /** The uniform its result's correctness is judged by. */
  get correctnessDraw(): number {
    return this.numbers.read(this.row(), CORRECTNESS);
  }

  /** The uniform validation catches a wrong result by. */
  get validationDraw(): number {
    return this.numbers.read(this.row(), VALIDATION);
  }

  /** NaN while queued. */
  get startedAt(): number {
    return this.state === 'queued' ? Number.NaN : this.numbers.read(this.row(), STARTED_AT);
  }

  /** When it will end by itself, once its last stretch of work has begun (NaN before, and for hangs). */
  get endsAt(): number {
    return this.numbers.read(this.row(), ENDS_AT);
  }

  set endsAt(t: number) {
    this.numbers.write(this.row(), ENDS_AT, t);
  }

  /** When it ended or was cancelled (NaN before). */
  get endedAt(): number {
    return this.numbers.read(this.row(), ENDED_AT);
  }

  set endedAt(t: number) {
    this.numbers.write(this.row(), ENDED_AT, t);
  }

  /** Seconds spent waiting for permission answers (foreground), on top of `work`. */
  get paused(): number {
    return this.numbers.read(this.row(), PAUSED);
  }

  set paused(seconds: number) {
    this.numbers.write(this.row(), PAUSED, seconds);
  }

  /** How deadlock reports and errors name this subagent's process. */
  processName(): string {
    return `subagent-${this.agent} (task ${this.task})`;
  }

  private flag(bit: number, on: boolean): void {
    this.bits = on ? this.bits | bit : this.bits & ~bit;
  }

  /** Its slot; reading the numbers of an attempt that has none is a model bug, said loudly. */
  private row(): number {
    if (this.slot === NO_SLOT) {
      throw new Error(
        `agent ${this.agent} (task ${this.task}) ${this.state === 'queued' ? 'has not started: it has no numbers yet' : 'is settled: its numbers are gone'}`,
      );
    }
    return this.slot;
  }
}
