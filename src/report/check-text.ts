/**
 * What `dispatchlab check` prints: for each strategy (or trace), each invariant's verdict
 * with the coverage behind it, and for a broken one the violation in words, the records
 * around it, and the commands that replay it.
 */
import type { CheckDocument, InvariantTally } from '../experiment/check-runs.js';
import { inline, valueAt } from '../experiment/counterexample-yaml.js';
import type { Counterexample, GenerationResult } from '../experiment/generated-check.js';
import type { InvariantCheck, TraceCheck } from '../invariants/check-trace.js';
import type { CheckStatus } from '../invariants/invariant.js';
import { storyOf } from '../invariants/story.js';
import { serializeTraceRecord } from '../sim/trace.js';
import { shellWord } from './format.js';

const word: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', vacuous: 'VACUOUS' };

/** A count with thousands separators: 12,345. */
const n = (x: number) => x.toLocaleString('en-US');

/** `1 run`, `20 runs`. */
const ofRuns = (runs: number) => `${n(runs)} ${runs === 1 ? 'run' : 'runs'}`;

/** The records around a violation, the violating one marked with `>`. */
function contextLines(
  context: NonNullable<InvariantCheck['context']>,
  at: number,
  indent: string,
): string[] {
  return context.map(
    ({ index, record }) =>
      `${indent}${index === at ? '>' : ' '} ${String(index).padStart(6)}  ${serializeTraceRecord(record)}`,
  );
}

function nameWidth(names: readonly string[]): number {
  return Math.max(...names.map((s) => s.length));
}

/**
 * What a trace's header says of the run: its scenario, strategy and seed, where it says
 * them (a trace from another tool need not: docs/trace-format.md, "The minimum a trace
 * must carry").
 */
function about(header: TraceCheck['header']): string[] {
  // Optional in the format, whatever the type of dispatchlab's own headers says.
  const h = header as Partial<TraceCheck['header']>;
  return [
    ...(h.scenario ? [h.scenario.name] : []),
    ...(h.strategy?.label !== undefined ? [h.strategy.label] : []),
    ...(h.seed !== undefined ? [`seed ${h.seed}`] : []),
  ];
}

/** The text of `check --trace`: one block per trace. */
export function traceCheckText(checks: readonly { file: string; check: TraceCheck }[]): string {
  const out: string[] = [];
  for (const { file, check } of checks) {
    out.push(`${file}: ${[...about(check.header), `${n(check.records)} records`].join(', ')}`);
    const width = nameWidth(check.results.map((r) => r.invariant));
    for (const r of check.results) {
      const coverage =
        r.status === 'vacuous'
          ? `never put to the test (${r.occasionsOf}: 0)`
          : `${r.occasionsOf}: ${n(r.occasions)}`;
      out.push(`  ${word[r.status].padEnd(7)}  ${r.invariant.padEnd(width)}  ${coverage}`);
      if (r.violation !== undefined) {
        out.push(`           ${r.violation.message}`);
        if (r.context !== undefined)
          out.push(...contextLines(r.context, r.violation.index, '           '));
      }
    }
    out.push('');
  }
  const failed = checks.reduce(
    (sum, c) => sum + c.check.results.filter((r) => r.status === 'fail').length,
    0,
  );
  out.push(
    failed === 0
      ? `Every invariant holds on ${checks.length === 1 ? 'this trace' : `these ${checks.length} traces`}${checks.some((c) => c.check.results.some((r) => r.status === 'vacuous')) ? ' (VACUOUS: the trace never put it to the test)' : ''}.`
      : `${failed} ${failed === 1 ? 'invariant is' : 'invariants are'} broken (exit code 3).`,
  );
  return `${out.join('\n')}\n`;
}

