/**
 * How the command ends when it cannot finish: a signal (Ctrl-C, `kill`, a closed
 * terminal) or a standard output that cannot be written. Either way it first removes
 * what it had started to write (temp-files.ts), says so in one line, and exits with the
 * conventional code: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM, 129 for
 * SIGHUP), 2 for an output that cannot be written, 0 for a reader that stopped reading
 * (`dispatchlab ... | head`), as Unix tools do.
 *
 * Signal handlers are installed only by commands that write files, once their outputs
 * are checked (output-path.ts): a handler delays the signal until the event loop gets
 * control, which a long synchronous run does not give, so commands with nothing to clean
 * up keep the default (immediate) end.
 */
import { removeLeftovers } from '../experiment/temp-files.js';
import { stdoutErrorMessage } from './output-error.js';

const exitCodes = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

let signalsHandledHere = false;

/** From now on, SIGINT, SIGTERM and SIGHUP remove the unfinished outputs before the process ends. */
export function cleanUpOnSignals(): void {
  if (signalsHandledHere) return;
  signalsHandledHere = true;
  for (const [signal, code] of Object.entries(exitCodes)) {
    process.on(signal, () => {
      const removed = removeLeftovers();
      const what =
        removed.length === 0 ? '' : `; removed what it had started to write: ${removed.join(', ')}`;
      process.stderr.write(`dispatchlab: stopped by ${signal}${what}.\n`);
      process.exit(code);
    });
  }
}

let stdoutWatched = false;

/** Ends the process cleanly when standard output fails, instead of with a stack trace. */
export function handleStdoutErrors(): void {
  if (stdoutWatched) return;
  stdoutWatched = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    removeLeftovers();
    if (err.code === 'EPIPE') process.exit(0);
    process.stderr.write(`dispatchlab: ${stdoutErrorMessage(err)}\n`);
    process.exit(2);
  });
}
