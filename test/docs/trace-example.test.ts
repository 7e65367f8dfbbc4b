/**
 * docs/trace-format.md, "Writing a trace from your own orchestrator": the Python program
 * it shows writes a valid trace, and `dispatchlab check` prints on it what the page
 * quotes (exit 0); the one-line change it shows, applied to the program, makes check
 * print the failures it quotes (exit 3). The program is run with the machine's python3,
 * as a user runs it; the test needs python3 and fails without it (.ci/run installs it).
 *
 * A trace written by a wall clock has other times on every run: in the quoted output a
 * time in seconds (`0 s`) stands for any, and `...` for lines left out.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceRecordSchema } from '../../src/model/trace-schema.js';
import { cliWith, tempDir } from '../cli/helpers.js';

const doc = readFileSync('docs/trace-format.md', 'utf8');
const heading = '## Writing a trace from your own orchestrator\n';
const section = doc.slice(doc.indexOf(heading), doc.indexOf('\n## Versions\n'));

/** The fenced blocks of the section in `language`, each with its final newline. */
function blocks(language: string): string[] {
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]
    .filter((m) => m[1] === language)
    .map((m) => m[2]!);
}

/** A console block: the commands (`$ ` lines) and the output quoted after them. */
function consoleBlock(text: string): { commands: string[][]; quoted: string[] } {
  const lines = text.trimEnd().split('\n');
  const commands = lines.filter((l) => l.startsWith('$ ')).map((l) => l.slice(2).split(/\s+/));
  return { commands, quoted: lines.slice(commands.length) };
}

/** A quoted line as a pattern for a line of the output: any time in seconds for each `0 s`. */
function linePattern(line: string): RegExp {
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\b\d+(?:\\\.\d+)? s\b/g, '\\d+(?:\\.\\d+)? s')}$`);
}

/** Every quoted line is in the output, in order; `...` stands for lines left out. */
function expectQuoted(output: string, quoted: readonly string[]): void {
  const lines = output.split('\n');
  let at = 0;
  for (const line of quoted) {
    if (line === '...') continue;
    const pattern = linePattern(line);
    const found = lines.findIndex((l, i) => i >= at && pattern.test(l));
    expect(found, `not in the output (in order): ${line}\n\n${output}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

function requirePython(): void {
  const r = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `python3 is needed to run docs/trace-format.md's Python example (${r.error?.message ?? r.stderr}); install it (.ci/run installs Debian's python3 when it is missing)`,
    );
  }
}

/**
 * Runs a console block's commands in a fresh folder holding `program` under the name its
 * `python3` command gives, and returns the trace it wrote and what check printed.
 */
function runBlock(block: string, program: string) {
  const { commands, quoted } = consoleBlock(block);
  expect(commands.map((c) => c.slice(0, 2).join(' '))).toEqual([
    expect.stringMatching(/^python3 \S+\.py$/),
    'dispatchlab check',
  ]);
  const [python, check] = commands as [string[], string[]];
  const dir = tempDir();
  writeFileSync(join(dir, python[1]!), program);
  const ran = spawnSync('python3', python.slice(1), {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(ran.status, ran.stderr).toBe(0);
  const r = cliWith({ cwd: dir }, ...check.slice(1));
  const trace = readFileSync(join(dir, check[check.indexOf('--trace') + 1]!), 'utf8');
  return { r, quoted, trace };
}

describe("docs/trace-format.md's Python orchestrator", () => {
  const [program] = blocks('python');
  const [passing, failing] = blocks('console');

  it('shows one program, one change to it, and two checks', () => {
    expect(blocks('python')).toHaveLength(1);
    expect(blocks('diff')).toHaveLength(1);
    expect(blocks('console')).toHaveLength(2);
    expect(program!.split('\n').length).toBeLessThanOrEqual(20); // short enough to read
  });

  it('writes a valid trace, which check passes with the lines the page quotes', () => {
    requirePython();
    const { r, quoted, trace } = runBlock(passing!, program!);
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expectQuoted(r.stdout, quoted);
    // Every record validates against the schema; the header at 0, run.end at its makespan.
    const records = trace
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number; type: string; makespan?: number });
    for (const record of records) {
      const parsed = traceRecordSchema.safeParse(record);
      expect(parsed.success, `${JSON.stringify(record)}: ${parsed.error?.message}`).toBe(true);
    }
    expect(records[0]).toMatchObject({ t: 0, type: 'run.start' });
    const last = records.at(-1)!;
    expect(last.type).toBe('run.end');
    expect(last.makespan).toBe(last.t);
  });

  it('with the one-line change, leaves a ghost: check exits 3 with the failures the page quotes', () => {
    requirePython();
    const [diff] = blocks('diff');
    const removed = diff!.split('\n').filter((l) => l.startsWith('-'));
    const added = diff!.split('\n').filter((l) => l.startsWith('+'));
    expect([removed.length, added.length]).toEqual([1, 1]);
    const before = `${removed[0]!.slice(1)}\n`;
    expect(program!.split(before)).toHaveLength(2); // the line is in the program, once
    const buggy = program!.replace(before, `${added[0]!.slice(1)}\n`);
    const { r, quoted } = runBlock(failing!, buggy);
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(3);
    expectQuoted(r.stdout, quoted);
    expect(r.stdout).toMatch(/^ {2}FAIL +noGhosts /m);
  });
});
