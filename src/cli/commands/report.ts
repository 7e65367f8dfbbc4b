/**
 * `dispatchlab report RESULTS.json --out DIR`: a report of a results document (compare's)
 * or of a sweep document, for people (index.html, report.md, charts) and for tools
 * (results.json, results.csv, the charts' vega-lite specs). Every figure comes from the
 * document; the same document gives the same bytes.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { scenarioInputHash } from '../../experiment/canonical.js';
import { isInputError } from '../../experiment/input-errors.js';
import {
  type RepresentativeRuns,
  representativeRuns,
} from '../../experiment/representative-seed.js';
import type { ResultsDocument } from '../../experiment/results.js';
import { resultsDocumentProblem } from '../../experiment/results-schema.js';
import type { SweepDocument } from '../../experiment/sweep.js';
import { sweepDocumentProblem } from '../../experiment/sweep-schema.js';
import { shellWord } from '../../report/format.js';
import { buildReport } from '../../report/report.js';
import { buildSweepReport } from '../../report/sweep-report.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/parse.js';
import { CliError } from '../cli-error.js';
import { readJsonDocument } from '../read-json.js';
import { prepareReportFolder, writeReportFolder } from '../report-folder.js';

const takes =
  'report takes a results document (`dispatchlab compare FILE --json > results.json`, or the results.json that `compare --out DIR` or `merge` writes) or a sweep document (`dispatchlab sweep … --json`, or the results.json of `sweep --out DIR`)';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write the report of a results or sweep document into a folder: index.html (self-contained), report.md, results.json, results.csv, and charts/ (SVG, and vega-lite specs to restyle)',
    )
    .argument(
      '<results>',
      'a results document (JSON), from compare --json, compare --out or merge; or a sweep document, from sweep --json or sweep --out',
    )
    .option('--out <dir>', 'the folder to write the report into (made if it does not exist)')
    .option(
      '--scenario <file>',
      'the scenario the document was made from, to re-run its representative seed for the charts of one run (default: the file the document names; its input hash is checked)',
    )
    .option('--png', "the charts as PNG too (charts/*.png, twice the SVG's size)")
    .action(async (file: string, options: { out?: string; scenario?: string; png?: boolean }) => {
      const out = options.out;
      if (out === undefined) {
        throw new CliError(
          `report needs --out DIR, the folder to write the report into: dispatchlab report ${shellWord(file)} --out report/`,
        );
      }
      const value = readJsonDocument(file, takes);
      const sweep = isSweepDocument(value);
      const problem = sweep ? sweepDocumentProblem(value) : resultsDocumentProblem(value);
      if (problem !== undefined) {
        const what = sweep ? 'a sweep document' : 'a results document';
        throw new CliError(`${file}: not ${what} this version reads: ${problem}; ${takes}.`);
      }
      if (sweep && options.scenario !== undefined) {
        throw new CliError(
          `--scenario re-runs the representative seed of a results document, and ${file} is a sweep document, whose report draws no single run: leave --scenario out.`,
        );
      }
      prepareReportFolder(out, '--out');
      // Checked against the schemas just above.
      const files = sweep
        ? await buildSweepReport(value as SweepDocument)
        : await resultsReport(value as ResultsDocument, options.scenario);
      await writeReportFolder(out, files, '--out', options.png);
    });
}

/** Whether `value` says it is a sweep document (and is then checked as one). */
function isSweepDocument(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === 'dispatchlab-sweep'
  );
}

async function resultsReport(doc: ResultsDocument, scenario: string | undefined) {
  return buildReport(doc, await representativeSeed(doc, scenario));
}

/**
 * The representative seed's runs, from `--scenario` or else the scenario file the document
 * names. A scenario given with --scenario must be the document's (else exit 2); one the
 * document names that is gone or changed only costs the charts of one seed, with a note
 * saying why and how to get them.
 */
async function representativeSeed(
  doc: ResultsDocument,
  given: string | undefined,
): Promise<RepresentativeRuns | undefined> {
  const omitted = (why: string) => {
    process.stderr.write(
      `note: no charts of one seed: ${why}; pass --scenario FILE, the scenario the document was made from, to draw them.\n`,
    );
    return undefined;
  };
  if (given !== undefined) return representativeRuns(await loadScenario(given), doc);
  const named = doc.scenario.file;
  if (named === undefined) return omitted('the document names no scenario file');
  if (!existsSync(named)) return omitted(`${named}, the scenario file it names, is not there`);
  let scenario: Scenario;
  try {
    scenario = await loadScenario(named);
  } catch (err) {
    // Not the file it was (it no longer loads): the report does without it, as if changed.
    if (!isInputError(err)) throw err;
    return omitted(
      `${named}, the scenario file it names, no longer loads (${err.message.replace(/\.$/, '')})`,
    );
  }
  if (scenarioInputHash(scenario) !== doc.scenario.inputHash) {
    return omitted(`${named} changed since the document was made (its input hash differs)`);
  }
  try {
    return await representativeRuns(scenario, doc);
  } catch (err) {
    // The same scenario, yet not the runs the document holds: edited, or made by another
    // version of dispatchlab. The report does without them, as for a changed file.
    if (!isInputError(err)) throw err;
    return omitted(err.message.replace(/\.$/, ''));
  }
}
