/**
 * The errors that mean "the user's input is wrong" (exit code 2, the message without a
 * stack) rather than "dispatchlab has a bug" (exit 1), as far as the experiment layer and
 * the layers below it raise them. One list, for the CLI's exit codes and for worker
 * threads, across whose boundary an error loses its class and must be sent back as data.
 */
import { DurationError } from '../scenario/duration.js';
import { ScenarioError } from '../scenario/errors.js';
import { DistributionError } from '../sim/distributions/distribution.js';
import { UsageError } from './errors.js';

const inputErrorClasses = [ScenarioError, DistributionError, DurationError, UsageError] as const;

export function isInputError(err: unknown): err is Error {
  return inputErrorClasses.some((E) => err instanceof E);
}
