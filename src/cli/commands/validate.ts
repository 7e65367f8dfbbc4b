/** `dispatchlab validate FILE...`: check scenario files; print what each holds. */
import type { Command } from 'commander';
import { loadScenario } from '../../scenario/load.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check scenario files against the schema and the model; exit 2 on the first bad one',
    )
    .argument('<files...>', 'scenario files (YAML or JSON)')
    .option('--json', 'print a JSON summary instead of text')
    .action((files: string[], options: { json?: boolean }) => {
      const summaries = files.map((file) => {
        const s = loadScenario(file);
        return {
          file,
          name: s.name,
          tasks: s.world.tasks.count,
          strategies: s.strategies.map((x) => x.label),
        };
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ valid: summaries }, null, 2)}\n`);
        return;
      }
      for (const s of summaries) {
        process.stdout.write(
          `${s.file}: ok — ${s.name}, ${s.tasks} tasks, strategies: ${s.strategies.join(', ')}\n`,
        );
      }
    });
}
