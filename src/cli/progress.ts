/**
 * A progress bar on stderr for long work — only when stderr is a terminal and the user did
 * not ask for quiet, so pipes, files and CI logs get clean output.
 *
 * The time left is shown only once a seed is done and cli-progress has a finite estimate:
 * before that it has no rate to go by and would print "NULL" or "INF" as if they were
 * durations.
 */
import cliProgress from 'cli-progress';
import type { ProgressCallback } from '../experiment/pool.js';

export interface Progress {
  readonly onProgress: ProgressCallback | undefined;
  stop(): void;
}

/** The bar's line: cli-progress's own formatter, on a format with or without the time left. */
export function progressFormat(what: string, unit = 'seeds'): cliProgress.GenericFormatter {
  const head = `${what} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted} elapsed`;
  return (options, params, payload) => {
    const known = params.value > 0 && typeof params.eta === 'number' && Number.isFinite(params.eta);
    const format = known ? `${head}, ~{eta_formatted} left` : head;
    return cliProgress.Format.Formatter({ ...options, format }, params, payload);
  };
}

export function progressBar(what: string, quiet: boolean | undefined, unit = 'seeds'): Progress {
  if (quiet || !process.stderr.isTTY) return { onProgress: undefined, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: progressFormat(what, unit),
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      // The estimate from the last 50 updates (1% each in-process), not the default 10:
      // steadier when worker threads report in bursts.
      etaBuffer: 50,
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
