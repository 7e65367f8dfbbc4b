/**
 * `dispatchlab compare FILE`: every strategy of a scenario over the same seeds; the table
 * of means with 95% CIs and the paired differences against a baseline. `--json` prints
 * the results document; `--shard I/N` runs a share of the seeds into a partial document
 * for `dispatchlab merge`.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { compare } from '../../experiment/compare.js';
import { toJson } from '../../experiment/results.js';
import { compareShard } from '../../experiment/shard.js';
import { writeAtomically } from '../../experiment/write.js';
import { loadScenario } from '../../scenario/load.js';
import { parseCount, parseSeed, parseWorkers } from '../options.js';
import { progressBar } from '../progress.js';
import { resultsText } from '../results-text.js';

export interface ExperimentCliOptions {
  seeds?: number;
  seedStart?: number;
  workers: number;
  baseline?: string;
  json?: boolean;
  out?: string;
  shard?: string;
  quiet?: boolean;
}

export function addExperimentOptions(command: Command): Command {
  return command
    .option(
      '--seeds <n>',
      "how many seeds (default: the scenario's seeds.count, else 100)",
      parseCount,
    )
    .option(
      '--seed-start <s>',
      "the first seed (default: the scenario's seeds.start, else 0)",
      parseSeed,
    )
    .option('-w, --workers <w>', 'worker threads; the results do not depend on it', parseWorkers, 1)
    .option(
      '--baseline <label>',
      'the strategy the others are compared against (default: the first)',
    )
    .option('--json', 'print the results document (JSON) instead of tables')
    .option('--out <dir>', 'also write the document into this directory')
    .option(
      '--shard <i/n>',
      'run only shard I of N of the seeds and emit a partial document for `dispatchlab merge`',
    )
    .option('-q, --quiet', 'no progress bar');
}

export function seedsOption(
  options: ExperimentCliOptions,
  scenarioSeeds: { start: number; count: number },
): { start: number; count: number } | undefined {
  if (options.seeds === undefined && options.seedStart === undefined) return undefined;
  return {
    start: options.seedStart ?? scenarioSeeds.start,
    count: options.seeds ?? scenarioSeeds.count,
  };
}

/** Writes `text` to DIR/name (atomically) when --out is given; says where on stderr. */
export async function saveDocument(
  dir: string | undefined,
  name: string,
  text: string,
): Promise<void> {
  if (dir === undefined) return;
  const path = join(dir, name);
  await writeAtomically(path, text);
  process.stderr.write(`wrote ${path}\n`);
}

export function registerCompare(program: Command): void {
  addExperimentOptions(
    program
      .command('compare')
      .description(
        'compare every strategy of a scenario over many seeds: means with 95% CIs, and paired differences against a baseline',
      )
      .argument('<file>', 'scenario file (YAML or JSON)'),
  ).action(async (file: string, options: ExperimentCliOptions) => {
    const scenario = loadScenario(file);
    const common = {
      seeds: seedsOption(options, scenario.seeds),
      workers: options.workers,
      baseline: options.baseline,
    };
    const progress = progressBar(`compare ${scenario.name}`, options.quiet);
    try {
      if (options.shard !== undefined) {
        const partial = await compareShard(scenario, {
          ...common,
          shard: options.shard,
          onProgress: progress.onProgress,
        });
        progress.stop();
        const text = toJson(partial);
        const [i, n] = options.shard.split('/');
        await saveDocument(options.out, `${scenario.name}.partial-${i}-of-${n}.json`, text);
        if (options.out === undefined || options.json) process.stdout.write(text);
        return;
      }
      const doc = await compare(scenario, { ...common, onProgress: progress.onProgress });
      progress.stop();
      const json = toJson(doc);
      await saveDocument(options.out, `${scenario.name}.results.json`, json);
      if (options.json) process.stdout.write(json);
      else
        process.stdout.write(
          `${scenario.name}: ${scenario.description}\n\n${resultsText(doc, doc.seeds)}`,
        );
    } finally {
      progress.stop();
    }
  });
}
