/**
 * `dispatchlab run FILE`: one run per strategy (or the one named) at one seed: its
 * metrics, and optionally its trace as JSONL and as a Chrome trace-event file.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  finalAtDeadlock,
  isMetricName,
  type MetricName,
  metricNames,
} from '../../experiment/metric-names.js';
import { runEntry } from '../../experiment/run-seeds.js';
import { signalsHandled, trackTemporaryFile } from '../../experiment/temp-files.js';
import { activityKinds, type RunMetrics } from '../../model/metrics.js';
import type { LeftUndone, RunReport } from '../../model/run.js';
import type { ModelTrace, ModelTraceRecord } from '../../model/trace-records.js';
import { chromeTraceOf, chromeTraceText } from '../../report/chrome-trace.js';
import { formatMetric, table } from '../../report/format.js';
import type { Scenario } from '../../scenario/parse.js';
import { chooseStrategy, numbered } from '../../scenario/strategy-choice.js';
import { JsonlTraceWriter, MemoryTrace } from '../../sim/trace.js';
import { CliError } from '../cli-error.js';
import { loadScenarioWithWarnings } from '../load-scenario.js';
import { parseSeed, scenarioFileHelp, strategyOptionHelp } from '../options.js';
import { outputError } from '../output-error.js';
import { prepareOutputFile, writeOutputFile } from '../output-path.js';

interface RunCliOptions {
  strategy?: string;
  seed: number;
  trace?: string;
  chromeTrace?: string;
  json?: boolean;
}

/** Every strategy, or the one --strategy designates (a label, a unique prefix, or a number). */
function selectStrategies(scenario: Scenario, choice: string | undefined) {
  return choice === undefined ? scenario.strategies : [chooseStrategy(scenario, choice)];
}

const shownMetrics: readonly MetricName[] = [
  'makespan',
  'idleTime',
  'utilization',
  'succeeded',
  'givenUp',
  'peakInFlight',
  'failuresDetected',
  'undetectedFailures',
  'ghosts',
  'duplicateSpawns',
  'correctShare',
];

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'run each strategy of a scenario once (or only --strategy), at one seed, and print its metrics',
    )
    .argument('<file>', scenarioFileHelp)
    .option('-s, --strategy <label>', strategyOptionHelp)
    .option('--seed <n>', 'the seed (a whole number >= 0)', parseSeed, 0)
    .option(
      '--trace <file>',
      "write the run's trace as JSONL (needs a single strategy: use --strategy if the scenario has several)",
    )
    .option(
      '--chrome-trace <file>',
      'write the run as a Chrome trace-event file (JSON) to open in Perfetto (ui.perfetto.dev) or chrome://tracing: the orchestrator, a lane per subagent, counters (needs a single strategy, as --trace does; both may be given)',
    )
    .option('--json', 'print the metrics as JSON')
    .action(async (file: string, options: RunCliOptions) => {
      const scenario = await loadScenarioWithWarnings(file);
      const strategies = selectStrategies(scenario, options.strategy);
      const runs: LabelledRun[] = [];
      const outputs = { trace: options.trace, chrome: options.chromeTrace };
      if (outputs.trace !== undefined || outputs.chrome !== undefined) {
        if (strategies.length > 1) {
          const option = outputs.trace !== undefined ? '--trace' : '--chrome-trace';
          throw new CliError(
            `${option} writes one run's trace, but ${file} has ${strategies.length} strategies; add --strategy with a label or a number: ${numbered(scenario)}.`,
          );
        }
        if (outputs.trace !== undefined) prepareOutputFile(outputs.trace, '--trace');
        if (outputs.chrome !== undefined) prepareOutputFile(outputs.chrome, '--chrome-trace');
        if (
          outputs.trace !== undefined &&
          outputs.chrome !== undefined &&
          resolve(outputs.trace) === resolve(outputs.chrome)
        ) {
          // One would silently replace the other.
          throw new CliError(
            `--trace and --chrome-trace both name ${outputs.chrome}; give each its own file.`,
          );
        }
        runs.push(await tracedRun(scenario, strategies[0]!, options.seed, outputs));
      } else {
        for (const config of strategies) runs.push(await oneRun(scenario, config, options.seed));
      }
      if (options.json) {
        const doc = {
          scenario: { name: scenario.name },
          seed: options.seed,
          runs: runs.map((r) => ({
            label: r.label,
            deadlock: r.deadlock ?? null,
            // An incomplete run (the strategy returned early): what it left undone.
            left: r.left ?? null,
            // A deadlocked run's other figures are where it stopped, not what it would
            // cost (metric-names.ts): they are null here, as in compare's document.
            cutShort: r.deadlock === undefined ? [] : cutShortMetrics,
            metrics: jsonSafe(r.metrics, r.deadlock !== undefined),
          })),
        };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${scenario.name} — seed ${options.seed}\n\n`);
      const header = ['metric', ...runs.map((r) => r.label)];
      const rows = [
        ['outcome', ...runs.map((r) => r.metrics.outcome)],
        ...shownMetrics.map((m) => [m, ...runs.map((r) => cell(r, m))]),
      ];
      const split = (['idle', ...activityKinds] as const).map((k) => {
        const name: MetricName = `${k}Time`;
        return [`  ${name}`, ...runs.map((r) => cell(r, name))];
      });
      process.stdout.write(
        `${table(header, [...rows, ['time split:', ...runs.map(() => '')], ...split])}\n`,
      );
      for (const r of runs) {
        if (r.deadlock) process.stdout.write(`\n${r.label} deadlocked — ${r.deadlock}\n`);
        if (r.left) process.stdout.write(`\n${r.label} ${leftText(r.left)}\n`);
      }
      if (options.trace) process.stdout.write(`\ntrace written to ${options.trace}\n`);
      if (options.chromeTrace) {
        process.stdout.write(
          `${options.trace ? '' : '\n'}Chrome trace written to ${options.chromeTrace} (open it in https://ui.perfetto.dev)\n`,
        );
      }
    });
}

