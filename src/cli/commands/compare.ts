/**
 * `dispatchlab compare FILE`: every strategy of a scenario over the same seeds; the table
 * of means with 95% CIs and the paired differences against a baseline. `--json` prints
 * the results document; `--shard I/N` runs a share of the seeds into a partial document
 * for `dispatchlab merge`.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { compare } from '../../experiment/compare.js';
import { parseMetricList } from '../../experiment/metric-names.js';
import type { PartialDocument } from '../../experiment/partial.js';
import type { ProgressCallback } from '../../experiment/pool.js';
import { representativeRuns } from '../../experiment/representative-seed.js';
import { toJson } from '../../experiment/results.js';
import { compareShard, parseShard } from '../../experiment/shard.js';
import { buildReport, type ReportFile } from '../../report/report.js';
import type { Scenario } from '../../scenario/parse.js';
import { baselineLabel } from '../baseline.js';
import { CliError } from '../cli-error.js';
import { safeFileStem } from '../file-name.js';
import { loadScenarioWithWarnings } from '../load-scenario.js';
import { parseCount, parseSeed, parseWorkers, scenarioFileHelp } from '../options.js';
import { prepareOutputFile, prepareOutputFolder, writeOutputFile } from '../output-path.js';
import { progressBar } from '../progress.js';
import { prepareReportFolder, writeReportFolder } from '../report-folder.js';
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
  png?: boolean;
}

/** `--seeds N` and `--seed-start S`: which seeds a command runs (seedsFrom reads them). */
export function addSeedOptions(command: Command): Command {
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
    );
}

/** The seeds `--seeds`/`--seed-start` ask for, the scenario's filling in; undefined for the scenario's own. */
export function seedsFrom(
  scenario: Scenario,
  options: { readonly seeds?: number | undefined; readonly seedStart?: number | undefined },
) {
  if (options.seeds === undefined && options.seedStart === undefined) return undefined;
  return {
    start: options.seedStart ?? scenario.seeds.start,
    count: options.seeds ?? scenario.seeds.count,
  };
}

export function addExperimentOptions(command: Command): Command {
  return addSeedOptions(command)
    .option(
      '-w, --workers <w>',
      'worker threads, at most the cores available; the results do not depend on it',
      parseWorkers,
      1,
    )
    .option(
      '--baseline <label>',
      'the strategy the others are compared against: its label, a prefix only it has, or its number from 1 (default: the first)',
    )
    .option('--json', 'print the results document (JSON) instead of tables')
    .option(
      '--out <dir>',
      'also write the report into this folder (made if missing): index.html, report.md, results.json (the document), results.csv and charts/; with --shard, only the partial document',
    )
    .option(
      '--shard <i/n>',
      'run only shard I of N of the seeds and emit a partial document for `dispatchlab merge`',
    )
    .option(
      '--png',
      "with --out, the report's charts as PNG too (charts/*.png, twice the SVG's size)",
    )
    .option('-q, --quiet', 'no progress bar');
}

/** What compare and sweep take alike from their command line: seeds, workers, baseline. */
export function experimentOptions(scenario: Scenario, options: ExperimentCliOptions) {
  return {
    seeds: seedsFrom(scenario, options),
    workers: options.workers,
    baseline: baselineLabel(scenario, options.baseline),
  };
}

/** The partial document's name in `--shard … --out DIR`: the scenario's name made safe, then `kind`. */
export function outputFiles(scenario: Scenario, kind: '' | '.sweep') {
  const stem = `${safeFileStem(scenario.name)}${kind}`;
  return { partialFile: (i: number, n: number) => `${stem}.partial-${i}-of-${n}.json` };
}

/**
 * What compare and sweep share: run the whole experiment, or one shard of it into a partial
 * document; show a progress bar meanwhile; print text or JSON; with --out, write the
 * report of the whole document, or the partial document alone.
 */
