/**
 * The CLI's promises about output paths, writes and signals, attacked: a missing folder is
 * created; a path that cannot be written, a full disk, a hostile scenario name, or a
 * signal in the middle of a write gives exit code 2 (or 130/143 for a signal), one message
 * naming the path and the fix, no stack trace, and nothing left on disk.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountSmallDisk, type SmallDisk } from '../small-disk.js';
import { type CliResult, cli, cliWith, expectInputError, filesUnder, tempDir } from './helpers.js';

const projectDir = join(import.meta.dirname, '../..');

function scenario(name: string, tasks = 3): string {
  return `name: ${name}
description: A small scenario for output tests.
tasks: { count: ${tasks} }
subagents:
  latency: { dist: exponential, mean: 1m }
strategies:
  - { kind: blocking }
  - { kind: async, wip: 2 }
`;
}

/** A folder with a scenario file in it; returns both. */
function workspace(name = 'ok', tasks = 3): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, scenario(name, tasks));
  return { dir, file };
}

/**
 * The files `compare --out DIR` writes: the report of its results document, with the
 * charts of its representative seed (one timeline: the recommended strategy is the
 * reference; no context chart: the context never changes).
 */
const reportFiles = [
  'charts',
  'charts/objective.svg',
  'charts/objective.vl.json',
  'charts/paired.svg',
  'charts/paired.vl.json',
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
];

/** The files `sweep --out DIR` writes: the report of its sweep document. */
const sweepReportFiles = [
  'charts',
  'charts/makespan.svg',
  'charts/makespan.vl.json',
  'charts/utilization.svg',
  'charts/utilization.vl.json',
  'index.html',
  'report.md',
  'results.csv',
  'results.json',
];

