/**
 * A progress bar on stderr for long work — only when stderr is a terminal and the user did
 * not ask for quiet, so pipes, files and CI logs get clean output.
 */
import cliProgress from 'cli-progress';
import type { ProgressCallback } from '../experiment/pool.js';

export interface Progress {
  readonly onProgress: ProgressCallback | undefined;
  stop(): void;
}

export function progressBar(what: string, quiet: boolean | undefined): Progress {
  if (quiet || !process.stderr.isTTY) return { onProgress: undefined, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${what} [{bar}] {percentage}% | {value}/{total} seeds | {duration_formatted} elapsed, ~{eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
