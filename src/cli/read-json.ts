/**
 * Reading a JSON document a command takes (a partial or a results document): a regular file
 * of bounded size, a byte-order mark allowed; every failure a CliError naming the file,
 * what is wrong, and (`takes`) what the command takes.
 */
import { BoundedReadError, readBoundedText } from '../scenario/files/bounded-read.js';
import { scanJson } from '../scenario/files/json-scan.js';
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
  // Nesting far deeper than any document of ours overflows the stack of whoever walks it
  // (writing results.json again, for one): refused before it is built. The deepest part
  // of ours, a strategy module's options (at most limits.nesting levels), sits a few levels
  // down; twice that is far from both.
  const most = 2 * limits.nesting;
  const { depth, duplicate } = scanJson(text);
  if (depth > most) {
    throw new CliError(
      `${file}: nests ${depth} levels deep, more than the ${most} a document of dispatchlab's can; ${takes}.`,
    );
  }
  if (duplicate !== undefined) {
    throw new CliError(
      `${file}:${duplicate.line}:${duplicate.column}: the key "${duplicate.key}" appears twice in one object (first on line ${duplicate.firstLine}); a document of dispatchlab's never repeats a key: ${takes}.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: not a JSON document (${(err as Error).message}); ${takes}.`);
  }
}
