/**
 * `dispatchlab check`: the safety invariants, checked on traces. `check FILE` runs every
 * strategy of a scenario on its seeds and on generated variations of its workload
 * (experiment/generated-check.ts), checking every run, and writes what a counterexample
 * needs to be replayed; without FILE, the workloads vary around a generic world.
 * `check --trace FILE.jsonl` checks traces recorded elsewhere (by `dispatchlab run
 * --trace`, or by an orchestrator of your own, in any language: docs/trace-format.md).
 * `--strategy-module` and `--orchestrator-module` check a module of one's own in place of
 * the scenario's strategies (an orchestrator module's runs are the real-code harness's).
 * Exit code 3 when an invariant is broken, so that CI tells an unsafe strategy (3) from
 * bad input (2) and a bug (1).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { scenarioInputHash } from '../../experiment/canonical.js';
import { type CheckDocument, checkScenarioAsync } from '../../experiment/check-runs.js';
import type { Counterexample } from '../../experiment/generated-check.js';
import { genericScenarioInput } from '../../experiment/generic-scenario.js';
import { readTraceFile } from '../../experiment/read-trace.js';
import { emptyRegressions, regressionsFor } from '../../experiment/regressions.js';
import { checkRecords } from '../../invariants/check-trace.js';
import { invariants } from '../../invariants/index.js';
import {
  type CheckInvocation,
  type CounterexampleFiles,
  ownSeedReplay,
  scenarioCheckText,
  strategyCommand,
  traceCheckText,
} from '../../report/check-text.js';
import { shellWord } from '../../report/format.js';
import { parseDuration } from '../../scenario/duration.js';
import { scenarioFromData } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/parse.js';
import { chooseStrategy } from '../../scenario/strategy-choice.js';
import { dispatchlabVersion } from '../../version.js';
import { readRegressions, writeCounterexamples } from '../check-files.js';
import { CliError } from '../cli-error.js';
import { ChecksFailed } from '../exit-codes.js';
import { loadScenarioWithWarnings } from '../load-scenario.js';
import { collect, scenarioFileHelp, strategyOptionHelp } from '../options.js';
import { progressBar } from '../progress.js';
import { addSeedOptions, seedsFrom } from './compare.js';

interface CheckCliOptions {
  trace?: string[];
  seeds?: number;
  seedStart?: number;
  strategy?: string;
  strategyModule?: string;
  orchestratorModule?: string;
  runs: number;
  seed: number;
  time?: number;
  replay?: string;
  out: string;
  regressions?: string | false;
  chromeTrace?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** Where counterexamples go by default: a folder of the working directory. */
const defaultOut = 'dispatchlab-check';

/** Generated workloads per strategy by default: a few seconds per strategy, fit for CI. */
export const defaultCheckRuns = 100;

/** The most workloads check generates per strategy: a million runs of a small scenario take about an hour. */
const maxCheckRuns = 1_000_000;
/** The longest replay path taken: a shrink path is a few dozen steps. */
const maxReplaySteps = 10_000;

const parseRuns = (value: string): number => {
  if (!/^\d+$/.test(value.trim()) || !(Number(value) <= maxCheckRuns)) {
    throw new InvalidArgumentError(
      `expected a number of generated workloads per strategy (a whole number from 0, which checks only the scenario's own seeds, to ${maxCheckRuns.toLocaleString('en-US')}), got "${value}".`,
    );
  }
  return Number(value);
};

/** fast-check's seeds are 32-bit: a larger one would generate what a smaller one does. */
const parseGenerationSeed = (value: string): number => {
  if (!/^\d+$/.test(value.trim()) || !(Number(value) <= 2 ** 31 - 1)) {
    throw new InvalidArgumentError(
      `expected fast-check's seed, a whole number from 0 to 2147483647, got "${value}".`,
    );
  }
  return Number(value);
};

