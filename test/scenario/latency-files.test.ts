import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/scenario/duration.js';
import { interpretColumnName, loadEmpiricalSamples } from '../../src/scenario/latency-file/read.js';
import { EmpiricalDistribution } from '../../src/sim/distributions/index.js';
import {
  distributionErrorOf,
  draw,
  expectMeanMatches,
  expectQuantilesMatch,
  inverseEmpiricalCdf,
  standardDeviation,
} from '../sim/distributions-helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'dispatchlab-empirical-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a scratch file and returns its path. */
function file(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

const errorOf = distributionErrorOf;

/** The fixture's latency column, read without the library's CSV code: the last field of each row. */
function fixtureCsvDurations(): number[] {
  const lines = readFileSync(join(fixtures, 'latencies.csv'), 'utf8').split('\n');
  return lines
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .slice(1)
    .map((line) => parseDuration(line.slice(line.lastIndexOf(',') + 1).replaceAll('"', '')));
}

function fixtureJsonDurations(): number[] {
  const data = JSON.parse(readFileSync(join(fixtures, 'latencies.json'), 'utf8')) as {
    durations: (number | string)[];
  };
  return data.durations.map((value) => parseDuration(value));
}

const LEVELS = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

describe.each([
  { name: 'CSV', fileName: 'latencies.csv', expected: fixtureCsvDurations, size: 200 },
  { name: 'JSON', fileName: 'latencies.json', expected: fixtureJsonDurations, size: 150 },
])('the empirical distribution of the $name fixture', ({ fileName, expected, size }) => {
  const values = loadEmpiricalSamples(fileName, { baseDir: fixtures });
  const raw = expected();

  it('loads every observation, in seconds, in file order', () => {
    expect(values.length).toBe(size);
    expect(values).toEqual(raw);
  });

  it('reproduces the observations’ quantiles exactly', () => {
    const empirical = new EmpiricalDistribution({ values, source: fileName });
    for (const p of LEVELS) expect(empirical.quantile(p)).toBe(inverseEmpiricalCdf(raw, p));
    for (let k = 1; k <= size; k++)
      expect(empirical.quantile(k / size)).toBe(inverseEmpiricalCdf(raw, k / size));
  });

  it('resamples the observations: quantiles and mean match in 200k draws', () => {
    const empirical = new EmpiricalDistribution({ values, source: fileName });
    const samples = draw(empirical, `fixture ${fileName}`, 200_000);
    const observed = new Set(raw);
    expect(samples.every((x) => observed.has(x))).toBe(true);
    expectQuantilesMatch(samples, empirical, [0.05, 0.5, 0.95]);
    expectMeanMatches(samples, raw.reduce((a, b) => a + b, 0) / raw.length, standardDeviation(raw));
  });
});

describe('CSV column choice', () => {
  it('takes the column named by column, exactly or ignoring case', () => {
    const path = file('named.csv', 'id,fast,slow\n1,2,30\n2,3,40\n');
    expect(loadEmpiricalSamples(path, { column: 'slow' })).toEqual([30, 40]);
    expect(loadEmpiricalSamples(path, { column: 'SLOW' })).toEqual([30, 40]);
  });

  it('takes the only column', () => {
    expect(loadEmpiricalSamples(file('one.csv', 'latency\n1.5\n"250ms"\n2m\n'))).toEqual([
      1.5, 0.25, 120,
    ]);
  });

  it('takes the only column of durations', () => {
    const path = file('numeric.csv', 'task,model,took\nt1,a,1.5\nt2,b,2s\n');
    expect(loadEmpiricalSamples(path)).toEqual([1.5, 2]);
  });

  it('takes the column named like a duration when several are numeric', () => {
    expect(loadEmpiricalSamples(file('id.csv', 'id,latency\n1,10\n2,20\n'))).toEqual([10, 20]);
    expect(loadEmpiricalSamples(file('elapsed.csv', 'n,Elapsed Seconds\n1,10\n2,20\n'))).toEqual([
      10, 20,
    ]);
  });

  it('prefers the duration-named column, so a bad cell is reported rather than ids resampled', () => {
    const path = file('ids.csv', 'task_id,latency\n1,12\n2,timeout\n3,14\n');
    expect(errorOf(() => loadEmpiricalSamples(path)).message).toMatch(
      /line 3, column "latency": "timeout" is not a duration/,
    );
  });

  it('reads a unit in the column name into plain numbers', () => {
    expect(loadEmpiricalSamples(file('ms.csv', 'id,latency_ms\n1,250\n2,1500\n3,2s\n'))).toEqual([
      0.25, 1.5, 2,
    ]);
    expect(loadEmpiricalSamples(file('min.csv', 'duration (min)\n1.5\n'))).toEqual([90]);
    expect(loadEmpiricalSamples(file('camel.csv', 'elapsedMs\n300\n'))).toEqual([0.3]);
    expect(interpretColumnName('latency_ms')).toEqual({
      base: 'latency',
      secondsPerUnit: 0.001,
      unit: 'ms',
    });
    expect(interpretColumnName('Duration [h]')).toEqual({
      base: 'duration',
      secondsPerUnit: 3600,
      unit: 'h',
    });
    expect(interpretColumnName('seconds')).toEqual({
      base: 'seconds',
      secondsPerUnit: 1,
      unit: 's',
    });
    // The unit words are duration.ts's spellings, singular ones included.
    expect(interpretColumnName('latency_hour')).toEqual({
      base: 'latency',
      secondsPerUnit: 3600,
      unit: 'h',
    });
    expect(interpretColumnName('elapsedMsecs')).toEqual({
      base: 'elapsed',
      secondsPerUnit: 0.001,
      unit: 'ms',
    });
    // A trailing s is a plural, not a unit, without a separator.
    expect(interpretColumnName('items')).toEqual({ base: 'items', secondsPerUnit: 1 });
  });

  it('accepts tabs and semicolons, comments, blank lines and a byte-order mark', () => {
    expect(loadEmpiricalSamples(file('tabs.tsv', 'id\tlatency\n1\t5\n2\t6\n'))).toEqual([5, 6]);
    expect(loadEmpiricalSamples(file('semi.csv', 'id;latency\n1;5\n2;6\n'))).toEqual([5, 6]);
    expect(
      loadEmpiricalSamples(file('bom.csv', '\ufeff# measured\nlatency\r\n\r\n5\r\n6\r\n')),
    ).toEqual([5, 6]);
  });

  it('accepts a single column of bare numbers without a header', () => {
    expect(loadEmpiricalSamples(file('bare.csv', '1.5\n2\n3s\n'))).toEqual([1.5, 2, 3]);
  });

  it('lists the columns when it cannot choose', () => {
    const error = errorOf(() =>
      loadEmpiricalSamples(file('ambiguous.csv', 'a,b\n1,2\n3,4\n'), { path: 'x.file' }),
    );
    expect(error.path).toBe('x.file');
    expect(error.message).toBe(
      'x.file: "' +
        join(scratch, 'ambiguous.csv') +
        '": cannot tell which column holds the durations: its columns are "a", "b"; name it with column: <name>, or give start: and end: for columns of timestamps',
    );
    const several = errorOf(() =>
      loadEmpiricalSamples(file('several.csv', 'latency,duration\n1,2\n')),
    );
    expect(several.message).toContain(
      'several columns look like durations ("latency", "duration")',
    );
  });

  it('suggests a column for a misspelt name', () => {
    const path = file('typo.csv', 'id,latency\n1,2\n');
    expect(errorOf(() => loadEmpiricalSamples(path, { column: 'latncy' })).message).toMatch(
      /has no column "latncy"; did you mean "latency"\? its columns are "id", "latency"$/,
    );
  });
});

describe('file errors', () => {
  it('name the file, the line, the column and the fix for a bad value', () => {
    const path = file('bad.csv', '# comment\nid,latency\n1,2\n\n2,abc\n');
    const error = errorOf(() =>
      loadEmpiricalSamples(path, { column: 'latency', path: 'subagents.latency.file' }),
    );
    expect(error.message).toBe(
      `subagents.latency.file: "${path}" line 5, column "latency": "abc" is not a duration; write seconds as a number (90) or a number with a unit: 250ms, 90s, 2m, 1h`,
    );
    expect(
      errorOf(() => loadEmpiricalSamples(file('neg.csv', 'latency\n1\n-2\n'))).message,
    ).toMatch(
      /line 3, column "latency": "-2" is negative; durations must be 0 or more \(did you mean 2\?\)$/,
    );
  });

  it('report an empty cell', () => {
    expect(
      errorOf(() =>
        loadEmpiricalSamples(file('hole.csv', 'id,latency\n1,2\n2,\n'), { column: 'latency' }),
      ).message,
    ).toMatch(/line 3, column "latency" is empty; fill it in or remove the row$/);
  });

  it('report missing, empty and header-only files', () => {
    const missing = errorOf(() =>
      loadEmpiricalSamples('nowhere.csv', { baseDir: scratch, path: 'p.file' }),
    );
    expect(missing.message).toBe(
      `p.file: cannot read "nowhere.csv": no such file (looked for ${join(scratch, 'nowhere.csv')}); relative paths start from ${scratch}`,
    );
    expect(errorOf(() => loadEmpiricalSamples(file('empty.csv', ' \n'))).message).toMatch(
      /is empty; it needs a header row and one duration per row, or a JSON array of durations$/,
    );
    expect(errorOf(() => loadEmpiricalSamples(file('header.csv', 'latency\n'))).message).toMatch(
      /has a header row but no data; add one duration per row under "latency"$/,
    );
    mkdirSync(join(scratch, 'folder.csv'), { recursive: true });
    expect(errorOf(() => loadEmpiricalSamples('folder.csv', { baseDir: scratch })).message).toMatch(
      /is a folder/,
    );
  });

  it('report malformed CSV with its line', () => {
    expect(
      errorOf(() => loadEmpiricalSamples(file('ragged.csv', 'id,latency\n1,2\n3\n'))).message,
    ).toMatch(
      /line 3 is not valid CSV \(.*\); check the quotes and that every row has as many fields as the header$/,
    );
    expect(
      errorOf(() => loadEmpiricalSamples(file('quote.csv', 'latency\n"12\n'))).message,
    ).toMatch(/is not valid CSV/);
  });

  it('reject other file types', () => {
    expect(errorOf(() => loadEmpiricalSamples(file('data.xlsx', 'x'))).message).toMatch(
      /is not a \.csv or \.json file; give a CSV with a header row and one duration per row, or a JSON array of durations$/,
    );
  });

  it('report JSON problems', () => {
    expect(loadEmpiricalSamples(file('array.json', '[1, "2s", 0.5]'))).toEqual([1, 2, 0.5]);
    expect(
      loadEmpiricalSamples(file('keyed.json', '{"fast": [1, 2]}'), { column: 'fast' }),
    ).toEqual([1, 2]);
    expect(errorOf(() => loadEmpiricalSamples(file('broken.json', '[1, 2'))).message).toMatch(
      /is not valid JSON \(/,
    );
    expect(
      errorOf(() => loadEmpiricalSamples(file('object.json', '{"duration": [1]}'))).message,
    ).toMatch(
      /has no "durations" array; did you mean "duration"\? expected an array of durations or an object with a "durations" array \(keys found: duration\)$/,
    );
    expect(errorOf(() => loadEmpiricalSamples(file('scalar.json', '42'))).message).toMatch(
      /holds 42; expected an array/,
    );
    expect(
      errorOf(() => loadEmpiricalSamples(file('none.json', '{"durations": []}'))).message,
    ).toMatch(/contains no durations/);
    expect(
      errorOf(() => loadEmpiricalSamples(file('bad.json', '{"durations": [1, "soon", 3]}')))
        .message,
    ).toMatch(/bad\.json" durations\[1\]: "soon" is not a duration; write seconds/);
    expect(errorOf(() => loadEmpiricalSamples(file('null.json', '[1, null]'))).message).toMatch(
      /null\.json" \[1\] is null, not a duration/,
    );
  });
});
