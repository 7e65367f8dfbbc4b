/**
 * Orchestrators of one's own through the command line: a scenario entry `{ orchestrator:
 * ./my-orchestrator.ts }` names async TypeScript that the real-code harness runs, in `run`
 * (with its trace), `compare`, `sweep` and `check`, beside the built-in strategies, with the
 * same document whatever the number of workers; a module that cannot be used, or whose code
 * fails, is an input error (exit 2, no stack), and one that breaks an invariant fails check
 * (exit 3). The fixtures are in test/fixtures/orchestrators: blocking-polling.ts wraps the
 * known-good examples/harness/blocking-polling.ts, final-answer-early.ts the example that
 * writes its answer before its last result is read.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './helpers.js';

const fixtures = join(import.meta.dirname, '../fixtures/orchestrators');
const polling = 'test/fixtures/orchestrators/polling.yaml';
const poller = 'blocking-polling(10s)';

/** A scenario of three tasks with a blocking strategy and `entry`, in a folder of its own. */
function scenarioWith(entry: string): string {
  const file = join(tempDir(), 'mine.yaml');
  writeFileSync(
    file,
    `name: mine\ndescription: d\ntasks: 3\nsubagents:\n  latency: { dist: fixed, value: 10s }\nstrategies:\n  - blocking\n  - ${entry}\nseeds: 2\n`,
  );
  return file;
}

/** A fixture module's absolute path, for an entry in a scenario written elsewhere. */
const fixture = (name: string) => JSON.stringify(join(fixtures, name));

interface ResultsJson {
  scenario: { inputHash: string };
  strategies: {
    label: string;
    config: unknown;
    outcomes: { completed: number; deadlock: number; deadlockSeeds: number[] };
    metrics: { makespan: { mean: number | null; n: number } };
  }[];
  verdict: { recommended: string | null; unsafe: { label: string }[] };
}

