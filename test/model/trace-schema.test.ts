/**
 * The schema of trace records (src/model/trace-schema.ts) against the traces the model
 * writes: every record of every bundled scenario's traces and of random runs validates,
 * with zod and, through a JSON Schema validator of its own (ajv), with the JSON Schema
 * generated from it; records with a wrong field are refused by both. The JSON Schema is
 * kept in docs/trace.schema.json for tools in other languages; after a change to the
 * format, rewrite it:
 *
 *   npm run build && node bin/dispatchlab.js schema --trace --out docs/trace.schema.json
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { Fate } from '../../src/model/attempt-draws.js';
import type { CancelReason, DeclaredSpawn, PollStatus } from '../../src/model/facts.js';
import type { RunOutcome } from '../../src/model/metrics.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord, TraceHeader } from '../../src/model/trace-records.js';
import {
  type cancelReasons,
  type declaredSpawns,
  type fates,
  type knownTraceRecordSchema,
  knownTraceTypes,
  type pollStatuses,
  type runOutcomes,
  traceHeaderSchema,
  traceJsonSchema,
  traceRecordSchema,
} from '../../src/model/trace-schema.js';
import { loadScenario } from '../../src/scenario/load.js';
import { strategyOf } from '../../src/scenario/module-strategy.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { build, strategyArb, worldArb } from './arbitraries.js';

/** The type without its `readonly`s: zod's output types are mutable. */
type Mutable<T> = T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

const validate = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(
  traceJsonSchema(),
);

/** Both validators' verdict on a record: zod's, and the JSON Schema's. */
function verdicts(record: unknown): { zod: boolean; json: boolean } {
  return { zod: traceRecordSchema.safeParse(record).success, json: validate(record) };
}

function expectValid(record: unknown, where: string): void {
  const parsed = traceRecordSchema.safeParse(record);
  expect(parsed.success, `${where}: ${JSON.stringify(record)}: ${parsed.error?.message}`).toBe(
    true,
  );
  expect(
    validate(record),
    `${where}: ${JSON.stringify(record)}: ${JSON.stringify(validate.errors)}`,
  ).toBe(true);
}

