/**
 * What a command has put on disk that is not a result yet: temporary files being written,
 * and folders created for outputs that are not written yet. A command that ends early (a
 * signal, an error) removes them, so that it leaves nothing behind; one that succeeds has
 * renamed its temporary files into place and untracked them, and its folders hold its
 * outputs.
 *
 * Signals and commits. Node runs a signal handler only when the event loop gets control,
 * so a signal that comes during synchronous work (a run) waits. Before a writer renames
 * its temporary file into place — the moment the output becomes a result — it calls
 * `signalsHandled()`: a signal that came before is acted on then (the temporary file is
 * deleted and the process ends), never after the rename.
 */
import { rmdirSync, unlinkSync } from 'node:fs';

const temporaryFiles = new Set<string>();
const createdFolders: string[] = [];

/** Records a temporary file that exists now; the returned function untracks it (renamed or deleted). */
export function trackTemporaryFile(path: string): () => void {
  temporaryFiles.add(path);
  return () => {
    temporaryFiles.delete(path);
  };
}

/** Records a folder this process created for an output (outer folders first). */
export function trackCreatedFolder(path: string): void {
  createdFolders.push(path);
}

/**
 * Deletes every tracked temporary file, then every created folder that is still empty
 * (innermost first; a folder that holds anything, such as a finished output, stays).
 * Synchronous, for signal handlers and exit paths. Returns what it removed.
 */
export function removeLeftovers(): string[] {
  const removed: string[] = [];
  for (const file of temporaryFiles) {
    try {
      unlinkSync(file);
      removed.push(file);
    } catch {
      // Already renamed into place or deleted: nothing to remove.
    }
  }
  temporaryFiles.clear();
  for (const folder of createdFolders.splice(0).reverse()) {
    try {
      rmdirSync(folder);
      removed.push(folder);
    } catch {
      // Not empty (it holds an output, or someone else's file), or already gone.
    }
  }
  return removed;
}

/**
 * Resolves once every signal received before the call has been handled. Two turns of the
 * event loop: the first immediate may run in the check phase of the very iteration whose
 * poll phase (where libuv dispatches signals) has already passed; the second runs after
 * a poll phase that started after this call.
 */
export async function signalsHandled(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}
