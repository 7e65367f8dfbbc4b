import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceJsonSchema } from '../../src/model/trace-schema.js';
import { parseTraceJsonl } from '../../src/sim/trace.js';
import { cli, tempDir } from './helpers.js';

const headline = 'scenarios/docs-audit.yaml';

describe('dispatchlab (no command), --help, --version', () => {
  it('explains itself', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const command of [
      'run',
      'compare',
      'sweep',
      'merge',
      'report',
      'check',
      'validate',
      'schema',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command} `, 'm')); // listed as a command
    }
    // As the README says: 2 for the user's input, 3 for a broken invariant, 1 only for a bug.
    expect(r.stdout).toContain(
      'Exit codes: 0 success, 2 bad usage or bad input, 3 an invariant broken (check), 1 an internal error',
    );
    expect(cli('run', '--help').stdout).toContain('--trace <file>');
    expect(cli('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('stops quietly when its reader closes the pipe early (`| head`)', async () => {
    // The shell's `dispatchlab --help | head -1`: the reader is gone before the writing ends.
    const child = spawn(process.execPath, ['bin/dispatchlab.js', 'schema'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('rejects an unknown command with exit code 2', () => {
    const r = cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('dispatchlab run', () => {
  it("prints each strategy's metrics for one seed", () => {
    const r = cli('run', headline, '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('docs-audit — seed 3');
    expect(r.stdout).toMatch(/makespan\s+\d/);
    expect(r.stdout).toContain('async(wip=10,wave=10,events,timeout=15m,retries=1)');
  });

  it("shows a deadlocked run's cut-short figures as deadlocked, not as if they were its cost", () => {
    const r = cli('run', 'scenarios/hung-subagents.yaml', '--seed', '1');
    expect(r.code, r.stderr).toBe(0);
    const row = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(`${name} `));
    // Column 1 is blocking-no-timeout, which deadlocks on seed 1.
    expect(row('outcome')).toMatch(/^outcome\s+deadlock\s+completed/);
    expect(row('makespan')).toMatch(/^makespan\s+deadlocked\s+\d/);
    expect(row('givenUp')).toMatch(/^givenUp\s+deadlocked\s+0/);
    expect(row('succeeded')).toMatch(/^succeeded\s+0\s+20/);
    const doc = JSON.parse(
      cli('run', 'scenarios/hung-subagents.yaml', '--seed', '1', '--json').stdout,
    ) as {
      runs: { cutShort: string[]; metrics: Record<string, unknown> }[];
    };
    expect(doc.runs[0]!.metrics.makespan).toBeNull();
    expect(doc.runs[0]!.cutShort).toContain('makespan');
    expect(doc.runs[0]!.metrics.succeeded).toBe(0);
    expect(doc.runs[1]!.cutShort).toEqual([]);
    expect(typeof doc.runs[1]!.metrics.makespan).toBe('number');
  });

  it('prints JSON that other tools can read, the same on every run', () => {
    const a = cli('run', headline, '--json');
    const b = cli('run', headline, '--json');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout) as {
      runs: { label: string; metrics: Record<string, unknown> }[];
    };
    expect(doc.runs).toHaveLength(3);
    expect(doc.runs[0]!.metrics).toMatchObject({ outcome: 'completed', tasks: 50 });
    expect(typeof doc.runs[2]!.metrics.makespan).toBe('number');
  });

  it('writes the trace of one strategy as JSONL, byte-identical across runs', () => {
    const dir = tempDir();
    expect(cli('run', headline, '--strategy', '2', '--trace', join(dir, 'a.jsonl')).code).toBe(0);
    expect(cli('run', headline, '--strategy', '2', '--trace', join(dir, 'b.jsonl')).code).toBe(0);
    const text = readFileSync(join(dir, 'a.jsonl'), 'utf8');
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe(text);
    const records = parseTraceJsonl(text);
    // The header names the format, the scenario and the whole strategy.
    expect(records[0]).toMatchObject({
      type: 'run.start',
      format: 'dispatchlab-trace',
      version: 1,
      scenario: { name: 'docs-audit', hash: expect.stringMatching(/^sha256:/) },
      strategy: { label: expect.stringMatching(/^batch\(k=10,/) },
      seed: 0,
      tasks: 50,
    });
    expect(records.at(-1)).toMatchObject({ type: 'run.end', outcome: 'completed' });
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'b.jsonl']);
  });

  it('refuses a trace for several strategies, and writes nothing', () => {
    const dir = tempDir();
    const r = cli('run', headline, '--trace', join(dir, 't.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--strategy');
    expect(existsSync(join(dir, 't.jsonl'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the labels, with their numbers, when --strategy matches none', () => {
    const r = cli('run', headline, '--strategy', 'parallel');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'dispatchlab: scenarios/docs-audit.yaml: no strategy is labelled "parallel". Give a label, a prefix of one, or a number: 1: "blocking(timeout=15m,retries=1)", 2: "batch(k=10,timeout=15m,retries=1)", 3: "async(wip=10,wave=10,events,timeout=15m,retries=1)".\n',
    );
    const range = cli('run', headline, '--strategy', '4');
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('--strategy 4: there are 3 strategies, numbered from 1');
  });

  it('takes a unique prefix of a label, or its number, for --strategy', () => {
    const labels = (...args: string[]) => {
      const r = cli('run', headline, '--json', ...args);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { runs: { label: string }[] }).runs.map((x) => x.label);
    };
    expect(labels('--strategy', 'batch')).toEqual(['batch(k=10,timeout=15m,retries=1)']);
    expect(labels('--strategy', 'async')).toEqual([
      'async(wip=10,wave=10,events,timeout=15m,retries=1)',
    ]);
    expect(labels('-s', '1')).toEqual(['blocking(timeout=15m,retries=1)']);
    const dir = tempDir();
    expect(cli('run', headline, '--strategy', '3', '--trace', join(dir, 't.jsonl')).code).toBe(0);
    expect(readFileSync(join(dir, 't.jsonl'), 'utf8')).toContain(
      '"label":"async(wip=10,wave=10,events,timeout=15m,retries=1)"',
    );
  });

  it('lists the candidates of an ambiguous --strategy prefix', () => {
    const r = cli('run', 'scenarios/hung-subagents.yaml', '--strategy', 'async');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      '--strategy "async" matches 2 strategies: 3: "async(wip=10,events,timeout=10m,retries=2)", 4: "async(wip=10,polling@30s,timeout=10m,retries=2)"; give more of the label, or its number.',
    );
  });

  it("prints the scenario's warnings on stderr and runs anyway", () => {
    const r = cli('run', 'scenarios/hung-subagents.yaml', '--strategy', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('blocking(timeout=10m,retries=2)');
    expect(r.stderr).toBe(
      "warning: scenarios/hung-subagents.yaml: strategies[0] (blocking-no-timeout) has no timeout while subagents hang with probability 0.05 (subagents.failures.hang): its runs deadlock whenever a subagent hangs (a run of 20 tasks meets one with a probability of at least 64%); add timeout: 10m to it (the latency's p99 is 9m28s).\n",
    );
  });
});

describe('dispatchlab validate and schema', () => {
  it('validates every bundled scenario, with their warnings on stderr', () => {
    const files = readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `scenarios/${f}`);
    const r = cli('validate', ...files);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
    // hung-subagents.yaml shows a deadlock on purpose; nothing else is amiss.
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^warning: scenarios\/hung-subagents\.yaml: strategies\[0\] \(blocking-no-timeout\) has no timeout/,
      ),
    ]);
    const json = JSON.parse(cli('validate', ...files, '--json').stdout) as {
      valid: { file: string; warnings: string[] }[];
    };
    expect(json.valid.map((v) => v.warnings.length)).toEqual(
      files.map((f) => (f.endsWith('hung-subagents.yaml') ? 1 : 0)),
    );
  });

  it('prints the JSON Schema of scenario files', () => {
    const r = cli('schema');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as {
      $schema: string;
      required: string[];
      $defs: Record<string, unknown>;
    };
    expect(schema.$schema).toContain('2020-12');
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'tasks', 'subagents', 'strategies']),
    );
    expect(schema.$defs.Distribution).toBeDefined();
  });

  it('prints the JSON Schema of trace records with --trace, to stdout or to --out', () => {
    expect(cli('schema', '--help').stdout).toContain('--trace');
    const generated = `${JSON.stringify(traceJsonSchema(), null, 2)}\n`;
    const r = cli('schema', '--trace');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(generated);
    const out = join(tempDir(), 'schemas', 'trace.schema.json');
    const w = cli('schema', '--trace', '--out', out);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(generated);
  });
});
