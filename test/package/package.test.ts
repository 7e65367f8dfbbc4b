/**
 * The package as a user gets it: `npm pack` the checkout, install the tarball into a fresh
 * project in a temporary directory (no "type": module, as `npm init` makes it), then use it
 * the four ways the README promises: the `dispatchlab` command through npx (with a strategy
 * module of the project's own, in TypeScript, on worker threads too), the API from an ES
 * module, the API through `require` (Node's require(esm)), and the types from TypeScript
 * (module nodenext, strict). Every check first proves it used the installed copy,
 * not this checkout, so it cannot pass by accident.
 *
 * Slow-ish (npm pack + npm install, about half a minute when npm's cache holds the
 * dependencies). dist/ is packed as the vitest global setup left it (built when stale), so
 * `npm pack --ignore-scripts` does not rebuild it under the feet of the other test files.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clone = join(import.meta.dirname, '../..');
const slow = 300_000;

interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where the package was packed and installed; set by beforeAll. */
let work = '';
let project = '';
let installed = '';
let packedFiles: string[] = [];

/**
 * The environment for npm and node in the temporary project. When the suite runs under
 * `npm test`, npm has exported its own settings (npm_config_local_prefix=this checkout,
 * npm_package_*...); pass on only those that say how to reach the registry and its cache.
 */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set([
    'npm_config_cache',
    'npm_config_userconfig',
    'npm_config_globalconfig',
    'npm_config_registry',
    'npm_config_cafile',
    'npm_config_ca',
    'npm_config_strict_ssl',
    'npm_config_proxy',
    'npm_config_https_proxy',
    'npm_config_noproxy',
  ]);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^npm_/i.test(key) || keep.has(key.toLowerCase())) env[key] = value;
  env.DISPATCHLAB_DEBUG = '';
  env.NO_COLOR = '1';
  return env;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 180_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Asserts a clean exit, with the command's output in the message when it was not. */
function expectSuccess(r: Result, what: string): void {
  expect(
    { code: r.code, signal: r.signal },
    `${what}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
  ).toEqual({ code: 0, signal: null });
}

/** Files under `dir`, recursively, as sorted paths relative to it with '/' separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

beforeAll(async () => {
  // realpath: tsc and require.resolve report real paths (os.tmpdir() is a symlink on macOS).
  work = realpathSync(await mkdtemp(join(tmpdir(), 'dispatchlab-package-')));
  for (const entry of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js'])
    if (!existsSync(join(clone, entry)))
      throw new Error(`${entry} is missing: the vitest global setup should have built dist/`);

  const pack = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
    clone,
  );
  expectSuccess(pack, 'npm pack');
  const [tarball] = JSON.parse(pack.stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (tarball === undefined) throw new Error(`npm pack printed no tarball: ${pack.stdout}`);
  packedFiles = tarball.files.map((f) => f.path).sort();

  // What `npm init -y` writes, minus the noise; no "type" field: a CommonJS project.
  project = join(work, 'consumer');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, license: 'ISC' }, null, 2)}\n`,
  );
  const install = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball.filename)],
    project,
  );
  expectSuccess(install, 'npm install of the packed tarball');
  installed = join(project, 'node_modules', 'dispatchlab');
}, slow);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true, maxRetries: 5 });
});

