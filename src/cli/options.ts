/** Parsers for option values: each rejects bad input with a message that says what to write. */
import { InvalidArgumentError } from 'commander';

function wholeNumber(value: string, min: number, what: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected ${what} (a whole number >= ${min}), got "${value}".`);
  }
  return Number(value);
}

export const parseSeed = (value: string): number => wholeNumber(value, 0, 'a seed');
export const parseCount = (value: string): number => wholeNumber(value, 1, 'a count');
export const parseWorkers = (value: string): number =>
  wholeNumber(value, 1, 'a number of worker threads');

/** The scenario file argument of run, compare and sweep, as --help describes it. */
export const scenarioFileHelp =
  'scenario file (YAML or JSON); each of its strategies is of a built-in kind or your own, from a TypeScript or JavaScript module: { module: ./my-strategy.ts, options: {...} }, or your own async orchestrator, which the real-code harness runs: { orchestrator: ./my-orchestrator.ts, options: {...} }';

/** A repeatable option's values, in the order given (`--vary a --vary b`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `-s, --strategy`'s help: what it takes (src/scenario/strategy-choice.ts). */
export const strategyOptionHelp =
  'only this strategy: its label, a prefix of the label no other has, or its number (1 for the first)';
