/**
 * The ways a run of a strategy's or an orchestrator's program can fail that are the user's
 * doing, not dispatchlab's: to compare, usage errors (exit 2, the message says what to
 * change); to `check`, runs that do not end (runEnds), which is what each carries a reason
 * for.
 */
import { UsageError } from './errors.js';

/**
 * A run stopped by the kernel's per-instant guard: the strategy spins without letting
 * simulated time pass. To compare, a usage error (exit 2, the message says what to
 * change); to `check`, a run that does not end (`stall` says so, for runEnds).
 */
export class StalledRun extends UsageError {
  override name = 'StalledRun';
  constructor(
    message: string,
    readonly stall: string,
  ) {
    super(message);
  }
}

/**
 * A strategy module's program, or an orchestrator module's code, threw (its own error, or a
 * rule of the API it broke): to compare, a usage error naming the module and the seed; to
 * `check`, a run that does not end (`threw` says why, for runEnds).
 */
export class StrategyThrew extends UsageError {
  override name = 'StrategyThrew';
  constructor(
    message: string,
    readonly threw: string,
  ) {
    super(message);
  }
}
