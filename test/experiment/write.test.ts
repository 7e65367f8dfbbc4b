import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/experiment/write.js';

describe('writeAtomically', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dispatchlab-write-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the text and leaves no temporary file behind', async () => {
    const file = join(dir, 'results.json');
    await writeAtomically(file, '{"a":1}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    await writeAtomically(file, 'é second\n');
    expect(readFileSync(file, 'utf8')).toBe('é second\n');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('on failure leaves the old file whole and removes its temporary file', async () => {
    const file = join(dir, 'results.json');
    writeFileSync(file, 'old results\n');
    // A rename over a non-empty directory fails after the temporary file was written.
    const blocked = join(dir, 'blocked');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'inside'), 'x');
    await expect(writeAtomically(blocked, 'new')).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'results.json']);
    expect(readFileSync(file, 'utf8')).toBe('old results\n');
    // A directory that does not exist: nothing is created anywhere.
    await expect(writeAtomically(join(dir, 'missing', 'r.json'), 'x')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'results.json']);
  });

  it('never shows a reader a partial file while writing', async () => {
    const file = join(dir, 'big.json');
    const text = `${'0123456789'.repeat(2_000_000)}\n`; // 20 MB: the write takes a while
    writeFileSync(file, 'old\n');
    const seen = new Set<number>();
    let writing = true;
    const watch = (async () => {
      while (writing) {
        if (existsSync(file)) seen.add(readFileSync(file).length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await writeAtomically(file, text);
    writing = false;
    await watch;
    for (const length of seen) expect([4, text.length]).toContain(length);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['big.json']);
  });
});
