/**
 * `dispatchlab check`: the safety invariants, checked on traces. `check FILE` runs every
 * strategy of a scenario on its seeds and checks every run; `check --trace FILE.jsonl`
 * checks traces recorded elsewhere (by `dispatchlab run --trace`, or by an orchestrator of
 * your own, in any language: docs/trace-format.md). Exit code 3 when an invariant is
 * broken, so that CI tells an unsafe strategy (3) from bad input (2) and a bug (1).
 */
import type { Command } from 'commander';
import { checkScenario } from '../../experiment/check-runs.js';
import { readTraceFile } from '../../experiment/read-trace.js';
import { checkRecords } from '../../invariants/check-trace.js';
import { invariants } from '../../invariants/index.js';
import { chooseStrategy } from '../../scenario/strategy-choice.js';
import { scenarioCheckText, traceCheckText } from '../check-text.js';
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
  json?: boolean;
  quiet?: boolean;
}

export function registerCheck(program: Command): void {
  addSeedOptions(program.command('check'))
    .description(
      "check the safety invariants (WIP never exceeded, no ghost agents, every task ends once, no duplicate of a live attempt, every failure detected, cancels only of live subagents, one thing at a time, time moves forward, the run ends) on every run of a scenario's strategies, or on traces recorded elsewhere; exit code 3 when one is broken",
    )
    .argument('[file]', scenarioFileHelp)
    .option(
      '--trace <file>',
      'check this trace (JSON Lines, docs/trace-format.md) instead of running a scenario; repeat for several',
      collect,
    )
    .option('-s, --strategy <label>', strategyOptionHelp)
    .option('--json', 'print the verdicts as JSON')
    .option('-q, --quiet', 'no progress bar')
    .addHelpText(
      'after',
      '\nPer invariant: PASS (held, with how often it was put to the test), FAIL (the first violation, the records around it, and how to replay it) or VACUOUS (nothing in the runs put it to the test).\nExit codes: 0 every check comes out as the scenario declares (each invariant held, or broke where expect: says it does), 3 one does not, 2 bad usage or input, 1 a bug.\nExamples:\n  dispatchlab check scenarios/docs-audit.yaml --seeds 20\n  dispatchlab run scenarios/docs-audit.yaml -s 1 --trace run.jsonl && dispatchlab check --trace run.jsonl',
    )
    .action(async (file: string | undefined, options: CheckCliOptions) => {
      if (options.trace !== undefined) {
        if (file !== undefined) {
          throw new CliError(
            `check takes a scenario FILE or --trace, not both: to check a run of ${file}, write its trace first (dispatchlab run ${file} --strategy LABEL --trace run.jsonl), then check --trace run.jsonl.`,
          );
        }
        const runsOnly = (['seeds', 'seedStart', 'strategy'] as const).filter(
          (o) => options[o] !== undefined,
        );
        if (runsOnly.length > 0) {
          const name = { seeds: '--seeds', seedStart: '--seed-start', strategy: '--strategy' };
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
      if (file === undefined) {
        throw new CliError(
          'check needs a scenario FILE to run, or --trace FILE.jsonl to check a recorded trace: dispatchlab check scenarios/docs-audit.yaml',
        );
      }
      const scenario = await loadScenarioWithWarnings(file);
      const chosen =
        options.strategy === undefined
          ? undefined
          : [scenario.strategies.indexOf(chooseStrategy(scenario, options.strategy))];
      const seeds = seedsFrom(scenario, options);
      const progress = progressBar(`check ${scenario.name}`, options.quiet, 'runs');
      let doc: ReturnType<typeof checkScenario>;
      try {
        doc = checkScenario(scenario, {
          invariants,
          seeds,
          strategies: chosen,
          onProgress: progress.onProgress,
        });
      } finally {
        progress.stop();
      }
      process.stdout.write(
        options.json === true ? `${JSON.stringify(doc, null, 2)}\n` : scenarioCheckText(doc, file),
      );
      if (doc.failed > 0) throw new ChecksFailed();
    });
}
