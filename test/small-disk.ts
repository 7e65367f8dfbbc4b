/**
 * A tiny real file system (a tmpfs of 64 KiB) for tests of what a full disk does (short
 * writes, then ENOSPC) or a read-only one (EROFS, which root cannot override). Mounting needs root on Linux (CI runs as root); elsewhere the tests
 * that need it are skipped, with the reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SmallDisk =
  | { readonly dir: string; readonly unmount: () => void }
  | { readonly dir?: undefined; readonly reason: string };

/** Mounts a tmpfs of `kib` KiB; `readOnly` mounts it read-only (EROFS on every write). */
export function mountSmallDisk(kib = 64, { readOnly = false } = {}): SmallDisk {
  if (process.platform !== 'linux')
    return { reason: `a tmpfs needs Linux, not ${process.platform}` };
  if (process.getuid?.() !== 0) return { reason: 'mounting a tmpfs needs root' };
  const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-small-disk-'));
  try {
    const options = `size=${kib}k${readOnly ? ',ro' : ''}`;
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return { reason: `cannot mount a tmpfs here: ${stderr || (err as Error).message}` };
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { timeout: 10_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
