/** `dispatchlab run --chrome-trace FILE`: the run as a Chrome trace-event file, written whole or not at all. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTraceJsonl } from '../../src/sim/trace.js';
import { cli, expectInputError, filesUnder, tempDir } from './helpers.js';

const headline = 'scenarios/docs-audit.yaml';

/** A pattern matching `text` literally (a temporary folder's path holds dots). */
const literally = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

interface Event {
  readonly ph: string;
  readonly name: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly args?: { readonly name?: string };
}

describe('dispatchlab run --chrome-trace', () => {
  it('is in the help', () => {
    expect(cli('run', '--help').stdout).toContain('--chrome-trace <file>');
  });

  it('writes the run as JSON with traceEvents, the same bytes each time', () => {
    const dir = tempDir();
    const out = join(dir, 'out.json');
    const r = cli('run', headline, '-s', '1', '--seed', '3', '--chrome-trace', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Chrome trace written to ${out}`);
    const text = readFileSync(out, 'utf8');
    const doc = JSON.parse(text) as {
      traceEvents: Event[];
      displayTimeUnit: string;
      otherData: Record<string, unknown>;
    };
    expect(doc.displayTimeUnit).toBe('ms');
    expect(doc.otherData).toMatchObject({
      scenario: 'docs-audit',
      seed: 3,
      strategy: expect.stringMatching(/^blocking/),
    });
    const lanes = doc.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
    expect(lanes[0]!.args?.name).toBe('orchestrator');
    expect(lanes[1]!.args?.name).toBe('agent 0 · task 0 (attempt 0)');
    expect(doc.traceEvents.some((e) => e.ph === 'X')).toBe(true);
    expect(doc.traceEvents.some((e) => e.ph === 'C')).toBe(true);
    expect(filesUnder(dir)).toEqual(['out.json']);

    const again = join(dir, 'again.json');
    expect(cli('run', headline, '-s', '1', '--seed', '3', '--chrome-trace', again).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(text);
  });

  it('writes both traces when given --trace too, of the same run', () => {
    const dir = tempDir();
    const [jsonl, chrome] = [join(dir, 'run.jsonl'), join(dir, 'run.json')];
    const r = cli(
      'run',
      headline,
      '-s',
      '1',
      '--seed',
      '3',
      '--trace',
      jsonl,
      '--chrome-trace',
      chrome,
    );
    expect(r.code, r.stderr).toBe(0);
    const records = parseTraceJsonl(readFileSync(jsonl, 'utf8'));
    const doc = JSON.parse(readFileSync(chrome, 'utf8')) as { traceEvents: Event[] };
    const spawned = records.filter((x) => x.type === 'spawn').length;
    const lanes = doc.traceEvents.filter(
      (e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === 2,
    );
    expect(lanes).toHaveLength(spawned);
    expect(filesUnder(dir)).toEqual(['run.json', 'run.jsonl']);
  });

  it('refuses a path under a regular file: exit 2, naming it, nothing written', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'taken'), 'not a folder');
    const before = filesUnder(dir);
    const out = join(dir, 'taken', 'out.json');
    const r = cli('run', headline, '-s', '1', '--seed', '3', '--chrome-trace', out);
    expectInputError(r, literally(out), /--chrome-trace/, /is a file, not a folder/);
    expect(r.stdout).toBe('');
    expect(filesUnder(dir)).toEqual(before);
    // With --trace too: neither is written.
    const both = cli(
      'run',
      headline,
      '-s',
      '1',
      '--trace',
      join(dir, 'run.jsonl'),
      '--chrome-trace',
      out,
    );
    expectInputError(both, literally(out), /--chrome-trace/);
    expect(filesUnder(dir)).toEqual(before);
  });

  it('refuses a folder, several strategies, and the same file as --trace', () => {
    const dir = tempDir();
    expectInputError(
      cli('run', headline, '-s', '1', '--chrome-trace', dir),
      literally(dir),
      /it is a folder/,
    );
    expectInputError(
      cli('run', headline, '--chrome-trace', join(dir, 'out.json')),
      /--chrome-trace writes one run's trace/,
      /--strategy/,
    );
    const same = join(dir, 'same.json');
    expectInputError(
      cli('run', headline, '-s', '1', '--trace', same, '--chrome-trace', same),
      /--trace and --chrome-trace both name/,
    );
    expect(filesUnder(dir)).toEqual([]);
  });
});
