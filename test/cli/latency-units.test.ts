/**
 * Latency units and timestamps through the real CLI: a latency file in milliseconds gives
 * the same results as one in seconds once it says `unit: ms`, as do the runs' start and end
 * times; read as seconds by default, it gives a warning on stderr and exit code 0.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function ok(...args: string[]): string {
  const r = cli(...args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('latency units on the command line', () => {
  const scenario = (latency: string) => `
name: measured
description: Latencies from a file.
tasks: 10
subagents:
  latency: ${latency}
  failures: { error: 5% }
strategies: [{ kind: blocking, timeout: 15m }, { kind: async, wip: 3, timeout: 15m }]
seeds: 4
`;
  const file = (name: string) => JSON.stringify(join(fixtures, name));

  it('read milliseconds with unit: ms, and timestamps, as the same latencies in seconds', () => {
    const dir = tempDir();
    const documents = [
      `{ dist: empirical, file: ${file('latencies-s.csv')} }`,
      `{ dist: empirical, file: ${file('latencies-ms.csv')}, unit: ms }`,
      `{ dist: empirical, file: ${file('runs-timestamps.csv')} }`,
      `{ dist: empirical, file: ${file('runs-epoch-ms.json')} }`,
    ].map((latency, i) => {
      const doc = JSON.parse(
        ok('compare', write(dir, `s${i}.yaml`, scenario(latency)), '--json', '--quiet'),
      );
      // The input hash names the file and unit read, and `file` the scenario's own path,
      // which differ; the results do not.
      delete doc.scenario.inputHash;
      delete doc.scenario.file;
      return JSON.stringify(doc);
    });
    for (const doc of documents.slice(1)) expect(doc).toBe(documents[0]);
  });

  it('warn, and still exit 0, when milliseconds are read as seconds', () => {
    const dir = tempDir();
    const path = write(
      dir,
      'ms.yaml',
      scenario(`{ dist: empirical, file: ${file('latencies-ms.csv')} }`),
    );
    const r = cli('validate', path);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${path}: ok — measured, 10 tasks, strategies: blocking(timeout=15m), async(wip=3,events,timeout=15m)\n`,
    );
    const lines = r.stderr.trim().split('\n');
    expect(lines.every((line) => line.startsWith(`warning: ${path}: `))).toBe(true);
    expect(r.stderr).toContain(
      'subagents.latency: the 40 latencies in', // the file's path follows
    );
    expect(r.stderr).toContain(
      'are read as seconds (no unit is given), which makes their median 13h27m41s; if they are milliseconds, add unit: ms (a median of 48.5s); if they really are seconds, add unit: s to say so.',
    );
    const json = cli('validate', path, '--json');
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const summary = JSON.parse(json.stdout) as { valid: { warnings: string[] }[] };
    expect(summary.valid[0]!.warnings).toEqual(lines.map((line) => line.slice('warning: '.length)));
    const run = cli('run', path);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(r.stderr);

    const fixed = write(
      dir,
      'fixed.yaml',
      scenario(`{ dist: empirical, file: ${file('latencies-ms.csv')}, unit: ms }`),
    );
    const clean = cli('validate', fixed);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toBe('');
  });
});
