import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxStemLength, safeFileStem } from '../../src/cli/file-name.js';

/** What every stem must be: portable ASCII, no leading/trailing punctuation, at most 100 characters. */
const strictlySafe = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
const windowsDevice = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const suffixes = [
  '.results.json',
  '.sweep.json',
  '.partial-3-of-4.json',
  '.sweep.partial-1-of-2.json',
];

/** Names as users (and attackers) write them: anything, and some deliberately nasty shapes. */
const names = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(fc.constantFrom('.', '..', '/', '\\', ':', '*', '?', '"', '<', '>', '|', '\0', ' ', 'a'))
    .map((parts) => parts.join('')),
  fc.constantFrom('CON', 'nul', 'Com1', 'lpt9.x', '..', '.', '', ' ', 'a--b', 'x'.repeat(101)),
);

describe('safeFileStem', () => {
  it('keeps names that are already safe everywhere', () => {
    for (const name of ['docs-audit', 'small-team', 'v1_2-final', 'a', 'x'.repeat(100)])
      expect(safeFileStem(name)).toBe(name);
  });

  it('rewrites upper case and dots, so no two names share a file even where case is ignored', () => {
    // `Docs` and `docs` on macOS or Windows; `x.sweep`'s compare partial and `x`'s sweep partial.
    expect(safeFileStem('Docs')).toMatch(/^Docs--[0-9a-f]{10}$/);
    expect(safeFileStem('Docs').toLowerCase()).not.toBe(safeFileStem('docs'));
    expect(safeFileStem('x.sweep')).toMatch(/^x-sweep--[0-9a-f]{10}$/);
  });

  it('rewrites the rest into letters, digits and one "--" before a hash', () => {
    expect(safeFileStem('../escaped')).toMatch(/^escaped--[0-9a-f]{10}$/);
    expect(safeFileStem('a/b')).toMatch(/^a-b--[0-9a-f]{10}$/);
    expect(safeFileStem('a\0b')).toMatch(/^a-b--[0-9a-f]{10}$/);
    expect(safeFileStem('a/b')).not.toBe(safeFileStem('a\0b'));
    expect(safeFileStem('CON')).toMatch(/^CON--[0-9a-f]{10}$/);
    expect(safeFileStem('résumé 2024')).toMatch(/^r-sum-2024--[0-9a-f]{10}$/);
    expect(safeFileStem('...')).toMatch(/^scenario--[0-9a-f]{10}$/);
    expect(safeFileStem('x'.repeat(300))).toHaveLength(maxStemLength);
  });

  it('gives a strictly safe stem, for any name', () => {
    fc.assert(
      fc.property(names, (name) => {
        const stem = safeFileStem(name);
        expect(stem).toMatch(strictlySafe);
        expect(stem.length).toBeLessThanOrEqual(maxStemLength);
        expect(stem.split('.')[0]).not.toMatch(windowsDevice);
        expect(safeFileStem(name)).toBe(stem); // deterministic
      }),
      { numRuns: 2000 },
    );
  });

  it('never leaves the output folder, whatever the name', () => {
    const dir = join('/tmp', 'out');
    fc.assert(
      fc.property(names, fc.constantFrom(...suffixes), (name, suffix) => {
        const file = `${safeFileStem(name)}${suffix}`;
        const rel = relative(dir, join(dir, file));
        expect(rel).toBe(file); // one name, directly inside the folder
        expect(rel.includes(sep) || rel.includes('/') || rel.startsWith('..')).toBe(false);
        expect(Buffer.byteLength(file)).toBeLessThan(160);
      }),
      { numRuns: 2000 },
    );
  });

  it('maps two different names to two different stems', () => {
    fc.assert(
      fc.property(names, names, (a, b) => {
        fc.pre(a !== b);
        expect(safeFileStem(a)).not.toBe(safeFileStem(b));
      }),
      { numRuns: 5000 },
    );
    // The pair most likely to meet: a name that spells another name's rewritten stem. It
    // contains "--", so it is rewritten too, and differently.
    const stem = safeFileStem('a/b');
    expect(safeFileStem(stem)).not.toBe(stem);
  });
});
