/**
 * Errors of the experiment layer that are the user's to fix (a bad --vary, --shard,
 * --baseline or --seeds, partial files that do not belong together). The CLI prints the
 * message without a stack and exits with code 2, as for a ScenarioError. Anything else
 * thrown from here is a bug or an environment problem.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Partial documents that cannot be merged: the message names the files and what differs or is missing. */
export class MergeError extends UsageError {
  override name = 'MergeError';
}
