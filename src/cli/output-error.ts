/**
 * An output that cannot be written — a missing or read-only folder, a full disk, a name
 * too long — is a problem of the environment or of the path the user gave, not a bug:
 * exit code 2 and one paragraph naming the path, what the system said and the fix. This
 * file is the one place that tells those errors (by errno code) from bugs.
 */
import { CliError } from './cli-error.js';

/** An output file, and the option that named it (`--out`, `--trace`), for messages. */
export interface FileTarget {
  readonly path: string;
  readonly option: string;
}

export class OutputError extends CliError {
  override name = 'OutputError';
}

interface Problem {
  /** What the system said, in words. */
  readonly what: string;
  /** What to do, given "another <option>" to name the way out. */
  readonly fix: (another: string) => string;
}

const freeSpace = (another: string) => `free some space, or choose ${another} on another disk`;

/** Errno codes that mean the environment or the path given, never dispatchlab. */
const problems: Readonly<Record<string, Problem>> = {
  ENOSPC: { what: 'no space left on the device', fix: freeSpace },
  EDQUOT: { what: 'your disk quota is used up', fix: freeSpace },
  EFBIG: {
    what: 'the file would be larger than this file system allows',
    fix: (another) => `choose ${another} on a file system that takes larger files`,
  },
  EIO: {
    what: 'the device reported an input/output error',
    fix: (another) => `check the disk or network share, or choose ${another}`,
  },
  EACCES: {
    what: 'permission denied',
    fix: (another) => `choose ${another} in a folder you can write to`,
  },
  EPERM: {
    what: 'the operation is not permitted there',
    fix: (another) => `choose ${another} in a folder you can write to`,
  },
  EROFS: {
    what: 'the file system is read-only',
    fix: (another) => `choose ${another} on a writable file system`,
  },
  ENAMETOOLONG: {
    what: 'a name in the path is too long for the file system',
    fix: (another) => `choose ${another} with shorter names (at most 255 bytes each)`,
  },
  ENOTDIR: {
    what: 'a part of the path is a file, not a folder',
    fix: (another) => `choose ${another}, or move that file away`,
  },
  EISDIR: {
    what: 'it is a folder',
    fix: () => 'give the name of a file (inside that folder, if you like)',
  },
  EEXIST: {
    what: 'a file is in the way of a folder',
    fix: (another) => `choose ${another}, or move that file away`,
  },
  ENOENT: {
    what: 'the folder does not exist or does not take new files',
    fix: (another) => `choose ${another} in a folder you can write to`,
  },
  ELOOP: {
    what: 'the path has too many symbolic links (a loop?)',
    fix: (another) => `fix the links or choose ${another}`,
  },
  EINVAL: {
    what: 'the name is not valid on this file system',
    fix: (another) => `choose ${another}`,
  },
  EMFILE: {
    what: 'too many files are open in this process',
    fix: () => 'raise the limit (ulimit -n) and run it again',
  },
  ENFILE: {
    what: 'too many files are open on this system',
    fix: () => 'close other programs or raise the system limit, and run it again',
  },
  EBUSY: {
    what: 'the file or device is busy',
    fix: (another) => `try again later or choose ${another}`,
  },
};

function codeOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `err` is a file-system error that is the environment's or the path's, not a bug. */
function isEnvironmentError(err: unknown): boolean {
  const code = codeOf(err);
  return err instanceof Error && code !== undefined && Object.hasOwn(problems, code);
}

/**
 * The OutputError for a failed write to `target`, or undefined when `err` is not an
 * environment error (then it is a bug, and stays what it is). `context` says which step
 * failed when it is not the file itself ("cannot create the folder out").
 */
export function outputError(
  err: unknown,
  target: FileTarget,
  context?: string,
): OutputError | undefined {
  const code = codeOf(err);
  if (code === undefined || !isEnvironmentError(err)) return undefined;
  const problem = problems[code]!;
  return cannotWrite(
    target,
    `${context === undefined ? '' : `${context}: `}${problem.what} (${code}); nothing was written there. To fix: ${problem.fix(`another ${target.option}`)}.`,
  );
}

/** An OutputError for `target` that says why in the caller's words. */
export function cannotWrite(target: FileTarget, reason: string): OutputError {
  return new OutputError(`cannot write ${target.path} (${target.option}): ${reason}`);
}

/** For standard output, whose errors are always the environment's: a message even for codes not listed. */
export function stdoutErrorMessage(err: unknown): string {
  const code = codeOf(err) ?? 'unknown';
  const what = problems[code]?.what ?? (err instanceof Error ? err.message : String(err));
  return `cannot write to standard output: ${what} (${code}); the output is incomplete. Redirect it to a place that takes all of it (a file on a disk with free space, or a program that reads it).`;
}