function traceOf(
  world: Parameters<typeof runStrategy>[0]['world'],
  strategy: Strategy,
  seed: number,
): unknown[] {
  const trace = new MemoryTrace<ModelTraceRecord>();
  runStrategy({ world, strategy, seed, trace, maxEvents: 200_000 });
  // Through the JSON text, as a reader of the file sees the records.
  return trace
    .toJsonl()
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

/** Validates every record, and that the header is first and run.end last; returns the types seen. */
function checkTrace(records: unknown[], where: string): Set<string> {
  expect(traceHeaderSchema.safeParse(records[0]).success, `${where}: the header`).toBe(true);
  expect((records.at(-1) as { type: string }).type, where).toBe('run.end');
  const seen = new Set<string>();
  for (const r of records) {
    expectValid(r, where);
    seen.add((r as { type: string }).type);
  }
  return seen;
}

describe('the trace schema', () => {
  const seen = new Set<string>();

  it('accepts every record of the traces of every bundled scenario', async () => {
    const dir = 'scenarios';
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const scenario = await loadScenario(join(dir, file));
      for (const config of scenario.strategies) {
        const strategy = strategyOf(config);
        for (const seed of [0, 1, 2]) {
          const where = `${file} ${config.label} seed ${seed}`;
          for (const type of checkTrace(traceOf(scenario.world, strategy, seed), where)) {
            seen.add(type);
          }
        }
      }
    }
  });

  it('accepts every record of the traces of random worlds and strategies', () => {
    fc.assert(
      fc.property(worldArb, strategyArb, fc.integer({ min: 0, max: 1000 }), (p, strategy, seed) => {
        const where = `${strategy.label} seed ${seed}`;
        for (const type of checkTrace(traceOf(build(p), strategy, seed), where)) seen.add(type);
      }),
      { seed: 4242, numRuns: 200 },
    );
    // Together with the bundled scenarios, the sample holds a record of every type.
    expect([...seen].sort()).toEqual(knownTraceTypes);
  });

  it('refuses a record with a wrong or missing field, with zod and with the JSON Schema', async () => {
    const hung = await loadScenario('scenarios/hung-subagents.yaml');
    const header = traceOf(hung.world, strategyOf(hung.strategies[1]!), 0)[0] as Record<
      string,
      unknown
    >;
    expect(verdicts(header)).toEqual({ zod: true, json: true });
    const { tasks: _, ...withoutTasks } = header;
    const settings = header.settings as Record<string, unknown>;
    const { wip: __, ...settingsWithoutWip } = settings;
    const spawn = { t: 2, type: 'spawn', agent: 0, attempt: 0, reason: 'first', task: 0 };
    expect(verdicts(spawn)).toEqual({ zod: true, json: true });
    const refused: unknown[] = [
      withoutTasks,
      { ...header, version: 2 },
      { ...header, format: 'other-trace' },
      { ...header, t: 1 },
      { ...header, settings: settingsWithoutWip },
      { ...header, settings: { ...settings, continuation: 'webhooks' } },
      { ...header, dependencies: [[0, -1]] },
      { ...spawn, reason: 'duplicate' },
      { ...spawn, agent: 1.5 },
      { ...spawn, t: -1 },
      { t: 2, type: 'spawn', agent: 0, reason: 'first', task: 0 },
      { t: 5, type: 'start', agent: 0, world: { fate: 'stuck', work: 3 } },
      { t: 5, type: 'cancel', agent: 0 },
      { t: 5, type: 'busy', kind: 'thinking', start: 4 },
      { t: 5, type: 'resolve', task: 0, outcome: 'succeeded' },
      { t: 5, type: 'resolve', task: 0, outcome: 'given-up', reason: 'bored', attempts: 1 },
      { t: 5, type: 'run.end', outcome: 'completed', makespan: 5, unresolved: 0 },
      { type: 'later-fact' },
    ];
    for (const record of refused) {
      expect(verdicts(record), JSON.stringify(record)).toEqual({ zod: false, json: false });
    }
  });

  it('accepts what a later minor version may add: unknown fields and record types', () => {
    const accepted: unknown[] = [
      { t: 2, type: 'spawn', agent: 0, attempt: 0, reason: 'first', task: 0, tokens: 120 },
      { t: 5, type: 'handoff', agent: 0, anything: [1, 2] },
      { t: 5, type: 'start', agent: 0 }, // a trace from real code: no `world`
      { t: 5, type: 'process.end', agent: 0, task: 0, caught: false },
      {
        t: 0,
        type: 'run.start',
        format: 'dispatchlab-trace',
        version: 1,
        tasks: 2,
        dependencies: [[0, 1]],
        settings: {
          mode: 'background',
          wip: null,
          timeout: 600,
          retries: 1,
          continuation: 'polling',
          pollInterval: 30,
        },
      },
    ];
    for (const record of accepted) {
      expect(verdicts(record), JSON.stringify(record)).toEqual({ zod: true, json: true });
    }
  });

  it('is docs/trace.schema.json', () => {
    expect(readFileSync('docs/trace.schema.json', 'utf8')).toBe(
      `${JSON.stringify(traceJsonSchema(), null, 2)}\n`,
    );
  });

  it("has the model's types", () => {
    // Every record the recorder can write (its header at time 0) is a record of the schema...
    type Written = Exclude<ModelTraceRecord, TraceHeader> | (Omit<TraceHeader, 't'> & { t: 0 });
    expectTypeOf<Mutable<Written>>().toExtend<z.output<typeof knownTraceRecordSchema>>();
    // ...and its enumerations are the model's.
    expectTypeOf<(typeof declaredSpawns)[number]>().toEqualTypeOf<DeclaredSpawn>();
    expectTypeOf<(typeof cancelReasons)[number]>().toEqualTypeOf<CancelReason>();
    expectTypeOf<(typeof pollStatuses)[number]>().toEqualTypeOf<PollStatus>();
    expectTypeOf<(typeof fates)[number]>().toEqualTypeOf<Fate>();
    expectTypeOf<(typeof runOutcomes)[number]>().toEqualTypeOf<RunOutcome>();
  });
});
