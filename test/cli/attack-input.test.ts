/**
 * The attack catalogue, input: extreme and hostile scenario files. Each is refused cleanly
 * by `validate` and by the command that would run it (exit 2, a message naming the file, the
 * field and the fix, no stack trace), never with an internal error, a hang or an exhausted
 * memory, and nothing is left behind in the folder. One case or more per class of attack:
 * overflowing draws, polling, sizes, what is read and parsed, keys and rounding. Every case
 * runs validate; most also the command, except where another case of the class already
 * shows that both read the file alike (each command costs a Node start-up). The unit tests
 * in test/scenario and test/sim go through each class in detail.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CliOptions,
  type CliResult,
  expectInputError,
  filesUnder,
  tempDir,
} from './helpers.js';

const valid = `
name: attack
description: A valid scenario that each case below breaks.
tasks: { count: 4 }
subagents:
  latency: { dist: exponential, mean: 1m }
strategies:
  - { kind: blocking }
  - { kind: async, wip: 2 }
`;

/** A hang must fail the test quickly rather than block the suite. */
const timeoutMs = 20_000;

/**
 * `cliWith` without blocking, so that the cases run side by side (`it.concurrent`): each
 * command costs a Node start-up, and there are two dozen of them.
 */
function cliAsync(options: CliOptions, ...args: string[]): Promise<CliResult> {
  const bin = join(import.meta.dirname, '../../bin/dispatchlab.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: { ...process.env, DISPATCHLAB_DEBUG: '', ...options.env },
      timeout: options.timeoutMs ?? timeoutMs,
      killSignal: 'SIGKILL',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, stdout, stderr, signal }));
  });
}

interface Case {
  readonly name: string;
  /** The scenario file's name and content; a function makes it (a FIFO) in the folder. */
  readonly file: string;
  readonly content: string | ((dir: string) => void);
  /** What runs it besides validate; none where another case already shows they agree. */
  readonly command?: readonly string[];
  readonly expected: readonly RegExp[];
}