const parseTime = (value: string): number => {
  let seconds: number;
  try {
    seconds = parseDuration(value);
  } catch {
    throw new InvalidArgumentError(`expected a duration such as 30s or 5m, got "${value}".`);
  }
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new InvalidArgumentError(
      `expected a duration above 0 such as 30s or 5m, got "${value}".`,
    );
  }
  return seconds;
};

/** A replay token: `VERSION/HASH/SEED/PATH`, what check prints beside a counterexample. */
interface Replay {
  readonly version: string;
  readonly hash: string;
  readonly seed: number;
  readonly path: string;
}

const replayFormat = /^([^/\s]+)\/([0-9a-f]{12})\/(\d{1,10})\/(\d{1,7}(?::\d{1,7})*)$/;

function parseReplay(token: string): Replay {
  const m = replayFormat.exec(token.trim());
  if (m === null || !(Number(m[3]) <= 2 ** 31 - 1)) {
    throw new CliError(
      `--replay ${token}: not a replay token; copy it whole from the line "replay:" that check printed beside the counterexample (VERSION/HASH/SEED/PATH, e.g. ${dispatchlabVersion}/3f2a9c1b07de/0/12:1:0).`,
    );
  }
  const steps = m[4]!.split(':').map(Number);
  // fast-check walks the path from the start: a first step of a billion generates a
  // billion workloads before it gets there. check never prints one past its budget.
  if (steps.length > maxReplaySteps || steps.some((n) => !(n <= maxCheckRuns))) {
    throw new CliError(
      `--replay ${token}: its path (after the third /) is longer or goes further than any check prints (at most ${maxReplaySteps} steps, each at most ${maxCheckRuns.toLocaleString('en-US')}); copy the token whole from the line "replay:".`,
    );
  }
  return { version: m[1]!, hash: m[2]!, seed: Number(m[3]), path: m[4]! };
}

/** The first 12 hex digits of the scenario's input hash: enough to tell two inputs apart. */
function shortHash(scenario: Scenario): string {
  return scenarioInputHash(scenario)
    .replace(/^sha256:/, '')
    .slice(0, 12);
}

/** The token that replays a counterexample found by generation (none for one from the regressions file). */
function replayToken(
  scenario: Scenario,
  found: { readonly seed: number; readonly path: string } | undefined,
): string | undefined {
  if (found === undefined || found.path === '') return undefined;
  return `${dispatchlabVersion}/${shortHash(scenario)}/${found.seed}/${found.path}`;
}

/**
 * A replay is of one strategy of the very scenario it was found on: another scenario's
 * workloads are not the same, whatever its name. Another version of dispatchlab may
 * generate differently: said, not refused.
 */
function checkReplayMatches(
  replay: Replay,
  scenario: Scenario,
  chosen: readonly number[] | undefined,
): void {
  if (chosen === undefined && scenario.strategies.length > 1) {
    throw new CliError(
      `--replay replays one strategy's counterexample: add the --strategy LABEL that check printed with it.`,
    );
  }
  const hash = shortHash(scenario);
  if (replay.hash !== hash) {
    throw new CliError(
      `--replay ${replay.version}/${replay.hash}/${replay.seed}/${replay.path}: the token is for a scenario whose input hash begins ${replay.hash}, and ${scenario.source} hashes to ${hash}: the scenario changed since (or it is another). Replay from the counterexample's YAML file instead (check FILE.yaml --runs 0), or run check again to find it anew.`,
    );
  }
  if (replay.version !== dispatchlabVersion) {
    process.stderr.write(
      `warning: the replay token comes from dispatchlab ${replay.version} and this is ${dispatchlabVersion}; its generator may make another workload from the same path. The counterexample's YAML file replays it whatever the version.\n`,
    );
  }
}

