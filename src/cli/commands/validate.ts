/**
 * `dispatchlab validate FILE...`: check scenario files; print what each holds, and on stderr
 * what looks wrong in it though valid (its warnings: warnings.ts). Warnings do not change
 * the exit code.
 */
import type { Command } from 'commander';
import { loadScenario } from '../../scenario/load.js';
import { scenarioWarnings } from '../../scenario/warnings.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check scenario files against the schema and the model; exit 2 on the first bad one; warnings go to stderr',
    )
    .argument('<files...>', 'scenario files (YAML or JSON)')
    .option('--json', 'print a JSON summary instead of text (warnings included)')
    .action(async (files: string[], options: { json?: boolean }) => {
      const summaries = [];
      for (const file of files) {
        const s = await loadScenario(file);
        summaries.push({
          file,
          name: s.name,
          tasks: s.world.tasks.count,
          strategies: s.strategies.map((x) => x.label),
          warnings: scenarioWarnings(s),
        });
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ valid: summaries }, null, 2)}\n`);
        return;
      }
      for (const s of summaries) {
        process.stdout.write(
          `${s.file}: ok — ${s.name}, ${s.tasks} ${s.tasks === 1 ? 'task' : 'tasks'}, strategies: ${s.strategies.join(', ')}\n`,
        );
        for (const warning of s.warnings) process.stderr.write(`warning: ${warning}\n`);
      }
    });
}
