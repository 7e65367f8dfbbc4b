/**
 * Formatting helpers shared by the benchmarks: environment line, rates, verdicts. Tables
 * are aligned by the CLI's alignColumns (src/cli/format.ts).
 */
import os from 'node:os';

export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cpus: number;
}

export function environment(): Environment {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
  };
}

/** Events per second as "3.21 M/s". */
export function mega(perSecond: number): string {
  return `${(perSecond / 1e6).toFixed(2)} M/s`;
}

export function verdict(value: number, target: number): 'PASS' | 'MISS' {
  return value >= target ? 'PASS' : 'MISS';
}

/** Progress goes to stderr, so that stdout stays clean for `--json`. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The `--rounds` option: a whole number >= 1, with a warning below the 5 a median needs. */
export function parseRounds(value: string | undefined): number {
  const rounds = Number(value);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`--rounds must be a positive integer, got ${value}`);
  }
  if (rounds < 5)
    progress(`warning: ${rounds} rounds; the figures are meant as medians of at least 5`);
  return rounds;
}