/** The entry `--strategy-module` or `--orchestrator-module` puts in place of the scenario's strategies, if either is given. */
function moduleEntries(options: CheckCliOptions): readonly unknown[] | undefined {
  const { strategyModule, orchestratorModule } = options;
  if (strategyModule !== undefined && orchestratorModule !== undefined) {
    throw new CliError(
      "--strategy-module and --orchestrator-module each replace the scenario's strategies with one module: give one of the two (or write both as entries of a scenario file: { module: ... } and { orchestrator: ... }).",
    );
  }
  const option = strategyModule !== undefined ? '--strategy-module' : '--orchestrator-module';
  if ((strategyModule ?? orchestratorModule) !== undefined && options.strategy !== undefined) {
    throw new CliError(
      `--strategy chooses among the scenario's strategies, and ${option} replaces them with your module: give one of the two.`,
    );
  }
  const given = strategyModule ?? orchestratorModule;
  if (given === undefined) return undefined;
  // Said here, of the option: the scenario's own message would name a path relative to its folder.
  const file = resolve(given);
  if (!existsSync(file)) {
    throw new CliError(
      `${option} ${given}: no such file (looked for ${file}); the path is relative to the working folder.`,
    );
  }
  return strategyModule !== undefined ? [{ module: file }] : [{ orchestrator: file }];
}

/** The scenario check runs: FILE's, with the module instead of its strategies if given; else the generic world. */
async function scenarioToCheck(
  file: string | undefined,
  options: CheckCliOptions,
): Promise<Scenario> {
  const module = moduleEntries(options);
  if (file !== undefined) return loadScenarioWithWarnings(file, module);
  return scenarioFromData(
    genericScenarioInput(module),
    'the generic world of check',
    process.cwd(),
  );
}

/** What check was given, for the commands that replay it: the file, the module, where it writes. */
function invocationOf(file: string | undefined, options: CheckCliOptions): CheckInvocation {
  return {
    file,
    strategyModule: options.strategyModule,
    orchestratorModule: options.orchestratorModule,
    // Where the regressions are read and counterexamples written, as given.
    options: [
      ...(options.out === defaultOut ? [] : [`--out ${shellWord(options.out)}`]),
      ...(typeof options.regressions === 'string'
        ? [`--regressions ${shellWord(options.regressions)}`]
        : options.regressions === false
          ? ['--no-regressions']
          : []),
    ],
  };
}

/** The document with, beside each counterexample, the files it went to and the command that replays it. */
function withFiles(
  doc: CheckDocument,
  files: ReadonlyMap<string, CounterexampleFiles>,
  replay: (label: string, c: Counterexample) => string,
): CheckDocument {
  return {
    ...doc,
    strategies: doc.strategies.map((s) => {
      const c = s.generated?.counterexample;
      if (c === undefined) return s;
      return {
        ...s,
        generated: {
          ...s.generated!,
          counterexample: { ...c, ...files.get(s.label), replay: replay(s.label, c) },
        },
      };
    }),
  };
}

/** `--json` leaves out a counterexample's trace: its story and records are in the document. */
function withoutTraces(key: string, value: unknown): unknown {
  return key === 'trace' && Array.isArray(value) ? undefined : value;
}

