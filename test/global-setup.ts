/**
 * Builds dist/ before the tests when it is missing or older than the sources, so the CLI
 * and worker-thread tests never run stale compiled code. In CI `npm ci` has just built it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildState, projectRoot } from '../src/experiment/build-check.js';

export default function setup(): void {
  if (buildState().state === 'current') return;
  execFileSync(
    process.execPath,
    [join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: projectRoot, stdio: 'inherit' },
  );
}