describe('an orchestrator module on the command line', () => {
  it('is compared beside a built-in strategy, seed by seed, into the same metrics and verdict', () => {
    const r = cli('compare', polling, '--json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ResultsJson;
    expect(doc.strategies.map((s) => [s.label, s.config, s.outcomes.completed])).toEqual([
      ['blocking(timeout=10m)', { kind: 'blocking', timeout: 600, retries: 0 }, 8],
      [
        poller,
        { orchestrator: './blocking-polling.ts', options: { pollEvery: 10, timeout: 600 } },
        8,
      ],
    ]);
    // Both met the same subagents: the poller's makespan is the model's plus its polling
    // (a poll every 10 s, each 0.5 s, and a turn at every resume).
    const [model, code] = doc.strategies.map((s) => s.metrics.makespan.mean!);
    expect(code!).toBeGreaterThan(model!);
    expect(code! - model!).toBeLessThan(30);
    expect(doc.verdict.unsafe).toEqual([]);
    expect(doc.verdict.recommended).toBe('blocking(timeout=10m)');

    const text = cli('compare', polling, '--quiet');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^makespan +\S+ ±\S+ +\S+ ±\S+$/m);
    expect(text.stdout).toContain(`${poller}: makespan +`);
  });

  it('gives byte-identical documents on 1 and 2 worker threads, and merged from shards', () => {
    const one = cli('compare', polling, '--json', '--quiet', '-w', '1');
    const two = cli('compare', polling, '--json', '--quiet', '-w', '2');
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const textOne = cli('compare', polling, '--quiet', '-w', '1');
    const textTwo = cli('compare', polling, '--quiet', '-w', '2');
    expect(textTwo.stdout).toBe(textOne.stdout);

    const dir = tempDir();
    for (const shard of ['1/2', '2/2']) {
      const r = cli('compare', polling, '--shard', shard, '--out', dir, '--quiet', '-w', '2');
      expect(r.code, r.stderr).toBe(0);
    }
    const parts = readdirSync(dir).map((f) => join(dir, f));
    const merged = cli('merge', ...parts);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
  });

  it("runs once, its trace the harness's records, which check --trace judges", () => {
    const r = cli('run', polling, '--seed', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^outcome +completed +completed$/m);
    expect(r.stdout).toContain(poller);

    const trace = join(tempDir(), 'run.jsonl');
    const traced = cli('run', polling, '-s', '2', '--seed', '3', '--trace', trace);
    expect(traced.code, traced.stderr).toBe(0);
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as {
      strategy: unknown;
      settings: Record<string, unknown>;
      scenario: { hash: string };
      seed: number;
    };
    expect(header.strategy).toEqual({
      label: poller,
      description: {
        kind: 'orchestrator',
        orchestrator: './blocking-polling.ts',
        pollEvery: 10,
        timeout: 600,
      },
    });
    expect(header.settings).toMatchObject({
      mode: 'background',
      continuation: 'polling',
      pollInterval: 10,
      timeout: 600,
      retries: 0,
      wip: null,
    });
    expect(header.seed).toBe(3);
    const doc = JSON.parse(cli('compare', polling, '--seeds', '1', '--json').stdout) as ResultsJson;
    expect(header.scenario.hash).toBe(doc.scenario.inputHash);
    // Polling records: what only the harness's polling runtime writes in this scenario.
    expect(lines.some((l) => l.includes('"type":"poll"'))).toBe(true);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'run.end', outcome: 'completed' });

    const checked = cli('check', '--trace', trace);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(/PASS +runEnds/);
  });

  it('reports a deadlock as compare reports a strategy that deadlocks: the run is an outcome, not a crash', () => {
    const file = scenarioWith(`{ orchestrator: ${fixture('waits-forever.ts')} }`);
    const r = cli('compare', file, '--json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ResultsJson;
    expect(doc.strategies[1]).toMatchObject({
      label: 'waits-forever',
      outcomes: { completed: 0, deadlock: 2, deadlockSeeds: [0, 1] },
    });
    expect(doc.verdict.unsafe.map((u) => u.label)).toEqual(['waits-forever']);
    const text = cli('compare', file, '--quiet');
    expect(text.stdout).toContain(
      'Compared on the task outcomes only (deadlocked): waits-forever.',
    );
    const run = cli('run', file, '-s', 'waits', '--seed', '0');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^waits-forever deadlocked — the orchestrator is still waiting/m);
  });
});

