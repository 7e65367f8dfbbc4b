/**
 * `dispatchlab check` on generated workloads, as a user runs it: the budget options, the
 * files a counterexample leaves (and only then), the regressions file replayed first, the
 * replay token, the generic world without FILE, and every bad input refused with exit 2.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, filesUnder, tempDir } from './helpers.js';

const mutants = 'test/mutants/strategies/mutants.yaml';
const capped = ['--strategy', 'caps-at-forty'];

describe('dispatchlab check, generated workloads', () => {
  it('writes nothing when every check holds, and prints the same bytes every time', () => {
    const out = join(tempDir(), 'out');
    const args = ['check', 'scenarios/small-team.yaml', '--seeds', '3', '--runs', '20', '--quiet'];
    const first = cli(...args, '--out', out, '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(cli(...args, '--out', out, '--json').stdout).toBe(first.stdout);
    const doc = JSON.parse(first.stdout) as {
      strategies: { generated: { runs: number; seed: number } }[];
    };
    expect(doc.strategies.map((s) => s.generated.runs)).toEqual([20, 20]);
    const text = cli(...args, '--out', out);
    expect(text.stdout).toMatch(
      /generated 20 workloads \(fast-check seed 0\): none broke an invariant/,
    );
  });

  it('records a counterexample in the regressions file, and replays it first next time, even with --runs 0', () => {
    const out = join(tempDir(), 'out');
    const found = cli('check', mutants, ...capped, '--quiet', '--out', out);
    expect(found.code, found.stderr).toBe(3);
    expect(filesUnder(out)).toEqual(['mutants.caps-at-forty.yaml', 'regressions.json']);
    const regressions = JSON.parse(readFileSync(join(out, 'regressions.json'), 'utf8'));
    expect(regressions.regressions).toMatchObject([
      {
        scenario: 'mutants',
        strategy: 'caps-at-forty',
        workload: { tasks: 41 },
        broke: ['runEnds'],
      },
    ]);
    const again = cli('check', mutants, ...capped, '--quiet', '--out', out, '--runs', '0');
    expect(again.code, again.stderr).toBe(3);
    expect(again.stdout).toMatch(
      /COUNTEREXAMPLE +from the regressions file \(1 regression replayed\)/,
    );
    expect(again.stdout).toMatch(/workload: tasks\.count: 41; seed 0/);
    // Found again, it is not recorded twice.
    expect(
      JSON.parse(readFileSync(join(out, 'regressions.json'), 'utf8')).regressions,
    ).toHaveLength(1);
    const without = cli(
      'check',
      mutants,
      ...capped,
      '--quiet',
      '--out',
      out,
      '--runs',
      '0',
      '--no-regressions',
    );
    expect(without.code, without.stderr).toBe(0);
  });

  it('writes the counterexample run as a Chrome trace with --chrome-trace', () => {
    const out = join(tempDir(), 'out');
    const r = cli(
      'check',
      mutants,
      ...capped,
      '--quiet',
      '--out',
      out,
      '--chrome-trace',
      '--no-regressions',
    );
    expect(r.code, r.stderr).toBe(3);
    const trace = JSON.parse(readFileSync(join(out, 'mutants.caps-at-forty.trace.json'), 'utf8'));
    expect(trace.traceEvents.length).toBeGreaterThan(41);
    expect(r.stdout).toMatch(/Chrome trace: .*mutants\.caps-at-forty\.trace\.json/);
  });

  it("checks a strategy module of one's own, on a scenario or on the generic world", () => {
    const onScenario = cli(
      'check',
      'scenarios/small-team.yaml',
      '--strategy-module',
      'test/mutants/strategies/caps-at-forty.ts',
      '--quiet',
      '--no-regressions',
      '--out',
      tempDir(),
    );
    expect(onScenario.code, onScenario.stderr).toBe(3);
    expect(onScenario.stdout).toMatch(/^caps-at-forty:$/m);
    expect(onScenario.stdout).toMatch(/workload: tasks\.count: 41; seed 0/);
    const module = 'test/mutants/strategies/no-timeout.ts';
    const generic = cli(
      'check',
      '--strategy-module',
      module,
      '--runs',
      '20',
      '--seeds',
      '3',
      '--quiet',
      '--no-regressions',
      '--out',
      tempDir(),
    );
    expect(generic.code, generic.stderr).toBe(3);
    expect(generic.stdout).toMatch(/^check generated: 1 strategy × 3 seeds/m);
    expect(generic.stdout).toMatch(
      /replay: dispatchlab check --strategy-module \S+no-timeout\.ts --out \S+ --no-regressions --replay /,
    );
    const builtIns = cli('check', '--runs', '5', '--seeds', '2', '--quiet', '--no-regressions');
    expect(builtIns.code, builtIns.stderr).toBe(0);
    expect(builtIns.stdout).toMatch(/^check generated: 4 strategies × 2 seeds/m);
  });

  it('stops generating when --time runs out, and says so', () => {
    const r = cli(
      'check',
      'scenarios/small-team.yaml',
      '--seeds',
      '1',
      '--runs',
      '100000',
      '--time',
      '1ms',
      '--quiet',
      '--no-regressions',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/stopped by --time/);
  });

  it('refuses bad budgets, tokens and regressions files with exit 2, naming what to fix', () => {
    const dir = tempDir();
    const team = 'scenarios/small-team.yaml';
    // Option values are refused by the argument parser, in its words, with exit code 2.
    const optionError = (args: string[], pattern: RegExp) => {
      const r = cli('check', team, ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };
    optionError(['--runs', '-1'], /--runs.*a whole number from 0/);
    optionError(['--runs', 'many'], /--runs.*a whole number from 0/);
    optionError(['--runs', '1000001'], /--runs.*to 1,000,000/);
    optionError(['--seed', '4294967296'], /--seed.*from 0 to 2147483647/);
    optionError(['--time', '0s'], /--time.*above 0/);
    optionError(['--time', 'soon'], /--time.*a duration such as 30s/);
    expectInputError(cli('check', team, '-s', '1', '--replay', 'abc'), /not a replay token/);
    expectInputError(
      cli('check', team, '--replay', '0.1.0/000000000000/0/1:0'),
      /add the --strategy LABEL/,
    );
    expectInputError(
      cli('check', team, '-s', '1', '--replay', '0.1.0/000000000000/0/1:0'),
      /the scenario changed since/,
    );
    expectInputError(
      cli('check', team, '-s', '1', '--replay', '0.1.0/000000000000/0/9999999'),
      /its path .* goes further than any check prints/,
    );
    expectInputError(
      cli('check', '--trace', 'x.jsonl', '--runs', '5', '--chrome-trace'),
      /--runs and --chrome-trace choose the runs of a scenario FILE/,
    );
    expectInputError(
      cli('check', team, '--strategy', '1', '--strategy-module', 'x.ts'),
      /give one of the two/,
    );
    const bad = join(dir, 'regressions.json');
    writeFileSync(
      bad,
      '{"format":"dispatchlab-regressions","version":1,"regressions":[{"scenario":"mutants"}]}',
    );
    expectInputError(
      cli('check', team, '--regressions', bad),
      /regressions\.json: not a regressions file of dispatchlab check \(regressions\.0\.strategy/,
    );
    writeFileSync(bad, 'not json');
    expectInputError(
      cli('check', team, '--regressions', bad),
      /regressions\.json: not a JSON document/,
    );
    writeFileSync(
      bad,
      JSON.stringify({
        format: 'dispatchlab-regressions',
        version: 1,
        regressions: [
          {
            scenario: 'small-team',
            strategy: 'blocking(retries=1)',
            seed: 0,
            workload: { tasks: -5 },
            broke: [],
            found: { version: '0', replay: '' },
          },
        ],
      }),
    );
    expectInputError(
      cli('check', team, '--regressions', bad, '--strategy', '1'),
      /no longer applies to .*small-team\.yaml.*tasks\.count.*Remove that entry/s,
    );
  });

  it('refuses an --out that cannot be written, leaving nothing behind', () => {
    const dir = tempDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = cli(
      'check',
      mutants,
      ...capped,
      '--quiet',
      '--no-regressions',
      '--out',
      join(file, 'out'),
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^dispatchlab: .*a-file/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    mkdirSync(join(dir, 'empty'));
    expect(filesUnder(dir)).toEqual(['a-file', 'empty']);
  });
});
