/** `dispatchlab report`: from a results document to a folder of files, and what it refuses. */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
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
    expect(first.stderr).toBe(`wrote 18 files into ${out}: open ${join(out, 'index.html')}\n`);
    // The document names scenarios/small-team.yaml: its representative seed is re-run.
    expect(filesUnder(out).sort()).toEqual([
      'charts',
      'charts/cost-makespan.svg',
      'charts/cost-makespan.vl.json',
      'charts/objective.svg',
      'charts/objective.vl.json',
      'charts/paired.svg',
      'charts/paired.vl.json',
      'charts/seed-context.svg',
      'charts/seed-context.vl.json',
      'charts/seed-in-flight.svg',
      'charts/seed-in-flight.vl.json',
      'charts/seed-timeline-1.svg',
      'charts/seed-timeline-1.vl.json',
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
      `wrote 18 files into ${direct}: open ${join(direct, 'index.html')}\n`,
    );
    expect(filesUnder(direct)).toEqual(filesUnder(out));
    for (const f of filesUnder(out).filter((f) => f !== 'charts')) {
      expect(readFileSync(join(direct, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });

  it('finds the scenario for the charts of one seed: the one the document names, or --scenario', () => {
    const dir = tempDir();
    const scenario = join(dir, 'team.yaml');
    const original = readFileSync('scenarios/small-team.yaml', 'utf8');
    writeFileSync(scenario, original);
    const r = cli('compare', scenario, '--seeds', '5', '--json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const results = join(dir, 'results.json');
    writeFileSync(results, r.stdout);
    expect(JSON.parse(r.stdout).scenario.file).toBe(scenario);
    const seedCharts = (out: string) => filesUnder(out).filter((f) => f.startsWith('charts/seed-'));
    // The file it names, unchanged: the seed is re-run.
    const named = cli('report', results, '--out', join(dir, 'named'));
    expect(named.code, named.stderr).toBe(0);
    expect(seedCharts(join(dir, 'named')).length).toBeGreaterThan(0);
    // Changed since: the report is written without those charts, and a note says why and how.
    writeFileSync(scenario, original.replace('tasks: { count: 2 }', 'tasks: { count: 3 }'));
    const changed = cli('report', results, '--out', join(dir, 'changed'));
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).toMatch(
      /^note: no charts of one seed: .*team\.yaml changed since the document was made .*pass --scenario FILE/,
    );
    expect(seedCharts(join(dir, 'changed'))).toEqual([]);
    // No longer a scenario at all: the same.
    writeFileSync(scenario, 'just a string\n');
    const broken = cli('report', results, '--out', join(dir, 'broken'));
    expect(broken.code, broken.stderr).toBe(0);
    expect(broken.stderr).toMatch(
      /^note: no charts of one seed: .*team\.yaml, the scenario file it names, no longer loads \(.*the top level must be a mapping/,
    );
    expect(seedCharts(join(dir, 'broken'))).toEqual([]);
    // Moved: the same, until --scenario says where it went.
    const moved = join(dir, 'moved.yaml');
    writeFileSync(moved, original);
    unlinkSync(scenario);
    const missing = cli('report', results, '--out', join(dir, 'missing'));
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.stderr).toMatch(
      /^note: no charts of one seed: .*team\.yaml, the scenario file it names, is not there/,
    );
    expect(seedCharts(join(dir, 'missing'))).toEqual([]);
    const gone = cli('report', results, '--out', join(dir, 'gone'), '--scenario', moved);
    expect(gone.code, gone.stderr).toBe(0);
    expect(seedCharts(join(dir, 'gone'))).toEqual(seedCharts(join(dir, 'named')));
    for (const f of seedCharts(join(dir, 'named'))) {
      expect(readFileSync(join(dir, 'gone', f), 'utf8'), f).toBe(
        readFileSync(join(dir, 'named', f), 'utf8'),
      );
    }
    // --scenario naming another scenario is refused: its runs are not the document's.
    expectInputError(
      cli(
        'report',
        results,
        '--out',
        join(dir, 'other'),
        '--scenario',
        'scenarios/docs-audit.yaml',
      ),
      /docs-audit\.yaml is not the scenario the results document "small-team" was made from/,
      /pass --scenario with the file it was made from/,
    );
    expect(existsSync(join(dir, 'other', 'index.html'))).toBe(false);
  });

  it('writes the report of a sweep document: sweep --out DIR, or report on its results.json', () => {
    const dir = tempDir();
    const args = ['--vary', 'orchestrator.process=1,5', '--seeds', '5', '--quiet'];
    const swept = cli(
      'sweep',
      'scenarios/no-work-during-waits.yaml',
      ...args,
      '--out',
      join(dir, 'a'),
    );
    expect(swept.code, swept.stderr).toBe(0);
    expect(swept.stdout).toContain('orchestrator.process'); // the text is printed too
    expect(filesUnder(join(dir, 'a'))).toContain('charts/makespan.svg');
    const reported = cli('report', join(dir, 'a', 'results.json'), '--out', join(dir, 'b'));
    expect(reported.code, reported.stderr).toBe(0);
    expect(filesUnder(join(dir, 'b'))).toEqual(filesUnder(join(dir, 'a')));
    for (const f of filesUnder(join(dir, 'a')).filter((f) => f !== 'charts')) {
      expect(readFileSync(join(dir, 'b', f), 'utf8'), f).toBe(
        readFileSync(join(dir, 'a', f), 'utf8'),
      );
    }
    // A sweep's report draws no single run: --scenario is refused rather than ignored.
    expectInputError(
      cli(
        'report',
        join(dir, 'a', 'results.json'),
        '--out',
        join(dir, 'c'),
        '--scenario',
        'x.yaml',
      ),
      /is a sweep document, whose report draws no single run: leave --scenario out/,
    );
    expect(existsSync(join(dir, 'c'))).toBe(false);
    // A broken sweep document is refused as one, naming the field.
    const broken = JSON.parse(readFileSync(join(dir, 'a', 'results.json'), 'utf8'));
    broken.points[0].winner = 42;
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    expectInputError(
      cli('report', join(dir, 'broken.json'), '--out', join(dir, 'd')),
      /broken\.json: not a sweep document this version reads: at points\.0\.winner/,
    );
  });

  it('writes each chart as PNG too with --png, the same bytes from compare --out and from report', () => {
    const dir = tempDir();
    const args = ['scenarios/small-team.yaml', '--seeds', '5', '--quiet'];
    const direct = cli('compare', ...args, '--out', join(dir, 'a'), '--png');
    expect(direct.code, direct.stderr).toBe(0);
    const svgs = filesUnder(join(dir, 'a')).filter((f) => f.endsWith('.svg'));
    const pngs = filesUnder(join(dir, 'a')).filter((f) => f.endsWith('.png'));
    expect(pngs).toEqual(svgs.map((f) => f.replace(/\.svg$/, '.png')));
    for (const f of pngs) {
      expect(
        readFileSync(join(dir, 'a', f))
          .subarray(0, 8)
          .toString('hex'),
        f,
      ).toBe('89504e470d0a1a0a');
    }
    const later = cli('report', join(dir, 'a', 'results.json'), '--out', join(dir, 'b'), '--png');
    expect(later.code, later.stderr).toBe(0);
    for (const f of pngs)
      expect(readFileSync(join(dir, 'b', f)).equals(readFileSync(join(dir, 'a', f))), f).toBe(true);
    expectInputError(
      cli('compare', ...args, '--png'),
      /--png draws the charts of the report --out DIR writes/,
    );
    // Without --png, none; and a report written where one with PNGs was removes them,
    // leaving the other files of the folder alone.
    expect(cli('compare', ...args, '--out', join(dir, 'c')).code).toBe(0);
    expect(filesUnder(join(dir, 'c')).some((f) => f.endsWith('.png'))).toBe(false);
    writeFileSync(join(dir, 'a', 'charts', 'notes.txt'), 'mine\n');
    expect(cli('compare', ...args, '--out', join(dir, 'a')).code).toBe(0);
    expect(filesUnder(join(dir, 'a'))).toEqual(
      [...filesUnder(join(dir, 'c')), 'charts/notes.txt'].sort(),
    );
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
    // Nesting deep enough to overflow a stack, and a key written twice: refused, not a crash.
    const results = JSON.parse(
      cli('compare', scenario, '--seeds', '2', '--json', '--quiet').stdout,
    );
    const deep = join(dir, 'deep.json');
    writeFileSync(
      deep,
      `${JSON.stringify(results).slice(0, -1)},"extra":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    );
    expectInputError(
      cli('report', deep, '--out', join(dir, 'r')),
      /deep\.json: nests 5001 levels deep, more than the 200/,
    );
    const twice = join(dir, 'twice.json');
    writeFileSync(twice, JSON.stringify(results).replace('"format":', '"format":"x","format":'));
    expectInputError(
      cli('report', twice, '--out', join(dir, 'r')),
      /twice\.json:1:\d+: the key "format" appears twice/,
    );
  });
});
