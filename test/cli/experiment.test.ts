/**
 * compare, sweep and merge through the real CLI: the results document is the same
 * whatever the number of worker threads, a sharded run merges into exactly the unsharded
 * document, and mistakes in the options are usage errors.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricNames } from '../../src/experiment/metric-names.js';
import { cli, expectInputError, tempDir } from './helpers.js';

const scenario = 'scenarios/docs-audit.yaml';

describe('dispatchlab compare', () => {
  it('prints means with CIs and paired differences against the baseline', () => {
    const r = cli('compare', scenario, '--seeds', '12', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Means over 12 seeds (0..11)');
    expect(r.stdout).toContain('Against blocking(timeout=15m,retries=1), paired by seed');
    expect(r.stdout).toMatch(/async\(wip=10,wave=10,events,timeout=15m,retries=1\)\s+makespan\s+-/);
  });

  it('takes --baseline as --strategy is taken: a label, a unique prefix or a number', () => {
    const by = (baseline: string) =>
      cli('compare', scenario, '--seeds', '3', '--json', '--quiet', '--baseline', baseline);
    const full = by('async(wip=10,wave=10,events,timeout=15m,retries=1)');
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout).baseline).toBe(
      'async(wip=10,wave=10,events,timeout=15m,retries=1)',
    );
    expect(by('3').stdout).toBe(full.stdout);
    expect(by('async').stdout).toBe(full.stdout);
    expectInputError(by('9'), /--baseline 9: there are 3 strategies/);
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
      doc.comparisons.some(
        (c) => c.metric === 'makespan' && c.b === 'blocking(timeout=15m,retries=1)',
      ),
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

/** The rows of the first table (means) and of the paired table, as lists of cells. */
function tables(stdout: string): { means: string[][]; paired: string[][] } {
  const lines = stdout.split('\n');
  const rowsAfter = (header: RegExp) => {
    const at = lines.findIndex((l) => header.test(l));
    if (at < 0) return [];
    const end = lines.indexOf('', at);
    return lines.slice(at + 2, end < 0 ? undefined : end).map((l) => l.trim().split(/\s{2,}/));
  };
  return { means: rowsAfter(/^metric\s/), paired: rowsAfter(/^strategy\s+metric/) };
}

describe('dispatchlab compare: the verdict', () => {
  it('comes first: what to adopt, against the simplest safe strategy, and what it costs', () => {
    const r = cli('compare', 'scenarios/frequent-compaction.yaml', '--quiet', '--seeds', '20');
    expect(r.code, r.stderr).toBe(0);
    const head = r.stdout.split('\n\n')[1]!;
    expect(head).toMatch(/^Verdict: adopt async-durable-registry\. Against blocking, the simplest/);
    expect(head).toMatch(/What it costs or saves against blocking:\s+turns \+/);
    expect(head).toMatch(
      /Unsafe, never recommended: async-volatile-registry:\s+left\s+ghost\s+agents/,
    );
  });

  it('judges on --objective and --margin, and says so in the document', () => {
    const r = cli(
      'compare',
      'scenarios/docs-audit.yaml',
      '--quiet',
      '--seeds',
      '20',
      '--objective',
      'cost',
      '--margin',
      '1%',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const { verdict } = JSON.parse(r.stdout) as {
      verdict: { objective: string; margin: number; reference: string; recommended: string };
    };
    expect(verdict).toMatchObject({
      objective: 'cost',
      margin: 0.01,
      reference: 'blocking(timeout=15m,retries=1)',
    });
    // Async costs more: on cost, the reference stays.
    expect(verdict.recommended).toBe(verdict.reference);
  });

  it("takes the scenario's objective, and refuses one that is not a metric", () => {
    const r = cli('compare', 'scenarios/bag-of-agents.yaml', '--quiet', '--seeds', '10');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /Verdict: adopt wip-5-gated-waves\. Against bag-of-agents, the simplest safe strategy:\s+correctShare \+/,
    );
    expectInputError(
      cli('compare', 'scenarios/bag-of-agents.yaml', '--objective', 'correctshare'),
      /--objective: "correctshare" is not a metric \(did you mean "correctShare"\?\)/,
    );
    expectInputError(cli('compare', 'scenarios/bag-of-agents.yaml', '--margin', '7'), /700%/);
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      readFileSync('scenarios/small-team.yaml', 'utf8').replace(
        'strategies:',
        'objective: speed\nstrategies:',
      ),
    );
    expectInputError(cli('validate', file), /objective/, /makespan/);
  });
});

