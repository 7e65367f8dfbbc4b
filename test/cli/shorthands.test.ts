/**
 * Scenario shorthands through the real CLI: a file written with shorthands is the same
 * experiment as its long form (the same document, byte for byte, input hash included, so
 * shards of either merge together), and `--vary` addresses the long form whatever the file
 * says.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const longForm = `
name: shorthands
description: Written out in full.
tasks: { count: 12 }
subagents:
  latency: { dist: lognormal, median: 90s, p95: 10m }
  failures: { error: 0.05, hang: 0.02 }
orchestrator: { dispatch: 2s, process: 10s }
strategies:
  - { kind: blocking, timeout: 15m }
  - { kind: async }
  - { kind: async, wip: 4, gating: 0.5, timeout: 15m }
seeds: { count: 6 }
`;

const shortForm = `
name: shorthands
description: Written out in full.
tasks: 12
subagents:
  latency: { dist: lognormal, median: 90s, p95: 10m }
  failures: { error: 5%, hang: 2% }
orchestrator: { dispatch: 2s, process: 10s }
strategies: [{ kind: blocking, timeout: 15m }, async, { kind: async, wip: 4, gating: 50%, timeout: 15m }]
seeds: 6
`;

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

/**
 * The file written in `form` at one path, `scenario.yaml`: a results document names the
 * file it read (`scenario.file`), so the two forms are compared at the same path.
 */
function atOnePath(dir: string, form: string): string {
  return write(dir, 'scenario.yaml', form);
}

describe('shorthands on the command line', () => {
  it('give the same compare document, byte for byte, as the long form', () => {
    const dir = tempDir();
    const a = ok('compare', atOnePath(dir, longForm), '--json', '--quiet');
    const longRun = ok('run', atOnePath(dir, longForm), '--json');
    expect(ok('compare', atOnePath(dir, shortForm), '--json', '--quiet')).toBe(a);
    expect(JSON.parse(a).seeds).toEqual({ start: 0, count: 6 });
    // The async strategy with defaults ran, and the run output agrees too.
    expect(ok('run', atOnePath(dir, shortForm), '--json')).toBe(longRun);
  });

  it('make shards that merge with shards of the long form', () => {
    const dir = tempDir();
    const whole = ok('compare', atOnePath(dir, longForm), '--json', '--quiet');
    const one = ok('compare', atOnePath(dir, shortForm), '--shard', '1/2', '--quiet');
    const two = ok('compare', atOnePath(dir, longForm), '--shard', '2/2', '--quiet');
    expect(ok('merge', write(dir, 'one.json', one), write(dir, 'two.json', two))).toBe(whole);
  });

  it('let --vary address the long form: tasks.count of a file that says tasks: 12', () => {
    const dir = tempDir();
    const args = ['--vary', 'tasks.count=4,8', '--seeds', '3', '--json', '--quiet'];
    const a = ok('sweep', atOnePath(dir, shortForm), ...args);
    expect(ok('sweep', atOnePath(dir, longForm), ...args)).toBe(a);
    expect((JSON.parse(a) as { points: unknown[] }).points).toHaveLength(2);
    // A percentage is a value --vary may give a probability.
    const b = ok(
      'sweep',
      atOnePath(dir, shortForm),
      '--vary',
      'subagents.failures.error=1%,10%',
      '--seeds',
      '2',
      '--json',
      '--quiet',
    );
    expect((JSON.parse(b) as { points: unknown[] }).points).toHaveLength(2);
  });

  it('are described by the JSON Schema editors get', () => {
    const schema = JSON.parse(ok('schema')) as {
      properties: { tasks: { anyOf: { type: string }[] } };
    };
    expect(schema.properties.tasks.anyOf.map((s) => s.type)).toEqual(['object', 'integer']);
    expect(ok('schema')).toContain('a percentage, e.g. \\"5%\\"');
  });
});
