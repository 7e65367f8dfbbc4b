/**
 * The catalogue of bad input: each gets a clear error naming the file, the field and the
 * fix, exit code 2, no stack trace — and nothing written.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

const valid = `
name: ok
description: A valid scenario that each case below breaks in one place.
tasks: { count: 5 }
subagents:
  latency: { dist: exponential, mean: 1m }
strategies:
  - { kind: blocking }
  - { kind: async, wip: 2 }
`;

function scenarioFile(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const cases: { name: string; text: string | null; expected: RegExp[] }[] = [
  { name: 'missing file', text: null, expected: [/no such file/, /check the path/] },
  {
    name: 'empty file',
    text: '',
    expected: [/is empty/, /name, description, tasks, subagents and strategies/],
  },
  {
    name: 'not YAML',
    text: 'name: x\n  description: [1,\n',
    expected: [/is not valid YAML/, /line \d+, column \d+/],
  },
  { name: 'a list, not a mapping', text: '- 1\n- 2\n', expected: [/top level must be a mapping/] },
  {
    name: 'wrong type',
    text: valid.replace('count: 5', 'count: five'),
    expected: [/tasks\.count: expected number, got "five"/],
  },
  {
    name: 'negative duration',
    text: valid.replace('mean: 1m', 'mean: -1m'),
    expected: [/subagents\.latency\.mean/, /negative/],
  },
  {
    name: 'a turn cost with an unknown unit',
    text: valid.replace('strategies:', 'orchestrator: { turn: 5 sec }\nstrategies:'),
    expected: [/orchestrator\.turn: "5 sec" has an unknown unit "sec"; did you mean "5s"\?/],
  },
  {
    name: 'a turn cost drawn from a bad distribution',
    text: valid.replace(
      'strategies:',
      'orchestrator: { turn: { dist: lognormal, median: -4s, p95: 15s } }\nstrategies:',
    ),
    expected: [/orchestrator\.turn\.median: "-4s" is negative/],
  },
  {
    name: 'a turn cost that is a list',
    text: valid.replace('strategies:', 'orchestrator: { turn: [1, 2] }\nstrategies:'),
    expected: [/orchestrator\.turn: got a list; expected a duration \(5s\) or a distribution/],
  },
  {
    name: 'unknown distribution',
    text: valid.replace('dist: exponential', 'dist: exponentail'),
    expected: [/subagents\.latency\.dist/, /did you mean "exponential"/i],
  },
  {
    name: 'bad distribution parameter',
    text: valid.replace('{ dist: exponential, mean: 1m }', '{ dist: lognormal, mu: 0, sigma: -1 }'),
    expected: [/subagents\.latency\.sigma/],
  },
  {
    name: 'unknown strategy',
    text: valid.replace('kind: blocking', 'kind: blockng'),
    expected: [
      /strategies\[0\]\.kind: "blockng" is not a known kind/,
      /Did you mean "blocking"/,
      /Allowed: "blocking", "batch", "async"/,
    ],
  },
  {
    name: 'unknown field',
    text: valid.replace('tasks: { count: 5 }', 'tasks: { count: 5, dependecies: chain }'),
    expected: [/tasks\.dependecies: unknown field/, /Did you mean "dependencies"/],
  },
  {
    name: 'fates that add up to more than 1',
    text: valid.replace(
      'latency: { dist: exponential, mean: 1m }',
      'latency: { dist: exponential, mean: 1m }\n  failures: { error: 0.7, hang: 0.5 }',
    ),
    expected: [/subagents\.failures/, /at most 1/],
  },
  {
    name: 'a number of tasks in words',
    text: valid.replace('tasks: { count: 5 }', 'tasks: "two hundred"'),
    expected: [
      /tasks: got "two hundred"; write tasks: 200 \(a number, without quotes\), or tasks: \{ count: 200 \}/,
    ],
  },
  {
    name: 'a strategy kind misspelt in the short form',
    text: valid.replace(
      '  - { kind: blocking }\n  - { kind: async, wip: 2 }',
      '  - blocking\n  - asynch',
    ),
    expected: [/strategies\[1\]: "asynch" is not a known kind\. Did you mean "async"\?/],
  },
  {
    name: 'batch in the short form, without its size',
    text: valid.replace('- { kind: async, wip: 2 }', '- batch'),
    expected: [
      /strategies\[1\]: batch needs its size, the tasks per batch: write \{ kind: batch, size: 10 \}/,
    ],
  },
  {
    name: 'a percentage without its sign',
    text: valid.replace(
      'latency: { dist: exponential, mean: 1m }',
      'latency: { dist: exponential, mean: 1m }\n  failures: { error: 3 }',
    ),
    expected: [/subagents\.failures\.error: must be <= 1, got 3; .*write 0\.03 or "3%"/],
  },
  {
    name: 'seeds as a range',
    text: `${valid}seeds: 0..99\n`,
    expected: [/seeds: got "0\.\.99"; for seeds 0 to 99 write seeds: \{ start: 0, count: 100 \}/],
  },
  {
    name: 'a unit that contradicts the column name',
    text: valid.replace(
      '{ dist: exponential, mean: 1m }',
      `{ dist: empirical, file: ${JSON.stringify(join(fixtures, 'runs-epoch-ms.json'))}, unit: s }`,
    ),
    expected: [
      /subagents\.latency\.unit: unit: s contradicts the column "start_ms" of ".*runs-epoch-ms\.json", whose name says milliseconds/,
    ],
  },
  {
    name: 'a run that ends before it starts',
    text: valid.replace(
      '{ dist: exponential, mean: 1m }',
      `{ dist: empirical, file: ${JSON.stringify(join(fixtures, 'runs-timestamps.csv'))}, start: ended_at, end: started_at }`,
    ),
    expected: [
      /subagents\.latency\.file: ".*runs-timestamps\.csv" line 3: it ends .* before it starts/,
    ],
  },
  {
    name: 'two strategies with one label',
    text: valid.replace('- { kind: async, wip: 2 }', '- { kind: async, wip: 2, label: blocking }'),
    expected: [/strategies\[1\]: its label "blocking" is already used by strategies\[0\]/],
  },
];

describe('bad scenario files', () => {
  it.each(cases)(
    '$name: one clear paragraph, exit code 2, no stack trace',
    ({ name, text, expected }) => {
      const dir = tempDir();
      const file =
        text === null ? join(dir, 'missing.yaml') : scenarioFile(dir, 'scenario.yaml', text);
      const before = readdirSync(dir);
      for (const command of [
        ['validate', file],
        ['run', file, '--strategy', 'blocking', '--trace', join(dir, 'out.jsonl')],
      ]) {
        const r = cli(...command);
        expect(r.code, name).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.startsWith(`dispatchlab: ${file}`)).toBe(true);
        for (const pattern of expected) expect(r.stderr).toMatch(pattern);
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(readdirSync(dir)).toEqual(before);
      }
    },
  );

  it('a bad option value is a usage error', () => {
    const r = cli('run', 'scenarios/docs-audit.yaml', '--seed', '-3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected a seed (a whole number >= 0), got "-3"');
  });
});