describe('the packed tarball', () => {
  it('holds the compiled code with its types, the command, the scenarios, the README and the docs it links; no tests', () => {
    for (const entry of [
      'package.json',
      'README.md',
      'bin/dispatchlab.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/sim/index.js',
      'dist/sim/index.d.ts',
      'dist/cli/main.js',
      'dist/experiment/worker.js',
      'scenarios/docs-audit.yaml',
      'scenarios/data/code-review-latencies.csv',
      'src/index.ts',
      'docs/model.md',
      'docs/architecture.md',
      'examples/one-at-a-time.ts',
      'examples/one-at-a-time.yaml',
    ])
      expect(packedFiles).toContain(entry);
    // Every bundled scenario and data file, every declaration a compiled module needs.
    for (const file of filesUnder(join(clone, 'scenarios')))
      expect(packedFiles).toContain(`scenarios/${file}`);
    for (const file of packedFiles.filter((f) => f.startsWith('dist/') && f.endsWith('.js')))
      expect(packedFiles).toContain(file.replace(/\.js$/, '.d.ts'));
    if (existsSync(join(clone, 'LICENSE'))) expect(packedFiles).toContain('LICENSE');
    const stray = packedFiles.filter(
      (f) =>
        /^(test|bench|\.ci|node_modules|coverage)\//.test(f) ||
        /\.(test|spec)\.[cm]?[jt]s$/.test(f) ||
        f.endsWith('.tsbuildinfo'),
    );
    expect(stray).toEqual([]);
  });

  it('installs as it was packed, and every source map points at a shipped source', () => {
    // (npm may nest a dependency under the package when versions conflict.)
    const installedFiles = filesUnder(installed).filter((f) => !f.startsWith('node_modules/'));
    expect(installedFiles).toEqual(packedFiles);
    const maps = packedFiles.filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(installed, map), 'utf8')) as {
        sources: string[];
      };
      for (const source of sources)
        if (!existsSync(join(installed, dirname(map), source))) missing.push(`${map}: ${source}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('the installed package', () => {
  it(
    'npx dispatchlab compare runs a bundled scenario',
    async () => {
      // The command npx runs is the installed copy's bin (not this checkout's).
      expect(realpathSync(join(project, 'node_modules/.bin/dispatchlab'))).toBe(
        join(installed, 'bin/dispatchlab.js'),
      );
      // --no: never fetch a package of that name from the registry.
      const r = await run(
        'npx',
        [
          '--no',
          'dispatchlab',
          'compare',
          'node_modules/dispatchlab/scenarios/docs-audit.yaml',
          '--seeds',
          '3',
        ],
        project,
      );
      expectSuccess(r, 'npx dispatchlab compare');
      expect(r.stdout).toMatch(/^docs-audit: /);
      expect(r.stdout).toContain('Means over 3 seeds (0..2), ± half the 95% CI:');
      expect(r.stdout).toContain('Against blocking(timeout=15m,retries=1), paired by seed');
      expect(r.stdout).toMatch(
        /^metric +blocking\(timeout=15m,retries=1\) +batch\(k=10,timeout=15m,retries=1\) +async\(wip=10,wave=10,events,timeout=15m,retries=1\)$/m,
      );
      expect(r.stdout).toMatch(/^makespan +\S+ ±\S+ +\S+ ±\S+ +\S+ ±\S+$/m);
      expect(r.stdout).toMatch(/^undetectedFailures +0 +0 +0$/m);
      expect(r.stdout).not.toMatch(/NaN|undefined|Infinity/);
    },
    slow,
  );

  it(
    'npx dispatchlab validates every bundled scenario and compares with worker threads',
    async () => {
      const scenarios = packedFiles
        .filter((f) => /^scenarios\/[^/]+\.ya?ml$/.test(f))
        .map((f) => `node_modules/dispatchlab/${f}`);
      expect(scenarios.length).toBeGreaterThanOrEqual(5);
      const validate = await run('npx', ['--no', 'dispatchlab', 'validate', ...scenarios], project);
      expectSuccess(validate, 'npx dispatchlab validate');

      // Worker threads load dist/experiment/worker.js from the installed copy.
      const r = await run(
        'npx',
        [
          '--no',
          'dispatchlab',
          'compare',
          'node_modules/dispatchlab/scenarios/measured-latencies.yaml',
          '--seeds',
          '4',
          '--workers',
          '2',
          '--json',
          '--quiet',
        ],
        project,
      );
      expectSuccess(r, 'npx dispatchlab compare --workers 2 --json');
      const doc = JSON.parse(r.stdout) as {
        format: string;
        seeds: { start: number; count: number };
        strategies: { label: string; metrics: { makespan: { mean: number; n: number } } }[];
      };
      expect(doc.format).toBe('dispatchlab-results');
      expect(doc.seeds).toEqual({ start: 0, count: 4 });
      expect(doc.strategies.length).toBeGreaterThanOrEqual(2);
      for (const s of doc.strategies) {
        expect(s.metrics.makespan.n).toBe(4);
        expect(s.metrics.makespan.mean).toBeGreaterThan(0);
        expect(Number.isFinite(s.metrics.makespan.mean)).toBe(true);
      }
    },
    slow,
  );

  it(
    "compares a strategy module of the project's own (TypeScript, importing dispatchlab) beside a built-in one, the same on 1 and 2 worker threads, and runs it",
    async () => {
      // As the README says: copy the example from the package, then compare it.
      for (const ext of ['ts', 'yaml']) {
        await writeFile(
          join(project, `one-at-a-time.${ext}`),
          readFileSync(join(installed, `examples/one-at-a-time.${ext}`), 'utf8'),
        );
      }
      const compare = (workers: string) =>
        run(
          'npx',
          [
            '--no',
            'dispatchlab',
            'compare',
            'one-at-a-time.yaml',
            '--seeds',
            '6',
            '--workers',
            workers,
            '--json',
            '--quiet',
          ],
          project,
        );
      const [two, one] = await Promise.all([compare('2'), compare('1')]);
      expectSuccess(two, 'npx dispatchlab compare one-at-a-time.yaml --workers 2');
      expectSuccess(one, 'npx dispatchlab compare one-at-a-time.yaml --workers 1');
      expect(two.stdout).toBe(one.stdout);
      const doc = JSON.parse(two.stdout) as {
        strategies: {
          label: string;
          config: Record<string, unknown>;
          outcomes: { completed: number };
          metrics: { makespan: { n: number; mean: number } };
        }[];
        comparisons: { a: string; metric: string }[];
      };
      expect(doc.strategies.map((s) => s.label)).toEqual([
        'async(wip=10,events,timeout=10m,retries=2)',
        'one-at-a-time(timeout=600s,retries=2)',
      ]);
      expect(doc.strategies[1]!.config).toEqual({
        module: './one-at-a-time.ts',
        options: { timeout: 600, retries: 2 },
      });
      for (const s of doc.strategies) {
        expect(s.outcomes.completed).toBe(6);
        expect(s.metrics.makespan.n).toBe(6);
      }
      // One at a time is slower than ten at a time, by a paired comparison.
      expect(
        doc.comparisons.some((c) => c.a.startsWith('one-at-a-time') && c.metric === 'makespan'),
      ).toBe(true);
      expect(doc.strategies[1]!.metrics.makespan.mean).toBeGreaterThan(
        doc.strategies[0]!.metrics.makespan.mean,
      );

      const r = await run(
        'npx',
        ['--no', 'dispatchlab', 'run', 'one-at-a-time.yaml', '--strategy', 'one-at-a-time'],
        project,
      );
      expectSuccess(r, 'npx dispatchlab run one-at-a-time.yaml --strategy one-at-a-time');
      expect(r.stdout).toMatch(/^metric +one-at-a-time\(timeout=600s,retries=2\)$/m);
      expect(r.stdout).toMatch(/^outcome +completed$/m);
    },
    slow,
  );

  it(
    'imports from an ES module: dispatchlab and dispatchlab/sim',
    async () => {
      await writeFile(
        join(project, 'consumer.mjs'),
        `import { blocking, runStrategy, world } from 'dispatchlab';
import { LognormalDistribution, Simulation } from 'dispatchlab/sim';

const docs = world({
  tasks: 20,
  latency: new LognormalDistribution({ median: 90, p95: 600 }),
  orchestrator: { dispatch: 2, process: 10 },
});
const one = runStrategy({ world: docs, strategy: blocking({ retries: 1 }), seed: 7 }).metrics;
const again = runStrategy({ world: docs, strategy: blocking({ retries: 1 }), seed: 7 }).metrics;

const sim = new Simulation();
sim.process((function* () { yield 2.5; })(), { name: 'hold' });
sim.run();

console.log(JSON.stringify({
  main: import.meta.resolve('dispatchlab'),
  sim: import.meta.resolve('dispatchlab/sim'),
  succeeded: one.succeeded,
  makespan: one.makespan,
  deterministic: JSON.stringify(one) === JSON.stringify(again),
  now: sim.now,
}));
`,
      );
      const r = await run(process.execPath, ['consumer.mjs'], project);
      expectSuccess(r, 'node consumer.mjs');
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(out).toEqual({
        main: pathToFileURL(join(installed, 'dist/index.js')).href,
        sim: pathToFileURL(join(installed, 'dist/sim/index.js')).href,
        succeeded: 20,
        makespan: expect.any(Number),
        deterministic: true,
        now: 2.5,
      });
      // At least the 20 reviews of 10 s, and far less than a day.
      expect(out.makespan).toBeGreaterThan(200);
      expect(out.makespan).toBeLessThan(86_400);
    },
    slow,
  );

  it(
    "tests one's own orchestrator code through dispatchlab/harness, and compares and checks it as an orchestrator module",
    async () => {
      await writeFile(
        join(project, 'fan-out.ts'),
        `import { defineOrchestrator, type OrchestratorRuntime } from 'dispatchlab/harness';

async function fanOut(rt: OrchestratorRuntime): Promise<void> {
  const outcomes = await Promise.all(Array.from({ length: rt.tasks }, (_, t) => rt.agent(t)));
  for (const [task, o] of outcomes.entries()) {
    if (o.status === 'success') await rt.work('process', rt.costs.process, { result: o.taskId });
    else rt.giveUp(task);
  }
  await rt.work('synthesize', rt.costs.synthesize);
}
export default defineOrchestrator({ label: 'fan-out', settings: { mode: 'foreground' }, orchestrator: fanOut });
`,
      );
      await writeFile(
        join(project, 'reviews.yaml'),
        `name: reviews
description: Twenty reviews, by the built-in blocking strategy and by the code that implements it.
tasks: 20
subagents:
  latency: { dist: lognormal, median: 90s, p95: 10m }
  failures: { error: 0.05 }
orchestrator: { dispatch: 2s, process: 10s, synthesize: 60s, turn: 5s }
strategies:
  - blocking
  - { orchestrator: ./fan-out.ts }
seeds: 10
`,
      );
      await writeFile(
        join(project, 'own-test.mjs'),
        `import { checkOrchestrator } from 'dispatchlab/harness';
const verdict = await checkOrchestrator({
  scenario: new URL('./reviews.yaml', import.meta.url),
  orchestrator: async (rt) => {
    for (let task = 0; task < rt.tasks; task++) {
      const o = await rt.agent(task);
      if (o.status === 'success') await rt.work('process', rt.costs.process, { result: o.taskId });
      else rt.giveUp(task);
    }
  },
});
console.log(JSON.stringify({ harness: import.meta.resolve('dispatchlab/harness'), seeds: verdict.seeds.length, failures: verdict.failures.length }));
`,
      );
      const own = await run(process.execPath, ['own-test.mjs'], project);
      expectSuccess(own, 'node own-test.mjs');
      expect(JSON.parse(own.stdout)).toEqual({
        harness: pathToFileURL(join(installed, 'dist/harness/index.js')).href,
        seeds: 10,
        failures: 0,
      });
      const compare = await run(
        'npx',
        ['--no', 'dispatchlab', 'compare', 'reviews.yaml', '--json'],
        project,
      );
      expectSuccess(compare, 'npx dispatchlab compare reviews.yaml --json');
      const doc = JSON.parse(compare.stdout) as {
        comparisons: { a: string; metric: string; meanDiff: number }[];
      };
      // The code is the blocking strategy: the same turns and spawns on every seed.
      for (const metric of ['turns', 'spawns']) {
        const c = doc.comparisons.find((x) => x.a === 'fan-out' && x.metric === metric);
        expect(c?.meanDiff, metric).toBe(0);
      }
      const check = await run(
        'npx',
        ['--no', 'dispatchlab', 'check', 'reviews.yaml', '--runs', '10'],
        project,
      );
      expectSuccess(check, 'npx dispatchlab check reviews.yaml --runs 10');
      expect(check.stdout).toMatch(/^fan-out:$/m);
    },
    slow,
  );

  it(
    'requires from a CommonJS module (require(esm): no top-level await in the graph)',
    async () => {
      await writeFile(
        join(project, 'consumer.js'),
        `'use strict';
const { blocking, runStrategy, world } = require('dispatchlab');
const { FixedDistribution } = require('dispatchlab/sim');

const metrics = runStrategy({
  world: world({ tasks: 4, latency: new FixedDistribution({ value: 30 }), orchestrator: { process: 5 } }),
  strategy: blocking(),
  seed: 1,
}).metrics;
console.log(JSON.stringify({
  commonjs: typeof module === 'object' && typeof exports === 'object',
  main: require.resolve('dispatchlab'),
  sim: require.resolve('dispatchlab/sim'),
  version: require('dispatchlab/package.json').version,
  succeeded: metrics.succeeded,
  makespan: metrics.makespan,
}));
`,
      );
      const r = await run(process.execPath, ['consumer.js'], project);
      expectSuccess(r, 'node consumer.js');
      // Node versions that still call require(esm) experimental warn once; nothing else.
      const warnings = r.stderr
        .split('\n')
        .filter((line) => line.trim() !== '')
        .filter((line) => !/ExperimentalWarning|--trace-warnings/.test(line));
      expect(warnings).toEqual([]);
      const clonePackage = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')) as {
        version: string;
      };
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(out).toEqual({
        commonjs: true,
        main: join(installed, 'dist/index.js'),
        sim: join(installed, 'dist/sim/index.js'),
        version: clonePackage.version,
        succeeded: 4,
        makespan: expect.any(Number),
      });
      // Four 30-second subagents at once, then four 5-second reviews.
      expect(out.makespan).toBeGreaterThanOrEqual(50);
      expect(out.makespan).toBeLessThan(3_600);
    },
    slow,
  );

  it(
    "checks a strategy module of the project's own: npx dispatchlab check on generated workloads, and expectSafe from a script",
    async () => {
      for (const name of ['one-at-a-time.ts', 'one-at-a-time.yaml']) {
        await writeFile(
          join(project, name),
          readFileSync(join(installed, `examples/${name}`), 'utf8'),
        );
      }
      const check = await run(
        'npx',
        [
          '--no',
          'dispatchlab',
          'check',
          'one-at-a-time.yaml',
          '--runs',
          '20',
          '--seeds',
          '3',
          '--quiet',
        ],
        project,
      );
      expectSuccess(check, 'npx dispatchlab check one-at-a-time.yaml');
      expect(check.stdout).toMatch(/generated 20 workloads \(fast-check seed 0\)/);
      // Nothing written when every check holds.
      expect(existsSync(join(project, 'dispatchlab-check'))).toBe(false);
      await writeFile(
        join(project, 'safety.mjs'),
        `import { expectSafe, UnsafeStrategyError } from 'dispatchlab';
const doc = await expectSafe({
  strategyModule: new URL('./one-at-a-time.ts', import.meta.url),
  runs: 10,
});
console.log(JSON.stringify({ failed: doc.failed, runs: doc.strategies[0].generated.runs, error: typeof UnsafeStrategyError }));
`,
      );
      const script = await run(process.execPath, ['safety.mjs'], project);
      expectSuccess(script, 'node safety.mjs');
      expect(JSON.parse(script.stdout)).toEqual({ failed: 0, runs: 10, error: 'function' });
    },
    slow,
  );

  it(
    "type-checks TypeScript (module nodenext, strict) against the installed package's types",
    async () => {
      await writeFile(
        join(project, 'tsconfig.json'),
        `${JSON.stringify(
          {
            compilerOptions: {
              module: 'nodenext',
              moduleResolution: 'nodenext',
              target: 'es2022',
              strict: true,
              noEmit: true,
              skipLibCheck: false,
              // A Node project has @types/node; borrow this checkout's.
              typeRoots: [join(clone, 'node_modules/@types')],
              types: ['node'],
            },
            files: ['typed.mts', 'typed.cts'],
          },
          null,
          2,
        )}\n`,
      );
      // Each @ts-expect-error fails the check if the types were missing or `any`.
      await writeFile(
        join(project, 'typed.mts'),
        `import { blocking, type RunMetrics, runStrategy, type Strategy, world } from 'dispatchlab';
import { LognormalDistribution, Simulation } from 'dispatchlab/sim';

const strategy: Strategy = blocking({ retries: 1 });
const docs = world({ tasks: 5, latency: new LognormalDistribution({ median: 90, p95: 600 }) });
const metrics: RunMetrics = runStrategy({ world: docs, strategy, seed: 1 }).metrics;
export const makespan: number = metrics.makespan;
export const now: number = new Simulation().now;
// @ts-expect-error: a number is not a string
export const wrong: string = metrics.makespan;
// @ts-expect-error: a world needs a latency
world({ tasks: 5 });
`,
      );
      await writeFile(
        join(project, 'typed.cts'),
        `import dispatchlab = require('dispatchlab');
import sim = require('dispatchlab/sim');

const report = dispatchlab.runStrategy({
  world: dispatchlab.world({ tasks: 2, latency: new sim.FixedDistribution({ value: 1 }) }),
  strategy: dispatchlab.blocking(),
  seed: 0,
});
const makespan: number = report.metrics.makespan;
// @ts-expect-error: a number is not a string
const wrong: string = report.metrics.makespan;
export = { makespan, wrong };
`,
      );
      const r = await run(
        process.execPath,
        [join(clone, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--listFiles'],
        project,
      );
      expectSuccess(r, 'tsc');
      const program = r.stdout.split('\n');
      expect(program).toContain(join(installed, 'dist/index.d.ts'));
      expect(program).toContain(join(installed, 'dist/sim/index.d.ts'));
      expect(program.filter((f) => f.startsWith(join(clone, 'src')))).toEqual([]);
    },
    slow,
  );
});
