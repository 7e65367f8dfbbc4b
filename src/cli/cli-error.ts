/**
 * What the CLI reports without a stack trace: bad usage or bad input (exit code 2). Library
 * errors that mean the same (ScenarioError, DistributionError, ...) are mapped in main.ts.
 */
export class CliError extends Error {
  override name = 'CliError';
}
