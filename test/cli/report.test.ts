/** `dispatchlab report`: from a results document to a folder of files, and what it refuses. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectInputError, filesUnder, tempDir } from './helpers.js';

describe('dispatchlab report', () => {
  it('writes the report of the document compare prints, the same bytes every time', () => {
    const dir = tempDir();
    const results = join(dir, 'results.json');
    const r = cli('compare', 'scenarios/small-team.yaml', '--seeds', '10', '--json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(results, r.stdout);
    const out = join(dir, 'report');
    const first = cli('report', results, '--out', out);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe(`wrote 12 files into ${out}: open ${join(out, 'index.html')}\n`);
    expect(filesUnder(out).sort()).toEqual([
      'charts',
      'charts/cost-makespan.svg',
      'charts/cost-makespan.vl.json',
      'charts/objective.svg',
      'charts/objective.vl.json',
      'charts/paired.svg',
      'charts/paired.vl.json',
      'charts/time-split.svg',
      'charts/time-split.vl.json',
      'index.html',
      'report.md',
      'results.csv',
      'results.json',
    ]);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(r.stdout);
    const again = join(dir, 'again');
    expect(cli('report', results, '--out', again).code).toBe(0);
    for (const f of ['index.html', 'report.md', 'charts/paired.svg']) {
      expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    }
    // compare --out DIR writes the same report, in one step, beside its tables.
    const direct = join(dir, 'direct');
    const compared = cli(
      'compare',
      'scenarios/small-team.yaml',
      '--seeds',
      '10',
      '--quiet',
      '--out',
      direct,
    );
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toContain('Means over 10 seeds');
    expect(compared.stderr).toBe(
      `wrote 12 files into ${direct}: open ${join(direct, 'index.html')}\n`,
    );
    expect(filesUnder(direct)).toEqual(filesUnder(out));
    for (const f of filesUnder(out).filter((f) => f !== 'charts')) {
      expect(readFileSync(join(direct, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });

  it('refuses what is not a results document, naming the file and what it takes', () => {
    const dir = tempDir();
    const partial = join(dir, 'part.json');
    writeFileSync(partial, JSON.stringify({ format: 'dispatchlab-partial' }));
    expectInputError(
      cli('report', partial, '--out', join(dir, 'r')),
      /part\.json: not a results document this version reads: its format is "dispatchlab-partial"/,
      /dispatchlab compare FILE --json > results\.json/,
    );
    const scenario = 'scenarios/small-team.yaml';
    expectInputError(cli('report', scenario, '--out', join(dir, 'r')), /not a JSON document/);
    expectInputError(
      cli('report', join(dir, 'none.json'), '--out', join(dir, 'r')),
      /no such file/,
    );
    expectInputError(cli('report', partial), /report needs --out DIR/);
  });
});