/** A pattern that finds `path` in a message. */
const names = (path: string) => new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** Runs the CLI with its standard output on the file descriptor `fd` (e.g. /dev/full). */
function cliWithStdout(fd: number, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [join(projectDir, 'bin/dispatchlab.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DISPATCHLAB_DEBUG: '' },
    cwd: projectDir,
    stdio: ['ignore', fd, 'pipe'],
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status ?? -1, stdout: '', stderr: r.stderr, signal: r.signal };
}

describe('a missing output folder is created (mkdir -p), and the command works', () => {
  it('compare --out, sweep --out, merge --out, schema --out, run --trace', () => {
    const { dir, file } = workspace();
    const compared = cli('compare', file, '--seeds', '3', '--quiet', '--out', join(dir, 'a/b'));
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toContain('Means over 3 seeds'); // the table is printed too
    expect(compared.stderr).toContain(`wrote 14 files into ${join(dir, 'a/b')}`);
    const swept = cli(
      'sweep',
      file,
      '--seeds',
      '3',
      '--quiet',
      '--vary',
      'tasks.count=2,3',
      '--out',
      join(dir, 'c'),
    );
    expect(swept.code, swept.stderr).toBe(0);
    for (const i of ['1', '2']) {
      const r = cli(
        'compare',
        file,
        '--seeds',
        '3',
        '--quiet',
        '--shard',
        `${i}/2`,
        '--out',
        join(dir, 'parts'),
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = cli(
      'merge',
      join(dir, 'parts/ok.partial-1-of-2.json'),
      join(dir, 'parts/ok.partial-2-of-2.json'),
      '--out',
      join(dir, 'd/e/merged.json'),
    );
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(join(dir, 'd/e/merged.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'a/b/results.json'), 'utf8'),
    );
    expect(cli('schema', '--out', join(dir, 'f/schema.json')).code).toBe(0);
    const traced = cli(
      'run',
      file,
      '--strategy',
      'blocking',
      '--trace',
      join(dir, 'g/h/run.jsonl'),
    );
    expect(traced.code, traced.stderr).toBe(0);
    expect(filesUnder(dir)).toEqual(
      [
        'a',
        'a/b',
        ...reportFiles.map((f) => `a/b/${f}`),
        'c',
        ...sweepReportFiles.map((f) => `c/${f}`),
        'd',
        'd/e',
        'd/e/merged.json',
        'f',
        'f/schema.json',
        'g',
        'g/h',
        'g/h/run.jsonl',
        'parts',
        'parts/ok.partial-1-of-2.json',
        'parts/ok.partial-2-of-2.json',
        'scenario.yaml',
      ].sort(),
    );
  });
});

describe('an output path that cannot be written: exit 2 before any work, nothing left', () => {
  /** Every command that writes, pointed at `out` (a folder for compare/sweep, a file otherwise). */
  const commands = (file: string, out: string, outFile: string): [string, string[]][] => [
    ['compare', ['compare', file, '--seeds', '3', '--quiet', '--out', out]],
    [
      'sweep',
      ['sweep', file, '--seeds', '3', '--quiet', '--vary', 'tasks.count=2,3', '--out', out],
    ],
    [
      'compare --shard',
      ['compare', file, '--seeds', '3', '--quiet', '--shard', '1/2', '--out', out],
    ],
    ['schema', ['schema', '--out', outFile]],
    ['run --trace', ['run', file, '--strategy', 'blocking', '--trace', outFile]],
  ];

  it('a file where a folder is needed (ENOTDIR), for every command', () => {
    const { dir, file } = workspace();
    writeFileSync(join(dir, 'taken'), 'not a folder');
    const before = filesUnder(dir);
    for (const [what, args] of commands(
      file,
      join(dir, 'taken/sub'),
      join(dir, 'taken/sub/out.json'),
    )) {
      const r = cli(...args);
      expectInputError(r, names(join(dir, 'taken')), /is a file, not a folder/, /choose another/);
      expect(r.stdout, what).toBe('');
      expect(filesUnder(dir), what).toEqual(before);
    }
    // merge too, whose parts are read after the output is checked.
    const r = cli('merge', 'parts.json', '--out', join(dir, 'taken/merged.json'));
    expectInputError(r, names(join(dir, 'taken')), /is a file, not a folder/);
    expect(filesUnder(dir)).toEqual(before);
  });

  it('--out DIR that is a file; --out FILE that is a folder (EISDIR)', () => {
    const { dir, file } = workspace();
    writeFileSync(join(dir, 'results'), 'a file');
    mkdirSync(join(dir, 'folder'));
    const before = filesUnder(dir);
    expectInputError(
      cli('compare', file, '--seeds', '3', '--quiet', '--out', join(dir, 'results')),
      names(join(dir, 'results')),
      /is a file, not a folder/,
    );
    for (const args of [
      ['schema', '--out', join(dir, 'folder')],
      ['run', file, '--strategy', 'blocking', '--trace', join(dir, 'folder')],
    ]) {
      expectInputError(
        cli(...args),
        names(join(dir, 'folder')),
        /it is a folder; give the name of a file/,
      );
    }
    expect(filesUnder(dir)).toEqual(before);
  });

  it('an empty path (an unset variable in a script)', () => {
    const { dir, file } = workspace();
    for (const args of [
      ['schema', '--out', ''],
      ['compare', file, '--seeds', '3', '--quiet', '--out', ' '],
      ['run', file, '--strategy', 'blocking', '--trace', ''],
    ]) {
      expectInputError(cli(...args), /--(?:out|trace) is empty; give it a (?:file name|folder)/);
    }
    expect(filesUnder(dir)).toEqual(['scenario.yaml']);
  });

  it('a name too long for the file system (ENAMETOOLONG)', () => {
    const { dir, file } = workspace();
    const before = filesUnder(dir);
    const long = 'n'.repeat(300);
    for (const args of [
      ['schema', '--out', join(dir, `${long}.json`)],
      ['run', file, '--strategy', 'blocking', '--trace', join(dir, long, 'run.jsonl')],
      ['compare', file, '--seeds', '3', '--quiet', '--out', join(dir, long)],
    ]) {
      expectInputError(cli(...args), /ENAMETOOLONG/, /too long/, /shorter names/, names(long));
    }
    expect(filesUnder(dir)).toEqual(before);
  });

  it('a socket where the file should go (rename would replace it)', async () => {
    const { dir, file } = workspace();
    const socket = join(dir, 'out.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      for (const args of [
        ['schema', '--out', socket],
        ['run', file, '--strategy', 'blocking', '--trace', socket],
      ]) {
        expectInputError(cli(...args), names(socket), /it is a socket, not a regular file/);
      }
      expect(statSync(socket).isSocket()).toBe(true);
      expect(filesUnder(dir)).toEqual(['out.sock', 'scenario.yaml']);
    } finally {
      server.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    'places that take no new files, even for root (/proc, /sys)',
    () => {
      // The kernel's answer differs (ENOENT under /proc, EACCES or EPERM under /sys); the
      // message names the path and the code either way. Node's own recursive mkdir would
      // loop forever under /proc: this must end, quickly.
      for (const out of ['/proc/dispatchlab-test/schema.json', '/sys/dispatchlab-test.json']) {
        const r = cli('schema', '--out', out);
        expectInputError(
          r,
          names(out),
          /\((?:ENOENT|EACCES|EPERM|EROFS)\)/,
          /choose another --out/,
        );
        expect(existsSync(out)).toBe(false);
      }
    },
  );

  describe('a read-only file system (EROFS, even for root)', () => {
    let disk: SmallDisk;
    beforeAll(() => {
      disk = mountSmallDisk(64, { readOnly: true });
    });
    afterAll(() => {
      if (disk.dir !== undefined) disk.unmount();
    });

    it('every command says so, before any work', (context) => {
      if (disk.dir === undefined) return context.skip(disk.reason);
      const { file } = workspace();
      for (const args of [
        ['schema', '--out', join(disk.dir, 'schema.json')],
        ['compare', file, '--seeds', '3', '--quiet', '--out', join(disk.dir, 'out')],
        ['run', file, '--strategy', 'blocking', '--trace', join(disk.dir, 'run.jsonl')],
      ]) {
        expectInputError(
          cli(...args),
          names(disk.dir),
          /read-only \(EROFS\)/,
          /on a writable file system/,
        );
      }
      expect(filesUnder(disk.dir)).toEqual([]);
    });
  });

  it('a symbolic link to nothing in the path (where a recursive mkdir would spin forever)', () => {
    const { dir, file } = workspace();
    symlinkSync(join(dir, 'unmounted-disk'), join(dir, 'dangling'));
    const before = filesUnder(dir);
    for (const args of [
      ['compare', file, '--seeds', '3', '--quiet', '--out', join(dir, 'dangling/out')],
      ['run', file, '--strategy', 'blocking', '--trace', join(dir, 'dangling/run.jsonl')],
    ]) {
      expectInputError(
        cliWith({ timeoutMs: 30_000 }, ...args),
        names(join(dir, 'dangling')),
        /is a symbolic link to something that does not exist/,
      );
    }
    expect(filesUnder(dir)).toEqual(before);
  });

  it('a folder created for the output is removed when the command then fails', () => {
    const { dir, file } = workspace();
    const before = filesUnder(dir);
    const r = cli(
      'compare',
      file,
      '--seeds',
      '3',
      '--quiet',
      '--baseline',
      'no-such-strategy',
      '--out',
      join(dir, 'new/deeper'),
    );
    expectInputError(r, /no-such-strategy/);
    expect(filesUnder(dir)).toEqual(before);
  });
});

describe("a scenario's name never writes outside --out DIR, nor breaks the write", () => {
  const cases: { label: string; yamlName: string }[] = [
    { label: '../escaped', yamlName: '../escaped' },
    { label: 'a/b', yamlName: 'a/b' },
    { label: 'a NUL byte', yamlName: '"a\\0b"' },
    { label: '300 characters', yamlName: 'x'.repeat(300) },
    { label: 'a Windows device name', yamlName: 'CON' },
    { label: 'a backslash and colon', yamlName: '"..\\\\c:evil"' },
  ];

  it.each(cases)('$label', ({ yamlName }) => {
    const { dir, file } = workspace(yamlName);
    const out = join(dir, 'X/out');
    // A partial document's name is made from the scenario's name.
    const r = cli('compare', file, '--seeds', '3', '--quiet', '--shard', '1/2', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const written = filesUnder(out);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*\.partial-1-of-2\.json$/);
    expect(r.stderr).toContain(`wrote ${join(out, written[0]!)}`);
    // A report's names are fixed; the scenario's name is only in their contents.
    const reported = cli('compare', file, '--seeds', '3', '--quiet', '--out', out);
    expect(reported.code, reported.stderr).toBe(0);
    // Nothing anywhere else: X holds only out, the workspace only X and the scenario.
    expect(filesUnder(dir)).toEqual(
      [
        'X',
        'X/out',
        `X/out/${written[0]}`,
        ...reportFiles.map((f) => `X/out/${f}`),
        'scenario.yaml',
      ].sort(),
    );
  });

  it("sweep's shard file names too", () => {
    const { dir, file } = workspace('../escaped');
    const out = join(dir, 'X/out');
    const args = ['--seeds', '3', '--quiet', '--vary', 'tasks.count=2,3', '--shard', '1/2'];
    const r = cli('sweep', file, ...args, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const written = filesUnder(out);
    expect(written).toEqual([
      expect.stringMatching(/^escaped--[0-9a-f]{10}\.sweep\.partial-1-of-2\.json$/),
    ]);
    expect(filesUnder(dir)).toEqual([
      'X',
      'X/out',
      ...written.map((f) => `X/out/${f}`),
      'scenario.yaml',
    ]);
  });

  it('two names that clean up alike still get two files', () => {
    const dir = tempDir();
    for (const [i, name] of ['a/b', '"a\\0b"', 'a-b'].entries()) {
      writeFileSync(join(dir, `s${i}.yaml`), scenario(name));
      expect(
        cli(
          'compare',
          join(dir, `s${i}.yaml`),
          '--seeds',
          '3',
          '--quiet',
          '--shard',
          '1/1',
          '--out',
          join(dir, 'out'),
        ).code,
      ).toBe(0);
    }
    expect(filesUnder(join(dir, 'out'))).toHaveLength(3);
    expect(filesUnder(join(dir, 'out'))).toContain('a-b.partial-1-of-1.json');
  });
});

describe('a full disk', () => {
  it.runIf(existsSync('/dev/full'))(
    'standard output that fails (ENOSPC on /dev/full): a message, exit 2, no stack trace',
    () => {
      const { file } = workspace();
      const full = openSync('/dev/full', 'w');
      try {
        for (const args of [
          ['compare', file, '--seeds', '3', '--quiet', '--json'],
          ['run', file],
          ['schema'],
        ]) {
          expectInputError(
            cliWithStdout(full, ...args),
            /cannot write to standard output: no space left on the device \(ENOSPC\)/,
            /Redirect it/,
          );
        }
      } finally {
        closeSync(full);
      }
    },
  );

  describe('on a 64 KiB tmpfs', () => {
    let disk: SmallDisk;
    beforeAll(() => {
      disk = mountSmallDisk();
    });
    afterAll(() => {
      if (disk.dir !== undefined) disk.unmount();
    });

    it('run --trace: ENOSPC mid-trace is exit 2, and no truncated trace is left', (context) => {
      if (disk.dir === undefined) return context.skip(disk.reason);
      const { file } = workspace('ok', 2000); // a trace of about 1 MB
      const trace = join(disk.dir, 'run.jsonl');
      const r = cli('run', file, '--strategy', 'blocking', '--trace', trace);
      expectInputError(
        r,
        names(trace),
        /no space left on the device \(ENOSPC\)/,
        /free some space/,
      );
      expect(filesUnder(disk.dir)).toEqual([]);
    });

    it('compare --out: ENOSPC while writing the report is exit 2, the old report stays whole', (context) => {
      if (disk.dir === undefined) return context.skip(disk.reason);
      const { file } = workspace('big', 3);
      // An old report, then a disk too full for the new one (about 100 KB).
      for (const f of ['index.html', 'results.json']) writeFileSync(join(disk.dir, f), 'old\n');
      writeFileSync(join(disk.dir, 'filler'), Buffer.alloc(40 * 1024));
      const r = cli('compare', file, '--seeds', '20', '--quiet', '--out', disk.dir);
      expectInputError(r, names(disk.dir), /no space left on the device \(ENOSPC\)/);
      expect(r.stdout).toBe('');
      // No new file beside the old ones (the charts folder made for it is gone too).
      expect(filesUnder(disk.dir)).toEqual(['filler', 'index.html', 'results.json']);
      for (const f of ['index.html', 'results.json'])
        expect(readFileSync(join(disk.dir, f), 'utf8')).toBe('old\n');
    });
  });
});

describe('a signal in the middle of the work', () => {
  /**
   * Starts the command, waits until `started(out)` says it is under way (polling the file
   * system, not a clock), sends the signal, and waits for the end.
   */
  async function interrupted(
    signal: NodeJS.Signals,
    args: (file: string, out: string) => string[],
    started: (out: string) => boolean,
    tasks: number,
  ) {
    const { dir, file } = workspace('long', tasks);
    const out = join(dir, 'outputs/deep');
    const child = spawn(
      process.execPath,
      [join(projectDir, 'bin/dispatchlab.js'), ...args(file, out)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    let exited = false;
    void ended.then(() => {
      exited = true;
    });
    while (!exited && !started(out)) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(exited, `the command ended before the signal could be sent: ${stderr}`).toBe(false);
    child.kill(signal);
    return { ...(await ended), stderr, dir };
  }

  const codes = [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const;

  it.each(codes)(
    'run --trace, %s: exit %d, one line, no partial trace, no complete-looking one, no folder',
    async (signal, code) => {
      // A trace of a few tens of MB: the run takes a second or more after the trace starts.
      const r = await interrupted(
        signal,
        (file, out) => ['run', file, '--strategy', 'blocking', '--trace', join(out, 'run.jsonl')],
        (out) => existsSync(out) && filesUnder(out).some((f) => f.includes('.partial-')),
        40_000,
      );
      expect(r.signal, r.stderr).toBeNull();
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(
        new RegExp(
          `^dispatchlab: stopped by ${signal}; removed what it had started to write: .*\\.partial-`,
        ),
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      // The run is synchronous: the signal is acted on when it returns, before the rename.
      expect(filesUnder(r.dir)).toEqual(['scenario.yaml']);
    },
  );

  it.each(codes)(
    'compare --out, %s during the runs: exit %d, and the folders made for the output are gone',
    async (signal, code) => {
      const r = await interrupted(
        signal,
        (file, out) => [
          'compare',
          file,
          '--seeds',
          '5000',
          '--workers',
          '1',
          '--quiet',
          '--out',
          out,
        ],
        (out) => existsSync(out), // created before the first run
        300,
      );
      expect(r.signal, r.stderr).toBeNull();
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(new RegExp(`^dispatchlab: stopped by ${signal}; removed .*deep`));
      expect(filesUnder(r.dir)).toEqual(['scenario.yaml']);
    },
  );
});
