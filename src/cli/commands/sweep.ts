/**
 * `dispatchlab sweep FILE --vary PATH=FROM..TO:STEPS`: the comparison over a grid of
 * parameter values; for each point, which strategy wins clearly (beyond --margin) or which
 * tie, and where the clear winner changes (the rules: src/experiment/sweep.ts).
 */
import type { Command } from 'commander';
import { formatMargin } from '../../experiment/margin.js';
import type { Direction } from '../../experiment/metric-names.js';
import { sweepShard } from '../../experiment/shard.js';
import {
  type SweepDocument,
  type SweepPoint,
  sweep,
  type WinnerChange,
} from '../../experiment/sweep.js';
import { gridStride, type VaryValue } from '../../experiment/vary.js';
import { formatMetric, table } from '../../report/format.js';
import { loadScenarioWithWarnings } from '../load-scenario.js';
import { scenarioFileHelp } from '../options.js';
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

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** What the winner column shows for a point. */
function winnerCell(p: SweepPoint): string {
  if (p.lead === 'tie') return `tie: ${p.tied.join(' ≈ ')}`;
  if (p.winner === null) return '—';
  return p.lead === null ? `${p.winner} (unopposed)` : p.winner;
}

/** The rule a winner meets, in a sentence. */
function ruleText(doc: SweepDocument): string {
  const { margin } = doc.winnerBy;
  const leads =
    margin === 0
      ? 'leads every other strategy significantly (its paired 95% CI excludes 0; --margin 0)'
      : `leads every other strategy by more than ${formatMargin(margin)} of that strategy's mean across the whole paired 95% CI`;
  return `A winner completed every run, has the best mean, and ${leads}; where the best mean's lead is less clear, the point is a tie (≈).`;
}

/** "a", "a and b", "a, b and c". */
function joinList(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** One line per change of clear winner; the other varies' values and any points without a winner in between in parentheses. */
function changeLine(doc: SweepDocument, c: WinnerChange): string {
  const d = doc.vary.findIndex((v) => v.path === c.along);
  const stride = gridStride(doc.vary, d);
  const passed: VaryValue[] = [];
  for (let i = c.from + stride; i < c.to; i += stride) passed.push(doc.points[i]!.values[c.along]!);
  const notes: string[] = [];
  const at = Object.entries(c.at);
  if (at.length > 0) notes.push(`at ${at.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  if (passed.length > 0) {
    const where =
      passed.length > 4 ? `the ${passed.length} values in between` : joinList(passed.map(String));
    notes.push(`no clear winner at ${where}`);
  }
  const context = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `The winner changes along ${c.along} between ${String(c.between[0])} and ${String(c.between[1])}${context}: ${c.before} → ${c.after}.`;
}

/** When no change is printed: what the winners are, never suggesting a tie is a win. */
function noChangeLine(doc: SweepDocument, labels: readonly string[]): string {
  const wins = new Map<number, number>();
  for (const p of doc.points) {
    if (p.winner === null) continue;
    const i = p.results.strategies.findIndex((s) => s.label === p.winner);
    wins.set(i, (wins.get(i) ?? 0) + 1);
  }
  const total = doc.points.length;
  if (wins.size === 0) return 'No point has a clear winner.';
  const [only] = [...wins.keys()];
  if (wins.size === 1) {
    const n = wins.get(only!)!;
    return n === total
      ? `The winner is the same at every point: ${labels[only!]}.`
      : `${labels[only!]} wins at every point that has a clear winner (${n} of ${total}); the others have none.`;
  }
  const list = [...wins].map(([i, n]) => `${labels[i]} (${n} ${n === 1 ? 'point' : 'points'})`);
  return `The clear winners are ${joinList(list)}, but no line of the grid holds two different clear winners (they differ in more than one varied value); see the table.`;
}

export function sweepText(doc: SweepDocument): string {
  const { metric } = doc.winnerBy;
  // Strategies are told apart by position: a varied field may change a label.
  const first = doc.points[0]?.results.strategies ?? [];
  const labels = first.map((s, i) =>
    doc.points.every((p) => p.results.strategies[i]?.label === s.label)
      ? s.label
      : `${'module' in s.config ? s.config.module : s.config.kind} #${i + 1} (label varies)`,
  );
  const rows = doc.points.map((p) => [
    ...doc.vary.map((v) => String(p.values[v.path])),
    ...labels.map((_, i) => {
      const s = p.results.strategies[i]?.metrics[metric];
      return s?.mean === null || s === undefined ? 'n/a' : formatMetric(metric, s.mean);
    }),
    winnerCell(p),
  ]);
  const out = [
    `${doc.scenario.name}: mean ${metric} per point over ${doc.seeds.count} seeds (${doc.winnerBy.direction} is better)`,
    '',
    table([...doc.vary.map((v) => v.path), ...labels, 'winner'], rows),
    '',
    ruleText(doc),
  ];
  // Distinct changes give distinct lines (each names its line of the grid); the set is a
  // guard against a vary listing a value twice.
  const lines = new Set(doc.changes.map((c) => changeLine(doc, c)));
  if (lines.size === 0) out.push(noChangeLine(doc, labels));
  out.push(...lines);
  return `${out.join('\n')}\n`;
}

export function registerSweep(program: Command): void {
  addExperimentOptions(
    program
      .command('sweep')
      .description(
        'compare the strategies over a grid of parameter values and show where the winner changes',
      )
      .argument('<file>', scenarioFileHelp)
      .requiredOption(
        '--vary <spec>',
        'PATH=FROM..TO:STEPS (STEPS evenly spaced values, ends included) or PATH=v1,v2,...; PATH is a field of the scenario, e.g. orchestrator.process, strategies[2].wip, or strategies[3].options.NAME for an option of a module; repeat for a grid',
        collect,
      )
      .option('--metric <name>', 'the metric that decides the winner (default makespan)')
      .option(
        '--direction <lower|higher>',
        "which way is better (default: the metric's usual reading)",
      )
      .option(
        '--margin <share>',
        "how far a winner must lead, as a share of the beaten strategy's mean, over the whole paired 95% CI: 5% (the default), 0.05, or 0 for any significant lead; a smaller lead is a tie",
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
    });
  });
}