export function registerCheck(program: Command): void {
  addSeedOptions(program.command('check'))
    .description(
      "check the safety invariants (WIP never exceeded, no ghost agents, every task ends once, no duplicate of a live attempt, every failure detected, cancels only of live subagents, one thing at a time, time moves forward, the run ends) on every run of a scenario's strategies, on its seeds and on workloads generated around it (shrunk to a minimal counterexample when one breaks), or on traces recorded elsewhere; exit code 3 when one is broken",
    )
    .argument('[file]', scenarioFileHelp)
    .option(
      '--trace <file>',
      'check this trace (JSON Lines, docs/trace-format.md) instead of running a scenario; repeat for several',
      collect,
    )
    .option('-s, --strategy <label>', strategyOptionHelp)
    .option(
      '--strategy-module <path>',
      "check this strategy of your own (a TypeScript or JavaScript module whose default export makes a Strategy: README, 'Writing your own strategy') instead of the scenario's strategies; without FILE, on workloads generated around a generic world",
    )
    .option(
      '--orchestrator-module <path>',
      "check this orchestrator of your own (a TypeScript or JavaScript module whose default export is async code the real-code harness runs: docs/orchestrator-modules.md) instead of the scenario's strategies; without FILE, on workloads generated around a generic world",
    )
    .addOption(
      new Option(
        '--runs <n>',
        "workloads to generate per strategy, besides the scenario's own seeds (0: only those)",
      )
        .argParser(parseRuns)
        .default(defaultCheckRuns),
    )
    .addOption(
      new Option('--seed <n>', "fast-check's seed: the same seed generates the same workloads")
        .argParser(parseGenerationSeed)
        .default(0),
    )
    .option(
      '--time <duration>',
      'stop generating after this long (e.g. 2m), spread evenly over the strategies; the runs done count',
      parseTime,
    )
    .option(
      '--replay <token>',
      'replay one counterexample: the token printed beside it (with its --strategy)',
    )
    .addOption(
      new Option(
        '--out <dir>',
        'where a counterexample goes: its minimal scenario (YAML) and, with --chrome-trace, its run',
      ).default(defaultOut),
    )
    .option(
      '--regressions <file>',
      'the counterexamples found so far, replayed first and added to (default: OUT/regressions.json; commit it to keep them)',
    )
    .option('--no-regressions', 'neither replay nor record counterexamples')
    .option(
      '--chrome-trace',
      "also write a counterexample's run as a Chrome trace-event file, to open in Perfetto (ui.perfetto.dev)",
    )
    .option('--json', 'print the verdicts as JSON')
    .option('-q, --quiet', 'no progress bar')
    .addHelpText(
      'after',
      "\nPer invariant: PASS (held, with how often it was put to the test), FAIL (the first violation, the records around it, and how to replay it) or VACUOUS (nothing in the runs put it to the test). Then per strategy, the generated workloads: none broke it, or the COUNTEREXAMPLE fast-check shrank to, told as a story, with the fields that did not matter, its minimal scenario written into --out, and a --replay token. Counterexamples go to a regressions file that the next check replays first.\nGenerated: the task count, dependency shape, latency distribution (ties, heavy tails), failure mix and permission rate, orchestrator costs, and the context budget; hangs only where the scenario has them or the strategy has a timeout, compaction only where the scenario compacts or the strategy's registry is durable. Without FILE, around a generic world with everything on.\nExit codes: 0 every check comes out as the scenario declares (each invariant held, or broke where expect: says it does), 3 one does not, 2 bad usage or input, 1 a bug.\nExamples:\n  dispatchlab check scenarios/docs-audit.yaml\n  dispatchlab check scenarios/docs-audit.yaml --strategy-module my-strategy.ts --runs 500 --time 2m\n  dispatchlab check --strategy-module my-strategy.ts\n  dispatchlab check scenarios/docs-audit.yaml --orchestrator-module my-orchestrator.ts\n  dispatchlab run scenarios/docs-audit.yaml -s 1 --trace run.jsonl && dispatchlab check --trace run.jsonl",
    )
    .action(async (file: string | undefined, options: CheckCliOptions, cmd: Command) => {
      if (options.trace !== undefined) {
        if (file !== undefined) {
          throw new CliError(
            `check takes a scenario FILE or --trace, not both: to check a run of ${file}, write its trace first (dispatchlab run ${file} --strategy LABEL --trace run.jsonl), then check --trace run.jsonl.`,
          );
        }
        // Given on the command line, not defaults: what only the runs of a scenario take.
        const name = {
          seeds: '--seeds',
          seedStart: '--seed-start',
          strategy: '--strategy',
          strategyModule: '--strategy-module',
          orchestratorModule: '--orchestrator-module',
          runs: '--runs',
          seed: '--seed',
          time: '--time',
          replay: '--replay',
          out: '--out',
          regressions: '--regressions or --no-regressions',
          chromeTrace: '--chrome-trace',
        };
        const runsOnly = (Object.keys(name) as (keyof typeof name)[]).filter(
          (o) => cmd.getOptionValueSource(o) === 'cli',
        );
        if (runsOnly.length > 0) {
          throw new CliError(
            `${runsOnly.map((o) => name[o]).join(' and ')} ${runsOnly.length === 1 ? 'chooses' : 'choose'} the runs of a scenario FILE; a trace is one run already: leave ${runsOnly.length === 1 ? 'it' : 'them'} out with --trace.`,
          );
        }
        const checks = options.trace.map((trace) => ({
          file: trace,
          check: checkRecords(readTraceFile(trace), invariants),
        }));
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify({ format: 'dispatchlab-trace-check', version: 1, traces: checks }, null, 2)}\n`
            : traceCheckText(checks),
        );
        const broken = checks.some((c) => c.check.results.some((r) => r.status === 'fail'));
        if (broken) throw new ChecksFailed();
        return;
      }
      const scenario = await scenarioToCheck(file, options);
      const chosen =
        options.strategy === undefined
          ? undefined
          : [scenario.strategies.indexOf(chooseStrategy(scenario, options.strategy))];
      const replay = options.replay === undefined ? undefined : parseReplay(options.replay);
      if (replay !== undefined) checkReplayMatches(replay, scenario, chosen);
      const regressionsFile =
        options.regressions === false
          ? undefined
          : (options.regressions ?? join(options.out, 'regressions.json'));
      const regressionsDoc =
        regressionsFile === undefined ? emptyRegressions : readRegressions(regressionsFile);
      const runs = replay !== undefined ? 1 : options.runs;
      const seeds = seedsFrom(scenario, options);
      const progress = progressBar(`check ${scenario.name}`, options.quiet, 'runs');
      const strategyCount = chosen?.length ?? scenario.strategies.length;
      let doc: CheckDocument;
      try {
        doc = await checkScenarioAsync(scenario, {
          invariants,
          seeds,
          strategies: chosen,
          onProgress: progress.onProgress,
          ownSeeds: replay === undefined,
          // Regressions are replayed even with --runs 0: a bug once found stays checked.
          generate:
            runs === 0 && !regressionsDoc.regressions.some((r) => r.scenario === scenario.name)
              ? undefined
              : {
                  runs,
                  seed: replay?.seed ?? options.seed,
                  path: replay?.path,
                  timeLimitMs:
                    options.time === undefined ? undefined : (options.time * 1000) / strategyCount,
                  regressions: (label: string) =>
                    replay !== undefined
                      ? []
                      : regressionsFor(regressionsDoc, scenario.name, label),
                },
        });
      } finally {
        progress.stop();
      }
      const invocation = invocationOf(file, options);
      const replayOf = (label: string, c: Counterexample) => {
        const token = replayToken(
          scenario,
          c.fromRegression
            ? undefined
            : {
                seed: doc.strategies.find((s) => s.label === label)!.generated!.seed,
                path: c.path,
              },
        );
        const command = strategyCommand(invocation, label);
        return { token, command: token === undefined ? command : `${command} --replay ${token}` };
      };
      const files = await writeCounterexamples(doc, scenario, {
        out: options.out,
        chromeTrace: options.chromeTrace === true,
        regressions: regressionsFile,
        regressionsDoc,
        replay: (label, c) => {
          const r = replayOf(label, c);
          return { command: r.command, token: r.token ?? '' };
        },
      });
      process.stdout.write(
        options.json === true
          ? `${JSON.stringify(
              withFiles(doc, files, (label, c) => replayOf(label, c).command),
              withoutTraces,
              2,
            )}\n`
          : scenarioCheckText(doc, {
              files,
              replay: (label, c) => replayOf(label, c).command,
              seedReplay: (label, seed) => ownSeedReplay(invocation, label, seed),
            }),
      );
      if (doc.failed > 0) throw new ChecksFailed();
    });
}
