/**
 * Strategy modules: a scenario entry `{ module: ./my-strategy.ts, options, label }` loads a
 * user's TypeScript or JavaScript file (compiled with its relative imports, imported from its
 * code), calls its default export with the options, checks the Strategy, and runs it beside
 * the built-in kinds. Every way a module can be wrong is an issue at its entry that names the
 * module and the fix. The CLI side (exit codes, worker threads, shards) is
 * test/cli/module-strategy.test.ts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputHash, scenarioInputHash } from '../../src/experiment/canonical.js';
import { UsageError } from '../../src/experiment/errors.js';
import { runOnce } from '../../src/experiment/run-seeds.js';
import { sweep } from '../../src/experiment/sweep.js';
import { runStrategy } from '../../src/model/run.js';
import { backgroundDefaults } from '../../src/model/settings.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/load.js';
import { isModuleStrategy, strategyOf } from '../../src/scenario/module-strategy.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { loadStrategyModules } from '../../src/scenario/strategy-modules.js';
import { scenarioWarnings } from '../../src/scenario/warnings.js';

const fixtures = join(import.meta.dirname, '../fixtures/strategies');

/** A folder of this test's own, holding `files`. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-modules-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A scenario file with these strategy entries (YAML flow mappings), in `dir`. */
function scenarioIn(dir: string, strategies: readonly string[], name = 'scenario.yaml'): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      'name: modules',
      'description: Strategies of the user own, beside a built-in one.',
      'tasks: 8',
      'subagents:',
      '  latency: { dist: exponential, mean: 5m }',
      '  failures: { error: 0.1 }',
      'orchestrator: { dispatch: 2s, process: 30s }',
      'strategies:',
      ...strategies.map((s) => `  - ${s}`),
      'seeds: 6',
      '',
    ].join('\n'),
  );
  return file;
}

