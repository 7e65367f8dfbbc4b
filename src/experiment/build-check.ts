/**
 * Whether the compiled code in dist/ is current with the TypeScript sources in src/. One
 * check for the two places that need it: the test setup (which rebuilds when it is not,
 * so the CLI tests never run stale code) and the pool running from the sources (whose
 * worker threads load dist/: a stale build would silently simulate old code).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout: two levels up from this file, whether in src/experiment or dist/experiment. */
export const projectRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What a build writes and the tests and the pool load: the CLI's entry point and the worker. */
const builtFiles = ['dist/cli/main.js', 'dist/experiment/worker.js'];

export type BuildState =
  | { readonly state: 'current' }
  /** `file` (absolute) has not been built. */
  | { readonly state: 'missing'; readonly file: string }
  /** `source` (absolute) changed after the last build. */
  | { readonly state: 'stale'; readonly source: string };

/** Whether dist/ under `root` holds a build of every source in src/ as it is now. */
export function buildState(root: string = projectRoot): BuildState {
  let built = Number.POSITIVE_INFINITY;
  for (const name of builtFiles) {
    const file = join(root, name);
    if (!existsSync(file)) return { state: 'missing', file };
    built = Math.min(built, statSync(file).mtimeMs);
  }
  const newest = newestSource(join(root, 'src'));
  if (newest !== undefined && newest.mtimeMs > built)
    return { state: 'stale', source: newest.path };
  return { state: 'current' };
}

function newestSource(dir: string): { path: string; mtimeMs: number } | undefined {
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory()
      ? newestSource(path)
      : entry.name.endsWith('.ts')
        ? { path, mtimeMs: statSync(path).mtimeMs }
        : undefined;
    if (candidate !== undefined && (newest === undefined || candidate.mtimeMs > newest.mtimeMs))
      newest = candidate;
  }
  return newest;
}
