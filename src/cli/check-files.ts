/**
 * What `dispatchlab check` writes when generation finds a counterexample: the minimal
 * scenario as YAML (and the failing run as a Chrome trace with `--chrome-trace`) in the
 * `--out` folder, and the workload added to the regressions file that the next check
 * replays first. Nothing is written when every check holds: a passing CI job leaves no
 * folder behind.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckDocument } from '../experiment/check-runs.js';
import { counterexampleYaml } from '../experiment/counterexample-yaml.js';
import type { Counterexample } from '../experiment/generated-check.js';
import {
  emptyRegressions,
  parseRegressions,
  type RegressionsDocument,
  withRegression,
} from '../experiment/regressions.js';
import type { CounterexampleFiles } from '../report/check-text.js';
import { chromeTraceOf, chromeTraceText } from '../report/chrome-trace.js';
import type { AnyScenario } from '../scenario/parse.js';
import { dispatchlabVersion } from '../version.js';
import { CliError } from './cli-error.js';
import { safeFileStem } from './file-name.js';
import { prepareOutputFile, prepareOutputFolder, writeOutputFiles } from './output-path.js';
import { readJsonDocument } from './read-json.js';

/** The regressions file's content, or an empty one when it does not exist yet. */
export function readRegressions(file: string): RegressionsDocument {
  if (!existsSync(file)) return emptyRegressions;
  return parseRegressions(
    readJsonDocument(file, 'check --regressions takes a regressions file written by check'),
    file,
  );
}

export interface WriteOptions {
  readonly out: string;
  readonly chromeTrace: boolean;
  /** The regressions file, or undefined with --no-regressions. */
  readonly regressions: string | undefined;
  readonly regressionsDoc: RegressionsDocument;
  /** The replay command and token of each strategy's counterexample, by label. */
  readonly replay: (label: string, c: Counterexample) => { command: string; token: string };
}

/**
 * Writes every counterexample of `doc` (all files at once: write.ts) and returns where
 * each went, by strategy label.
 */
export async function writeCounterexamples(
  doc: CheckDocument,
  scenario: AnyScenario,
  options: WriteOptions,
): Promise<Map<string, CounterexampleFiles>> {
  const where = new Map<string, CounterexampleFiles>();
  const files: { path: string; text: string }[] = [];
  let regressions = options.regressionsDoc;
  for (const s of doc.strategies) {
    const c = s.generated?.counterexample;
    if (c === undefined) continue;
    if (files.length === 0) prepareOutputFolder(options.out, '--out');
    // Distinct labels make distinct stems (file-name.ts), so two counterexamples never share a file.
    const base = join(options.out, `${safeFileStem(scenario.name)}.${safeFileStem(s.label)}`);
    const { command, token } = options.replay(s.label, c);
    const yaml = `${base}.yaml`;
    files.push({
      path: yaml,
      text: counterexampleYaml({
        scenario,
        counterexample: c,
        label: s.label,
        dir: options.out,
        replay: command,
      }),
    });
    let chromeTrace: string | undefined;
    if (options.chromeTrace && c.trace !== undefined) {
      chromeTrace = `${base}.trace.json`;
      files.push({ path: chromeTrace, text: chromeTraceText(chromeTraceOf(c.trace)) });
    }
    where.set(s.label, { yaml, ...(chromeTrace === undefined ? {} : { chromeTrace }) });
    if (!c.fromRegression) {
      regressions = withRegression(regressions, {
        scenario: scenario.name,
        strategy: s.label,
        seed: c.seed,
        workload: c.variation,
        broke: c.breaches.map((b) => b.invariant),
        found: { version: dispatchlabVersion, replay: token },
      });
    }
  }
  if (options.regressions !== undefined && regressions !== options.regressionsDoc) {
    if (files.some((f) => resolve(f.path) === resolve(options.regressions!))) {
      throw new CliError(
        `--regressions ${options.regressions} is also where a counterexample goes (--out ${options.out}); name another file for the regressions.`,
      );
    }
    files.push({ path: options.regressions, text: `${JSON.stringify(regressions, null, 2)}\n` });
  }
  for (const f of files)
    prepareOutputFile(f.path, f.path === options.regressions ? '--regressions' : '--out');
  if (files.length > 0) await writeOutputFiles(files, '--out');
  return where;
}