const cases: Case[] = [
  {
    name: 'distribution parameters whose draws overflow, and durations past 365 days',
    file: 'overflow.yaml',
    content: valid
      .replace('{ dist: exponential, mean: 1m }', '{ dist: pareto, alpha: 1e-308, scale: 1s }')
      .replace('tasks: { count: 4 }', 'tasks: { count: 4 }\norchestrator: { process: 1e308 }')
      .replace('{ kind: blocking }', '{ kind: blocking, timeout: 9000h }'),
    command: ['run'],
    expected: [
      /overflow\.yaml: 3 problems/,
      /orchestrator\.process: 1e\+308 is 1e\+308 s \(3\.17e\+300 years\); durations are at most 365 days/,
      /strategies\[0\]\.timeout: "9000h" is 32,400,000 s \(375 days\)/,
      /subagents\.latency\.alpha: alpha 1e-308 puts the median draw at infinity;.*use a larger alpha/,
    ],
  },
  {
    name: 'a poll interval of a nanosecond',
    file: 'poll.yaml',
    content: valid.replace(
      '{ kind: async, wip: 2 }',
      '{ kind: async, wip: 2, continuation: polling, pollInterval: 1e-9 }',
    ),
    command: ['compare', '--seeds', '2', '--quiet'],
    expected: [
      /poll\.yaml: strategies\[1\]\.pollInterval: must be at least 1ms/,
      /use continuation: events/,
    ],
  },
  {
    name: 'sizes past the limits (tasks, retries, seeds, tokens), NaN and infinities',
    file: 'sizes.yaml',
    content: `${valid
      .replace('count: 4', 'count: 9007199254740991')
      .replace('mean: 1m', 'mean: .inf')
      .replace('{ kind: blocking }', '{ kind: blocking, retries: 1000000000 }')
      .replace('{ kind: async, wip: 2 }', '{ kind: async, wip: 2, gating: .nan }')}
seeds: { count: 1000000 }
context: { base: 1e300 }
`,
    command: ['run'],
    expected: [
      /sizes\.yaml: 6 problems/,
      /tasks\.count: must be <= 1,000,000, got 9,007,199,254,740,991; one run keeps/,
      /strategies\[0\]\.retries: must be <= 100, got 1,000,000,000/,
      /strategies\[1\]\.gating: expected number, got NaN/,
      /seeds\.count: must be <= 100,000, got 1,000,000/,
      /context\.base: must be <= 1,000,000,000, got 1e\+300/,
      /subagents\.latency\.mean: Infinity is not a finite duration/,
    ],
  },
  {
    name: 'a dependency graph of 5·10^7 edges, and seeds past 2^53',
    file: 'graph.yaml',
    content: `${valid.replace(
      'tasks: { count: 4 }',
      'tasks: { count: 10000, dependencies: { shape: random, edgeProbability: 1 } }',
    )}seeds: { start: 9007199254740991, count: 2 }\n`,
    command: ['compare', '--seeds', '2', '--quiet'],
    expected: [
      /tasks\.dependencies\.edgeProbability: .* about 49,995,000 dependency edges; .* at most 5,000,000/,
      /seeds\.start: .* past 9,007,199,254,740,991 \(2\^53 − 1\)/,
    ],
  },
  {
    name: 'a YAML alias bomb',
    file: 'bomb.yaml',
    content: [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
      'g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]',
    ].join('\n'),
    expected: [/bomb\.yaml: expands its YAML aliases \(\*name\) more than 100 times/],
  },
  {
    name: '400,000 nested lists',
    file: 'deep.yaml',
    content: `name: ${'- '.repeat(400_000)}x\n`,
    // The same check guards a mixture nested 5,000 deep, and JSON (test/scenario/load.test.ts).
    command: ['run'],
    expected: [/deep\.yaml: nests lists and mappings more than 100 levels deep/],
  },
  {
    name: 'a scenario that is a named pipe',
    file: 'pipe.yaml',
    content: (dir) => execFileSync('mkfifo', [join(dir, 'pipe.yaml')]),
    expected: [/pipe\.yaml: is a named pipe \(FIFO\), not a regular file/],
  },
  {
    name: 'a latency file that is a named pipe',
    file: 'measured.yaml',
    content: (dir) => {
      execFileSync('mkfifo', [join(dir, 'latencies.csv')]);
      writeFileSync(
        join(dir, 'measured.yaml'),
        valid.replace(
          '{ dist: exponential, mean: 1m }',
          '{ dist: empirical, file: latencies.csv }',
        ),
      );
    },
    command: ['compare', '--seeds', '2', '--quiet'],
    expected: [
      /measured\.yaml: subagents\.latency\.file: "latencies\.csv" is a named pipe \(FIFO\)/,
    ],
  },
  {
    name: 'a key given twice in JSON',
    file: 'dup.json',
    content: '{\n  "name": "a",\n  "tasks": { "count": 4 },\n  "name": "b"\n}\n',
    command: ['compare', '--seeds', '2', '--quiet'],
    expected: [
      /dup\.json: the key "name" appears twice in one object \(line 2, and again at line 4/,
    ],
  },
];

describe('hostile scenario input is refused by validate and by the commands alike', () => {
  for (const c of cases) {
    it.concurrent(c.name, async () => {
      const dir = tempDir();
      if (typeof c.content === 'string') writeFileSync(join(dir, c.file), c.content);
      else c.content(dir);
      const before = filesUnder(dir);
      const at = { cwd: dir, timeoutMs };
      const results = await Promise.all([
        cliAsync(at, 'validate', c.file),
        ...(c.command === undefined ? [] : [cliAsync(at, ...c.command, c.file)]),
      ]);
      for (const r of results) expectInputError(r, ...c.expected);
      expect(filesUnder(dir)).toEqual(before);
    });
  }
});

describe('input that looks hostile but is fine is accepted', () => {
  it.concurrent('fates that add up to 1 by rounding, and JSON with a byte-order mark', async () => {
    const dir = tempDir();
    const fates = valid.replace(
      'latency: { dist: exponential, mean: 1m }',
      'latency: { dist: exponential, mean: 1m }\n  failures: { error: 0.33, hang: 0.56, needsPermission: 0.11 }',
    );
    writeFileSync(join(dir, 'fates.yaml'), fates);
    writeFileSync(
      join(dir, 'bom.json'),
      `\ufeff${JSON.stringify({ name: 'bom', description: 'd', tasks: { count: 2 }, subagents: { latency: '1s' }, strategies: [{ kind: 'blocking' }] })}`,
    );
    const [validated, ran] = await Promise.all([
      cliAsync({ cwd: dir, timeoutMs }, 'validate', 'fates.yaml', 'bom.json'),
      cliAsync({ cwd: dir, timeoutMs }, 'run', 'bom.json'),
    ]);
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toMatch(/fates\.yaml: ok.*\n.*bom\.json: ok/);
    expect(ran.code, ran.stderr).toBe(0);
  });
});