/** One invariant over a strategy's runs, as a line (and the violation, when broken). */
function tallyLines(t: InvariantTally, width: number, replay: (seed: number) => string): string[] {
  const runs = t.runs.pass + t.runs.fail + t.runs.vacuous;
  const held =
    t.status === 'vacuous'
      ? `never put to the test in ${ofRuns(runs)} (${t.occasionsOf}: 0)`
      : `held in every run; ${t.occasionsOf}: ${n(t.occasions)}${t.runs.vacuous > 0 ? `, in ${n(t.runs.pass)} of ${ofRuns(runs)}` : ''}`;
  const broken = `broken in ${n(t.runs.fail)} of ${ofRuns(runs)}`;
  const [status, coverage] = t.expected
    ? t.status === 'fail'
      ? ['EXPECTED', `${broken}, as its entry's expect: declares`]
      : t.asDeclared
        ? [
            word[t.status],
            `${held}; its entry's expect: declares it broken, which one replayed workload does not judge`,
          ]
        : [
            'FAIL',
            `${held}, but its entry's expect: declares it broken: the scenario's claim does not hold on these seeds (if it breaks only in some runs, try more seeds)`,
          ]
    : [word[t.status], t.status === 'fail' ? broken : held];
  const lines = [`  ${status.padEnd(8)}  ${t.invariant.padEnd(width)}  ${coverage}`];
  const f = t.firstFailure;
  if (f !== undefined) {
    lines.push(`            first on seed ${f.seed}: ${f.violation.message}`);
    if (f.context !== undefined) {
      if (f.story !== undefined) {
        lines.push('            what happened:');
        for (const line of f.story) lines.push(`              ${line}`);
        lines.push('            the records around it:');
      }
      lines.push(...contextLines(f.context, f.violation.index, '            '));
    } else
      lines.push('            (run again, it did not break it: the strategy is not deterministic)');
    lines.push(`            replay: ${replay(f.seed)}`);
  }
  return lines;
}

/** What a `dispatchlab check` command was given: enough to write the commands that replay it. */
export interface CheckInvocation {
  readonly file?: string | undefined;
  readonly strategyModule?: string | undefined;
  readonly orchestratorModule?: string | undefined;
  /** Further options, written as given (`--out DIR`, `--seed 5`). */
  readonly options?: readonly string[];
}

/** The command as the user would type it again. */
export function checkCommand(invocation: CheckInvocation): string {
  return [
    'dispatchlab check',
    ...(invocation.file === undefined ? [] : [shellWord(invocation.file)]),
    ...(invocation.strategyModule === undefined
      ? []
      : [`--strategy-module ${shellWord(invocation.strategyModule)}`]),
    ...(invocation.orchestratorModule === undefined
      ? []
      : [`--orchestrator-module ${shellWord(invocation.orchestratorModule)}`]),
    ...(invocation.options ?? []),
  ].join(' ');
}

/** A module given on the command line replaces the scenario's strategies. */
const checksAModule = (invocation: CheckInvocation): boolean =>
  invocation.strategyModule !== undefined || invocation.orchestratorModule !== undefined;

/**
 * The command that checks one strategy again: a module checked with --strategy-module or
 * --orchestrator-module is the only strategy (and --strategy beside it is refused).
 */
export function strategyCommand(invocation: CheckInvocation, label: string): string {
  const command = checkCommand(invocation);
  return checksAModule(invocation) ? command : `${command} --strategy ${shellWord(label)}`;
}

/**
 * The command that replays one of the scenario's own seeds: the run's trace, then check
 * on it, where the file's strategies are what was checked; else check on that seed alone.
 */
export function ownSeedReplay(invocation: CheckInvocation, label: string, seed: number): string {
  return invocation.file !== undefined && !checksAModule(invocation)
    ? seedReplayCommand(invocation.file, label, seed)
    : `${checkCommand(invocation)} --seed-start ${seed} --seeds 1 --runs 0`;
}

/** The commands that replay one seed of a scenario file's strategy and check its trace. */
export function seedReplayCommand(file: string, label: string, seed: number): string {
  const trace = `seed-${seed}.jsonl`;
  return `dispatchlab run ${shellWord(file)} --strategy ${shellWord(label)} --seed ${seed} --trace ${trace} && dispatchlab check --trace ${trace}`;
}

/** The files one counterexample went to. */
export interface CounterexampleFiles {
  readonly yaml: string;
  readonly chromeTrace?: string;
}

/** How the text of `check FILE` names what it wrote and how to replay. */
export interface ScenarioCheckTextOptions {
  /** The command that replays one of the scenario's own seeds. */
  readonly seedReplay: (label: string, seed: number) => string;
  /** The files a counterexample went to, by strategy label. */
  readonly files: ReadonlyMap<string, CounterexampleFiles>;
  /** The command that replays a strategy's counterexample. */
  readonly replay: (label: string, c: Counterexample) => string;
}