describe('an orchestrator module that cannot be used, on the command line', () => {
  it('is refused as an option naming a missing file, with the path read from the working folder', () => {
    for (const option of ['--orchestrator-module', '--strategy-module']) {
      const r = cli('check', 'test/fixtures/orchestrators/one.yaml', option, 'gone.ts');
      expectInputError(
        r,
        new RegExp(
          `${option} gone\\.ts: no such file \\(looked for \\S+gone\\.ts\\); the path is relative to the working folder\\.`,
        ),
      );
    }
  });

  it('is refused with every problem at its entry: missing, no default export, bad settings, a builder returning a Promise, options it cannot take', () => {
    const r = cli('validate', 'test/fixtures/orchestrators/bad.yaml');
    expectInputError(
      r,
      /strategies\[0\]\.orchestrator: no such file: "\.\/missing\.ts" \(looked for .*missing\.ts\); the path is relative to the scenario file's folder/,
      /strategies\[1\]\.orchestrator: "\.\/no-default\.ts" has only named exports \(orchestrator\); give it a default export: the orchestrator itself \(export default async function \(rt\) \{ \.\.\. \}\)/,
      /strategies\[2\]: "\.\/bad-settings\.ts" \(its default export\) is not a valid orchestrator: settings\.timout is not a setting an orchestrator declares \(did you mean timeout\?\).*settings\.wip must be a whole number >= 1, or null for no limit, got 0\. Fix the module\./,
      /strategies\[3\]: "\.\/returns-promise\.ts" \(its default export\) is a function that is not async, so it was called with the entry's options to build the orchestrator, and it returned a Promise\. If it is the orchestrator itself, declare it async/,
      /strategies\[4\]\.options: "\.\/throws\.ts" exports the orchestrator itself \(an async function\), which takes no options; remove options/,
    );
    expect(r.stderr).toMatch(/5 problems:/);
    const compare = cli('compare', 'test/fixtures/orchestrators/bad.yaml', '--quiet');
    expect(compare.stderr).toBe(r.stderr);
  });

  it('that does not compile, or throws when imported, is refused at its entry', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.ts'), 'export default async function () {\n  const x = ;\n}\n');
    writeFileSync(join(dir, 'top.mjs'), 'null.x;\nexport default async () => {};\n');
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'name: b\ndescription: d\ntasks: 2\nsubagents: { latency: 1m }\nstrategies:\n  - { orchestrator: ./broken.ts }\n  - { orchestrator: ./top.mjs }\n',
    );
    expectInputError(
      cli('run', file),
      /strategies\[0\]\.orchestrator: "\.\/broken\.ts" does not compile: broken\.ts:2:\d+: Unexpected ";"\. Fix the module/,
      /strategies\[1\]\.orchestrator: "\.\/top\.mjs" threw when imported: Cannot read properties of null/,
    );
  });

  it('is refused on a world of dependent tasks, which the harness cannot run, at the entry', () => {
    expectInputError(
      cli('compare', 'test/fixtures/orchestrators/chain.yaml'),
      /chain\.yaml: strategies\[1\]\.orchestrator: the real-code harness runs independent tasks only, and this scenario's tasks form a chain graph \(tasks\.dependencies\); run "\.\/blocking-polling\.ts" on a scenario without dependencies/,
    );
  });

  it('whose code throws is an input error, from a worker thread too, saying where and how to replay', () => {
    const file = scenarioWith(`{ orchestrator: ${fixture('throws.ts')} }`);
    for (const workers of ['1', '2']) {
      expectInputError(
        cli('compare', file, '--quiet', '-w', workers),
        /orchestrator "throws" \(the module ".*throws\.ts"\) threw on seed \d: lost track of task 0 \(at .*throws\.ts:8:\d+\)\. Fix the orchestrator's code/,
        /\. Replay the run with: dispatchlab run .*mine\.yaml --strategy "throws" --seed \d\n$/,
      );
    }
    expectInputError(
      cli('run', file, '-s', 'throws', '--seed', '1'),
      /threw on seed 1: lost track of task 0/,
    );
  });

  it('that never returns while it sets timers is stopped by the harness, and said so', () => {
    const file = scenarioWith(`{ orchestrator: ${fixture('runaway.ts')} }`);
    expectInputError(
      cli('run', file, '-s', 'runaway'),
      /orchestrator "runaway" \(the module ".*runaway\.ts"\) did not finish on seed 0: runaway: 1000000 timers fired .*tasks never resolved: 0, 1, 2\)\. Its code keeps setting timers without returning/,
    );
  });
});

