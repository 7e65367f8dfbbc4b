/**
 * Writing a result file so that it is either the old file or the complete new one, never
 * half of the new one: a reader (a report, a merge on another machine, a user after a
 * Ctrl-C or a full disk) must not mistake a truncated document for results.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsync, open, openSync, renameSync, statSync, unlinkSync, write } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { temporaryPathNextTo } from '../sim/temp-name.js';
import { UsageError } from './errors.js';
import { signalsHandled, trackTemporaryFile } from './temp-files.js';

const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const openAsync = promisify(open);

/**
 * Writes `text` (UTF-8) to a temporary file in the same directory (a rename is atomic only
 * within one file system), flushes it to disk, then renames it over `path`. On any error
 * the temporary file is removed and `path` is untouched; the error is the file system's
 * own (ENOSPC, EACCES...), for the caller to report with the path it knows. The
 * directory is flushed after the rename where the platform allows it, so the new name
 * survives a crash too.
 *
 * While it is written, the temporary file is tracked (temp-files.ts) so that a signal
 * handler can delete it; a signal received before the rename is handled before it.
 *
 * `path` must be a regular file or not exist: a rename would replace a device, a pipe or
 * a socket with a plain file (as root, `/dev/null` itself), so those are refused. The new
 * file gets default permissions (0666 less the umask), not those of a file it replaces.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  try {
    await writeAllAtomically([{ path, text }]);
  } catch (err) {
    throw err instanceof FileWriteError ? err.cause : err;
  }
}

/** One file of a set written together: text (written as UTF-8) or bytes (an image). */
export interface FileToWrite {
  readonly path: string;
  readonly text: string | Uint8Array;
}

/** Thrown by writeAllAtomically: the file system's error, and which file it was about. */
export class FileWriteError extends Error {
  override name = 'FileWriteError';
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Writes a set of files (a report: a page, its charts, its data) as writeAtomically writes
 * one: every file goes to a temporary file beside its target and is flushed; only when all
 * are complete are they renamed into place, one after another in one synchronous step
 * that no signal handler can interrupt (a rename that fails there, which the checks made
 * before the work leave unlikely, leaves the files renamed before it in place). A full disk or a signal before that step leaves
 * every target as it was (absent, or the old file) and no temporary file: a reader never
 * finds half a report, nor a new page beside old charts. Errors other than the writes'
 * own are rethrown as they are; a write's is a FileWriteError naming its file.
 */
export async function writeAllAtomically(files: readonly FileToWrite[]): Promise<void> {
  for (const f of files) refuseSpecialFile(f.path);
  const written: { temp: string; path: string; untrack: () => void }[] = [];
  try {
    for (const f of files) written.push(await writeTemporary(f.path, f.text));
    await signalsHandled();
    // Synchronous: a signal is handled before all the renames or after all of them.
    for (const w of written) {
      try {
        renameSync(w.temp, w.path);
      } catch (err) {
        throw new FileWriteError(w.path, err);
      }
    }
  } catch (err) {
    for (const w of written) {
      try {
        unlinkSync(w.temp);
      } catch {
        // Already renamed into place, or gone (a signal handler deleted it).
      }
    }
    throw err;
  } finally {
    for (const w of written) w.untrack();
  }
  for (const dir of new Set(files.map((f) => dirname(f.path)))) await syncDirectory(dir);
}

/**
 * Writes `text` to a new temporary file beside `path` and flushes it to disk; tracked
 * (temp-files.ts) from the moment it exists, so that a signal handler can delete it.
 */
async function writeTemporary(
  path: string,
  text: string | Uint8Array,
): Promise<{ temp: string; path: string; untrack: () => void }> {
  const temp = temporaryPathNextTo(
    path,
    '.',
    `.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (err) {
    throw new FileWriteError(path, err);
  }
  // Created and tracked in one synchronous step: no signal handler can run in between.
  const untrack = trackTemporaryFile(temp);
  try {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    // fs.write may write fewer bytes than asked (a nearly full disk): continue until all are.
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await writeAsync(fd, bytes, offset, bytes.length - offset);
      if (bytesWritten <= 0) {
        throw Object.assign(new Error(`writing ${temp} made no progress`), {
          code: 'EIO',
          syscall: 'write',
          path: temp,
        });
      }
      offset += bytesWritten;
    }
    await fsyncAsync(fd);
  } catch (err) {
    try {
      closeSync(fd);
      unlinkSync(temp);
    } catch {
      // Already gone (a signal handler deleted it): nothing is left either way.
    }
    untrack();
    throw new FileWriteError(path, err);
  }
  closeSync(fd);
  return { temp, path, untrack };
}

/** Throws when `path` exists and is not a regular file (or a link to one), nor a folder. */
function refuseSpecialFile(path: string): void {
  let kind: string | undefined;
  try {
    const stats = statSync(path);
    if (stats.isFile() || stats.isDirectory()) return; // a folder fails at the rename, cleanly
    if (stats.isCharacterDevice() || stats.isBlockDevice()) kind = 'a device';
    else if (stats.isFIFO()) kind = 'a named pipe';
    else if (stats.isSocket()) kind = 'a socket';
    else kind = 'not a regular file';
  } catch {
    return; // absent (the usual case), or unreadable: the write itself reports it
  }
  throw new UsageError(
    `${path} is ${kind}; results are written to a temporary file and renamed into place, which would replace it. Give the path of a regular file.`,
  );
}

async function syncDirectory(dir: string): Promise<void> {
  let fd: number | undefined;
  try {
    fd = await openAsync(dir, 'r');
    await fsyncAsync(fd);
  } catch {
    // Not every platform can open or fsync a directory (Windows cannot); the file itself
    // is complete either way.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
