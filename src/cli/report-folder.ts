/**
 * A report's folder (`report --out DIR`, `compare --out DIR`): checked before the work,
 * then written all at once (write.ts), so that an interrupted or failed command leaves
 * the folder as it was — never a new page beside old charts, never half a report.
 */
import { join } from 'node:path';
import { chartPngs } from '../report/render-png.js';
import type { ReportFile } from '../report/report.js';
import { prepareOutputFile, prepareOutputFolder, writeOutputFiles } from './output-path.js';

/** Checks (and creates) DIR and DIR/charts before any work: a bad --out fails in milliseconds. */
export function prepareReportFolder(dir: string, option: string): void {
  prepareOutputFolder(dir, option);
  prepareOutputFolder(join(dir, 'charts'), option);
}

/** Writes the report's files into `dir`, with its charts as PNG too if `png`; says where on stderr. */
export async function writeReportFolder(
  dir: string,
  files: readonly ReportFile[],
  option: string,
  png = false,
): Promise<void> {
  const images = png ? await chartPngs(files) : [];
  const targets = [
    ...files.map((f) => ({ path: join(dir, f.path), text: f.content })),
    ...images.map((f) => ({ path: join(dir, f.path), text: f.bytes })),
  ];
  // Again (the work may have taken minutes), and each file's own folder.
  for (const t of targets) prepareOutputFile(t.path, option);
  await writeOutputFiles(targets, option);
  process.stderr.write(
    `wrote ${targets.length} files into ${dir}: open ${join(dir, 'index.html')}\n`,
  );
}
