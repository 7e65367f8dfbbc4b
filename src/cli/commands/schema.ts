/** `dispatchlab schema`: the scenario format as JSON Schema, for editors and CI checks. */
import type { Command } from 'commander';
import { scenarioJsonSchema } from '../../scenario/json-schema.js';
import { prepareOutputFile, writeOutputFile } from '../output-path.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (point your editor at it for completion)')
    .option('--out <file>', 'write it to a file instead of stdout')
    .action(async (options: { out?: string }) => {
      if (options.out !== undefined) prepareOutputFile(options.out, '--out');
      const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
      if (options.out === undefined) process.stdout.write(text);
      else await writeOutputFile(options.out, text, '--out');
    });
}