/** The issues of a scenario file refused, as `path: message`. */
async function problems(file: string): Promise<string[]> {
  try {
    await loadScenario(file);
  } catch (err) {
    if (err instanceof ScenarioError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error(`${file} was not refused`);
}

/** A module whose default export is `exported` (its source text). */
const exporting = (exported: string) => `export default ${exported};\n`;

/** A valid Strategy as source text, with `extra` fields or settings. */
const strategyText = (label: string, settings = '') =>
  `{ label: ${JSON.stringify(label)}, settings: { mode: 'background', wip: 2, continuation: { kind: 'events' }, timeout: Infinity, retries: 0, registry: 'durable', resume: false${settings} }, *run(o) { for (const t of o.readyTasks()) yield* o.dispatch(t); for (let r = yield* o.nextResult(); r !== undefined; r = yield* o.nextResult()) yield* o.process(r); } }`;

describe('a strategy module', () => {
  it('is compiled with its relative imports, called with its options, and runs beside a built-in kind', async () => {
    const dir = folder();
    for (const f of ['impatient.ts', 'label.ts', 'serial.mjs']) {
      copyFileSync(join(fixtures, f), join(dir, f));
    }
    const file = scenarioIn(dir, [
      'blocking',
      '{ module: ./impatient.ts, options: { deadline: 900 } }',
      '{ module: ./impatient.ts, options: { deadline: 1200 }, label: patient }',
      '{ module: ./serial.mjs }',
    ]);
    const scenario = await loadScenario(file);
    expect(scenario.strategies.map((s) => s.label)).toEqual([
      'blocking',
      'impatient(900s)',
      'patient',
      'serial-js',
    ]);
    const [, impatient, patient, serial] = scenario.strategies;
    expect(isModuleStrategy(impatient!)).toBe(true);
    expect(impatient).toMatchObject({
      kind: 'module',
      module: './impatient.ts',
      options: { deadline: 900 },
      file: join(dir, 'impatient.ts'),
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    // Flat options: the trace's header records the module and its options.
    const strategy = strategyOf(impatient!);
    expect(strategy.description).toEqual({
      kind: 'module',
      module: './impatient.ts',
      deadline: 900,
    });
    expect(strategy.settings).toEqual({ ...backgroundDefaults, timeout: 1800, retries: 1 });
    expect(strategyOf(patient!).label).toBe('patient');
    expect(strategyOf(serial!).settings.mode).toBe('foreground');
    // The module's strategy runs as any other; the one module gave two of them.
    const report = runOnce(scenario, impatient!, 0);
    expect(['completed', 'incomplete']).toContain(report.metrics.outcome);
    const again = runStrategy({ world: scenario.world, strategy, seed: 0 });
    expect(again.metrics).toEqual(report.metrics);
    expect(runOnce(scenario, serial!, 1).metrics.peakInFlight).toBe(1);
  });

  it('may be JavaScript or TypeScript, .js .mjs .ts .mts, CommonJS too; it may import dispatchlab', async () => {
    const dir = folder({
      'a.mjs': exporting(strategyText('a-mjs')),
      'b.mts': `import type { Strategy } from 'dispatchlab';\nconst s: Strategy = ${strategyText('b-mts')};\nexport default s;\n`,
      'cjs/package.json': '{ "type": "commonjs" }',
      'cjs/c.js': `module.exports = () => (${strategyText('c-cjs')});\n`,
      // Outside this checkout, 'dispatchlab' does not resolve: it is the running copy's.
      'd.ts': `import { backgroundDefaults, type Strategy } from 'dispatchlab';\nexport default (): Strategy => ({ label: 'd-ts', settings: { ...backgroundDefaults, wip: 3 }, *run(o) { yield* o.synthesize(); } });\n`,
    });
    const file = scenarioIn(dir, [
      '{ module: ./a.mjs }',
      '{ module: ./b.mts }',
      '{ module: ./cjs/c.js }',
      '{ module: ./d.ts }',
    ]);
    const scenario = await loadScenario(file);
    expect(scenario.strategies.map((s) => s.label)).toEqual(['a-mjs', 'b-mts', 'c-cjs', 'd-ts']);
    expect(strategyOf(scenario.strategies[3]!).settings.wip).toBe(3);
    // The last one returns at once, leaving every task: an incomplete run.
    expect(runOnce(scenario, scenario.strategies[3]!, 0).left).toEqual({
      unresolved: 8,
      unprocessed: 0,
      outstanding: 0,
    });
  });

  it('keeps a description of its own when its options are not flat', async () => {
    const dir = folder({
      'm.ts': `export default (o: { wave: number[] }) => ({ ...${strategyText('m')}, description: { kind: 'mine', waves: o.wave.length } });\n`,
    });
    const scenario = await loadScenario(
      scenarioIn(dir, ['{ module: ./m.ts, options: { wave: [1, 2, 3] } }']),
    );
    expect(strategyOf(scenario.strategies[0]!).description).toEqual({ kind: 'mine', waves: 3 });
  });

  it('gets its options as a copy: what the function changes does not change the scenario', async () => {
    const dir = folder({
      'm.ts': `export default (o: { n: number, list: number[] }) => { o.n = 99; o.list.push(4); return ${strategyText('m')}; };\n`,
    });
    const scenario = await loadScenario(
      scenarioIn(dir, ['{ module: ./m.ts, options: { n: 1, list: [1] } }']),
    );
    expect(scenario.input.strategies[0]).toEqual({
      module: './m.ts',
      options: { n: 1, list: [1] },
    });
  });
});

describe('the warnings about a strategy module', () => {
  it('say where its settings are written', async () => {
    const dir = folder({ 'x.ts': exporting(strategyText('no-timeout')) });
    const file = scenarioIn(dir, ['{ kind: blocking, timeout: 1h }', '{ module: ./x.ts }']);
    writeFileSync(file, readFileSync(file, 'utf8').replace('error: 0.1', 'hang: 0.1'));
    expect(scenarioWarnings(await loadScenario(file))).toEqual([
      expect.stringMatching(
        /^.*scenario\.yaml: strategies\[1\] \(no-timeout\) has no timeout while subagents hang with probability 0\.1 .*; add timeout: \S+ to it \(in the settings its module "\.\/x\.ts" returns, in seconds\) \(the latency's p99 is /,
      ),
    ]);
  });
});

describe("a strategy module's digest and the input hash", () => {
  it('change when the module or a file it imports changes, and only then', async () => {
    const dir = folder();
    for (const f of ['impatient.ts', 'label.ts']) copyFileSync(join(fixtures, f), join(dir, f));
    const file = scenarioIn(dir, ['blocking', '{ module: ./impatient.ts }']);
    const first = await loadScenario(file);
    const hash = scenarioInputHash(first);
    // Without the module's digest the hash would be the input's alone.
    expect(hash).not.toBe(inputHash(first.input));
    expect(scenarioInputHash(await loadScenario(file))).toBe(hash);

    writeFileSync(
      join(dir, 'label.ts'),
      "export function labelWith(name: string, seconds: number): string {\n  return name + '[' + seconds + ']';\n}\n",
    );
    const changed = await loadScenario(file);
    expect(scenarioInputHash(changed)).not.toBe(hash);
    expect(changed.strategies[1]!.label).toBe('impatient[600]');

    // The same sources in another folder: the same hash (paths are relative).
    const elsewhere = folder();
    for (const f of ['impatient.ts', 'label.ts', 'scenario.yaml']) {
      copyFileSync(join(dir, f), join(elsewhere, f));
    }
    expect(scenarioInputHash(await loadScenario(join(elsewhere, 'scenario.yaml')))).toBe(
      scenarioInputHash(changed),
    );
  });

  it('is the input alone for a scenario without modules, as it always was', async () => {
    const scenario = await loadScenario('scenarios/docs-audit.yaml');
    expect(scenarioInputHash(scenario)).toBe(inputHash(scenario.input));
  });
});

describe('a sweep over a strategy module', () => {
  it('varies its options (strategies[i].options.NAME), calling it again at each point', async () => {
    const dir = folder();
    for (const f of ['impatient.ts', 'label.ts']) copyFileSync(join(fixtures, f), join(dir, f));
    const scenario = await loadScenario(
      scenarioIn(dir, ['blocking', '{ module: ./impatient.ts, options: { deadline: 600 } }']),
    );
    const doc = await sweep(scenario, { vary: ['strategies[1].options.deadline=300,100000'] });
    expect(doc.points.map((p) => p.results.strategies[1]!.label)).toEqual([
      'impatient(300s)',
      'impatient(100000s)',
    ]);
    expect(doc.points.map((p) => p.results.strategies[1]!.config)).toEqual([
      { module: './impatient.ts', options: { deadline: 300 } },
      { module: './impatient.ts', options: { deadline: 100000 } },
    ]);
    // Given up at 5 minutes, it leaves tasks on every seed; given a day, on none.
    expect(doc.points[0]!.results.strategies[1]!.outcomes.incomplete).toBe(6);
    expect(doc.points[1]!.results.strategies[1]!.outcomes.incomplete).toBe(0);
  });

  it('varies the module itself, loading the other file', async () => {
    const dir = folder({
      'a.ts': exporting(strategyText('from-a')),
      'b.ts': exporting(strategyText('from-b', ', retries: 1')),
    });
    const scenario = await loadScenario(scenarioIn(dir, ['blocking', '{ module: ./a.ts }']));
    const doc = await sweep(scenario, {
      vary: ['strategies[1].module=./a.ts,./b.ts'],
      seeds: { start: 0, count: 2 },
    });
    expect(doc.points.map((p) => p.results.strategies[1]!.label)).toEqual(['from-a', 'from-b']);
  });
});

describe('a strategy module that fails at run time', () => {
  it('is a UsageError naming the scenario, the strategy, the module, the seed, where it threw, and the replay', async () => {
    const dir = folder({
      'twice.ts': [
        "import type { Strategy } from 'dispatchlab';",
        'const twice: Strategy = {',
        "  label: 'twice',",
        "  settings: { mode: 'background', wip: 2, continuation: { kind: 'events' }, timeout: Infinity, retries: 0, registry: 'durable', resume: false },",
        '  *run(o) {',
        '    for (const t of o.readyTasks()) yield* o.dispatch(t);',
        '    const r = yield* o.nextResult();',
        '    if (r === undefined) return;',
        '    yield* o.process(r);',
        '    yield* o.process(r); // twice: the API refuses it',
        '  },',
        '};',
        'export default twice;',
        '',
      ].join('\n'),
    });
    const file = scenarioIn(dir, ['blocking', '{ module: ./twice.ts }']);
    const scenario = await loadScenario(file);
    let caught: unknown;
    try {
      runOnce(scenario, scenario.strategies[1]!, 4);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const message = (caught as Error).message;
    expect(
      message.startsWith(`${file}: strategy "twice" (the module "./twice.ts") threw on seed 4: `),
    ).toBe(true);
    expect(message).toMatch(
      /: result of agent \d+ \(task \d+\) was already processed; a result is used once \(at twice\.ts:10:\d+\)\. Fix the strategy's program; what the orchestrator's API refuses is listed in "Writing your own strategy" \(README\)\. /,
    );
    expect(
      message.endsWith(`Replay the run with: dispatchlab run ${file} --strategy "twice" --seed 4`),
    ).toBe(true);
  });
});

describe('a strategy module that cannot be used', () => {
  const cases: readonly {
    readonly name: string;
    readonly files: Record<string, string>;
    readonly entry: string;
    readonly expected: RegExp;
  }[] = [
    {
      name: 'a file that does not exist',
      files: {},
      entry: '{ module: ./nowhere.ts }',
      expected:
        /^strategies\[1\]\.module: no such file: "\.\/nowhere\.ts" \(looked for .*nowhere\.ts\); the path is relative to the scenario file's folder, so check it from there\.$/,
    },
    {
      name: 'a folder',
      files: { 'lib/x.ts': '' },
      entry: '{ module: ./lib.ts }',
      expected: /no such file/,
    },
    {
      name: 'a folder named like a module',
      files: { 'dir.ts/x.ts': '' },
      entry: '{ module: ./dir.ts }',
      expected:
        /^strategies\[1\]\.module: "\.\/dir\.ts" is a folder; name the module file itself \(\.ts, \.mts, \.js, \.mjs\)\.$/,
    },
    {
      name: 'not a module by its extension',
      files: { 'x.py': 'print(1)' },
      entry: '{ module: ./x.py }',
      expected:
        /^strategies\[1\]\.module: got "\.\/x\.py"; a strategy module is a TypeScript or JavaScript file \(\.ts, \.mts, \.js, \.mjs\)$/,
    },
    {
      name: 'code that does not compile',
      files: { 'x.ts': 'export default () => {\n  const = 1;\n};\n' },
      entry: '{ module: ./x.ts }',
      expected:
        /^strategies\[1\]\.module: "\.\/x\.ts" does not compile: x\.ts:2:9: Expected identifier but found "=". Fix the module/,
    },
    {
      name: 'an import that does not resolve',
      files: {
        'x.ts': "import { nothing } from 'no-such-package-here';\nexport default nothing;\n",
      },
      entry: '{ module: ./x.ts }',
      expected:
        /"\.\/x\.ts" does not compile: x\.ts:1:25: Could not resolve "no-such-package-here"/,
    },
    {
      name: 'a module that throws when imported',
      files: { 'x.ts': "throw new Error('no config found');\n" },
      entry: '{ module: ./x.ts }',
      expected:
        /^strategies\[1\]\.module: "\.\/x\.ts" threw when imported: no config found\. Fix the module's top-level code/,
    },
    {
      name: 'no default export',
      files: { 'x.mjs': 'export const strategy = 1;\n' },
      entry: '{ module: ./x.mjs }',
      expected:
        /^strategies\[1\]\.module: "\.\/x\.mjs" has only named exports \(strategy\); give it a default export: a function from the entry's options to a Strategy/,
    },
    {
      name: 'a default export of the wrong type',
      files: { 'x.js': exporting("'blocking'") },
      entry: '{ module: ./x.js }',
      expected:
        /^strategies\[1\]\.module: "\.\/x\.js"'s default export is "blocking"; it must be a function from the entry's options to a Strategy, or a Strategy object/,
    },
    {
      name: 'a function that throws on its options',
      files: {
        'x.ts': exporting(
          "(o: { wip?: number }) => { if (!(o.wip! > 0)) throw new RangeError('wip must be > 0'); return {}; }",
        ),
      },
      entry: '{ module: ./x.ts, options: { wip: 0 } }',
      expected:
        /^strategies\[1\]\.options: "\.\/x\.ts" \(its default export\) threw when called with these options: wip must be > 0\. Fix the options, or the module\.$/,
    },
    {
      name: 'a function that returns something else than a Strategy',
      files: { 'x.ts': exporting('() => 42') },
      entry: '{ module: ./x.ts }',
      expected:
        /^strategies\[1\]: "\.\/x\.ts" \(its default export, called with the entry's options\) returned a Strategy that is not valid: it is 42, not a Strategy/,
    },
    {
      name: 'an async function',
      files: { 'x.ts': exporting(`async () => (${strategyText('x')})`) },
      entry: '{ module: ./x.ts }',
      expected: /returned a Promise; it must return the Strategy itself/,
    },
    {
      name: 'a Strategy without run, and settings out of range',
      files: {
        'x.ts': exporting(
          "{ label: 'x', settings: { mode: 'background', wip: 0, continuation: { kind: 'events' }, timeout: -1, retries: 1, registry: 'durable', resume: false, timout: 5 } }",
        ),
      },
      entry: '{ module: ./x.ts }',
      expected:
        /^strategies\[1\]: "\.\/x\.ts" \(its default export\) is not a valid Strategy: run must be the orchestrator's program.*; settings\.timout is not a setting; .* \(did you mean timeout\?\); settings\.wip must be a whole number >= 1, or Infinity for no limit, got 0; settings\.timeout must be seconds >= 0, or Infinity for no timeout, got -1\. Fix the module\.$/,
    },
    {
      name: 'settings past the limits a scenario file has',
      files: { 'x.ts': exporting(strategyText('x').replace('retries: 0', 'retries: 1000')) },
      entry: '{ module: ./x.ts }',
      expected: /settings\.retries must be at most 100, got 1,000/,
    },
    {
      name: 'no label, from the Strategy or the entry',
      files: { 'x.ts': exporting(strategyText('x').replace('label: "x", ', '')) },
      entry: '{ module: ./x.ts }',
      expected: /label must be a non-empty string .* \(or give the entry a label:\)/,
    },
    {
      name: 'options given to a Strategy object',
      files: { 'x.ts': exporting(strategyText('x')) },
      entry: '{ module: ./x.ts, options: { wip: 3 } }',
      expected:
        /^strategies\[1\]\.options: "\.\/x\.ts" exports a Strategy object, which takes no options; remove options/,
    },
    {
      name: 'options that are not a mapping',
      files: { 'x.ts': exporting(`() => (${strategyText('x')})`) },
      entry: '{ module: ./x.ts, options: [1, 2] }',
      expected: /^strategies\[1\]\.options: expected a mapping of options \(JSON\), got a list/,
    },
    {
      name: 'options that are not JSON',
      files: { 'x.ts': exporting(`() => (${strategyText('x')})`) },
      entry: '{ module: ./x.ts, options: { limits: [1, .inf] } }',
      expected:
        /^strategies\[1\]\.options\.limits\[1\]: Infinity is not a JSON number: options are JSON/,
    },
    {
      name: 'a label already used',
      files: { 'x.ts': exporting(strategyText('blocking')) },
      entry: '{ module: ./x.ts }',
      expected:
        /^strategies\[1\]: its label "blocking" is already used by strategies\[0\]; give one of them a distinct `label:`\.$/,
    },
    {
      name: 'a kind and a module in one entry',
      files: { 'x.ts': exporting(strategyText('x')) },
      entry: '{ kind: blocking, module: ./x.ts }',
      expected: /^strategies\[1\]: a strategy is either of a kind \(kind: \.\.\.\) or your own/,
    },
    {
      name: 'a misspelt field of a module entry',
      files: { 'x.ts': exporting(strategyText('x')) },
      entry: '{ module: ./x.ts, option: { a: 1 } }',
      expected:
        /^strategies\[1\]\.option: unknown field\. Did you mean "options"\? Allowed here: module, options, label, expect\.$/,
    },
  ];

  it.each(cases)('$name', async ({ files, entry, expected }) => {
    const dir = folder(files);
    const found = await problems(scenarioIn(dir, ['blocking', entry]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('is reported with the scenario file and every other problem, in one pass', async () => {
    const dir = folder({ 'x.ts': "throw new Error('no');\n" });
    const file = scenarioIn(dir, ['{ kind: asynch }', '{ module: ./x.ts }', '{ module: ./y.ts }']);
    let message = '';
    try {
      await loadScenario(file);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      `${file}: 3 problems:`,
      '  - strategies[0].kind: "asynch" is not a known kind. Did you mean "async"? Allowed: "blocking", "batch", "async".',
      expect.stringMatching(
        /^ {2}- strategies\[1\]\.module: "\.\/x\.ts" threw when imported: no\./,
      ),
      expect.stringMatching(/^ {2}- strategies\[2\]\.module: no such file: "\.\/y\.ts"/),
    ]);
  });

  it('is refused by parseScenario when its modules were not loaded, saying how to load them', async () => {
    const dir = folder({ 'x.ts': exporting(strategyText('x')) });
    const input = {
      name: 'n',
      description: 'd',
      tasks: 2,
      subagents: { latency: '1m' },
      strategies: [{ module: './x.ts' }],
    };
    expect(() => parseScenario(input, { source: 'in memory', baseDir: dir })).toThrow(
      /strategies\[0\]\.module: the strategy module "\.\/x\.ts" was not loaded: a scenario with strategy modules is read with loadScenario \(or its modules loaded first with loadStrategyModules/,
    );
    const modules = await loadStrategyModules(input, { baseDir: dir });
    const scenario = parseScenario(input, { source: 'in memory', baseDir: dir, modules });
    expect(scenario.strategies[0]!.label).toBe('x');
  });
});
