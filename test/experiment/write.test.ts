import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/experiment/errors.js';
import { removeLeftovers } from '../../src/experiment/temp-files.js';
import { FileWriteError, writeAllAtomically, writeAtomically } from '../../src/experiment/write.js';
import { mountSmallDisk, type SmallDisk } from '../small-disk.js';

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

  it('writes a set of files all or none: a failure leaves every old file and no temporary one', async () => {
    const page = join(dir, 'index.html');
    const data = join(dir, 'results.json');
    writeFileSync(page, 'old page\n');
    writeFileSync(data, 'old data\n');
    // The third file's folder does not exist: its write fails after the first two are written.
    const files = [
      { path: page, text: 'new page\n' },
      { path: data, text: 'new data\n' },
      { path: join(dir, 'missing', 'chart.svg'), text: '<svg/>' },
    ];
    const failure = await writeAllAtomically(files).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(FileWriteError);
    expect((failure as FileWriteError).path).toBe(join(dir, 'missing', 'chart.svg'));
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'results.json']);
    expect(readFileSync(page, 'utf8')).toBe('old page\n');
    expect(readFileSync(data, 'utf8')).toBe('old data\n');
    mkdirSync(join(dir, 'missing'));
    await writeAllAtomically(files);
    expect(readFileSync(page, 'utf8')).toBe('new page\n');
    expect(readFileSync(join(dir, 'missing', 'chart.svg'), 'utf8')).toBe('<svg/>');
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'missing', 'results.json']);
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

  it('refuses to replace a socket, a pipe or a device with a plain file', async () => {
    const socket = join(dir, 'listening.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      await expect(writeAtomically(socket, 'x')).rejects.toThrow(UsageError);
      await expect(writeAtomically(socket, 'x')).rejects.toThrow(
        /listening\.sock is a socket; .* Give the path of a regular file/,
      );
      expect(readdirSync(dir)).toEqual(['listening.sock']);
    } finally {
      server.close();
    }
  });

  it('tracks its temporary file while writing, so a signal handler can delete it', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, 'old\n');
    const writing = writeAtomically(file, `${'0123456789'.repeat(2_000_000)}\n`);
    const failed = writing.then(
      () => false,
      () => true,
    );
    // What the CLI's signal handler does, once the temporary file exists.
    while (readdirSync(dir).length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(true);
    expect(removeLeftovers().some((f) => f.endsWith('.tmp'))).toBe(true);
    expect(await failed).toBe(true); // the rename finds no temporary file
    expect(readdirSync(dir)).toEqual(['big.json']);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
  });
});

describe('writeAtomically on a full disk (a 64 KiB tmpfs)', () => {
  let disk: SmallDisk;
  beforeAll(() => {
    disk = mountSmallDisk();
  });
  afterAll(() => {
    if (disk.dir !== undefined) disk.unmount();
  });

  it('fails with ENOSPC, leaves the old file whole and no temporary file', async (context) => {
    if (disk.dir === undefined) return context.skip(disk.reason);
    const file = join(disk.dir, 'results.json');
    writeFileSync(file, 'old results\n');
    // More than the disk holds: short writes first, then ENOSPC.
    await expect(writeAtomically(file, 'x'.repeat(200_000))).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    expect(readdirSync(disk.dir)).toEqual(['results.json']);
    expect(readFileSync(file, 'utf8')).toBe('old results\n');
    // What fits is written whole, through the same loop.
    await writeAtomically(file, 'y'.repeat(20_000));
    expect(readFileSync(file, 'utf8')).toBe('y'.repeat(20_000));
    expect(readdirSync(disk.dir)).toEqual(['results.json']);
  });
});
