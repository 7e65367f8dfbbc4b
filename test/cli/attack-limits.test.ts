/**
 * The attack catalogue, sizes: requests that would exhaust memory or start absurd numbers
 * of threads are refused (or capped) before any work, with the limit and the reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { billionShardClaim } from '../experiment/helpers.js';
import { cli, cliWith, expectInputError, filesUnder, tempDir } from './helpers.js';

const small = `
name: small
description: A tiny workload for the size limits.
tasks: { count: 4 }
subagents: { latency: { dist: exponential, mean: 1m } }
orchestrator: { process: 5s }
strategies: [{ kind: blocking }, { kind: async, wip: 2 }]
`;

function scenario(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'small.yaml');
  writeFileSync(file, small);
  return { dir, file };
}

describe('sizes beyond what one experiment runs', () => {
  it.each([
    {
      name: '--seeds 1000000000',
      args: ['compare', '--seeds', '1000000000'],
      expected: [/1,000,000,000 seeds/, /at most 100,000/],
    },
    {
      name: 'a range of 10^8 points',
      args: ['sweep', '--vary', 'tasks.count=1..5:100000000'],
      expected: [/--vary tasks\.count=1\.\.5:100000000/, /at most 10,000 grid points/],
    },
    {
      name: 'a grid of 10^6 points',
      args: [
        'sweep',
        '--vary',
        'tasks.count=1..5:1000',
        '--vary',
        'orchestrator.process=0..9:1000',
      ],
      expected: [/has 1,000,000 points/],
    },
    {
      name: 'a sweep of 4·10^6 runs',
      args: ['sweep', '--vary', 'tasks.count=1..5:10000', '--seeds', '200'],
      expected: [/4,000,000 runs/, /at most 1,000,000/],
    },
    {
      name: '10^9 shards',
      args: ['compare', '--shard', '1/1000000000'],
      expected: [/--shard 1\/1000000000/, /at most 100,000 shards/],
    },
    {
      name: 'a --vary path into the prototype',
      args: ['sweep', '--vary', '__proto__.polluted=1,2'],
      expected: [/"__proto__" is not a field of a scenario/],
    },
  ])('$name: refused at once, exit 2, nothing written', ({ args, expected }) => {
    const { dir, file } = scenario();
    const out = join(dir, 'out');
    const [command, ...rest] = args;
    const r = cli(command!, file, ...rest, '--quiet', '--out', out);
    expectInputError(r, ...expected);
    expect(filesUnder(dir)).toEqual(['small.yaml']);
  });

  it("a shard's output file is checked before the work, like any other", () => {
    const { dir, file } = scenario();
    const out = join(dir, 'parts');
    // Where the partial would go, a folder: refused at once, not after the runs.
    mkdirSync(join(out, 'small.partial-1-of-2.json'), { recursive: true });
    // Too many seeds too: the message is the path's, so it was checked before anything else.
    const r = cli('compare', file, '--shard', '1/2', '--out', out, '--quiet', '--seeds', '200000');
    expectInputError(r, /small\.partial-1-of-2\.json/);
    expect(r.stderr).not.toMatch(/seeds is more/);
  });

  it('merge refuses a partial document that claims a billion shards', () => {
    const { dir } = scenario();
    const part = join(dir, 'huge.json');
    writeFileSync(part, JSON.stringify(billionShardClaim()));
    expectInputError(cli('merge', part), /huge\.json is not a valid partial document/);
  });

  it('merge reads only regular files: a FIFO does not hang it, /dev/zero does not fill the memory', () => {
    const { dir } = scenario();
    const fifo = join(dir, 'part.json');
    execFileSync('mkfifo', [fifo]);
    expectInputError(cliWith({ timeoutMs: 20_000 }, 'merge', fifo), /part\.json is a named pipe/);
    expectInputError(
      cliWith({ timeoutMs: 20_000 }, 'merge', '/dev/zero'),
      /\/dev\/zero is a character device/,
    );
  });

  it('--workers 999 runs on the cores there are, and gives the same document', () => {
    const { file } = scenario();
    const one = cli('compare', file, '--seeds', '4', '--json', '--quiet');
    const many = cli('compare', file, '--seeds', '4', '--json', '--quiet', '--workers', '999');
    expect(one.code, one.stderr).toBe(0);
    expect(many.code, many.stderr).toBe(0);
    expect(many.stdout).toBe(one.stdout);
  });
});