export async function runExperiment<D extends { readonly format: string }>(run: {
  what: string;
  options: ExperimentCliOptions;
  /** The partial document's file name, from the shard it holds (index counted from 1). */
  partialFile: (index: number, of: number) => string;
  whole: (onProgress: ProgressCallback | undefined) => Promise<D>;
  shard: (shard: string, onProgress: ProgressCallback | undefined) => Promise<PartialDocument>;
  text: (doc: D) => string;
  /** The report `--out DIR` writes of the whole document. */
  report: (doc: D) => Promise<readonly ReportFile[]>;
}): Promise<void> {
  const { options } = run;
  if (options.png === true && (options.out === undefined || options.shard !== undefined)) {
    throw new CliError(
      '--png draws the charts of the report --out DIR writes: give --out DIR too (without --shard, whose partial document has no report).',
    );
  }
  // Before the work: a bad --out (or --shard) must fail now, not after it.
  if (options.out !== undefined) {
    const shard = options.shard === undefined ? undefined : parseShard(options.shard);
    if (shard === undefined) prepareReportFolder(options.out, '--out');
    else {
      prepareOutputFolder(options.out, '--out');
      prepareOutputFile(join(options.out, run.partialFile(shard.index, shard.of)), '--out');
    }
  }
  const progress = progressBar(run.what, options.quiet);
  try {
    if (options.shard !== undefined) {
      const partial = await run.shard(options.shard, progress.onProgress);
      const json = toJson(partial);
      progress.stop();
      if (options.out !== undefined) {
        const path = join(options.out, run.partialFile(partial.shard.index, partial.shard.of));
        await writeOutputFile(path, json, '--out');
        process.stderr.write(`wrote ${path}\n`);
      }
      if (options.out === undefined || options.json) process.stdout.write(json);
      return;
    }
    const doc = await run.whole(progress.onProgress);
    progress.stop();
    if (options.out !== undefined)
      await writeReportFolder(options.out, await run.report(doc), '--out', options.png);
    process.stdout.write(options.json ? toJson(doc) : run.text(doc));
  } finally {
    progress.stop();
  }
}

interface CompareCliOptions extends ExperimentCliOptions {
  metrics?: string;
  objective?: string;
  margin?: string;
}

export function registerCompare(program: Command): void {
  addExperimentOptions(
    program
      .command('compare')
      .description(
        'compare every strategy of a scenario over many seeds: means with 95% CIs, and paired differences against a baseline',
      )
      .argument('<file>', scenarioFileHelp),
  )
    .option(
      '--metrics <list>',
      'the metrics the tables show, e.g. makespan,compactions, or "all" (default: makespan, idleTime, utilization, succeeded, givenUp, undetectedFailures, correctShare and every metric on which a strategy differs from the baseline); the JSON document always has every one',
    )
    .option(
      '--objective <metric>',
      "the metric the verdict judges the strategies on (default: the scenario's objective, else makespan), e.g. cost, costPerSuccess, correctShare",
    )
    .option(
      '--margin <share>',
      "how far beyond the simplest safe strategy another must be, across the whole paired 95% CI, to be recommended: a share of the reference's mean, e.g. 5% (the default) or 0.05; 0 for any significant difference",
    )
    .action(async (file: string, options: CompareCliOptions) => {
      // Checked before anything runs: a misspelt metric must not cost a whole compare.
      const metrics = options.metrics === undefined ? undefined : parseMetricList(options.metrics);
      const scenario = await loadScenarioWithWarnings(file);
      const common = {
        ...experimentOptions(scenario, options),
        objective: options.objective,
        margin: options.margin,
      };
      await runExperiment({
        what: `compare ${scenario.name}`,
        options,
        ...outputFiles(scenario, ''),
        whole: (onProgress) => compare(scenario, { ...common, onProgress }),
        shard: (shard, onProgress) => compareShard(scenario, { ...common, shard, onProgress }),
        text: (doc) =>
          `${scenario.name}: ${scenario.description}\n\n${resultsText(doc, { metrics, file })}`,
        report: async (doc) => buildReport(doc, await representativeRuns(scenario, doc)),
      });
    });
}
