/**
 * Reading a file a user named, safely: only a regular file, and only up to a size. A named
 * pipe would block the process forever waiting for a writer, `/dev/zero` or `/dev/urandom`
 * would fill the memory, a socket cannot be read at all; a 10 GB log would exhaust the
 * memory before any check on its content could run.
 *
 * The file is opened without blocking (O_NONBLOCK: opening a pipe does not wait for a
 * writer) and checked with fstat on the open descriptor, so what is checked is what is read
 * even if the path is swapped in between. Reading stops one byte past the limit, so a file
 * that grows while read, or that reports no size (/proc), is bounded too.
 *
 * Errors the operating system raises (ENOENT, EACCES...) pass through for the caller to
 * word; what this module refuses is a `BoundedReadError` whose `reason` says why.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export type BoundedReadRefusal = 'directory' | 'not-a-file' | 'too-large';

export class BoundedReadError extends Error {
  override name = 'BoundedReadError';
  constructor(
    readonly reason: BoundedReadRefusal,
    /** Why, in words that fit after the file's name: "is a named pipe (FIFO), not a file". */
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** What a path that is not a regular file is, for messages. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device (such as /dev/zero)';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** "1 MiB", "64 MiB", "512 KiB": limits as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

const chunkBytes = 64 * 1024;

/**
 * The content of `path` as UTF-8 text (invalid sequences replaced, as readFileSync does),
 * if it is a regular file of at most `maxBytes` bytes.
 * @throws BoundedReadError for a directory, anything that is not a regular file, or a file
 *   larger than `maxBytes`; the operating system's error if it cannot be opened or read.
 */
export function readBoundedText(path: string, maxBytes: number): string {
  // O_NONBLOCK is not defined on every platform (Windows has no named pipes of this kind).
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR')
      throw new BoundedReadError('directory', 'is a directory, not a file');
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new BoundedReadError('directory', 'is a directory, not a file');
    if (!stats.isFile()) {
      throw new BoundedReadError(
        'not-a-file',
        `is ${kindOf(stats)}, not a regular file; only regular files are read (copy the data into one)`,
      );
    }
    const tooLarge = () =>
      new BoundedReadError(
        'too-large',
        `is larger than ${formatBytes(maxBytes)}, the most read from such a file`,
      );
    if (stats.size > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkBytes, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
