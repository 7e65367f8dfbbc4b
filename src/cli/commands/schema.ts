/** `dispatchlab schema`: the scenario format as JSON Schema, for editors and CI checks. */
import type { Command } from 'commander';
import { writeAtomically } from '../../experiment/write.js';
import { scenarioJsonSchema } from '../../scenario/json-schema.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (point your editor at it for completion)')
    .option('--out <file>', 'write it to a file instead of stdout')
    .action(async (options: { out?: string }) => {
      const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
      if (options.out === undefined) process.stdout.write(text);
      else await writeAtomically(options.out, text);
    });
}
