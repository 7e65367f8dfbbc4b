/**
 * Check benchmark: what does checking a run's trace against the invariants as it is
 * written (online, what `dispatchlab check` does for every run) cost, next to the same run
 * unchecked, in the same process?
 *
 * Workload: the bundled scenario scenarios/docs-audit.yaml (3 strategies, 50 tasks), every
 * strategy on a fixed list of seeds (0..N-1, default 300). One timed pass runs that list:
 *   - plain:   `runOnce(scenario, config, seed)`, no trace;
 *   - checked: the same runs with a `new TraceChecker(invariants)` as the trace sink, then
 *              `checker.finish()`, as check-runs.ts does (so the checked figure includes
 *              everything the trace costs: records built, the scenario's hash in the header).
 * Target: a checked run costs at most twice a plain one (checked time / plain time <= 2).
 *
 * Every pass is checked so the benchmark cannot measure different work: each run's makespan
 * and kernel events must equal those of the first plain pass, in both modes and every
 * round; a checked pass must see the same number of records and the same verdicts each
 * time.
 *
 * Method: warm-up passes of both, alternating, then N rounds (default 15) of one plain and
 * one checked pass, interleaved, the order swapped each round (plain first, then checked
 * first: neither always runs just after the other), with a regular major GC before each
 * timed pass (lib/memory.ts, getMajorGc: a plain gc() would deoptimize the model). Medians
 * are reported (the machine is shared and noisy; min/max only show the spread); the ratio
 * is the median of the rounds' checked/plain time ratios (paired: robust to drift).
 *
 * Usage: npm run bench:check -- [--rounds N] [--seeds N] [--json] [--only KEY] [--help]
 */
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runOnce } from '../src/experiment/run-seeds.js';
import { TraceChecker } from '../src/invariants/check-trace.js';
import { invariants } from '../src/invariants/index.js';
import { alignColumns } from '../src/report/format.js';
import { loadScenario } from '../src/scenario/load.js';
import type { AnyScenario } from '../src/scenario/parse.js';
import { getMajorGc } from './lib/memory.js';
import { benchOptions } from './lib/options.js';
import { environment, progress } from './lib/report.js';
import { median, type Summary, summarize } from './lib/stats.js';

const SCENARIO_FILE = fileURLToPath(new URL('../scenarios/docs-audit.yaml', import.meta.url));
/** Checked time over plain time, at most. */
const TARGET = 2;
const DEFAULT_ROUNDS = 15;
/** 300 seeds x 3 strategies: a plain pass of ~0.15 s, long enough to time, short enough to repeat. */
const DEFAULT_SEEDS = 300;
/** Warm-up: passes of both modes, alternating, until this much wall time has gone by. */
const WARM_UP_SECONDS = 3;
const MIN_WARM_UP_PASSES = 3;

const MODE_KEYS = ['plain', 'checked'] as const;
type Mode = (typeof MODE_KEYS)[number];

// ---------------------------------------------------------------------------------------
// One pass: every strategy on every seed

/** What a pass did, compared across passes and modes (outside the timed region). */
interface Work {
  /** Each run's makespan, strategies in the scenario's order, seeds in order. */
  readonly makespans: Float64Array;
  /** Kernel events, summed over the runs. */
  readonly events: number;
  /** Trace records the checkers read, header included (0 for a plain pass). */
  readonly records: number;
  /** Invariant verdicts over the runs (all 0 for a plain pass). */
  readonly verdicts: { pass: number; fail: number; vacuous: number };
}

interface Pass extends Work {
  readonly seconds: number;
}

