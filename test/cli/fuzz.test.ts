/**
 * Fuzzing the command line with hostile scenario files: random mutations of the bundled
 * scenarios (a field set to an extreme or ill-typed value, a field removed, an entry
 * repeated), each run through `validate` and `compare` as a user would. Whatever the
 * mutation, the CLI keeps its promises: exit code 0 or 2 (never 1, never a signal or a
 * hang), no stack trace, nothing left behind when it refuses, and, when it runs, the same
 * document byte for byte with one worker thread or two.
 *
 * Each CLI call costs about half a second, so the normal suite tries a few mutations
 * (enough to keep this harness working); a deeper run sets the number and the seed:
 *
 *   DISPATCHLAB_FUZZ_RUNS=300 DISPATCHLAB_FUZZ_SEED=7 npx vitest run test/cli/fuzz.test.ts
 *
 * A failure prints fast-check's seed and path, which replay it exactly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cliWith, filesUnder, tempDir } from './helpers.js';

const runs = Number(process.env.DISPATCHLAB_FUZZ_RUNS ?? 3);
const seed = Number(process.env.DISPATCHLAB_FUZZ_SEED ?? 20261130);

const bundled = [
  'docs-audit',
  'heavy-tail',
  'hung-subagents',
  'polling-interval',
  'chain-dependencies',
  'frequent-compaction',
  'permission-denials',
  'small-team',
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values that have broken parsers and models before: extremes, wrong types, near misses. */
const hostileValues: readonly Json[] = [
  0,
  -1,
  0.5,
  1,
  2,
  1e-9,
  1e-308,
  1e308,
  -1e308,
  2 ** 53,
  2 ** 53 - 1,
  1e7,
  '',
  'x'.repeat(5000),
  '1e309',
  'NaN',
  'Infinity',
  '-0',
  '1ms',
  '10h',
  '99999h',
  'none',
  'unbounded',
  'polling',
  'chain',
  true,
  null,
  [],
  {},
  { dist: 'pareto', alpha: 1e-308, scale: '1m' },
  { dist: 'mixture', components: [] },
  { shape: 'random', edgeProbability: 1 },
];

/** Every path to a value in the document: ['strategies', 1, 'wip'], ... */
function leafPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  const inner = entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  return prefix.length === 0 ? inner : [prefix, ...inner];
}

/** Same-typed replacements: they get past the schema and probe the model's extremes. */
const numbers: readonly number[] = [0, 1, 2, 3, 1e-9, 1e-3, 0.999999, 1e4, 1e6, 1e9, 1e15, 1e300];
const durations: readonly string[] = ['0s', '1ms', '1h', '100h', '8760h', '1m30s'];

interface Edit {
  /** Picks a path among the document's (modulo their number). */
  readonly at: number;
  /** `retype` keeps the leaf's type (a number stays a number, a string a duration). */
  readonly action: 'set' | 'retype' | 'delete' | 'repeat';
  readonly value: Json;
  readonly pick: number;
}

interface Mutation {
  readonly scenario: (typeof bundled)[number];
  readonly edits: readonly Edit[];
}

function applyEdit(doc: Json, m: Edit): Json {
  const copy = structuredClone(doc);
  const paths = leafPaths(copy);
  if (paths.length === 0) return copy;
  const path = paths[m.at % paths.length]!;
  let parent = copy as Record<string | number, Json>;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, Json>;
  const key = path.at(-1)!;
  if (m.action === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (m.action === 'retype') {
    const old = parent[key];
    parent[key] =
      typeof old === 'number'
        ? numbers[m.pick % numbers.length]!
        : typeof old === 'string'
          ? durations[m.pick % durations.length]!
          : m.value;
  } else if (m.action === 'repeat' && Array.isArray(parent)) {
    parent.splice(Number(key), 0, structuredClone(parent[Number(key)]!));
  } else parent[key] = m.value;
  return copy;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  action: fc.constantFrom('set', 'retype', 'retype', 'retype', 'delete', 'repeat'),
  value: fc.constantFrom(...hostileValues),
  pick: fc.nat(),
});

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  scenario: fc.constantFrom(...bundled),
  edits: fc.array(editArb, { minLength: 1, maxLength: 3 }),
});

/** How the mutants fared, printed at the end: a fuzz run that only ever refuses tests little. */
const outcomes = { accepted: 0, refused: 0 };

const stackLine = /^\s+at /m;

function checkPromises(m: Mutation): void {
  const dir = tempDir();
  const text = readFileSync(join('scenarios', `${m.scenario}.yaml`), 'utf8');
  const doc = m.edits.reduce(applyEdit, parse(text) as Json);
  // Bundled data files (measured latencies) are found from the scenario's folder.
  const file = join(dir, 'mutant.yaml');
  writeFileSync(file, stringify(doc));
  const before = filesUnder(dir);
  const options = { timeoutMs: 90_000 };
  const validate = cliWith(options, 'validate', file);
  const runWith = (workers: string) =>
    cliWith(options, 'compare', file, '--seeds', '2', '--quiet', '--json', '--workers', workers);
  const one = runWith('1');
  for (const r of [validate, one]) {
    const context = `${JSON.stringify(m)}\nexit ${r.code} signal ${r.signal}\n${r.stderr}`;
    expect(r.signal, context).toBeNull();
    expect([0, 2], context).toContain(r.code);
    expect(r.stderr, context).not.toMatch(stackLine);
    if (r.code === 2) expect(r.stderr, context).toMatch(/^dispatchlab: /);
  }
  // validate accepts exactly what the commands accept.
  expect(one.code === 0, `${JSON.stringify(m)}\n${validate.stderr}${one.stderr}`).toBe(
    validate.code === 0,
  );
  outcomes[one.code === 0 ? 'accepted' : 'refused'] += 1;
  if (one.code === 0) {
    const two = runWith('2');
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  }
  expect(filesUnder(dir)).toEqual(before);
}

describe('fuzzed scenario files', () => {
  it(`keep the CLI's promises (${runs} mutations, seed ${seed})`, () => {
    fc.assert(
      fc.property(mutationArb, (m) => checkPromises(m)),
      { numRuns: runs, seed, endOnFailure: runs > 20 },
    );
    console.log(`fuzz: ${outcomes.accepted} mutants ran, ${outcomes.refused} were refused`);
  }, 600_000);
});
