/**
 * The text of a results document, from documents built on made-up runs: which rows show,
 * what the verdicts say, and how deadlocks read.
 */
import { describe, expect, it } from 'vitest';
import { coreMetrics, resultsText, shownMetrics, verdict } from '../../src/cli/results-text.js';
import { compareDocument } from '../../src/experiment/compare.js';
import { type MetricName, metricNames } from '../../src/experiment/metric-names.js';
import type { ResultsDocument } from '../../src/experiment/results.js';
import type { SeedRuns } from '../../src/experiment/run-seeds.js';
import { shellWord } from '../../src/report/format.js';

type Values = Partial<Record<MetricName, number[]>>;

/** A document over `seeds` from per-strategy values (every other metric 1 on every seed). */
function doc(
  seeds: number[],
  strategies: { label: string; values: Values; deadlocks?: number[]; incompletes?: number[] }[],
): ResultsDocument {
  const runs: SeedRuns = {
    seeds,
    strategies: strategies.map((s) => {
      const values = {} as Record<MetricName, number[]>;
      for (const m of metricNames) values[m] = s.values[m] ?? seeds.map(() => 1);
      return {
        label: s.label,
        deadlocks: s.deadlocks ?? [],
        incompletes: s.incompletes ?? [],
        values,
      };
    }),
  };
  const headers = strategies.map((s) => ({
    label: s.label,
    config: { kind: 'blocking' as const, timeout: 'none' as const, retries: 0 },
  }));
  return compareDocument(
    { name: 'made-up', description: '', inputHash: 'sha256:0' },
    { start: seeds[0]!, count: seeds.length },
    headers,
    runs,
    undefined,
  );
}

function rows(text: string, header: RegExp): string[][] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => header.test(l));
  if (at < 0) return [];
  const end = lines.indexOf('', at);
  return lines.slice(at + 2, end < 0 ? undefined : end).map((l) => l.trim().split(/\s{2,}/));
}

describe('resultsText', () => {
  it('shows the core set and the metrics with a difference, in reading order', () => {
    const d = doc(
      [0, 1, 2, 3],
      [
        { label: 'a', values: { compactions: [1, 2, 3, 4], spawns: [1, 2, 3, 4] } },
        { label: 'b', values: { compactions: [3, 4, 5, 6], spawns: [1, 3, 2, 4] } },
      ],
    );
    // spawns differ on some seeds, but not significantly: left out.
    expect(shownMetrics(d)).toEqual([...coreMetrics.slice(0, 6), 'compactions', 'correctShare']);
    const paired = rows(resultsText(d), /^strategy\s+metric/);
    expect(paired).toEqual([['b', 'compactions', '+2', '[+2, +2]', 'worse']]);
  });

  it('takes a difference of rounding for none', () => {
    const d = doc(
      [0, 1, 2],
      [
        { label: 'a', values: { maxDetectionLatency: [1.819287231197947, 2, 3] } },
        { label: 'b', values: { maxDetectionLatency: [1.8192872311979613, 2, 3] } },
      ],
    );
    expect(shownMetrics(d)).not.toContain('maxDetectionLatency');
    const text = resultsText(d, { metrics: ['maxDetectionLatency'] });
    expect(rows(text, /^strategy\s+metric/)).toEqual([]);
    expect(text).toContain(
      'Equal to the baseline on every seed: maxDetectionLatency (every strategy).',
    );
  });

  it('with a single seed, shows the metrics whose values differ, with no CI and no verdict', () => {
    const d = doc(
      [7],
      [
        { label: 'a', values: { makespan: [100] } },
        { label: 'b', values: { makespan: [90] } },
      ],
    );
    const text = resultsText(d);
    expect(text).toContain('Means over 1 seed (7..7)');
    expect(rows(text, /^strategy\s+metric/)).toEqual([['b', 'makespan', '-10s', 'n/a']]);
  });

  it('reads a neutral metric as higher or lower, and a CI across 0 as no clear difference', () => {
    const base = { a: 'x', b: 'y', n: 10, excluded: 0 } as const;
    expect(verdict({ ...base, metric: 'makespan', meanDiff: -5, ci95: [-6, -4] })).toBe('better');
    expect(verdict({ ...base, metric: 'makespan', meanDiff: 5, ci95: [4, 6] })).toBe('worse');
    expect(verdict({ ...base, metric: 'correctShare', meanDiff: 0.1, ci95: [0.05, 0.15] })).toBe(
      'better',
    );
    expect(verdict({ ...base, metric: 'spawns', meanDiff: 2, ci95: [1, 3] })).toBe('higher');
    expect(verdict({ ...base, metric: 'spawns', meanDiff: -2, ci95: [-3, -1] })).toBe('lower');
    expect(verdict({ ...base, metric: 'makespan', meanDiff: -1, ci95: [-3, 1] })).toBe(
      'no clear difference',
    );
    expect(verdict({ ...base, metric: 'makespan', meanDiff: -1, ci95: null })).toBe('');
  });

  it('shows a deadlocked strategy\'s cut-short metrics as "deadlocked" and lists its seeds', () => {
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const d = doc(seeds, [
      { label: 'ok', values: { makespan: [9, 9, 9, 9, 9, 9, 9, 9] } },
      {
        label: 'stuck',
        values: { makespan: [1, 1, 1, 1, 1, 1, 1, 9], succeeded: [0, 0, 0, 0, 0, 0, 0, 1] },
        deadlocks: [0, 1, 2, 3, 4, 5, 6],
      },
    ]);
    const text = resultsText(d, { file: 'x.yaml' });
    const means = rows(text, /^metric\s/);
    expect(means.find((r) => r[0] === 'makespan')).toEqual(['makespan', '9s', 'deadlocked']);
    expect(means.find((r) => r[0] === 'succeeded')).toEqual(['succeeded', '1', '0.13 ±0.30']);
    expect(text).toContain(
      'stuck deadlocked in 7 of 8 runs (seeds 0, 1, 2, 3, 4 and 2 more).\n  Replay one: dispatchlab run x.yaml --strategy stuck --seed 0\n\nIn a deadlocked run',
    );
    // No file, no replay command.
    expect(resultsText(d)).toContain('(seeds 0, 1, 2, 3, 4 and 2 more).\n\nIn a deadlocked run');
    expect(rows(text, /^strategy\s+metric/)).toEqual([
      ['stuck', 'succeeded', '-0.88', '[-1.17, -0.58]', 'worse'],
    ]);
  });

  it('says when every strategy deadlocked and compares the task outcomes only', () => {
    const d = doc(
      [0, 1],
      [
        { label: 'a', values: { succeeded: [1, 2] }, deadlocks: [0] },
        { label: 'b', values: { succeeded: [3, 5] }, deadlocks: [1] },
      ],
    );
    const text = resultsText(d);
    expect(text).toContain(
      'Every strategy deadlocked in some run: they are compared on the task outcomes only.',
    );
    expect(text).toContain('Compared on the task outcomes only (deadlocked): b.');
    expect(text).toContain(
      'a deadlocked in 1 of 2 runs (seed 0).\nb deadlocked in 1 of 2 runs (seed 1).',
    );
    expect(rows(text, /^strategy\s+metric/)).toEqual([
      ['b', 'succeeded', '+2.50', '[-3.85, +8.85]', 'no clear difference'],
    ]);
  });
});

describe('shellWord', () => {
  it('leaves plain words and quotes the rest', () => {
    expect(shellWord('scenarios/hung-subagents.yaml')).toBe('scenarios/hung-subagents.yaml');
    expect(shellWord('async(wip=10,events)')).toBe("'async(wip=10,events)'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('')).toBe("''");
  });
});
