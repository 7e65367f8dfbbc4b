/**
 * compare, sweep and merge through the real CLI: the results document is the same
 * whatever the number of worker threads, a sharded run merges into exactly the unsharded
 * document, and mistakes in the options are usage errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricNames } from '../../src/experiment/metric-names.js';
import { cli, tempDir } from './helpers.js';

const scenario = 'scenarios/docs-audit.yaml';

describe('dispatchlab compare', () => {
  it('prints means with CIs and paired differences against the baseline', () => {
    const r = cli('compare', scenario, '--seeds', '12', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Means over 12 seeds (0..11)');
    expect(r.stdout).toContain('Against blocking(timeout=15m), paired by seed');
    expect(r.stdout).toMatch(/async\(wip=10,events,timeout=15m\)\s+makespan\s+-/);
  });

  it('gives a byte-identical document with 1 and 2 worker threads', () => {
    const one = cli('compare', scenario, '--seeds', '16', '--json', '--workers', '1');
    const two = cli('compare', scenario, '--seeds', '16', '--json', '--workers', '2');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const doc = JSON.parse(one.stdout) as {
      format: string;
      seeds: { start: number; count: number };
      strategies: {
        label: string;
        metrics: Record<string, { mean: number; ci95: [number, number] }>;
      }[];
      comparisons: {
        a: string;
        b: string;
        metric: string;
        meanDiff: number;
        ci95: [number, number];
      }[];
    };
    expect(doc.format).toBe('dispatchlab-results');
    expect(doc.seeds).toEqual({ start: 0, count: 16 });
    for (const s of doc.strategies) expect(Object.keys(s.metrics)).toEqual([...metricNames]);
    expect(
      doc.comparisons.some((c) => c.metric === 'makespan' && c.b === 'blocking(timeout=15m)'),
    ).toBe(true);
  });

  it('merges shards into exactly the unsharded document', () => {
    const dir = tempDir();
    const whole = cli('compare', scenario, '--seeds', '10', '--seed-start', '5', '--json');
    // The file is named from the shard run, however --shard was written.
    for (const shard of ['1/3', '02/3', '3/3']) {
      expect(
        cli(
          'compare',
          scenario,
          '--seeds',
          '10',
          '--seed-start',
          '5',
          '--shard',
          shard,
          '--out',
          dir,
          '--quiet',
        ).code,
      ).toBe(0);
    }
    expect(readdirSync(dir).sort()).toEqual([
      'docs-audit.partial-1-of-3.json',
      'docs-audit.partial-2-of-3.json',
      'docs-audit.partial-3-of-3.json',
    ]);
    const parts = readdirSync(dir).map((f) => join(dir, f));
    const merged = cli('merge', ...parts.reverse());
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    const out = join(dir, 'merged.json');
    expect(cli('merge', ...parts, '--out', out).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(whole.stdout);
  });

  it('refuses an incomplete set of shards, naming what is missing', () => {
    const dir = tempDir();
    expect(
      cli('compare', scenario, '--seeds', '6', '--shard', '1/2', '--out', dir, '--quiet').code,
    ).toBe(0);
    const r = cli('merge', ...readdirSync(dir).map((f) => join(dir, f)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shard 2/);
  });

  it.each([
    [['--baseline', 'nope'], /nope/],
    [['--shard', '4/3'], /shard/],
    [['--workers', '0'], /worker threads/],
    [['--seeds', '0'], /a count/],
  ])('rejects %j with exit code 2', (args, pattern) => {
    const r = cli('compare', scenario, '--quiet', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('dispatchlab sweep', () => {
  it('shows where the winner changes along a parameter', () => {
    const r = cli(
      'sweep',
      scenario,
      '--seeds',
      '10',
      '--vary',
      'orchestrator.process=0,60',
      '--quiet',
    );
    expect(r.code).toBe(0);
    // With no per-page work blocking wins; with a minute per page async does.
    expect(r.stdout.split('\n')).toContain(
      'The winner changes along orchestrator.process between 0 and 60: blocking(timeout=15m) → async(wip=10,events,timeout=15m).',
    );
  });

  it('keeps a column per strategy when the varied field changes its label', () => {
    const r = cli('sweep', scenario, '--seeds', '3', '--vary', 'strategies[2].wip=5,10', '--quiet');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toMatch(/async #3 \(label varies\)/);
    const row = lines.find((l) => l.startsWith('10 '))!;
    expect(row).not.toMatch(/n\/a/);
    expect(row.trim().split(/\s{2,}/)).toHaveLength(5); // value, three strategies, winner
  });

  it('merges sweep shards into exactly the unsharded sweep', () => {
    const dir = tempDir();
    const args = [
      'sweep',
      scenario,
      '--seeds',
      '6',
      '--vary',
      'orchestrator.process=0..60:3',
      '--quiet',
    ];
    const whole = cli(...args, '--json');
    expect(whole.code).toBe(0);
    for (const shard of ['1/2', '2/2'])
      expect(cli(...args, '--shard', shard, '--out', dir).code).toBe(0);
    const merged = cli('merge', ...readdirSync(dir).map((f) => join(dir, f)));
    expect(merged.stdout).toBe(whole.stdout);
  });

  it.each([
    ['orchestrator.process', /PATH=/],
    ['orchestrator.process=a..b:3', /orchestrator\.process/],
    ['orchestrator.proces=1,2', /proces/],
    ['orchestrator.process=-5,5', /negative/],
  ])('rejects --vary %s with a clear message and exit code 2', (vary, pattern) => {
    const r = cli('sweep', scenario, '--seeds', '2', '--vary', vary, '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
