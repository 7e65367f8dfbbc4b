/**
 * Scenario shorthands (src/scenario/shorthands.ts): `tasks: 200`, `seeds: 200`,
 * `strategies: [blocking, async]` and percentages for probabilities are the long forms they
 * stand for — the same normalized input, hence the same input hash and the same
 * experiment — while a value that is neither gets the line to write instead.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inputHash } from '../../src/experiment/canonical.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { loadScenario, readScenarioData } from '../../src/scenario/load.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { countFromText, numberFromWords, parsePercent } from '../../src/scenario/shorthands.js';

const where = { source: 'mine.yaml', baseDir: '.' };

function long(): Record<string, unknown> {
  return {
    name: 'shorthands',
    description: 'Every shorthand, written out.',
    tasks: { count: 200 },
    subagents: {
      latency: { dist: 'lognormal', median: '90s', p95: '10m' },
      failures: { error: 0.03, hang: 0.005 },
    },
    context: { budget: 50_000, perResult: 3000, compactionKeeps: 0.25, forgetProbability: 0.1 },
    quality: { base: 0.9, validation: 0.5 },
    strategies: [
      { kind: 'blocking', timeout: '15m' },
      { kind: 'async' },
      { kind: 'async', wip: 10, gating: 0.5, validation: 0.75, timeout: '15m' },
    ],
    seeds: { count: 200 },
  };
}

function short(): Record<string, unknown> {
  return {
    name: 'shorthands',
    description: 'Every shorthand, written out.',
    tasks: 200,
    subagents: {
      latency: { dist: 'lognormal', median: '90s', p95: '10m' },
      failures: { error: '3%', hang: '0.5%' },
    },
    context: { budget: 50_000, perResult: 3000, compactionKeeps: '25%', forgetProbability: '10%' },
    quality: { base: '90%', validation: '50 %' },
    strategies: [
      { kind: 'blocking', timeout: '15m' },
      'async',
      { kind: 'async', wip: 10, gating: '50%', validation: '75%', timeout: '15m' },
    ],
    seeds: 200,
  };
}

/** The ScenarioError message parsing `input` gives. */
function refusal(input: unknown): string {
  try {
    parseScenario(input, where);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('shorthands', () => {
  it('normalize to the long form: the same input, hash, world and strategies', () => {
    const a = parseScenario(long(), where);
    const b = parseScenario(short(), where);
    expect(b.input).toEqual(a.input);
    expect(inputHash(b.input)).toBe(inputHash(a.input));
    expect(b.world).toEqual(a.world);
    expect(b.strategies).toEqual(a.strategies);
    expect(b.seeds).toEqual({ start: 0, count: 200 });
  });

  it("hash an input the same with or without a strategy's expect: (a claim, not the experiment)", () => {
    const a = parseScenario(long(), where);
    const strategies = a.input.strategies.map((s, i) =>
      i === 0 ? { ...s, expect: ['noGhosts' as const] } : s,
    );
    const b = parseScenario({ ...a.input, strategies }, where);
    expect(b.expected.get(b.strategies[0]!.label)).toEqual(['noGhosts']);
    expect(inputHash(b.input)).toBe(inputHash(a.input));
    // Whereas a change to what runs is another experiment.
    const c = parseScenario({ ...a.input, tasks: { count: 7 } }, where);
    expect(inputHash(c.input)).not.toBe(inputHash(a.input));
  });

  it('leave a normalized input as it is (parsing it again is the identity)', () => {
    const once = parseScenario(short(), where).input;
    const twice = parseScenario(structuredClone(once), where).input;
    expect(twice).toEqual(once);
    expect(parseScenario(long(), where).input).toEqual(long());
  });

  it("leave every bundled scenario's input hash as it was: they are long forms already", async () => {
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const path = `scenarios/${file}`;
      const raw = readScenarioData(path) as Parameters<typeof inputHash>[0];
      expect(inputHash((await loadScenario(path)).input), file).toBe(inputHash(raw));
    }
  });

  it('read "3%" as exactly the number 0.03', () => {
    expect(parsePercent('3%')).toBe(0.03);
    expect(parsePercent('0.1%')).toBe(0.001);
    expect(parsePercent(' 2.5 % ')).toBe(0.025);
    expect(parsePercent('.5%')).toBe(0.005);
    expect(parsePercent('100%')).toBe(1);
    expect(parsePercent('-0%')).toBe(0);
    expect(parsePercent('3')).toBeUndefined();
    expect(parsePercent('3 percent')).toBeUndefined();
    expect(parsePercent('1e2%')).toBeUndefined();
  });

  it('take percentages wherever a probability is taken, and nowhere else', () => {
    const input = long();
    (input.tasks as Record<string, unknown>).dependencies = {
      shape: 'random',
      edgeProbability: '10%',
    };
    input.quality = {
      base: '90%',
      deniedPenalty: '30%',
      validation: '50%',
      propagation: '20%',
    };
    const s = parseScenario(input, where);
    expect(s.world.tasks.dependencies).toEqual({ shape: 'random', edgeProbability: 0.1 });
    expect(s.world.quality).toMatchObject({
      base: 0.9,
      deniedPenalty: 0.3,
      validation: 0.5,
      propagation: 0.2,
    });
    expect(refusal({ ...long(), quality: { learningRate: '5%' } })).toBe(
      'mine.yaml: quality.learningRate: expected number, got "5%". Write 0.05 (a percentage is only for probabilities).',
    );
  });
});

describe('values that are neither long form nor shorthand show the line to write', () => {
  it.each([
    [
      { tasks: 'two hundred' },
      'tasks: got "two hundred"; write tasks: 200 (a number, without quotes), or tasks: { count: 200 }.',
    ],
    [
      { tasks: '1,000' },
      'tasks: got "1,000"; write tasks: 1000 (a number, without quotes), or tasks: { count: 1000 }.',
    ],
    [
      { tasks: 'many' },
      'tasks: got "many"; write the number of tasks, e.g. tasks: 50, or tasks: { count: 50, dependencies: chain } to give their dependencies too.',
    ],
    [{ tasks: 0 }, 'tasks: must be >= 1, got 0.'],
    [{ tasks: 2.5 }, 'tasks: expected int, got 2.5.'],
    [{ tasks: { count: 'five' } }, 'tasks.count: expected number, got "five". Write 5.'],
    [
      { tasks: { count: '200' } },
      'tasks.count: expected number, got "200". Write 200 without quotes.',
    ],
    [
      { seeds: '0..99' },
      'seeds: got "0..99"; for seeds 0 to 99 write seeds: { start: 0, count: 100 }.',
    ],
    [
      { seeds: 'a hundred' },
      'seeds: got "a hundred"; write seeds: 100 (a number, without quotes), or seeds: { start: 0, count: 100 }.',
    ],
    [{ seeds: 0 }, 'seeds: must be >= 1, got 0.'],
    [
      { strategies: ['blocking', 'batch'] },
      'strategies[1]: batch needs its size, the tasks per batch: write { kind: batch, size: 10 }.',
    ],
    [
      { strategies: ['blocking', 'asynch'] },
      'strategies[1]: "asynch" is not a known kind. Did you mean "async"? Allowed: "blocking", "batch", "async"; write the kind alone (blocking, async) or a mapping such as { kind: batch, size: 10 }, or a strategy of your own: { module: ./my-strategy.ts }.',
    ],
    [
      { strategies: ['async(wip=10,polling@30s,timeout=15m)'] },
      'strategies[0]: "async(wip=10,polling@30s,timeout=15m)" reads like a strategy\'s label; a strategy is a mapping: write { kind: async, wip: 10, continuation: polling, pollInterval: 30s, timeout: 15m } (and label: "async(wip=10,polling@30s,timeout=15m)" to keep the name).',
    ],
    [
      { strategies: ['async(wip=10,wave=10,polling@30s,timeout=15m,retries=1,resume,volatile)'] },
      'strategies[0]: "async(wip=10,wave=10,polling@30s,timeout=15m,retries=1,resume,volatile)" reads like a strategy\'s label; a strategy is a mapping: write { kind: async, wip: 10, waveSize: 10, continuation: polling, pollInterval: 30s, timeout: 15m, retries: 1, resume: true, registry: volatile } (and label: "async(wip=10,wave=10,polling@30s,timeout=15m,retries=1,resume,volatile)" to keep the name).',
    ],
    [
      { strategies: ['batch(k=10,timeout=15m,retries=1)'] },
      'strategies[0]: "batch(k=10,timeout=15m,retries=1)" reads like a strategy\'s label; a strategy is a mapping: write { kind: batch, size: 10, timeout: 15m, retries: 1 } (and label: "batch(k=10,timeout=15m,retries=1)" to keep the name).',
    ],
    [
      { strategies: 'blocking' },
      'strategies: expected a list of strategies, got "blocking"; write strategies: [blocking] (or several: strategies: [blocking, async]).',
    ],
    [
      { subagents: { latency: '1m', failures: { error: 3 } } },
      'subagents.failures.error: must be <= 1, got 3; a probability is a share from 0 to 1: for 3 percent write 0.03 or "3%".',
    ],
    [
      { subagents: { latency: '1m', failures: { error: '150%' } } },
      'subagents.failures.error: "150%" is more than 100%; a probability is at most 100% (or 1).',
    ],
    [
      { subagents: { latency: '1m', failures: { hang: '2 percent' } } },
      'subagents.failures.hang: expected a probability, got "2 percent"; write 0.02 or "2%".',
    ],
    [
      { subagents: { latency: '1m', failures: { hang: '0.02' } } },
      'subagents.failures.hang: expected a probability, got "0.02"; write 0.02 without quotes.',
    ],
    [
      { subagents: { latency: '1m', failures: { hang: '-2%' } } },
      'subagents.failures.hang: must be >= 0, got "-2%".',
    ],
  ])('%j', (change, message) => {
    expect(refusal({ ...long(), ...change })).toBe(`mine.yaml: ${message}`);
  });

  it('still name unknown fields below a shorthand-taking field, with the allowed keys', () => {
    expect(refusal({ ...long(), tasks: { count: 5, dependecies: 'chain' } })).toBe(
      'mine.yaml: tasks.dependecies: unknown field. Did you mean "dependencies"? Allowed here: count, dependencies.',
    );
    expect(refusal({ ...long(), seeds: { cout: 5 } })).toMatch(
      /seeds\.cout: unknown field\. Did you mean "count"\? Allowed here: start, count\./,
    );
  });
});

describe('number words, for hints', () => {
  it('read the numbers people write', () => {
    expect(numberFromWords('two hundred')).toBe(200);
    expect(numberFromWords('a hundred and twenty-five')).toBe(125);
    expect(numberFromWords('one thousand five hundred')).toBe(1500);
    expect(numberFromWords('two million')).toBe(2_000_000);
    expect(numberFromWords('fifty')).toBe(50);
    expect(numberFromWords('many')).toBeUndefined();
    expect(countFromText('1_000')).toBe(1000);
    expect(countFromText('12')).toBe(12);
    expect(countFromText('1,00')).toBeUndefined();
  });
});

describe('the JSON Schema', () => {
  const schema = scenarioJsonSchema() as {
    properties: Record<string, { anyOf?: Record<string, unknown>[]; items?: unknown }>;
  };

  it('offers each shorthand beside its long form', () => {
    const tasks = schema.properties.tasks!.anyOf!;
    expect(tasks.map((s) => s.type)).toEqual(['object', 'integer']);
    expect(schema.properties.seeds!.anyOf!.map((s) => s.type)).toEqual(['object', 'integer']);
    const entry = (schema.properties.strategies!.items as { anyOf: Record<string, unknown>[] })
      .anyOf;
    expect(entry[1]).toMatchObject({ enum: ['blocking', 'async'] });
    const text = JSON.stringify(schema);
    // Every probability: a number from 0 to 1, or a percentage up to 100%.
    const percent = new RegExp(
      (
        schema.properties.subagents as {
          properties: Record<
            string,
            { properties: Record<string, { anyOf: { pattern?: string }[] }> }
          >;
        }
      ).properties.failures!.properties.error!.anyOf[1]!.pattern ?? '',
    );
    for (const ok of ['3%', '0.5%', '100%', '.5 %']) expect(ok).toMatch(percent);
    for (const bad of ['101%', '3', '-1%', '3 percent']) expect(bad).not.toMatch(percent);
    expect(text.match(/a percentage, e\.g\. \\"5%\\"/g)?.length).toBeGreaterThanOrEqual(12);
  });
});
