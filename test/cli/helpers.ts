import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the command was killed (by the timeout below, or a test's signal). */
  readonly signal: NodeJS.Signals | null;
}

export interface CliOptions {
  /** Kill the command after this many ms (default 120 s): a hang fails the test instead of the suite. */
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly input?: string;
}

/** Runs the real `dispatchlab` bin in a child process, as a user would. */
export function cli(...args: string[]): CliResult {
  return cliWith({}, ...args);
}

/** `cli` with options: a timeout, extra environment, a working directory, standard input. */
export function cliWith(options: CliOptions, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [join(projectDir, 'bin/dispatchlab.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DISPATCHLAB_DEBUG: '', ...options.env },
    cwd: options.cwd ?? projectDir,
    input: options.input,
    timeout: options.timeoutMs ?? 120_000,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

const projectDir = join(import.meta.dirname, '../..');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dispatchlab-cli-'));
}

/** Every file and folder under `dir`, recursively, as sorted relative paths. */
export function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
}

/**
 * What every refused input must look like: exit code 2, one message on stderr that starts
 * with "dispatchlab: " and matches each pattern, no stack trace, no "internal error".
 */
export function expectInputError(r: CliResult, ...patterns: RegExp[]): void {
  const context = `exit ${r.code} signal ${r.signal}\nstderr: ${r.stderr}`;
  expect(r.signal, context).toBeNull();
  expect(r.code, context).toBe(2);
  expect(r.stderr, context).toMatch(/^dispatchlab: /);
  expect(r.stderr, context).not.toMatch(/^\s+at /m);
  expect(r.stderr, context).not.toMatch(/internal error|This is a bug/);
  for (const pattern of patterns) expect(r.stderr, context).toMatch(pattern);
}
