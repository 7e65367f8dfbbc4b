/**
 * `dispatchlab report RESULTS.json --out DIR`: a report of a results document, for people
 * (index.html, report.md, charts) and for tools (results.json, results.csv, the charts'
 * vega-lite specs). Every figure comes from the document; the same document gives the
 * same bytes.
 */
import type { Command } from 'commander';
import type { ResultsDocument } from '../../experiment/results.js';
import { resultsDocumentProblem } from '../../experiment/results-schema.js';
import { shellWord } from '../../report/format.js';
import { buildReport } from '../../report/report.js';
import { CliError } from '../cli-error.js';
import { readJsonDocument } from '../read-json.js';
import { prepareReportFolder, writeReportFolder } from '../report-folder.js';

const takes =
  'report takes a results document: `dispatchlab compare FILE --json > results.json`, or the one `compare --out DIR` or `merge` writes';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write the report of a results document into a folder: index.html (self-contained), report.md, results.json, results.csv, and charts/ (SVG, and vega-lite specs to restyle)',
    )
    .argument('<results>', 'a results document (JSON), from compare --json, compare --out or merge')
    .option('--out <dir>', 'the folder to write the report into (made if it does not exist)')
    .action(async (file: string, options: { out?: string }) => {
      const out = options.out;
      if (out === undefined) {
        throw new CliError(
          `report needs --out DIR, the folder to write the report into: dispatchlab report ${shellWord(file)} --out report/`,
        );
      }
      const value = readJsonDocument(file, takes);
      const problem = resultsDocumentProblem(value);
      if (problem !== undefined) {
        throw new CliError(
          `${file}: not a results document this version reads: ${problem}; ${takes}.`,
        );
      }
      // Checked against the schema just above.
      const doc = value as ResultsDocument;
      prepareReportFolder(out, '--out');
      await writeReportFolder(out, await buildReport(doc), '--out');
    });
}
