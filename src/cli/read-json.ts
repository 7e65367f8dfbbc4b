/**
 * Reading a JSON document a command takes (a partial or a results document): a regular file
 * of bounded size, a byte-order mark allowed; every failure a CliError naming the file,
 * what is wrong, and (`takes`) what the command takes.
 */
import { BoundedReadError, readBoundedText } from '../scenario/files/bounded-read.js';
import { limits } from '../scenario/limits.js';
import { CliError } from './cli-error.js';

export function readJsonDocument(file: string, takes: string): unknown {
  let text: string;
  try {
    // Only a regular file, and not one larger than a partial document can be: a FIFO
    // would wait forever, /dev/zero fill the memory.
    text = readBoundedText(file, limits.partialDocumentBytes);
  } catch (err) {
    if (err instanceof BoundedReadError) throw new CliError(`${file} ${err.detail}; ${takes}.`);
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `${file}: ${code === 'ENOENT' ? 'no such file; check the path' : code === 'EACCES' ? 'cannot be read (permission denied)' : (err as Error).message}.`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as some editors write
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: not a JSON document (${(err as Error).message}); ${takes}.`);
  }
}