function runPass(
  mode: Mode,
  scenario: AnyScenario,
  seeds: readonly number[],
  gc: () => void,
): Pass {
  const makespans = new Float64Array(scenario.strategies.length * seeds.length);
  const verdicts = { pass: 0, fail: 0, vacuous: 0 };
  let events = 0;
  let records = 0;
  let i = 0;
  gc(); // garbage of the previous pass is not this pass's cost
  const start = performance.now();
  if (mode === 'plain') {
    for (const config of scenario.strategies) {
      for (const seed of seeds) {
        const r = runOnce(scenario, config, seed);
        makespans[i++] = r.metrics.makespan;
        events += r.events;
      }
    }
  } else {
    for (const config of scenario.strategies) {
      for (const seed of seeds) {
        const checker = new TraceChecker(invariants);
        const r = runOnce(scenario, config, seed, checker);
        const check = checker.finish();
        makespans[i++] = r.metrics.makespan;
        events += r.events;
        records += check.records;
        for (const result of check.results) verdicts[result.status]++;
      }
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, makespans, events, records, verdicts };
}

/**
 * Throws unless `pass` did the same runs as `reference` (a plain pass): same makespans and
 * events; and, for a checked pass, the same records and verdicts as the first checked one.
 */
function checkSameWork(
  mode: Mode,
  pass: Work,
  reference: Work,
  firstChecked: Work | undefined,
  scenario: AnyScenario,
  seeds: readonly number[],
): void {
  const problems: string[] = [];
  for (let i = 0; i < reference.makespans.length; i++) {
    if (!Object.is(pass.makespans[i], reference.makespans[i])) {
      const config = scenario.strategies[Math.floor(i / seeds.length)]!;
      const seed = seeds[i % seeds.length]!;
      problems.push(
        `"${config.label}" seed ${seed}: makespan ${pass.makespans[i]}, ${reference.makespans[i]} in the first plain pass`,
      );
      break;
    }
  }
  if (pass.events !== reference.events)
    problems.push(`${pass.events} events, ${reference.events} in the first plain pass`);
  if (mode === 'checked') {
    const runs = reference.makespans.length;
    if (!(pass.records > runs)) problems.push(`the checkers read ${pass.records} records`);
    const total = pass.verdicts.pass + pass.verdicts.fail + pass.verdicts.vacuous;
    if (total !== runs * invariants.length)
      problems.push(`${total} verdicts, expected ${runs * invariants.length}`);
    if (firstChecked !== undefined) {
      if (pass.records !== firstChecked.records)
        problems.push(`${pass.records} records, ${firstChecked.records} in the first checked pass`);
      const a = JSON.stringify(pass.verdicts);
      const b = JSON.stringify(firstChecked.verdicts);
      if (a !== b) problems.push(`verdicts ${a}, ${b} in the first checked pass`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `a ${mode} pass did not do the same work: ${problems.join('; ')}; the runs are not deterministic or the trace changes them`,
    );
  }
}

// ---------------------------------------------------------------------------------------
// Main

const HELP = `Usage: npm run bench:check -- [options]

Runs per second of the scenario scenarios/docs-audit.yaml (every strategy on seeds 0..N-1),
plain (no trace) and checked (each run's trace checked against the ${invariants.length} invariants as it is
written, as \`dispatchlab check\` does), interleaved in the same process, and the ratio
checked time / plain time against the target: at most ${TARGET}. Figures, not a test: the exit
code is 0 even when the target is missed (it is non-zero only if the two modes did not
run the same runs: makespans, events, or records and verdicts differing between passes).

Options:
  --rounds N   timed rounds of one plain and one checked pass, after a warm-up
               (default ${DEFAULT_ROUNDS}; medians need >= 5)
  --seeds N    seeds per strategy in a pass (default ${DEFAULT_SEEDS})
  --json       print a machine-readable summary on stdout instead of the table
  --only KEY   time one mode alone, no ratio (for profiling with node --cpu-prof);
               KEY is one of ${MODE_KEYS.join(', ')}
  --help       show this help
`;

interface Figures {
  readonly runsPerSecond: Summary;
  readonly secondsPerPass: Summary;
}

function figures(passes: readonly Pass[], runs: number): Figures {
  return {
    runsPerSecond: summarize(passes.map((p) => runs / p.seconds)),
    secondsPerPass: summarize(passes.map((p) => p.seconds)),
  };
}

async function main(): Promise<void> {
  const options = benchOptions(HELP, DEFAULT_ROUNDS, { seeds: String(DEFAULT_SEEDS) });
  if (options === undefined) return;
  const { rounds, json, only } = options;
  const seedCount = Number(options.own.seeds);
  if (!Number.isInteger(seedCount) || seedCount < 1)
    throw new Error(`--seeds must be a positive integer, got ${options.own.seeds}`);
  const modes: readonly Mode[] =
    only === undefined ? MODE_KEYS : MODE_KEYS.filter((m) => m === only);
  if (modes.length === 0)
    throw new Error(`--only: no mode '${only}'; choose one of ${MODE_KEYS.join(', ')}`);

  const startedAt = performance.now();
  const env = environment();
  const gc = getMajorGc();
  const scenarioName = relative(process.cwd(), SCENARIO_FILE) || SCENARIO_FILE;
  const scenario = await loadScenario(SCENARIO_FILE);
  const seeds = Array.from({ length: seedCount }, (_, i) => i);
  const runs = scenario.strategies.length * seeds.length;

  // Warm-up. The first plain pass is the reference every later pass must reproduce (run
  // even with --only checked, untimed).
  const reference = runPass('plain', scenario, seeds, gc);
  progress(`reference: plain pass, ${runs} runs in ${reference.seconds.toFixed(2)} s (cold)`);
  let firstChecked: Work | undefined;
  const check = (mode: Mode, pass: Pass): Pass => {
    checkSameWork(mode, pass, reference, firstChecked, scenario, seeds);
    if (mode === 'checked') firstChecked ??= pass;
    return pass;
  };
  const warm = performance.now();
  for (
    let n = 0;
    n < MIN_WARM_UP_PASSES || performance.now() - warm < WARM_UP_SECONDS * 1000;
    n++
  ) {
    for (const mode of modes) {
      const pass = check(mode, runPass(mode, scenario, seeds, gc));
      progress(`warm-up ${n + 1}: ${mode} ${rate(runs / pass.seconds)}`);
    }
  }

  const passes = new Map<Mode, Pass[]>(modes.map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    const order = modes.map((_, i) => modes[(i + r) % modes.length]!);
    for (const mode of order)
      passes.get(mode)!.push(check(mode, runPass(mode, scenario, seeds, gc)));
    progress(
      `round ${r + 1}/${rounds}: ${modes.map((m) => `${m} ${rate(runs / passes.get(m)!.at(-1)!.seconds)}`).join(', ')}`,
    );
  }
  const stats = new Map(modes.map((m) => [m, figures(passes.get(m)!, runs)]));

  if (only !== undefined) {
    const f = stats.get(modes[0]!)!;
    process.stdout.write(
      `${modes[0]}: median ${rate(f.runsPerSecond.median)}, min ${rate(f.runsPerSecond.min)}, max ${rate(f.runsPerSecond.max)}; ${f.secondsPerPass.median.toFixed(3)} s per pass of ${runs} runs (${rounds} rounds)\n`,
    );
    return;
  }

  const plain = stats.get('plain')!;
  const checked = stats.get('checked')!;
  const plainPasses = passes.get('plain')!;
  const checkedPasses = passes.get('checked')!;
  // Paired by round: both passes of a round ran back to back, under the same load.
  const paired = median(checkedPasses.map((p, i) => p.seconds / plainPasses[i]!.seconds));
  const ofMedians = checked.secondsPerPass.median / plain.secondsPerPass.median;
  const verdict = paired <= TARGET ? 'PASS' : 'MISS';
  const work = firstChecked!;
  const runtimeSeconds = (performance.now() - startedAt) / 1000;

  if (json) {
    const summary = {
      benchmark: 'check',
      environment: env,
      rounds,
      scenario: {
        file: scenarioName,
        name: scenario.name,
        tasks: scenario.world.tasks.count,
        strategies: scenario.strategies.map((c) => c.label),
      },
      seeds: { start: 0, count: seedCount },
      runsPerPass: runs,
      eventsPerRun: reference.events / runs,
      recordsPerRun: work.records / runs,
      invariants: invariants.map((i) => i.name),
      verdicts: work.verdicts,
      plain,
      checked,
      ratio: {
        of: 'checked time / plain time',
        pairedMedian: paired,
        ofMedians,
        target: TARGET,
        verdict,
      },
      runtimeSeconds,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }

  const row = (label: string, f: Figures) => [
    label,
    rate(f.runsPerSecond.median),
    rate(f.runsPerSecond.min),
    rate(f.runsPerSecond.max),
    `${((f.secondsPerPass.median / runs) * 1000).toFixed(3)} ms`,
  ];
  const v = work.verdicts;
  const out = [
    `dispatchlab check benchmark, ${env.date}`,
    `node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cpus} x ${env.cpu}`,
    `${rounds} rounds after a warm-up; plain and checked passes interleaved, order swapped each round, full GC before each timed pass; medians (min, max)`,
    '',
    `${scenarioName} (${scenario.world.tasks.count} tasks): ${scenario.strategies.length} strategies x seeds 0..${seedCount - 1} = ${runs} runs per pass, ${(reference.events / runs).toFixed(1)} events/run`,
    `checked: ${(work.records / runs).toFixed(1)} trace records/run read by ${invariants.length} invariants; verdicts ${v.pass} pass, ${v.vacuous} vacuous, ${v.fail} fail`,
    'every pass had the same makespans and events as the first plain pass (checked: same records and verdicts too)',
    alignColumns([
      ['mode', 'runs/s', 'min', 'max', 'time/run'],
      row('plain (no trace)', plain),
      row('checked (TraceChecker sink)', checked),
    ]),
    '',
    `checked / plain time: ${paired.toFixed(2)} (median of ${rounds} paired rounds; ratio of medians ${ofMedians.toFixed(2)}), target <= ${TARGET.toFixed(1)}  ${verdict}`,
    '',
    `bench runtime: ${runtimeSeconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Runs per second as "6,543/s". */
function rate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en')}/s`;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:check: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
