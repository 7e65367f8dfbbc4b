/**
 * Adding a strategy kind is writing its descriptor (src/strategies/descriptor.ts) and one line
 * in src/strategies/kinds.ts: the scenario schema and its JSON Schema, the parser and its
 * messages, the shorthands, labels, descriptions and the results document's `config` all
 * come from the descriptor. Shown here with a kind registered in memory, which nothing in
 * src/ knows, and kept true by a check that the layers above the strategies hold no code
 * about any one kind.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import { configSchemaFor } from '../../src/experiment/partial.js';
import { runStrategy } from '../../src/model/run.js';
import { backgroundDefaults } from '../../src/model/settings.js';
import type { Orchestrator } from '../../src/model/strategy.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { strategyOf } from '../../src/scenario/module-strategy.js';
import { parseScenario } from '../../src/scenario/parse.js';
import type { ProcessGenerator } from '../../src/sim/process.js';
import { retriesOption, timeoutOption, validationOption } from '../../src/strategies/common.js';
import { defineStrategyKind } from '../../src/strategies/descriptor.js';
import { strategyKindList } from '../../src/strategies/kinds.js';

/** One subagent at a time, the first or the last ready task: a kind of this test's own. */
const serialKind = defineStrategyKind({
  kind: 'serial',
  summary: 'one subagent at a time: dispatch it, wait for its result, process it',
  options: {
    order: {
      type: 'choice',
      values: ['first', 'last'],
      default: 'first',
      description: 'which ready task goes next (default first)',
      label: { bare: true },
    },
    timeout: timeoutOption,
    retries: retriesOption,
    validation: validationOption,
  },
  build: (v) => ({
    settings: {
      ...backgroundDefaults,
      wip: 1,
      timeout: v.timeout,
      retries: v.retries,
      validation: v.validation,
    },
    *run(o: Orchestrator): ProcessGenerator<void> {
      for (;;) {
        const ready = o.readyTasks();
        const task = v.order === 'first' ? ready[0] : ready[ready.length - 1];
        if (task === undefined) break;
        yield* o.dispatch(task);
        const result = yield* o.nextResult();
        if (result !== undefined) yield* o.process(result);
      }
      yield* o.synthesize();
    },
  }),
});

const kinds = [...strategyKindList, serialKind];

const input = (strategies: unknown[]) => ({
  name: 'serial',
  description: 'A kind registered in memory.',
  tasks: 6,
  subagents: { latency: { dist: 'exponential', mean: '1m' }, failures: { error: 0.2 } },
  orchestrator: { dispatch: '2s', process: '10s' },
  strategies,
  seeds: 4,
});
const source = { source: 'serial.yaml', baseDir: '.' };

