/**
 * What reading a latency file is bounded by (src/scenario/limits.ts): only regular files, of at
 * most 64 MiB, with at most 10^6 observations, 10^7 CSV cells, 1,000 columns or 2·10^6 JSON
 * values; and the two helpers behind it, readBoundedText and scanJson.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BoundedReadError, readBoundedText } from '../../src/scenario/files/bounded-read.js';
import { scanJson } from '../../src/scenario/files/json-scan.js';
import { loadEmpiricalSamples } from '../../src/scenario/latency-file/read.js';
import { simLimits } from '../../src/scenario/limits.js';
import { distributionErrorOf } from '../sim/distributions-helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'dispatchlab-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

function fifo(name: string): string {
  const path = join(scratch, name);
  execFileSync('mkfifo', [path]);
  return path;
}

function refusal(act: () => unknown): BoundedReadError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(BoundedReadError);
    return error as BoundedReadError;
  }
  throw new Error('expected a BoundedReadError');
}

const load = (path: string) =>
  distributionErrorOf(() => loadEmpiricalSamples(path, { path: 'subagents.latency.file' }));

describe('readBoundedText', () => {
  it('reads a regular file within the limit, as UTF-8', () => {
    expect(readBoundedText(file('ok.txt', 'héllo'), 6)).toBe('héllo');
  });

  it('refuses a named pipe at once instead of waiting for a writer', () => {
    const error = refusal(() => readBoundedText(fifo('pipe'), 100));
    expect(error.reason).toBe('not-a-file');
    expect(error.detail).toMatch(/is a named pipe \(FIFO\), not a regular file/);
  });

  it('refuses devices and directories', () => {
    expect(refusal(() => readBoundedText('/dev/zero', 100)).detail).toMatch(/character device/);
    const dir = join(scratch, 'folder');
    mkdirSync(dir);
    expect(refusal(() => readBoundedText(dir, 100)).reason).toBe('directory');
  });

  it('refuses a file larger than the limit, by its size or by what is read', () => {
    const big = file('big.txt', 'x'.repeat(101));
    expect(refusal(() => readBoundedText(big, 100)).detail).toBe(
      'is larger than 100 bytes, the most read from such a file',
    );
    // A sparse file of 64 MiB + 1 is refused from its size, without reading it.
    const sparse = file('sparse.csv', '');
    truncateSync(sparse, simLimits.latencyFileBytes + 1);
    expect(refusal(() => readBoundedText(sparse, simLimits.latencyFileBytes)).detail).toMatch(
      /larger than 64 MiB/,
    );
  });

  it("passes the operating system's errors through", () => {
    expect(() => readBoundedText(join(scratch, 'missing'), 100)).toThrow(/ENOENT/);
  });
});

describe('scanJson', () => {
  it('counts values, nesting and finds the first repeated key with its lines', () => {
    expect(scanJson('[1, 2, {"a": [3]}]')).toEqual({ values: 6, depth: 3 });
    const text = '{\n  "a": 1,\n  "b": {"a": 2},\n  "\\u0061": 3\n}';
    expect(scanJson(text).duplicate).toEqual({ key: 'a', line: 4, column: 3, firstLine: 2 });
  });

  it('is not fooled by brackets, commas and quotes inside strings', () => {
    expect(scanJson('{"a": "[,{\\"", "b": 1}')).toEqual({ values: 3, depth: 1 });
  });

  it('stops counting past maxValues, and survives any nesting', () => {
    expect(scanJson('[1,1,1,1,1,1,1,1]', 3).values).toBe(4);
    expect(scanJson('['.repeat(100_000)).depth).toBe(100_000);
  });
});

describe('loadEmpiricalSamples limits', () => {
  it('refuses a pipe, a device and a file past 64 MiB, naming the file and the field', () => {
    expect(load(fifo('latencies.csv')).message).toMatch(
      /^subagents\.latency\.file: ".*latencies\.csv" is a named pipe \(FIFO\), not a regular file/,
    );
    expect(load('/dev/zero').message).toMatch(/"\/dev\/zero" is a character device/);
    const sparse = file('huge.csv', '');
    truncateSync(sparse, simLimits.latencyFileBytes + 1);
    expect(load(sparse).message).toMatch(/larger than 64 MiB.*keep only the duration column/);
  });

  it('refuses a CSV with too many columns on a line, or too many cells', () => {
    expect(load(file('wide.csv', `latency\n1${','.repeat(1000)}\n`)).message).toMatch(
      /line 2 has 1,001 fields, more than the 1,000 columns read/,
    );
    // 10^7 + 1 cells of one column, each a bare "1": 20 MB, counted before parsing.
    const cells = file('cells.csv', `latency\n${'1\n'.repeat(simLimits.csvCells)}`);
    expect(load(cells).message).toMatch(/more than 10,000,000 cells \(rows × columns\)/);
  });

  it('refuses a JSON file of more values than it may hold, before parsing it', () => {
    const objects = file('objects.json', `[${'{},'.repeat(simLimits.jsonValues)}{}]`);
    expect(load(objects).message).toMatch(/more than 2,000,000 JSON values/);
  });

  it('refuses more observations than are kept', () => {
    const many = file('many.json', `[${'1,'.repeat(simLimits.observations)}1]`);
    expect(load(many).message).toMatch(/more than 1,000,000 observations/);
  });

  it('holds values in a column of hours to the 365-day ceiling', () => {
    expect(load(file('hours.csv', 'latency_h\n1\n9000\n')).message).toMatch(
      /line 3, column "latency_h": 9000 in this column's unit is 32,400,000 s \(375 days\); durations are at most 365 days/,
    );
  });

  it('keeps reading files whose header names the column, however many other columns', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${i},note ${i},${i % 7}s`).join('\n');
    const values = loadEmpiricalSamples(file('named.csv', `id,note,latency\n${rows}\n`));
    expect(values).toHaveLength(1000);
    expect(values[8]).toBe(1);
  });
});
