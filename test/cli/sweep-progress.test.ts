/**
 * The progress bar of compare and sweep: the time left is shown only once it is known.
 * cli-progress's estimate is "NULL" or "INF" before the first seed is done (no rate to go
 * by), which its time formatter would print as garbage such as "~NFs left".
 */
import type { Options, Params } from 'cli-progress';
import { describe, expect, it } from 'vitest';
import { progressFormat } from '../../src/cli/progress.js';

const options: Options = {
  barsize: 10,
  barCompleteString: '#'.repeat(10),
  barIncompleteString: '-'.repeat(10),
  barGlue: '',
  autopadding: false,
  autopaddingChar: '  ',
};

function line(value: number, eta: number | string): string {
  const params: Params = {
    progress: value / 40,
    // cli-progress's estimate is a number of seconds or the strings "NULL" and "INF".
    eta: eta as number,
    startTime: Date.now(),
    stopTime: null,
    total: 40,
    value,
    maxWidth: 200,
  };
  return progressFormat('sweep docs-audit')(options, params, {});
}

describe('progress bar', () => {
  it('shows no time left before the first seed is done, nor while the estimate is not a number', () => {
    for (const [value, eta] of [
      [0, '0'],
      [0, 'INF'],
      [0, 'NULL'],
      [0, 12],
      [3, 'INF'],
      [3, 'NULL'],
    ] as const) {
      const text = line(value, eta);
      expect(text).toMatch(new RegExp(`\\| ${value}/40 seeds \\| +0s elapsed$`));
      expect(text).not.toMatch(/left|NF|NULL/);
    }
  });

  it('shows the time left once a seed is done', () => {
    expect(line(10, 30)).toBe(
      'sweep docs-audit [###-------] 25% | 10/40 seeds |  0s elapsed, ~30s left',
    );
  });
});