describe('dispatchlab compare: output that must not mislead', () => {
  it('gives a strategy that deadlocked no time comparison and says so, with a replay command', () => {
    const r = cli('compare', 'scenarios/hung-subagents.yaml', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    // Warned before it ran (advice, not an error: the exit code is 0).
    expect(r.stderr).toMatch(
      /^warning: scenarios\/hung-subagents\.yaml: strategies\[0\].*timeout/m,
    );
    const { means, paired } = tables(r.stdout);
    const lines = r.stdout.split('\n');
    const note = lines.indexOf(
      'blocking-no-timeout deadlocked in 31 of 50 runs (seeds 1, 2, 3, 4, 6 and 26 more).',
    );
    expect(note).toBeGreaterThan(0);
    expect(lines[note + 1]).toBe(
      '  Replay one: dispatchlab run scenarios/hung-subagents.yaml --strategy blocking-no-timeout --seed 1',
    );
    expect(lines.slice(note + 3, note + 10).join(' ')).toMatch(
      /^In a deadlocked run .* Its task outcomes are final at the deadlock, and shown and compared: tasks, succeeded, unresolved, undetectedFailures and correctShare\.$/,
    );
    expect(lines.slice(note + 3, note + 10).every((l) => l.length <= 90)).toBe(true);
    // Its makespan, cut short by the deadlock, is not shown as a mean...
    expect(means.find((row) => row[0] === 'makespan')![1]).toBe('deadlocked');
    expect(means.find((row) => row[0] === 'succeeded')![1]).toBe('7.60 ±2.79');
    // ...nor compared; its task outcomes are, and it fares worse on them.
    const own = paired.filter((row) => row[0] === 'blocking-no-timeout');
    // Not givenUp: a stuck task is neither given up nor succeeded, so "fewer given up" would
    // read as better for the strategy that stuck.
    expect(own.map((row) => row[1])).toEqual([
      'succeeded',
      'unresolved',
      'undetectedFailures',
      'correctShare',
    ]);
    expect(own.find((row) => row[1] === 'succeeded')![4]).toBe('worse');
    // The others are compared among themselves, against the first that completed every run.
    expect(r.stdout).toContain(
      'The baseline, blocking-no-timeout, deadlocked: the strategies are compared against blocking(timeout=10m,retries=2) instead, the first that completed every run.',
    );
    expect(r.stdout).toContain('Against blocking(timeout=10m,retries=2), paired by seed');
    expect(
      paired.find((row) => row[0]!.startsWith('async(wip=10,events') && row[1] === 'makespan'),
    ).toEqual([
      'async(wip=10,events,timeout=10m,retries=2)',
      'makespan',
      '-3m29s',
      '[-3m49s, -3m10s]',
      'better',
    ]);
    expect(r.stdout).toContain(
      'Compared on the task outcomes only (deadlocked): blocking-no-timeout.',
    );
  });

  it('quotes a label or a path the shell would misread in the replay command', () => {
    const dir = tempDir();
    const file = join(dir, 'my hung.yaml');
    writeFileSync(
      file,
      readFileSync('scenarios/hung-subagents.yaml', 'utf8').replace(
        'label: blocking-no-timeout',
        "label: it's (stuck)",
      ),
    );
    const r = cli('compare', file, '--seeds', '5', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const replay = `dispatchlab run '${file}' --strategy 'it'\\''s (stuck)' --seed 1`;
    expect(r.stdout).toContain(`Replay one: ${replay}`);
    // And a shell runs it as printed.
    const bin = join(import.meta.dirname, '../../bin/dispatchlab.js');
    const out = execFileSync('sh', ['-c', replay.replace('dispatchlab', `node '${bin}'`)], {
      encoding: 'utf8',
    });
    expect(out).toContain("it's (stuck) deadlocked");
  });

  it("says better or worse by the metric's direction, higher or lower for a neutral one", () => {
    const r = cli('compare', scenario, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const { paired } = tables(r.stdout);
    const row = (a: string, metric: string) =>
      paired.find((x) => x[0]!.startsWith(a) && x[1] === metric)!;
    expect(row('async', 'makespan')[4]).toBe('better'); // lower makespan
    expect(row('async', 'utilization')[4]).toBe('better'); // higher utilization
    expect(row('async', 'detectionLatency')[4]).toBe('worse'); // later detection
    expect(row('batch', 'makespan')[4]).toBe('worse');
    expect(row('batch', 'peakInFlight')[4]).toBe('lower'); // neutral: a resource, not a score
    expect(paired.every((x) => x[4] !== 'higher' || x[1] !== 'makespan')).toBe(true);
    expect(r.stdout).toContain(
      'Equal to the baseline on every seed: succeeded, givenUp, undetectedFailures and correctShare (every strategy).',
    );
  });

  it('shows the metrics a scenario is about: compactions where the strategies differ on them', () => {
    const r = cli('compare', 'scenarios/frequent-compaction.yaml', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const { means, paired } = tables(r.stdout);
    const metrics = means.map((row) => row[0]);
    for (const m of ['makespan', 'idleTime', 'utilization', 'succeeded', 'givenUp'])
      expect(metrics).toContain(m); // the core set, whatever the differences
    for (const m of ['compactions', 'ghosts', 'duplicateSpawns', 'wastedAgentSeconds'])
      expect(metrics).toContain(m);
    expect(
      paired.find((x) => x[0] === 'async-volatile-registry' && x[1] === 'compactions'),
    ).toEqual(['async-volatile-registry', 'compactions', '-1.78', '[-2.39, -1.17]', 'better']);
    // Metrics nobody differs on and outside the core set stay out.
    expect(metrics).not.toContain('permissionRequests');
  });

  it('shows the metrics asked for with --metrics, in that order, or all of them', () => {
    const some = cli(
      'compare',
      scenario,
      '--seeds',
      '8',
      '--quiet',
      '--metrics',
      'pollTime, makespan',
    );
    expect(some.code, some.stderr).toBe(0);
    const { means, paired } = tables(some.stdout);
    expect(means.map((row) => row[0])).toEqual(['pollTime', 'makespan']);
    expect(new Set(paired.map((row) => row[1]))).toEqual(new Set(['makespan']));
    const all = cli('compare', scenario, '--seeds', '3', '--quiet', '--metrics', 'all');
    expect(all.code, all.stderr).toBe(0);
    expect(
      tables(all.stdout)
        .means.map((row) => row[0])
        .sort(),
    ).toEqual([...metricNames].sort());
  });

  it('refuses an unknown metric before running, with a did-you-mean and the list', () => {
    const r = cli('compare', scenario, '--quiet', '--metrics', 'makespan,compaction');
    expectInputError(
      r,
      /--metrics: "compaction" is not a metric \(did you mean "compactions"\?\)/,
      /the metrics are makespan, throughput, tasks, .*, wrongCaught/,
    );
    expect(r.stdout).toBe('');
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
      'The winner changes along orchestrator.process between 0 and 60: blocking(timeout=15m,retries=1) → async(wip=10,wave=10,events,timeout=15m,retries=1).',
    );
  });

  it('keeps a column per strategy when the varied field changes its label', () => {
    const r = cli('sweep', scenario, '--seeds', '3', '--vary', 'strategies[2].wip=5,10', '--quiet');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toMatch(/async #3 \(label varies\)/);
    const row = lines.find((l) => l.startsWith('10 '))!;
    expect(row).not.toMatch(/n\/a/);
    expect(row.trim().split(/\s{2,}/)).toHaveLength(6); // value, three strategies, winner, adopt
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
