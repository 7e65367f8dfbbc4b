/**
 * A report's folder (`report --out DIR`, `compare --out DIR`): checked before the work,
 * then written all at once (write.ts), so that an interrupted or failed command leaves
 * the folder as it was — never a new page beside old charts, never half a report; then
 * the charts of an earlier report that this one did not write are removed.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chartPngs } from '../report/render-png.js';
import type { ReportFile } from '../report/report.js';
import { prepareOutputFile, prepareOutputFolder, writeOutputFiles } from './output-path.js';

/** The files every report has, beside its charts: checked before the work too. */
const pages = ['index.html', 'report.md', 'results.json', 'results.csv'];

/** A chart's files in a report's charts/ folder (charts.ts, render-png.ts). */
const chartFile = /\.(?:svg|vl\.json|png)$/;

/**
 * Checks (and creates) DIR and DIR/charts before any work, and the pages' names in it
 * (a folder named index.html must not cost a whole compare): a bad --out fails in
 * milliseconds.
 */
export function prepareReportFolder(dir: string, option: string): void {
  prepareOutputFolder(dir, option);
  prepareOutputFolder(join(dir, 'charts'), option);
  for (const page of pages) prepareOutputFile(join(dir, page), option);
}

/**
 * Removes the charts an earlier report left in DIR/charts that this one did not write
 * (another seed's timeline, PNGs from a run with --png): a reader of the folder must not
 * take them for this report's. Only chart files go; anything else there is not ours.
 */
function removeStaleCharts(dir: string, written: ReadonlySet<string>): void {
  const charts = join(dir, 'charts');
  for (const name of readdirSync(charts)) {
    const path = join(charts, name);
    if (chartFile.test(name) && !written.has(path)) rmSync(path, { force: true });
  }
}

/** Writes the report's files into `dir`, with its charts as PNG too if `png`; says where on stderr. */
export async function writeReportFolder(
  dir: string,
  files: readonly ReportFile[],
  option: string,
  png = false,
): Promise<void> {
  const images = png ? await chartPngs(files) : [];
  // The page is renamed into place last: should a rename fail halfway (the checks make it
  // unlikely), no new page points at charts that are not there yet.
  const page = join(dir, 'index.html');
  const targets = [
    ...files.map((f) => ({ path: join(dir, f.path), text: f.content })),
    ...images.map((f) => ({ path: join(dir, f.path), text: f.bytes })),
  ].sort((a, b) => Number(a.path === page) - Number(b.path === page));
  // Again (the work may have taken minutes), and each file's own folder.
  for (const t of targets) prepareOutputFile(t.path, option);
  await writeOutputFiles(targets, option);
  removeStaleCharts(dir, new Set(targets.map((t) => t.path)));
  process.stderr.write(
    `wrote ${targets.length} files into ${dir}: open ${join(dir, 'index.html')}\n`,
  );
}