type StrategyConfig = Scenario['strategies'][number];
type LabelledRun = RunReport & { readonly label: string };

/** One run of a strategy (the model) or an orchestrator module (the harness). */
async function oneRun(
  scenario: Scenario,
  config: StrategyConfig,
  seed: number,
  trace?: ModelTrace,
): Promise<LabelledRun> {
  return { label: config.label, ...(await runEntry(scenario, config, seed, trace)) };
}

/** Where a traced run's trace goes: a JSONL file (`--trace`), a Chrome trace file (`--chrome-trace`), or both. */
interface TraceOutputs {
  readonly trace?: string | undefined;
  readonly chrome?: string | undefined;
}

/** The Chrome trace's text, from the records of a run kept in memory. */
function chromeText(memory: MemoryTrace<ModelTraceRecord>): string {
  return chromeTraceText(chromeTraceOf(memory.records));
}

/**
 * One run with its trace streamed to `outputs.trace` and/or converted to a Chrome trace
 * at `outputs.chrome` (written atomically, as every output is: output-path.ts). A
 * strategy's run is synchronous, so a signal that comes during it is handled only after it
 * (interruptions.ts; an orchestrator module's run turns the event loop, and a signal is
 * handled during it); before the trace is renamed into place, such a signal is given its
 * turn (signalsHandled), and it deletes the temporary file and ends the process: an
 * interrupted run never leaves a trace that looks complete. A failed write (a full disk)
 * deletes the temporary file too and is reported with the path. With both outputs, the
 * Chrome trace is written before the JSONL trace is renamed into place, so that a
 * failure of either leaves neither.
 */
async function tracedRun(
  scenario: Scenario,
  config: StrategyConfig,
  seed: number,
  outputs: TraceOutputs,
): Promise<LabelledRun> {
  const path = outputs.trace;
  // The Chrome trace is built from the whole run: its records are kept in memory.
  const chrome =
    outputs.chrome === undefined
      ? undefined
      : { path: outputs.chrome, memory: new MemoryTrace<ModelTraceRecord>() };
  const writeChrome = async () => {
    if (chrome !== undefined) {
      await writeOutputFile(chrome.path, chromeText(chrome.memory), '--chrome-trace');
    }
  };
  if (path === undefined) {
    const run = await oneRun(scenario, config, seed, chrome?.memory);
    await writeChrome();
    return run;
  }
  const target = { path, option: '--trace' };
  let trace: JsonlTraceWriter<ModelTraceRecord>;
  try {
    trace = new JsonlTraceWriter<ModelTraceRecord>(path);
  } catch (err) {
    throw outputError(err, target) ?? err;
  }
  const untrack = trackTemporaryFile(trace.tempPath); // in the same synchronous step as its creation
  try {
    const file = trace; // a const: the closure below may not see a `let` as assigned
    const sink: ModelTrace =
      chrome === undefined
        ? file
        : {
            enabled: true,
            // The file first: its write is the one that can fail (a full disk).
            write: (record) => {
              file.write(record);
              chrome.memory.write(record);
            },
            close: () => {},
          };
    const run = await oneRun(scenario, config, seed, sink);
    await signalsHandled();
    trace.finish(); // the flush and sync, which may take a while for a large trace
    await writeChrome();
    await signalsHandled();
    trace.close(); // now only the rename
    return run;
  } catch (err) {
    trace.abort();
    // The model may have wrapped a failed write (a simulated process that failed): the
    // trace's own error says what happened.
    const failure = trace.error ?? err;
    throw outputError(failure, target) ?? failure;
  } finally {
    untrack();
  }
}

/** What an incomplete run's strategy left undone, as a sentence's end. */
function leftText(left: LeftUndone): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `returned with ${count(left.unresolved, 'task', 'tasks')} unresolved, ${count(left.unprocessed, 'result', 'results')} unprocessed and ${count(left.outstanding, 'subagent', 'subagents')} still out: the run is incomplete (its strategy's program ended before its work did).`;
}

/** The metrics a deadlocked run cannot give: every one but the tasks' final fate. */
const cutShortMetrics: readonly MetricName[] = metricNames.filter((m) => !finalAtDeadlock(m));

/** A table cell: the value, or "deadlocked" where a deadlocked run's value would mislead. */
function cell(run: LabelledRun, metric: MetricName): string {
  if (run.deadlock !== undefined && !finalAtDeadlock(metric)) return 'deadlocked';
  return formatMetric(metric, run.metrics[metric]);
}

/**
 * JSON has no NaN or Infinity: they become null (meaning "undefined" and "never"); so do
 * the figures a deadlocked run cut short.
 */
function jsonSafe(
  metrics: RunMetrics,
  deadlocked: boolean,
): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const [k, v] of Object.entries(metrics)) {
    const cut = deadlocked && isMetricName(k) && !finalAtDeadlock(k);
    out[k] = cut || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
  }
  return out;
}
