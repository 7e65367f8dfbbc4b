/**
 * The runner (src/invariants/check-trace.ts) hands each record only to the invariants that
 * read its type (Invariant.reads): the verdicts must be those of every checker fed every
 * record, on the simulator's traces and on traces no simulator writes (records dropped,
 * repeated, retyped, about other agents, at other times).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRecords, TraceChecker } from '../../src/invariants/check-trace.js';
import { invariants } from '../../src/invariants/index.js';
import type { Checker, Invariant } from '../../src/invariants/invariant.js';
import { runStrategy } from '../../src/model/run.js';
import type { ModelTraceRecord, ModelTraceType } from '../../src/model/trace-records.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { build, strategyArb, worldArb } from '../model/arbitraries.js';
import { cleanRun } from './traces.js';

/** Every invariant's verdict with every record fed to its checker, as the runner did before routing. */
function unrouted(trace: readonly ModelTraceRecord[], list: readonly Invariant[]) {
  const [header, ...rest] = trace;
  if (header?.type !== 'run.start') throw new Error('a trace begins with its header');
  return list.map((i) => {
    const checker = i.create(header);
    for (const [k, record] of rest.entries()) checker.observe(record, k + 1);
    return { invariant: i.name, rule: i.rule, ...checker.result() };
  });
}

function routed(trace: readonly ModelTraceRecord[], list: readonly Invariant[]) {
  const checker = new TraceChecker(list);
  for (const record of trace) checker.write(record);
  return checker.finish().results;
}

const types: ModelTraceType[] = [
  'spawn',
  'start',
  'end',
  'cancel',
  'poll',
  'poll.round',
  'deliver',
  'detect',
  'drop',
  'process.start',
  'forget',
  'busy',
  'idle',
  'resolve',
  'run.end',
  'context',
  'turn',
];

/** Fields of every record type, so that an inserted record of any type has its own. */
const genericFields = {
  task: 1,
  attempt: 1,
  reason: 'first',
  fate: 'error',
  status: 'ended',
  failure: 'error',
  outcome: 'completed',
  kind: 'process',
  makespan: 0,
  deadlock: null,
  unresolved: 0,
};

/** One change to a record of the trace's body (never the header). */
const editArb = fc.record({
  at: fc.nat(),
  how: fc.constantFrom('drop', 'repeat', 'retype', 'insert', 'insert', 'agent', 'time', 'cut'),
  type: fc.constantFrom(...types),
  agent: fc.constantFrom(0, 1, 2, 3, -1, 1.5, 1e9),
  dt: fc.constantFrom(-5, -1e-9, 50),
});

type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;

function edited(trace: readonly ModelTraceRecord[], edits: readonly Edit[]): ModelTraceRecord[] {
  const out = trace.map((r) => ({ ...r })) as Record<string, unknown>[];
  for (const e of edits) {
    if (out.length < 2) break;
    const i = 1 + (e.at % (out.length - 1));
    const r = out[i]!;
    switch (e.how) {
      case 'drop':
        out.splice(i, 1);
        break;
      case 'repeat':
        out.splice(i, 0, { ...r });
        break;
      case 'retype':
        r.type = e.type;
        break;
      case 'insert':
        // A record of any type, with every field some type has: a cancel after an end, a
        // second spawn, a detect of an agent never spawned...
        out.splice(i, 0, {
          ...genericFields,
          t: r.t,
          type: e.type,
          agent: e.agent,
          start: r.t as number,
        });
        break;
      case 'agent':
        if ('agent' in r) r.agent = e.agent;
        break;
      case 'time':
        r.t = (r.t as number) + e.dt;
        break;
      case 'cut':
        out.length = i;
        break;
    }
  }
  return out as unknown as ModelTraceRecord[];
}

