/**
 * The exit codes beyond success: 2 bad usage or bad input (CliError and the library's input
 * errors), 1 a bug, and 3 for `check` when an invariant is broken: a finding about the
 * strategy, already printed, that CI must tell from a crash or a typo.
 */
export class ChecksFailed extends Error {
  override name = 'ChecksFailed';
  constructor() {
    super('an invariant is broken');
  }
}

export const checksFailedExitCode = 3;
