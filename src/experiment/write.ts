/**
 * Writing a result file so that it is either the old file or the complete new one, never
 * half of the new one: a reader (a report, a merge on another machine, a user after a
 * Ctrl-C or a full disk) must not mistake a truncated document for results.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` (UTF-8) to a temporary file in the same directory (a rename is atomic only
 * within one file system), flushes it to disk, then renames it over `path`. On any error
 * the temporary file is removed and `path` is untouched. The directory is flushed after
 * the rename where the platform allows it, so the new name survives a crash too.
 *
 * The new file gets default permissions (0666 less the umask), not those of a file it
 * replaces.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temp).catch(() => {}); // it may never have been created
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not every platform can open or fsync a directory (Windows cannot); the file itself
    // is complete either way.
  } finally {
    await handle?.close().catch(() => {});
  }
}
