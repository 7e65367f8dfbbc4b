/**
 * `dispatchlab sweep FILE --vary PATH=FROM..TO:STEPS`: the comparison over a grid of
 * parameter values; for each point, which strategy wins, and where the winner changes.
 */
import type { Command } from 'commander';
import type { Direction } from '../../experiment/metric-names.js';
import { sweepShard } from '../../experiment/shard.js';
import { type SweepDocument, sweep } from '../../experiment/sweep.js';
import { loadScenario } from '../../scenario/load.js';
import { safeFileStem } from '../file-name.js';
import { formatMetric, table } from '../format.js';
import {
  addExperimentOptions,
  type ExperimentCliOptions,
  runExperiment,
  seedsOption,
} from './compare.js';

interface SweepCliOptions extends ExperimentCliOptions {
  vary: string[];
  metric?: string;
  direction?: Direction;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function sweepText(doc: SweepDocument): string {
  const { metric } = doc.winnerBy;
  // Strategies are told apart by position: a varied field may change a label.
  const first = doc.points[0]?.results.strategies ?? [];
  const labels = first.map((s, i) =>
    doc.points.every((p) => p.results.strategies[i]?.label === s.label)
      ? s.label
      : `${s.config.kind} #${i + 1} (label varies)`,
  );
  const rows = doc.points.map((p) => [
    ...doc.vary.map((v) => String(p.values[v.path])),
    ...labels.map((_, i) => {
      const s = p.results.strategies[i]?.metrics[metric];
      return s?.mean === null || s === undefined ? 'n/a' : formatMetric(metric, s.mean);
    }),
    p.winner === null ? '—' : `${p.winner}${p.decisive ? '' : ' (not significant)'}`,
  ]);
  const out = [
    `${doc.scenario.name}: mean ${metric} per point over ${doc.seeds.count} seeds (${doc.winnerBy.direction} is better)`,
    '',
    table([...doc.vary.map((v) => v.path), ...labels, 'winner'], rows),
    '',
  ];
  if (doc.changes.length === 0) out.push('The winner is the same at every point.');
  for (const c of doc.changes) {
    out.push(
      `The winner changes along ${c.along} between ${String(c.between[0])} and ${String(c.between[1])}: ${c.before ?? '—'} → ${c.after ?? '—'}.`,
    );
  }
  return `${out.join('\n')}\n`;
}

export function registerSweep(program: Command): void {
  addExperimentOptions(
    program
      .command('sweep')
      .description(
        'compare the strategies over a grid of parameter values and show where the winner changes',
      )
      .argument('<file>', 'scenario file (YAML or JSON)')
      .requiredOption(
        '--vary <spec>',
        'PATH=FROM..TO:STEPS (STEPS evenly spaced values, ends included) or PATH=v1,v2,...; PATH is a field of the scenario, e.g. orchestrator.process or strategies[2].wip; repeat for a grid',
        collect,
      )
      .option('--metric <name>', 'the metric that decides the winner (default makespan)')
      .option(
        '--direction <lower|higher>',
        "which way is better (default: the metric's usual reading)",
      ),
  ).action(async (file: string, options: SweepCliOptions) => {
    const scenario = loadScenario(file);
    const common = {
      vary: options.vary,
      metric: options.metric,
      direction: options.direction,
      seeds: seedsOption(options, scenario.seeds),
      workers: options.workers,
      baseline: options.baseline,
    };
    const stem = safeFileStem(scenario.name);
    await runExperiment({
      what: `sweep ${scenario.name}`,
      options,
      file: `${stem}.sweep.json`,
      partialFile: (i, n) => `${stem}.sweep.partial-${i}-of-${n}.json`,
      whole: (onProgress) => sweep(scenario, { ...common, onProgress }),
      shard: (shard, onProgress) => sweepShard(scenario, { ...common, shard, onProgress }),
      text: sweepText,
    });
  });
}