describe('TraceChecker, routing records by type', () => {
  it('gives the verdicts of every checker fed every record, on random runs and their scrambled traces', () => {
    fc.assert(
      fc.property(
        worldArb,
        strategyArb,
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.array(editArb, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
        (p, strategy, seed, scrambles) => {
          const trace = new MemoryTrace<ModelTraceRecord>();
          runStrategy({ world: build(p), strategy, seed, trace });
          for (const t of [trace.records, ...scrambles.map((e) => edited(trace.records, e))]) {
            expect(routed(t, invariants)).toEqual(unrouted(t, invariants));
          }
        },
      ),
      { seed: 2024, numRuns: 100 },
    );
  });

  it('hands an invariant only the types it reads, at their positions in the whole trace', () => {
    const seen: [string, number][] = [];
    const everything: [string, number][] = [];
    const spy = (into: [string, number][], reads?: readonly ModelTraceType[]): Invariant => ({
      name: 'spy',
      rule: 'records what it is given',
      ...(reads === undefined ? {} : { reads }),
      create: (): Checker => ({
        observe: (record, index) => {
          into.push([record.type, index]);
        },
        result: () => ({ status: 'vacuous', occasions: 0, occasionsOf: 'nothing' }),
      }),
    });
    const trace = cleanRun(2) as ModelTraceRecord[];
    routed(trace, [spy(seen, ['start', 'run.end']), spy(everything)]);
    expect(seen).toEqual([
      ['start', 2],
      ['start', 4],
      ['run.end', trace.length - 1],
    ]);
    expect(everything).toEqual(trace.slice(1).map((r, k) => [r.type, k + 1]));
  });

  it('routes by the invariants given now, even in a list changed since it was last used', () => {
    const types: string[] = [];
    const later: Invariant = {
      name: 'later',
      rule: 'added to the list after a first check',
      reads: ['resolve'],
      create: () => ({
        observe: (record) => {
          types.push(record.type);
        },
        result: () => ({ status: 'vacuous', occasions: 0, occasionsOf: 'nothing' }),
      }),
    };
    const list: Invariant[] = [...invariants];
    const trace = cleanRun(2) as ModelTraceRecord[];
    checkRecords(trace, list);
    list.push(later);
    expect(checkRecords(trace, list).results.map((r) => r.invariant)).toContain('later');
    expect(types).toEqual(['resolve', 'resolve']);
  });
});

describe('TraceChecker, reading after a type and the last record', () => {
  const spy = (
    into: [string, number][],
    options: Pick<Invariant, 'reads' | 'readsAllAfter' | 'readsLast'>,
  ): Invariant => ({
    name: 'spy',
    rule: 'records what it is given',
    ...options,
    create: (): Checker => ({
      observe: (record, index) => {
        into.push([record.type, index]);
      },
      result: () => ({ status: 'vacuous', occasions: 0, occasionsOf: 'nothing' }),
    }),
  });
  const at = (trace: readonly ModelTraceRecord[], type: string) =>
    trace.findIndex((r) => r.type === type);

  it('hands every record after the first of a type, that one included, named in reads or not', () => {
    const trace = cleanRun(2) as ModelTraceRecord[];
    const end = at(trace, 'run.end');
    const longer = [...trace.slice(0, end + 1), { ...trace[1]! }, { ...trace[2]! }];
    const seen: [string, number][] = [];
    routed(longer, [spy(seen, { reads: ['spawn'], readsAllAfter: 'run.end' })]);
    expect(seen).toEqual([
      ...longer.flatMap((r, k): [string, number][] =>
        r.type === 'spawn' && k < end ? [[r.type, k]] : [],
      ),
      ['run.end', end],
      [longer[end + 1]!.type, end + 1],
      [longer[end + 2]!.type, end + 2],
    ]);
  });

  it('hands the last record once the trace is over, unless it was read already', () => {
    const trace = cleanRun(2) as ModelTraceRecord[];
    const cut = trace.slice(0, at(trace, 'run.end'));
    const seen: [string, number][] = [];
    const checker = new TraceChecker([spy(seen, { reads: ['run.end'], readsLast: true })]);
    for (const record of cut) checker.write(record);
    expect(seen).toEqual([]);
    checker.finish();
    expect(seen).toEqual([[cut.at(-1)!.type, cut.length - 1]]);
    seen.length = 0;
    routed(trace, [spy(seen, { reads: ['run.end'], readsLast: true })]);
    expect(seen).toEqual([['run.end', trace.length - 1]]);
    seen.length = 0;
    routed(trace.slice(0, 1), [spy(seen, { reads: ['run.end'], readsLast: true })]);
    expect(seen).toEqual([]);
  });

  it('gives the verdicts of every checker fed every record with more invariants than are called one by one, or than a mask holds', () => {
    const trace = cleanRun(3) as ModelTraceRecord[];
    const cut = trace.slice(0, -3);
    for (const n of [2, 4]) {
      const list = Array.from({ length: n }, () => invariants).flat();
      for (const t of [trace, cut]) expect(routed(t, list)).toEqual(unrouted(t, list));
    }
  });
});