/** The messages of a scenario refused. */
function problems(strategies: unknown[], withKinds = true): string[] {
  try {
    if (withKinds) parseScenario(input(strategies), { ...source, kinds });
    else parseScenario(input(strategies), source);
  } catch (err) {
    if (err instanceof ScenarioError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('a kind registered in memory', () => {
  it('is read from scenario files: its options, their defaults, its labels, its shorthand', () => {
    const scenario = parseScenario(
      input(['serial', { kind: 'serial', order: 'last', timeout: '10m', retries: 1 }, 'blocking']),
      { ...source, kinds },
    );
    expect(scenario.strategies.map((s) => s.label)).toEqual([
      'serial',
      'serial(last,timeout=10m,retries=1)',
      'blocking',
    ]);
    expect(scenario.strategies[1]).toEqual({
      kind: 'serial',
      order: 'last',
      timeout: 600,
      retries: 1,
      validation: undefined,
      label: 'serial(last,timeout=10m,retries=1)',
    });
    const strategy = strategyOf(scenario.strategies[1]!, scenario.kinds);
    expect(strategy.description).toEqual({
      kind: 'serial',
      order: 'last',
      timeout: 600,
      retries: 1,
      validation: null,
    });
    const { metrics } = runStrategy({ world: scenario.world, strategy, seed: 1 });
    expect(metrics.outcome).toBe('completed');
    expect(metrics.peakInFlight).toBe(1);
  });

  it('gets the messages every kind gets', () => {
    expect(problems([{ kind: 'serial', size: 3, order: 'middle' }])).toEqual([
      'strategies[0].order: "middle" is not allowed. Allowed: "first", "last".',
      'strategies[0].size: unknown field. Allowed here: kind, order, timeout, retries, validation, label, expect.',
    ]);
    expect(problems(['seriel'])).toEqual([
      'strategies[0]: "seriel" is not a known kind. Did you mean "serial"? Allowed: "blocking", "batch", "async", "serial"; write the kind alone (blocking, async, serial) or a mapping such as { kind: batch, size: 10 }, or a strategy of your own: { module: ./my-strategy.ts }.',
    ]);
    expect(problems(['serial(last,retries=2)'])).toEqual([
      'strategies[0]: "serial(last,retries=2)" reads like a strategy\'s label; a strategy is a mapping: write { kind: serial, order: last, retries: 2 } (and label: "serial(last,retries=2)" to keep the name).',
    ]);
    // Not registered, it is no kind at all.
    expect(problems(['serial'], false)[0]).toMatch(/"serial" is not a known kind/);
  });

  it('is in the JSON Schema of scenario files', () => {
    const schema = scenarioJsonSchema(kinds) as {
      properties: {
        strategies: {
          items: { anyOf: [{ anyOf: [{ oneOf: Entry[] }, Entry] }, { enum: string[] }] };
        };
      };
    };
    type Entry = { properties: Record<string, { const?: string; enum?: string[] }> };
    const [mappings, alone] = schema.properties.strategies.items.anyOf;
    // A mapping is of a kind, or a strategy module's.
    const [ofKinds, ofModule] = mappings.anyOf;
    expect(Object.keys(ofModule.properties)).toEqual(['module', 'options', 'label', 'expect']);
    const serial = ofKinds.oneOf.find((e) => e.properties.kind?.const === 'serial');
    expect(Object.keys(serial!.properties)).toEqual([
      'kind',
      'order',
      'timeout',
      'retries',
      'validation',
      'label',
      'expect',
    ]);
    expect(serial!.properties.order!.enum).toEqual(['first', 'last']);
    expect(alone.enum).toEqual(['blocking', 'async', 'serial']);
  });

  it('is compared, its config in the results document, and that config read back from a partial', async () => {
    const scenario = parseScenario(input(['blocking', { kind: 'serial', order: 'last' }]), {
      ...source,
      kinds,
    });
    const doc = await compare(scenario);
    const config = doc.strategies[1]!.config;
    expect(config).toEqual({ kind: 'serial', order: 'last', timeout: 'none', retries: 0 });
    expect(doc.strategies[1]!.metrics.peakInFlight.max).toBe(1);
    expect(configSchemaFor(kinds).parse(config)).toEqual(config);
    expect(configSchemaFor().safeParse(config).success).toBe(false);
  });
});

/** The .ts files under a folder of src/. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const names = strategyKindList.map((k) => k.kind);
const kindFiles = names.map((n) => `/strategies/${n}.js`);

/**
 * Where a source names a kind in code: an import of a kind's own file, or a string (or part
 * of a template) that is a kind's name, or holds `kind: <name>` or `<name>(`. Comments are
 * not code; prose in messages (a batch of runs) is not a kind.
 */
function kindMentions(file: string, text: string): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
  const at = (node: ts.Node) =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      if (kindFiles.some((f) => from.endsWith(f))) found.push(`${at(node)} imports ${from}`);
    } else if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      for (const name of names) {
        const t = node.text;
        if (t === name || t.includes(`kind: ${name}`) || t.includes(`${name}(`)) {
          found.push(`${at(node)} names ${name}: ${JSON.stringify(t.slice(0, 80))}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the layers above the strategies', () => {
  it.each(['src/scenario', 'src/experiment', 'src/cli'])(
    '%s hold no code about one kind (comments aside)',
    (dir) => {
      const found = sources(dir).flatMap((file) => kindMentions(file, readFileSync(file, 'utf8')));
      expect(found).toEqual([]);
    },
  );

  it('are checked by a scan that finds a kind named in code, and not in comments', () => {
    const code = [
      "import { asyncKind } from '../strategies/async.js';",
      '// a comment may say async, or kind: batch',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a template literal
      "if (s.kind === 'async') refuse(`write { kind: batch, size: ${n} }`, 'blocking(timeout=1m)');",
      "const prose = 'at least one batch of runs';",
    ].join('\n');
    expect(kindMentions('x.ts', code)).toEqual([
      'x.ts:1 imports ../strategies/async.js',
      'x.ts:3 names async: "async"',
      'x.ts:3 names batch: "write { kind: batch, size: "',
      'x.ts:3 names blocking: "blocking(timeout=1m)"',
    ]);
  });
});
