/**
 * `dispatchlab check`: a scenario's runs and recorded traces checked against the safety
 * invariants; exit 3 for a broken one, 2 for bad input, 0 when every check comes out as
 * the scenario declares.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invariants } from '../../src/invariants/index.js';
import { invariantNames } from '../../src/model/invariant-names.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { cli, cliWith, expectInputError, tempDir } from './helpers.js';

describe('dispatchlab check FILE', () => {
  it('passes a safe scenario, with the coverage behind each pass', () => {
    const r = cli('check', 'scenarios/docs-audit.yaml', '--seeds', '5', '--runs', '0', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PASS +noGhosts +held in every run; subagents spawned: \d/);
    expect(r.stdout).toMatch(/VACUOUS +wipLimit +never put to the test in 5 runs/); // blocking
    expect(r.stdout).toMatch(/PASS +determinism +seed 0 run twice: the same trace, byte for byte/);
    expect(r.stdout).toContain('Every check came out as the scenario declares');
  });

  it('passes the scenarios that demonstrate unsafe designs: they declare what they break (expect:)', () => {
    for (const name of ['frequent-compaction', 'hung-subagents']) {
      const r = cli('check', `scenarios/${name}.yaml`, '--seeds', '10', '--runs', '0', '--quiet');
      expect(r.code, `${name}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(
        /EXPECTED +\w+ +broken in \d+ of 10 runs, as its entry's expect: declares/,
      );
    }
  });

  it('exits 3 on a broken invariant, tells the violation, and its replay reproduces it', () => {
    const dir = tempDir();
    const file = join(dir, 'compaction.yaml');
    // The same scenario without its declaration: the ghosts are now a finding.
    const text = readFileSync('scenarios/frequent-compaction.yaml', 'utf8').replace(
      /\n *expect: \[noGhosts, noDuplicateSpawn\]/,
      '',
    );
    expect(text).not.toContain('expect:');
    writeFileSync(file, text);
    const r = cli(
      'check',
      file,
      '--seeds',
      '3',
      '--runs',
      '0',
      '--strategy',
      'async-volatile',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/FAIL +noGhosts +broken in 3 of 3 runs/);
    const story = /first on seed 0: (agent \d+ \(task \d+\) was forgotten .*a ghost)/.exec(
      r.stdout,
    );
    expect(story, r.stdout).not.toBeNull();
    expect(r.stdout).toMatch(/^ +> +\d+ +\{"t":[\d.]+,"type":"forget"/m); // the violating record, marked
    expect(r.stdout).toContain('2 checks did not come out as the scenario declares');
    // The replay line, run as printed (in the scenario's folder), finds the same violation.
    const replay =
      /replay: dispatchlab run (.*) --strategy (.*) --seed 0 --trace (\S+) && dispatchlab check --trace (\S+)/.exec(
        r.stdout,
      );
    expect(replay, r.stdout).not.toBeNull();
    const trace = join(dir, replay![3]!);
    const run = cli(
      'run',
      file,
      '--strategy',
      'async-volatile-registry',
      '--seed',
      '0',
      '--trace',
      trace,
    );
    expect(run.code, run.stderr).toBe(0);
    const again = cli('check', '--trace', trace);
    expect(again.code, again.stderr).toBe(3);
    expect(again.stdout).toContain(story![1]!);
  });

  it('exits 3 when a declared violation does not happen: the scenario claims what is no longer true', () => {
    const dir = tempDir();
    const file = join(dir, 'stale.yaml');
    writeFileSync(
      file,
      `name: stale
description: A safe strategy said to leave ghosts.
tasks: { count: 4 }
subagents: { latency: { dist: exponential, mean: 1m } }
strategies:
  - { kind: async, wip: 2, timeout: 10m, expect: [noGhosts] }
`,
    );
    const r = cli('check', file, '--seeds', '3', '--runs', '0', '--quiet');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      /FAIL +noGhosts +held in every run; .*but its entry's expect: declares it broken/,
    );
  });

  it('exits 3 when a strategy of ones own is not deterministic', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'dice.mjs'),
      `export default {
  label: 'dice',
  settings: { mode: 'background', wip: 2, timeout: 600, retries: 0, continuation: { kind: 'events' }, registry: 'durable', resume: false, forgottenTimeout: 'runtime' },
  *run(o) {
    for (;;) {
      const ready = o.readyTasks(Math.random() < 0.5 ? 1 : 2); // a coin the seed does not decide
      if (o.finished) break;
      for (const t of ready) yield* o.dispatch(t);
      const r = yield* o.nextResult();
      if (r !== undefined) yield* o.process(r);
    }
    yield* o.synthesize();
  },
};
`,
    );
    writeFileSync(
      join(dir, 'dice.yaml'),
      `name: dice
description: A strategy that flips a coin of its own.
tasks: { count: 20 }
subagents: { latency: { dist: exponential, mean: 1m } }
strategies:
  - { module: ./dice.mjs }
`,
    );
    const r = cli('check', join(dir, 'dice.yaml'), '--seeds', '2', '--runs', '0', '--quiet');
    expect(r.stdout).toMatch(/FAIL +determinism +seed 0 run twice gave two traces/);
    expect(r.code, r.stderr).toBe(3);
  });

  it('exits 3, not 1, when a strategy breaks an invariant in one run and not when run again', () => {
    const dir = tempDir();
    // State kept between runs: its first run gives up at once (tasks left unresolved), the
    // later ones, the same seed included, do not.
    writeFileSync(
      join(dir, 'moody.mjs'),
      `let runs = 0;
export default {
  label: 'moody',
  settings: { mode: 'foreground', wip: Infinity, timeout: Infinity, retries: 0, continuation: { kind: 'events' }, registry: 'durable', resume: false, forgottenTimeout: 'runtime' },
  *run(o) {
    if (runs++ === 0) return;
    for (const t of o.readyTasks()) yield* o.dispatch(t);
    for (const r of yield* o.awaitAll()) yield* o.process(r);
    yield* o.synthesize();
  },
};
`,
    );
    writeFileSync(
      join(dir, 'moody.yaml'),
      `name: moody
description: A strategy whose first run differs from the others.
tasks: { count: 3 }
subagents: { latency: { dist: exponential, mean: 1m } }
strategies:
  - { module: ./moody.mjs }
`,
    );
    const r = cli('check', join(dir, 'moody.yaml'), '--seeds', '2', '--runs', '0', '--quiet');
    expect(r.stderr).not.toContain('internal error');
    expect(r.stdout).toMatch(/FAIL +runEnds +broken in 1 of 2 runs/);
    expect(r.stdout).toContain(
      '(run again, it did not break it: the strategy is not deterministic)',
    );
    expect(r.stdout).toMatch(
      /FAIL +determinism +seed 0 broke runEnds when checked, and not when run again/,
    );
    expect(r.code, r.stderr).toBe(3);
  });

  it('prints JSON with --json', () => {
    const r = cli('check', 'scenarios/small-team.yaml', '--seeds', '2', '--runs', '0', '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe('dispatchlab-check');
    expect(doc.failed).toBe(0);
    expect(doc.strategies[0].invariants.map((i: { invariant: string }) => i.invariant)).toEqual([
      ...invariantNames,
    ]);
  });
});

describe('dispatchlab check --trace', () => {
  it('refuses what is not a trace, naming the file, the line and the field', () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"t":0,"type":"run.start"}\n');
    expectInputError(
      cli('check', '--trace', bad),
      /bad\.jsonl:1: the first record must be the header.* at format/,
    );
    writeFileSync(bad, 'not json\n');
    expectInputError(cli('check', '--trace', bad), /bad\.jsonl:1: not a JSON object on one line/);
    writeFileSync(bad, '');
    expectInputError(cli('check', '--trace', bad), /bad\.jsonl: the trace is empty/);
    expectInputError(cli('check', '--trace', join(dir, 'none.jsonl')), /none\.jsonl: no such file/);
    expectInputError(cli('check', '--trace', dir), /is a directory|not a regular file|is a folder/);
    expectInputError(
      cli('check', 'scenarios/small-team.yaml', '--trace', bad),
      /takes a scenario FILE or --trace, not both/,
    );
    expectInputError(
      cli('check', '--trace', bad, '--seeds', '3', '--strategy', 'x'),
      /--seeds and --strategy choose the runs of a scenario FILE; a trace is one run already/,
    );
  });

  it('judges a header that claims 10^15 tasks without listing them', () => {
    const dir = tempDir();
    const trace = join(dir, 'huge.jsonl');
    writeFileSync(
      trace,
      `${JSON.stringify({ t: 0, type: 'run.start', format: 'dispatchlab-trace', version: 1, tasks: 1e15, dependencies: [], settings: { mode: 'background', wip: 2, timeout: 600, retries: 0, continuation: 'events', pollInterval: null } })}\n${JSON.stringify({ t: 1, type: 'run.end', outcome: 'completed', makespan: 1, deadlock: null, unresolved: 0 })}\n`,
    );
    const r = cliWith({ timeoutMs: 30_000 }, 'check', '--trace', trace);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('tasks 0, 1, 2, 3, 4 and 999999999999995 more');
  });

  it('passes a clean recorded trace, and checks several', () => {
    const dir = tempDir();
    const traces = [1, 2].map((s) => {
      const trace = join(dir, `run-${s}.jsonl`);
      const run = cli(
        'run',
        'scenarios/docs-audit.yaml',
        '-s',
        '3',
        '--seed',
        String(s),
        '--trace',
        trace,
      );
      expect(run.code, run.stderr).toBe(0);
      return trace;
    });
    const r = cli('check', '--trace', traces[0]!, '--trace', traces[1]!);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('run-1.jsonl: docs-audit, async(');
    expect(r.stdout).toContain('Every invariant holds on these 2 traces');
  });
});

describe('the invariants', () => {
  it('are the ones a scenario may name in expect:, in the same order', () => {
    expect(invariants.map((i) => i.name)).toEqual([...invariantNames]);
  });

  it("are the library's too: a run checked as it goes, and the same run's trace checked after", async () => {
    const lib = await import('../../src/index.js');
    const scenario = await lib.loadScenario('scenarios/frequent-compaction.yaml');
    const config = scenario.strategies.find((s) => s.label === 'async-volatile-registry')!;
    const online = new lib.TraceChecker(lib.invariants);
    const recorded = new MemoryTrace<ModelTraceRecord>();
    lib.runStrategy({
      world: scenario.world,
      strategy: lib.strategyOf(config, scenario.kinds),
      seed: 0,
      trace: online,
    });
    lib.runStrategy({
      world: scenario.world,
      strategy: lib.strategyOf(config, scenario.kinds),
      seed: 0,
      trace: recorded,
    });
    const live = online.finish().results;
    const after = lib.checkRecords(recorded.records, lib.invariants).results;
    expect(live.map((r) => r.status)).toEqual(after.map((r) => r.status));
    expect(after.filter((r) => r.status === 'fail').map((r) => r.invariant)).toEqual([
      'noGhosts',
      'noDuplicateSpawn',
    ]);
  });
});
