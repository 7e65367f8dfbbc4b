/**
 * Builds dist/ before the tests when it is missing or older than the sources, so the CLI
 * and worker-thread tests never run stale compiled code. In CI `npm ci` has just built it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const stamp = 'dist/cli/main.js';
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newestMtime('src')) return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
