/**
 * `dispatchlab schema`: the scenario format as JSON Schema, for editors and CI checks; with
 * `--trace`, the trace format's (one record, docs/trace-format.md), for tools that write
 * or check traces.
 */
import type { Command } from 'commander';
import { traceJsonSchema } from '../../model/trace-schema.js';
import { scenarioJsonSchema } from '../../scenario/json-schema.js';
import { prepareOutputFile, writeOutputFile } from '../output-path.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(
      'print the JSON Schema of scenario files (point your editor at it for completion), or with --trace that of trace records',
    )
    .option(
      '--trace',
      'the schema of one record of a trace (`run --trace`, format v1: docs/trace-format.md) instead',
    )
    .option('--out <file>', 'write it to a file instead of stdout')
    .action(async (options: { trace?: boolean; out?: string }) => {
      if (options.out !== undefined) prepareOutputFile(options.out, '--out');
      const schema = options.trace === true ? traceJsonSchema() : scenarioJsonSchema();
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      if (options.out === undefined) process.stdout.write(text);
      else await writeOutputFile(options.out, text, '--out');
    });
}