describe('check on an orchestrator module', () => {
  const early = 'test/fixtures/orchestrators/early.yaml';
  const earlyModule = 'test/fixtures/orchestrators/final-answer-early.ts';

  it('catches the final answer written before the last result is read (exit 3), with its story, a minimal scenario and replays that find it again', () => {
    const out = tempDir();
    const r = cli('check', early, '--runs', '10', '--out', out, '--no-regressions', '--quiet');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^final-answer-early:$/m);
    expect(r.stdout).toMatch(
      /FAIL +runEnds +broken in \d+ of \d+ runs\n +first on seed 0: the run did not complete: the strategy returned at \d+ s with 1 task unresolved \(task \d+\)/,
    );
    // The records around it: the answer written while the drain began processing.
    expect(r.stdout).toMatch(
      /"type":"synthesize"[\s\S]*"type":"process\.start"[\s\S]*> +\d+ +\{"t":\d+,"type":"run\.end"/,
    );
    expect(r.stdout).toContain(
      `replay: dispatchlab run ${early} --strategy final-answer-early --seed 0 --trace seed-0.jsonl && dispatchlab check --trace seed-0.jsonl`,
    );
    // The generated workloads keep the tasks independent, and shrink to a story.
    expect(r.stdout).toMatch(/COUNTEREXAMPLE +generated workload no\. \d+ broke it/);
    expect(r.stdout).toMatch(
      /what happened:\n[\s\S]*the orchestrator began processing agent \d+'s result/,
    );
    expect(r.stdout).not.toContain('tasks.dependencies');
    const minimal = join(out, 'early.final-answer-early.yaml');
    expect(existsSync(minimal)).toBe(true);
    const again = cli('check', minimal, '--runs', '0', '--no-regressions', '--quiet');
    expect(again.code, again.stdout).toBe(3);
    expect(again.stdout).toMatch(/FAIL +runEnds/);
    const token = /--replay (\S+)/.exec(r.stdout)![1]!;
    const replayed = cli(
      'check',
      early,
      '--replay',
      token,
      '--out',
      tempDir(),
      '--no-regressions',
      '--quiet',
    );
    expect(replayed.code, replayed.stderr).toBe(3);
    expect(replayed.stdout).toMatch(/COUNTEREXAMPLE/);

    // The same bug through --orchestrator-module, its replays naming the module.
    const viaOption = cli(
      'check',
      early,
      '--orchestrator-module',
      earlyModule,
      '--runs',
      '10',
      '--out',
      tempDir(),
      '--no-regressions',
      '--quiet',
    );
    expect(viaOption.code, viaOption.stderr).toBe(3);
    expect(viaOption.stdout).toContain(
      `replay: dispatchlab check ${early} --orchestrator-module ${earlyModule} --out`,
    );
    expect(viaOption.stdout).toMatch(/--seed-start 0 --seeds 1 --runs 0\n/);
    const optionToken = /--replay (\S+)/.exec(viaOption.stdout)![1]!;
    const replayedOption = cli(
      'check',
      early,
      '--orchestrator-module',
      earlyModule,
      '--replay',
      optionToken,
      '--out',
      tempDir(),
      '--no-regressions',
      '--quiet',
    );
    expect(replayedOption.code, replayedOption.stderr).toBe(3);
  });

  it('passes the known-good poller, on a scenario and on the workloads generated around the generic world, the same bytes every time', () => {
    const args = ['--runs', '15', '--out', tempDir(), '--no-regressions', '--quiet'];
    const onScenario = cli('check', polling, '--strategy', poller, ...args);
    expect(onScenario.code, onScenario.stdout + onScenario.stderr).toBe(0);
    expect(onScenario.stdout).toMatch(/PASS +runEnds +held in every run; runs: 23/);
    expect(onScenario.stdout).toMatch(/PASS +determinism/);
    const generic = cli(
      'check',
      '--orchestrator-module',
      'test/fixtures/orchestrators/blocking-polling.ts',
      ...args,
    );
    expect(generic.code, generic.stdout + generic.stderr).toBe(0);
    expect(generic.stdout).toMatch(/^check generated: 1 strategy × 20 seeds/);
    expect(generic.stdout).toMatch(
      /generated 15 workloads \(fast-check seed 0\): none broke an invariant/,
    );
    const again = cli(
      'check',
      '--orchestrator-module',
      'test/fixtures/orchestrators/blocking-polling.ts',
      ...args,
    );
    expect(again.stdout).toBe(generic.stdout);
  });

  it("passes when the entry declares what the code breaks (expect:), as a strategy's does", () => {
    const file = join(tempDir(), 'declared.yaml');
    writeFileSync(
      file,
      readFileSync(early, 'utf8').replace(
        '{ orchestrator: ./final-answer-early.ts }',
        `{ orchestrator: ${fixture('final-answer-early.ts')}, expect: [runEnds] }`,
      ),
    );
    const r = cli('check', file, '--runs', '5', '--out', tempDir(), '--no-regressions', '--quiet');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/EXPECTED +runEnds/);
  });

  it('takes code that throws or deadlocks for a run that never ends (exit 3), not a crash', () => {
    const file = scenarioWith(`{ orchestrator: ${fixture('throws.ts')} }`);
    const r = cli(
      'check',
      file,
      '--strategy',
      'throws',
      '--runs',
      '0',
      '--no-regressions',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      /FAIL +runEnds +broken in 2 of 2 runs\n +first on seed 0: the run never ends: the orchestrator's code threw: lost track of task 0 \(at .*throws\.ts:8:\d+\)/,
    );
    const stuck = scenarioWith(`{ orchestrator: ${fixture('waits-forever.ts')} }`);
    const d = cli(
      'check',
      stuck,
      '--strategy',
      'waits',
      '--runs',
      '0',
      '--no-regressions',
      '--quiet',
    );
    expect(d.code, d.stderr).toBe(3);
    expect(d.stdout).toMatch(
      /FAIL +runEnds +broken in 2 of 2 runs\n +first on seed 0: the run did not end: it deadlocked at 10 s \("the orchestrator is still waiting/,
    );
  });

  it('refuses --orchestrator-module beside --strategy-module, --strategy or --trace, and a module it cannot use', () => {
    const module = 'test/fixtures/orchestrators/blocking-polling.ts';
    expectInputError(
      cli('check', polling, '--orchestrator-module', module, '--strategy-module', 'x.ts'),
      /--strategy-module and --orchestrator-module each replace the scenario's strategies with one module: give one of the two/,
    );
    expectInputError(
      cli('check', polling, '--orchestrator-module', module, '--strategy', '1'),
      /--strategy chooses among the scenario's strategies, and --orchestrator-module replaces them with your module: give one of the two\./,
    );
    expectInputError(
      cli('check', '--trace', 'run.jsonl', '--orchestrator-module', module),
      /--orchestrator-module chooses the runs of a scenario FILE; a trace is one run already/,
    );
    expectInputError(
      cli('check', polling, '--orchestrator-module', 'test/fixtures/orchestrators/no-default.ts'),
      /strategies\[0\]\.orchestrator: ".*no-default\.ts" has only named exports \(orchestrator\)/,
    );
    expectInputError(
      cli('check', 'test/fixtures/orchestrators/chain.yaml', '--orchestrator-module', module),
      /strategies\[0\]\.orchestrator: the real-code harness runs independent tasks only/,
    );
  });
});

describe('sweep over an orchestrator module', () => {
  it('varies its options and the world, with the same document on 1 and 2 worker threads', () => {
    const args = [
      'sweep',
      polling,
      '--vary',
      'strategies[1].options.pollEvery=5,30',
      '--seeds',
      '4',
      '--json',
      '--quiet',
    ];
    const one = cli(...args, '-w', '1');
    const two = cli(...args, '-w', '2');
    expect(one.code, one.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const doc = JSON.parse(one.stdout) as {
      points: { results: { strategies: { label: string; config: unknown }[] } }[];
    };
    expect(doc.points.map((p) => p.results.strategies[1]!.label)).toEqual([
      'blocking-polling(5s)',
      'blocking-polling(30s)',
    ]);
    expect(doc.points[0]!.results.strategies[1]!.config).toEqual({
      orchestrator: './blocking-polling.ts',
      options: { pollEvery: 5, timeout: 600 },
    });
    const world = cli('sweep', polling, '--vary', 'tasks.count=4,8', '--seeds', '3', '--quiet');
    expect(world.code, world.stderr).toBe(0);
    expect(world.stdout).toMatch(/^8 +\S+ +\S+ /m);
  });
});
