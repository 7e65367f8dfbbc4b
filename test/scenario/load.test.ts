/**
 * Reading scenario files that are hostile or broken: each way is a ScenarioError naming the
 * file, never a hang, an exhausted memory, a stack overflow or an internal error.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/scenario/errors.js';
import { limits } from '../../src/scenario/limits.js';
import { loadScenario, readScenarioData } from '../../src/scenario/load.js';

const scratch = mkdtempSync(join(tmpdir(), 'dispatchlab-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** The ScenarioError message reading `path` gives. */
function refusal(path: string): string {
  try {
    readScenarioData(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message;
  }
  throw new Error(`expected ${path} to be refused`);
}

const valid = {
  name: 'ok',
  description: 'A valid scenario.',
  tasks: { count: 3 },
  subagents: { latency: '1s' },
  strategies: [{ kind: 'blocking' }],
};

describe('what is read', () => {
  it('refuses a named pipe at once, naming the file', () => {
    const pipe = join(scratch, 'pipe.yaml');
    execFileSync('mkfifo', [pipe]);
    expect(refusal(pipe)).toBe(
      `${pipe}: is a named pipe (FIFO), not a regular file; only regular files are read (copy the data into one).`,
    );
  });

  it('refuses a device', () => {
    expect(refusal('/dev/zero')).toMatch(/^\/dev\/zero: is a character device/);
  });

  it(`refuses a file larger than ${limits.scenarioFileBytes} bytes`, () => {
    const big = file('big.yaml', '');
    truncateSync(big, limits.scenarioFileBytes + 1);
    expect(refusal(big)).toMatch(/is larger than 1 MiB, the most read from a scenario file/);
  });
});

describe('JSON scenario files', () => {
  it('accept a byte-order mark, as YAML ones do', async () => {
    const text = JSON.stringify(valid);
    expect((await loadScenario(file('bom.json', `\ufeff${text}`))).name).toBe('ok');
    expect((await loadScenario(file('bom.yaml', `\ufeff${text}`))).name).toBe('ok');
  });

  it('refuse a key given twice in one object, naming it and both lines', () => {
    const text = '{\n "name": "a",\n "tasks": {"count": 1},\n "name": "b"\n}';
    expect(refusal(file('dup.json', text))).toMatch(
      /dup\.json: the key "name" appears twice in one object \(line 2, and again at line 4, column 2\); keep one\./,
    );
  });

  it('refuse nesting past the limit, however deep', () => {
    const deep = file('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(refusal(deep)).toMatch(/nests lists and mappings more than 100 levels deep/);
  });
});

describe('YAML scenario files', () => {
  it('refuse an alias bomb', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    expect(refusal(file('bomb.yaml', lines.join('\n')))).toMatch(
      /expands its YAML aliases \(\*name\) more than 100 times over, as an "alias bomb" does/,
    );
  });

  it('refuse an alias to no anchor', () => {
    expect(refusal(file('alias.yaml', 'name: *nope\n'))).toMatch(
      /is not valid YAML: Unresolved alias .*nope; define the anchor \(&name\) before using it\./,
    );
  });

  it('refuse keys given twice', () => {
    expect(refusal(file('dup.yaml', 'name: a\nname: b\n'))).toMatch(/is not valid YAML/);
  });

  it('refuse nesting past the limit before the parser recurses into it', () => {
    for (const [name, text] of [
      ['compact.yaml', `name: ${'- '.repeat(400_000)}1`],
      ['flow.yaml', `${'['.repeat(300_000)}${']'.repeat(300_000)}`],
      ['indented.yaml', Array.from({ length: 1200 }, (_, i) => `${' '.repeat(i)}- `).join('\n')],
    ] as const) {
      expect(refusal(file(name, text)), name).toMatch(/more than 100 levels deep \(by line \d+\)/);
    }
  });

  it('take a 16-deep mixture written in block style', async () => {
    let latency: string[] = ['dist: fixed', 'value: 1s'];
    for (let i = 0; i < 16; i++) {
      latency = [
        'dist: mixture',
        'components:',
        '  - weight: 1',
        '    dist:',
        ...latency.map((line) => `      ${line}`),
      ];
    }
    const text = [
      'name: deep',
      'description: A mixture 16 deep.',
      'tasks: { count: 2 }',
      'subagents:',
      '  latency:',
      ...latency.map((line) => `    ${line}`),
      'strategies: [{ kind: blocking }]',
    ].join('\n');
    expect((await loadScenario(file('mixture16.yaml', text))).name).toBe('deep');
  });
});
