import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `dispatchlab` bin in a child process, as a user would. */
export function cli(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, ['bin/dispatchlab.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DISPATCHLAB_DEBUG: '' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dispatchlab-cli-'));
}
