/**
 * Errors the kernel raises. Each says what went wrong in simulation terms (which process,
 * at what simulated time, waiting for what), because a user debugging a strategy reads
 * these messages, not kernel internals.
 */

/** Misuse of the kernel API (triggering an event twice, interrupting a finished process...). */
export class SimulationError extends Error {
  override name = 'SimulationError';
}

/** Formats a simulated time for messages: seconds, without float noise. */
export function formatTime(t: number): string {
  return `t=${Number.isInteger(t) ? t : Number(t.toPrecision(12))}`;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A process ended by throwing. Whoever waits on the process receives this error; its
 * message names the process, and its `cause` is what the process threw.
 */
export class ProcessError extends Error {
  override name = 'ProcessError';
  constructor(
    readonly processName: string,
    readonly time: number,
    cause: unknown,
  ) {
    super(`process '${processName}' failed at ${formatTime(time)}: ${messageOf(cause)}`, { cause });
  }
}

/** Thrown into a process at its current `yield` when another process interrupts it. */
export class Interrupt extends Error {
  override name = 'Interrupt';
  constructor(readonly reason: unknown) {
    super(`interrupted${reason === undefined ? '' : `: ${messageOf(reason)}`}`);
  }
}

/** What waiters of a cancelled process receive. Cancelling is deliberate, so it never crashes a run on its own. */
export class ProcessCancelled extends Error {
  override name = 'ProcessCancelled';
  constructor(
    readonly processName: string,
    readonly time: number,
    readonly reason: unknown,
  ) {
    super(
      `process '${processName}' was cancelled at ${formatTime(time)}${reason === undefined ? '' : `: ${messageOf(reason)}`}`,
    );
  }
}

/** One line of a deadlock report. */
export interface WaitingProcess {
  readonly process: string;
  readonly waitingFor: string;
}

export interface DeadlockReport {
  readonly time: number;
  /** Set when the run was asked to stop at an event that can now never happen. */
  readonly until?: string;
  readonly waiting: readonly WaitingProcess[];
}

export function describeDeadlock(report: DeadlockReport): string {
  const shown = report.waiting.slice(0, 20);
  const lines = shown.map((w) => `  - '${w.process}' waits for ${w.waitingFor}`);
  if (report.waiting.length > shown.length) {
    lines.push(`  - ... and ${report.waiting.length - shown.length} more`);
  }
  const who =
    report.waiting.length === 0
      ? 'no process is waiting'
      : `${report.waiting.length} process${report.waiting.length === 1 ? '' : 'es'} wait${report.waiting.length === 1 ? 's' : ''}`;
  const head = report.until
    ? `deadlock at ${formatTime(report.time)}: the run was to stop at ${report.until}, but nothing left is scheduled that could trigger it; ${who}`
    : `deadlock at ${formatTime(report.time)}: ${who} and nothing is scheduled that could wake ${report.waiting.length === 1 ? 'it' : 'them'}`;
  return lines.length > 0 ? `${head}:\n${lines.join('\n')}` : head;
}

/** The event queue ran dry while processes still waited (or the `until` event can no longer fire). */
export class DeadlockError extends Error {
  override name = 'DeadlockError';
  constructor(readonly report: DeadlockReport) {
    super(describeDeadlock(report));
  }
}

/** A guard on events or simulated time ended a run that looked like it would never stop. */
export class RunawayError extends Error {
  override name = 'RunawayError';
}

/**
 * The per-instant guard: events ran on at one instant without time advancing. Unlike a
 * run that is merely too long, this is a process spinning (a strategy that never waits),
 * which `dispatchlab check` reports as a run that does not end.
 */
export class StalledError extends RunawayError {
  override name = 'StalledError';
}
