/**
 * `dispatchlab sweep FILE --vary PATH=FROM..TO:STEPS`: the comparison over a grid of
 * parameter values; for each point, which strategy wins clearly (beyond --margin) or which
 * tie, and which the verdict says to adopt; where the clear winner changes, and where the
 * answer flips (the rules: src/experiment/sweep.ts).
 */
import type { Command } from 'commander';
import type { Direction } from '../../experiment/metric-names.js';
import { sweepShard } from '../../experiment/shard.js';
import { type SweepDocument, sweep } from '../../experiment/sweep.js';
import { formatMetric, table } from '../../report/format.js';
import { buildSweepReport } from '../../report/sweep-report.js';
import {
  adoptCell,
  changesText,
  flipsText,
  ruleText,
  strategyNames,
  verdictRuleText,
  winnerCell,
} from '../../report/sweep-text.js';
import { loadScenarioWithWarnings } from '../load-scenario.js';
import { collect, scenarioFileHelp } from '../options.js';
import {
  addExperimentOptions,
  type ExperimentCliOptions,
  experimentOptions,
  outputFiles,
  runExperiment,
} from './compare.js';

interface SweepCliOptions extends ExperimentCliOptions {
  vary: string[];
  metric?: string;
  direction?: Direction;
  margin?: string;
}

export function sweepText(doc: SweepDocument): string {
  const { metric } = doc.winnerBy;
  const labels = strategyNames(doc);
  const rows = doc.points.map((p) => [
    ...doc.vary.map((v) => String(p.values[v.path])),
    ...labels.map((_, i) => {
      const s = p.results.strategies[i]?.metrics[metric];
      return s?.mean === null || s === undefined ? 'n/a' : formatMetric(metric, s.mean);
    }),
    winnerCell(p),
    adoptCell(p),
  ]);
  const out = [
    `${doc.scenario.name}: mean ${metric} per point over ${doc.seeds.count} seeds (${doc.winnerBy.direction} is better)`,
    '',
    table([...doc.vary.map((v) => v.path), ...labels, 'winner', 'adopt'], rows),
    '',
    ruleText(doc),
    ...changesText(doc, labels),
    '',
    'Where the answer flips',
    '',
    verdictRuleText(doc),
    ...flipsText(doc, labels),
  ];
  return `${out.join('\n')}\n`;
}

export function registerSweep(program: Command): void {
  addExperimentOptions(
    program
      .command('sweep')
      .description(
        'compare the strategies over a grid of parameter values and show where the answer (what to adopt) flips and where the winner changes',
      )
      .argument('<file>', scenarioFileHelp)
      .requiredOption(
        '--vary <spec>',
        'PATH=FROM..TO:STEPS (STEPS evenly spaced values, ends included) or PATH=v1,v2,...; PATH is a field of the scenario, e.g. orchestrator.process, strategies[2].wip, or strategies[3].options.NAME for an option of a module; repeat for a grid',
        collect,
      )
      .option(
        '--metric <name>',
        "the metric that decides the winner and the verdict (default: the scenario's objective, else makespan)",
      )
      .option(
        '--direction <lower|higher>',
        "which way is better for the winner (default: the metric's usual reading; the verdict always reads it so)",
      )
      .option(
        '--margin <share>',
        "how far a winner must lead, as a share of the beaten strategy's mean (for the verdict, of the reference's), over the whole paired 95% CI: 5% (the default), 0.05, or 0 for any significant lead; a smaller lead is a tie (the verdict keeps the reference)",
      ),
  ).action(async (file: string, options: SweepCliOptions) => {
    const scenario = await loadScenarioWithWarnings(file);
    const common = {
      vary: options.vary,
      metric: options.metric,
      direction: options.direction,
      margin: options.margin,
      ...experimentOptions(scenario, options),
    };
    await runExperiment({
      what: `sweep ${scenario.name}`,
      options,
      ...outputFiles(scenario, '.sweep'),
      whole: (onProgress) => sweep(scenario, { ...common, onProgress }),
      shard: (shard, onProgress) => sweepShard(scenario, { ...common, shard, onProgress }),
      text: sweepText,
      report: buildSweepReport,
    });
  });
}
