/**
 * Strategies of one's own through the command line: a scenario entry `{ module: ... }` runs in
 * `run` (with its trace), `compare` and `sweep`, on worker threads and in shards merged,
 * with the same document whatever the number of workers; a module that cannot be used, or
 * whose program fails, is an input error (exit 2, no stack). The fixture,
 * test/fixtures/strategies/impatient.ts, gives up at a deadline: on impatient.yaml it leaves
 * tasks unresolved on seeds 1, 5, 7, 10 and 11.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, tempDir } from './helpers.js';

const scenario = 'test/fixtures/strategies/impatient.yaml';
const label = 'impatient(600s)';

describe('a strategy module on the command line', () => {
  it('runs once, and says what an incomplete run left', () => {
    const r = cli('run', scenario, '--strategy', '1', '--seed', '1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^outcome +incomplete$/m);
    expect(r.stdout).toMatch(
      /^impatient\(600s\) returned with \d+ tasks? unresolved, \d+ results? unprocessed and \d+ subagents? still out: the run is incomplete/m,
    );
    const json = JSON.parse(cli('run', scenario, '-s', '1', '--seed', '1', '--json').stdout) as {
      runs: { label: string; left: Record<string, number> | null; metrics: { outcome: string } }[];
    };
    expect(json.runs[0]!.label).toBe(label);
    expect(json.runs[0]!.metrics.outcome).toBe('incomplete');
    expect(json.runs[0]!.left).toEqual({
      unresolved: expect.any(Number),
      unprocessed: expect.any(Number),
      outstanding: expect.any(Number),
    });
    expect(json.runs[0]!.left!.unresolved).toBeGreaterThan(0);
  });

  it("writes its trace, whose header describes it by its module and options and names the scenario's input hash", () => {
    const dir = tempDir();
    const trace = join(dir, 'run.jsonl');
    const r = cli('run', scenario, '-s', '1', '--seed', '0', '--trace', trace);
    expect(r.code, r.stderr).toBe(0);
    const header = JSON.parse(readFileSync(trace, 'utf8').split('\n')[0]!) as {
      strategy: unknown;
      scenario: { hash: string };
    };
    expect(header.strategy).toEqual({
      label,
      description: { kind: 'module', module: './impatient.ts', deadline: 600 },
    });
    const doc = JSON.parse(cli('compare', scenario, '--seeds', '1', '--json').stdout) as {
      scenario: { inputHash: string };
    };
    expect(header.scenario.hash).toBe(doc.scenario.inputHash);
  });

  it('is compared beside the built-in kinds: the same document on 1 and 2 worker threads, and merged from shards', () => {
    const one = cli('compare', scenario, '--json', '--quiet');
    const two = cli('compare', scenario, '--json', '--quiet', '--workers', '2');
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const doc = JSON.parse(one.stdout) as {
      strategies: { label: string; config: unknown; outcomes: { incompleteSeeds: number[] } }[];
      omitted: { label: string; reason: string }[];
    };
    expect(doc.strategies[0]).toMatchObject({
      label,
      config: { module: './impatient.ts', options: { deadline: 600 } },
      outcomes: { incompleteSeeds: [1, 5, 7, 10, 11] },
    });
    expect(doc.omitted.map((o) => [o.label, o.reason])).toEqual([[label, 'incomplete']]);

    const dir = tempDir();
    for (const shard of ['1/2', '2/2']) {
      const r = cli(
        'compare',
        scenario,
        '--shard',
        shard,
        '--out',
        dir,
        '--quiet',
        '--workers',
        '2',
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const parts = readdirSync(dir).map((f) => join(dir, f));
    expect(parts).toHaveLength(2);
    const merged = cli('merge', ...parts);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
  });

  it('is swept over its options on worker threads', () => {
    const r = cli(
      'sweep',
      scenario,
      '--vary',
      'strategies[0].options.deadline=600,100000',
      '--seeds',
      '6',
      '--workers',
      '2',
      '--json',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      points: { results: { strategies: { label: string; outcomes: { incomplete: number } }[] } }[];
    };
    expect(
      doc.points.map((p) => [
        p.results.strategies[0]!.label,
        p.results.strategies[0]!.outcomes.incomplete,
      ]),
    ).toEqual([
      [label, 2],
      ['impatient(100000s)', 0],
    ]);
  });

  it('is mentioned in the help of run, compare and sweep', () => {
    for (const command of ['run', 'compare', 'sweep']) {
      const help = cli(command, '--help').stdout.replace(/\s+/g, ' ');
      expect(help, command).toContain('{ module: ./my-strategy.ts, options: {...} }');
    }
    expect(cli('sweep', '--help').stdout.replace(/\s+/g, ' ')).toContain(
      'strategies[3].options.NAME for an option of a module',
    );
  });
});

describe('a strategy module that cannot be used, on the command line', () => {
  /** A scenario with a blocking strategy and `entry`, in a folder with `files`. */
  function scenarioWith(entry: string, files: Record<string, string>): string {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const file = join(dir, 'mine.yaml');
    writeFileSync(
      file,
      `name: mine\ndescription: d\ntasks: 4\nsubagents: { latency: 1m }\nstrategies:\n  - blocking\n  - ${entry}\nseeds: 4\n`,
    );
    return file;
  }

  it('is refused by validate and compare, naming the file, the entry, the module and the fix', () => {
    const file = scenarioWith('{ module: ./mine.ts, options: { wip: 0 } }', {
      'mine.ts':
        "export default (o: { wip: number }) => { if (o.wip < 1) throw new RangeError('wip must be at least 1, got ' + o.wip); return {}; };\n",
    });
    for (const command of [['validate'], ['compare', '--workers', '2']]) {
      const r = cli(command[0]!, file, ...command.slice(1));
      expectInputError(
        r,
        new RegExp(
          `^dispatchlab: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: strategies\\[1\\]\\.options: "\\./mine\\.ts" \\(its default export\\) threw when called with these options: wip must be at least 1, got 0\\. Fix the options, or the module\\.\\n$`,
        ),
      );
    }
    const missing = cli('run', scenarioWith('{ module: ./gone.ts }', {}));
    expectInputError(missing, /strategies\[1\]\.module: no such file: "\.\/gone\.ts"/);
    const throws = cli('compare', scenarioWith('{ module: ./x.mjs }', { 'x.mjs': 'null.x;\n' }));
    expectInputError(
      throws,
      /strategies\[1\]\.module: "\.\/x\.mjs" threw when imported: Cannot read properties of null/,
    );
  });

  it('whose program throws is an input error from a worker thread too, saying where and how to replay', () => {
    const file = scenarioWith('{ module: ./early.ts }', {
      'early.ts': [
        'export default {',
        "  label: 'early',",
        "  settings: { mode: 'background', wip: 1, continuation: { kind: 'events' }, timeout: Infinity, retries: 0, registry: 'durable', resume: false },",
        '  *run(o: { now: number }) {',
        "    if (o.now === 0) throw new Error('not ready');",
        '  },',
        '};',
        '',
      ].join('\n'),
    });
    const r = cli('compare', file, '--workers', '2', '--quiet');
    expectInputError(
      r,
      /strategy "early" \(the module "\.\/early\.ts"\) threw on seed \d: process 'orchestrator' failed at t=0: not ready \(at early\.ts:5:\d+\)\. Fix the strategy's program/,
      /Replay the run with: dispatchlab run .*mine\.yaml --strategy "early" --seed \d\n$/,
    );
  });
});