/** The generated workloads' summary, and the counterexample told, when there is one. */
function generatedLines(
  g: GenerationResult,
  label: string,
  options: ScenarioCheckTextOptions,
): string[] {
  const c = g.counterexample;
  const replayed =
    g.replayed > 0
      ? `${n(g.replayed)} ${g.replayed === 1 ? 'regression' : 'regressions'} replayed, `
      : '';
  const stopped = g.interrupted ? ', stopped by --time' : '';
  if (c === undefined) {
    return [
      `  generated ${replayed}${n(g.runs)} ${g.runs === 1 ? 'workload' : 'workloads'} (fast-check seed ${g.seed}${stopped}): none broke an invariant beyond what the entry declares`,
    ];
  }
  const pad = '            ';
  const lines = [
    c.fromRegression
      ? `  COUNTEREXAMPLE  from the regressions file (${replayed.replace(/, $/, '')}): it breaks the strategy again`
      : g.replay
        ? '  COUNTEREXAMPLE  the replayed workload breaks it again:'
        : `  COUNTEREXAMPLE  generated workload no. ${n(g.runs)} broke it; fast-check shrank it in ${n(c.shrinks)} ${c.shrinks === 1 ? 'step' : 'steps'}${g.interrupted ? ' before --time ran out (it may not be minimal)' : ''} to:`,
  ];
  const changes = c.changed.map((path) => `${path}: ${inline(valueAt(c.input, path))}`);
  lines.push(
    `${pad}workload: ${changes.length === 0 ? "the scenario's own" : changes.join('; ')}; seed ${c.seed}`,
  );
  for (const b of c.breaches) {
    lines.push(`${pad}broke ${b.invariant}: ${b.message}`);
  }
  const first = c.breaches.find((b) => b.violation !== undefined);
  if (first?.violation !== undefined && c.trace !== undefined) {
    lines.push(`${pad}what happened:`);
    for (const line of storyOf(c.trace, first.violation)) lines.push(`${pad}  ${line}`);
  }
  if (c.irrelevant.length > 0) lines.push(`${pad}did not matter: ${c.irrelevant.join(', ')}`);
  const files = options.files.get(label);
  if (files !== undefined) {
    lines.push(
      `${pad}minimal scenario: ${files.yaml} (dispatchlab check ${shellWord(files.yaml)} --runs 0)`,
    );
    if (files.chromeTrace !== undefined)
      lines.push(`${pad}Chrome trace: ${files.chromeTrace} (open in ui.perfetto.dev)`);
  }
  lines.push(`${pad}replay: ${options.replay(label, c)}`);
  return lines;
}

/** The text of `check FILE`. */
export function scenarioCheckText(doc: CheckDocument, options: ScenarioCheckTextOptions): string {
  const { seeds } = doc;
  const generated = doc.strategies.find((s) => s.generated !== undefined)?.generated;
  const ownSeeds = doc.strategies.some((s) => s.determinism !== undefined);
  const what = [
    ...(ownSeeds
      ? [
          `${n(seeds.count)} ${seeds.count === 1 ? 'seed' : 'seeds'} (${seeds.start}..${seeds.start + seeds.count - 1})`,
        ]
      : []),
    ...(generated === undefined ? [] : ['generated workloads']),
  ].join(' + ');
  const out = [
    `check ${doc.scenario.name}: ${doc.strategies.length} ${doc.strategies.length === 1 ? 'strategy' : 'strategies'} × ${what}`,
    '',
  ];
  for (const s of doc.strategies) {
    out.push(`${s.label}:`);
    const width = nameWidth([...s.invariants.map((t) => t.invariant), 'determinism']);
    for (const t of s.invariants)
      out.push(...tallyLines(t, width, (seed) => options.seedReplay(s.label, seed)));
    const d = s.determinism;
    if (d !== undefined) {
      out.push(
        d.status === 'pass'
          ? `  PASS      ${'determinism'.padEnd(width)}  seed ${d.seed} run twice: the same trace, byte for byte (${n(d.records)} records, sha256 ${d.hashes[0].slice(0, 12)})`
          : `  FAIL      ${'determinism'.padEnd(width)}  ${
              d.unreproduced !== undefined
                ? `seed ${d.unreproduced.seed} broke ${d.unreproduced.invariant} when checked, and not when run again`
                : `seed ${d.seed} run twice gave two traces (sha256 ${d.hashes[0].slice(0, 12)} and ${d.hashes[1].slice(0, 12)})`
            }: the strategy depends on something besides the seed (a clock, Math.random, a global); this is a bug in it, or in dispatchlab for a built-in one`,
      );
    }
    if (s.generated !== undefined) out.push(...generatedLines(s.generated, s.label, options));
    out.push('');
  }
  out.push(
    doc.failed === 0
      ? "Every check came out as the scenario declares: each invariant held in every run (VACUOUS: no run put it to the test), or broke where an entry's expect: says it does (EXPECTED)."
      : `${doc.failed} ${doc.failed === 1 ? 'check' : 'checks'} did not come out as the scenario declares, counted once per strategy (exit code 3).`,
  );
  return `${out.join('\n')}\n`;
}
