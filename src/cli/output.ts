/** Where command output goes: stdout, or a file written atomically (never half-written). */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'w');
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
}

export function writeOutput(text: string, file: string | undefined): void {
  if (file === undefined) process.stdout.write(text);
  else writeFileAtomically(file, text);
}
