/** `dispatchlab schema`: the scenario format as JSON Schema, for editors and CI checks. */
import type { Command } from 'commander';
import { scenarioJsonSchema } from '../../scenario/json-schema.js';
import { writeOutput } from '../output.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (point your editor at it for completion)')
    .option('--out <file>', 'write it to a file instead of stdout')
    .action((options: { out?: string }) => {
      writeOutput(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`, options.out);
    });
}
