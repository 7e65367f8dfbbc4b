/**
 * File names made from user text (a scenario's `name`, in `compare`/`sweep --out DIR`).
 * The text is not checked by the scenario schema to be a file name, and must not need to
 * be: `../escaped` must not write outside DIR, `a/b` must not need a folder `a`, a NUL
 * byte or 300 characters must not crash the write, and a name that works on Linux must
 * work on Windows too (no `<>:"/\|?*`, no control characters, no trailing dot or space,
 * not CON, NUL, COM1...).
 */
import { createHash } from 'node:crypto';

/** At most this many characters, so that a stem and the longest suffix stay far below 255 bytes. */
export const maxStemLength = 100;

/**
 * A name kept as it is: lower-case ASCII letters, digits, `_` and `-`, starting and ending
 * with a letter or digit. Not upper case: on a case-insensitive file system (macOS,
 * Windows) `Docs` and `docs` would share a file. Not `.`: `x.sweep`'s compare partial
 * would share a name with `x`'s sweep partial.
 */
const keptAsIs = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/;

/** Device names Windows reserves, whatever the extension (`CON.results.json` too). */
const reservedOnWindows = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A file-name stem for `name`, the same on every run: `name` itself when it is already
 * safe everywhere (`docs-audit`), else its letters and digits joined by `-`, cut to fit,
 * then `--` and 10 hex digits of the name's SHA-256 (`escaped--1f2e3d4c5b`).
 *
 * Two different names never share a stem, even ignoring case: names kept as they are
 * are lower case and never contain `--` (a kept name with `--` is rewritten), rewritten
 * stems always do, and two rewritten stems meet only if two names share 40 bits of their
 * hash (hex digits: lower case).
 */
export function safeFileStem(name: string): string {
  if (
    name.length <= maxStemLength &&
    keptAsIs.test(name) &&
    !name.includes('--') &&
    !reservedOnWindows.test(name)
  ) {
    return name;
  }
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 10);
  const readable = name
    .replace(/[^A-Za-z0-9]+/g, '-')
    .slice(0, maxStemLength - hash.length - 2)
    .replace(/^-+|-+$/g, '');
  // No dot is left, so the part Windows compares with its device names is the whole stem,
  // which ends in the hash: never a device name.
  return `${readable === '' ? 'scenario' : readable}--${hash}`;
}
