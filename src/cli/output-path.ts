/**
 * Output paths (`--out`, `--trace`) are checked before any work, so that a bad one fails
 * in milliseconds, not after a ten-minute comparison: the folder is created if missing
 * (like `mkdir -p`) and must take a new file; the target must not be a folder, a device,
 * a pipe or a socket. Every command that writes goes through here, and so does the final
 * write, whose failure (a full disk) becomes the same kind of message.
 *
 * Folders are created one level at a time rather than with `mkdir(…, { recursive: true })`,
 * which loops forever, at full CPU, where a folder's parent exists but the kernel answers
 * ENOENT for the folder: under /proc, or below a symbolic link to nothing. Each folder
 * created is tracked, so that a command that does not finish removes it again
 * (temp-files.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  type Stats,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname, sep } from 'node:path';
import { trackCreatedFolder } from '../experiment/temp-files.js';
import { FileWriteError, writeAllAtomically } from '../experiment/write.js';
import { cleanUpOnSignals } from './interruptions.js';
import { cannotWrite, type FileTarget, OutputError, outputError } from './output-error.js';

/** Checks (and creates) the folder `dir` for files named by `option`, before any work. */
export function prepareOutputFolder(dir: string, option: string): void {
  cleanUpOnSignals();
  const target = { path: dir, option };
  refuseEmpty(target, 'a folder');
  makeFolder(dir, target);
  checkFolderTakesFiles(dir, target);
}

/** Checks the file `path` named by `option` (and creates its folder), before any work. */
export function prepareOutputFile(path: string, option: string): void {
  cleanUpOnSignals();
  const target = { path, option };
  refuseEmpty(target, 'a file name');
  checkTarget(target);
  const dir = dirname(path);
  makeFolder(dir, target);
  checkFolderTakesFiles(dir, target);
}

/** Writes `text` to `path` atomically; a failure is an OutputError naming the path and the fix. */
export async function writeOutputFile(path: string, text: string, option: string): Promise<void> {
  await writeOutputFiles([{ path, text }], option);
}

/**
 * Writes a set of files named by `option` all at once (write.ts: none is renamed into
 * place until every one is complete); a failure is an OutputError naming the file.
 */
export async function writeOutputFiles(
  files: readonly { readonly path: string; readonly text: string | Uint8Array }[],
  option: string,
): Promise<void> {
  for (const f of files) checkTarget({ path: f.path, option }); // again: the compute may have taken minutes
  try {
    await writeAllAtomically(files);
  } catch (err) {
    if (!(err instanceof FileWriteError)) throw err;
    throw outputError(err.cause, { path: err.path, option }) ?? err.cause;
  }
}

/** An empty path (an unset variable in a script: `--out "$DIR"`) means nothing, not "here". */
function refuseEmpty(target: FileTarget, what: string): void {
  if (target.path.trim() === '')
    throw new OutputError(`${target.option} is empty; give it ${what}.`);
}

function stat(path: string, target: FileTarget, context?: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // missing (makeFolder says which part)
    throw outputError(err, target, context) ?? err;
  }
}

/** The target may be absent or a regular file (which is replaced), nothing else. */
function checkTarget(target: FileTarget): void {
  const stats = stat(target.path, target);
  if (stats === undefined || stats.isFile()) return;
  if (stats.isDirectory()) {
    throw cannotWrite(
      target,
      `it is a folder; give the name of a file to write (inside that folder, if you like).`,
    );
  }
  const kind = stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : 'a device';
  throw cannotWrite(
    target,
    `it is ${kind}, not a regular file, and ${target.option} writes a temporary file that it renames into place, which would replace it. Give the path of a regular file.`,
  );
}

/** Creates `dir` and any missing folder above it; says which part is in the way if one is. */
function makeFolder(dir: string, target: FileTarget): void {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    const stats = stat(current, target);
    if (stats?.isDirectory()) break;
    if (stats !== undefined) {
      throw cannotWrite(
        target,
        `${current} is a file, not a folder. To fix: choose another ${target.option}, or move that file away.`,
      );
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break; // a root that does not exist: mkdir below says why
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
      trackCreatedFolder(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        if (stat(folder, target)?.isDirectory()) continue; // `a/..` exists once `a` does
        if (isSymbolicLink(folder)) {
          throw cannotWrite(
            target,
            `${folder} is a symbolic link to something that does not exist. To fix: create its target, or choose another ${target.option}.`,
          );
        }
      }
      throw outputError(err, target, `cannot create the folder ${folder}`) ?? err;
    }
  }
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Creates and deletes an empty file in `dir`: the only test that covers everything that
 * can refuse a new file (permissions, ACLs, a read-only or special file system such as
 * /proc, no free inodes) — `access()` answers yes to root everywhere. Synchronous, after
 * the signal handlers are in place: a signal is handled only once the file is gone.
 */
function checkFolderTakesFiles(dir: string, target: FileTarget): void {
  const separator = dir.endsWith('/') || dir.endsWith(sep) ? '' : sep;
  const probe = `${dir}${separator}.dispatchlab-check-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (err) {
    throw outputError(err, target, `the folder ${dir} does not take new files`) ?? err;
  }
}
