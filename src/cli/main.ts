/**
 * The dispatchlab command line. Thin by design: it parses arguments, calls the library,
 * and turns the library's input errors into one-paragraph messages and exit codes:
 * 0 success, 2 bad usage or bad input (including an output path that cannot be written), 3
 * when `check` finds an invariant broken, 1 only for a bug in dispatchlab.
 */
import { Command, CommanderError } from 'commander';
import { isInputError } from '../experiment/input-errors.js';
import { removeLeftovers } from '../experiment/temp-files.js';
import { dispatchlabVersion } from '../version.js';
import { CliError } from './cli-error.js';
import { registerCheck } from './commands/check.js';
import { registerCompare } from './commands/compare.js';
import { registerMerge } from './commands/merge.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerSweep } from './commands/sweep.js';
import { registerValidate } from './commands/validate.js';
import { ChecksFailed, checksFailedExitCode } from './exit-codes.js';
import { handleStdoutErrors } from './interruptions.js';

export function buildProgram(): Command {
  const program = new Command('dispatchlab')
    .description(
      'Decide how an LLM orchestrator should dispatch its subagents (blocking fan-out, bounded batches, or async with WIP limits, polling or events, timeouts and retries) by simulating the strategies on your workload before you adopt one.',
    )
    .version(dispatchlabVersion, '-V, --version', 'print the dispatchlab version')
    .helpOption('-h, --help', 'explain a command')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
  registerRun(program);
  registerCompare(program);
  registerSweep(program);
  registerMerge(program);
  registerReport(program);
  registerCheck(program);
  registerValidate(program);
  registerSchema(program);
  for (const command of program.commands) command.exitOverride();
  program.addHelpText(
    'after',
    '\nExit codes: 0 success, 2 bad usage or bad input, 3 an invariant broken (check), 1 an internal error (a bug).\nExample: dispatchlab compare scenarios/docs-audit.yaml',
  );
  return program;
}

/** Runs the CLI and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  handleStdoutErrors();
  const program = buildProgram();
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    // Whatever went wrong, an unfinished output is not left behind (nor a folder made for it).
    removeLeftovers();
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ChecksFailed) return checksFailedExitCode; // the findings are printed
    if (isInputError(err) || err instanceof CliError) {
      process.stderr.write(`dispatchlab: ${(err as Error).message}\n`);
      return 2;
    }
    // Not the user's input: a bug. Say so, with the details needed to report it.
    process.stderr.write(
      `dispatchlab: internal error: ${err instanceof Error ? err.message : String(err)}\nThis is a bug in dispatchlab; please report it with the command you ran${process.env.DISPATCHLAB_DEBUG ? '' : ' (set DISPATCHLAB_DEBUG=1 for the stack trace)'}.\n`,
    );
    if (process.env.DISPATCHLAB_DEBUG && err instanceof Error)
      process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
