/**
 * The dispatchlab command line. Thin by design: it parses arguments and hands over to the
 * library. Commands are added as the library grows (run, compare, sweep, check, report).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(): Command {
  return new Command('dispatchlab')
    .description(
      'Decide how an LLM orchestrator should dispatch its subagents (blocking fan-out, bounded batches, or async with WIP limits) by simulating the strategies on your workload before you adopt one.',
    )
    .version(packageVersion(), '-V, --version', 'print the dispatchlab version')
    .helpOption('-h, --help', 'explain a command')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
}

/** Runs the CLI and returns the exit code: 0 success, 1 a check failed, 2 bad usage or input. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`dispatchlab: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
