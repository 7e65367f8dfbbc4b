/**
 * Every invariant `dispatchlab check` checks (src/invariants/index.ts), over random worlds
 * and strategies (test/model/arbitraries.ts; fast-check, fixed seeds): a strategy that is
 * safe by design — a durable registry (or the foreground, whose handles live in the join)
 * and a timeout — keeps them all; and over every strategy, safe or not, the verdicts agree
 * with what the model's metrics count from the same run, computed by other code from the
 * facts as they happened.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invariants } from '../../src/invariants/index.js';
import type { CheckStatus } from '../../src/invariants/invariant.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { build, strategyArb, worldArb } from '../model/arbitraries.js';
import { propertyRuns } from '../property-budget.js';
import { check } from './traces.js';

function run(p: Parameters<typeof build>[0], strategy: Strategy, seed: number) {
  const trace = new MemoryTrace<ModelTraceRecord>();
  const { metrics } = runStrategy({ world: build(p), strategy, seed, trace });
  const [header, ...records] = trace.records;
  if (header?.type !== 'run.start') throw new Error('the trace has no header');
  const verdicts = new Map(invariants.map((i) => [i.name, check(i, [header, ...records])]));
  return { metrics, verdicts };
}

const safeByDesign = strategyArb.filter(
  (s) =>
    (s.settings.registry === 'durable' || s.settings.mode === 'foreground') &&
    Number.isFinite(s.settings.timeout),
);

describe('the invariants on random runs', () => {
  it('hold for every strategy with a durable registry (or in the foreground) and a timeout', () => {
    // Per invariant, how often each verdict came: each must have been put to the test.
    const tally = new Map(invariants.map((i) => [i.name, { pass: 0, vacuous: 0, fail: 0 }]));
    fc.assert(
      fc.property(
        worldArb,
        safeByDesign,
        fc.integer({ min: 0, max: 1000 }),
        (p, strategy, seed) => {
          const { verdicts } = run(p, strategy, seed);
          for (const [name, r] of verdicts) {
            tally.get(name)![r.status satisfies CheckStatus]++;
            expect(r.status, `${name}: ${r.violation?.message}`).not.toBe('fail');
          }
        },
      ),
      { seed: 1313, numRuns: propertyRuns(200) },
    );
    for (const [name, counts] of tally) expect(counts.pass, name).toBeGreaterThan(0);
  });

  it('agree with the metrics over every strategy, unsafe ones included', () => {
    const seen = { ghosts: 0, duplicates: 0, unfinished: 0 };
    fc.assert(
      fc.property(worldArb, strategyArb, fc.integer({ min: 0, max: 1000 }), (p, strategy, seed) => {
        const { metrics: m, verdicts } = run(p, strategy, seed);
        const fails = (name: string) => verdicts.get(name)!.status === 'fail';
        // A ghost is a forgotten subagent for the metric, a subagent whose outcome was
        // never taken for the invariant: in the model, the same subagents.
        expect(fails('noGhosts'), verdicts.get('noGhosts')!.violation?.message).toBe(m.ghosts > 0);
        // The metric counts every "first" with attempt > 0; the invariant only those that
        // duplicate a live attempt (not one after the watchdog cancelled the forgotten one).
        if (fails('noDuplicateSpawn')) expect(m.duplicateSpawns).toBeGreaterThan(0);
        expect(fails('runEnds')).toBe(m.outcome !== 'completed');
        // The model keeps these by construction, whatever the strategy.
        for (const name of [
          'wipLimit',
          'tasksEndOnce',
          'cancelOnlyLive',
          'oneThingAtATime',
          'timeForward',
        ]) {
          expect(
            verdicts.get(name)!.status,
            `${name}: ${verdicts.get(name)!.violation?.message}`,
          ).not.toBe('fail');
        }
        if (m.ghosts > 0) seen.ghosts++;
        if (fails('noDuplicateSpawn')) seen.duplicates++;
        if (m.outcome !== 'completed') seen.unfinished++;
      }),
      { seed: 2626, numRuns: propertyRuns(200) },
    );
    // The random runs did break each of the three somewhere: the agreement was tested.
    expect(seen.ghosts).toBeGreaterThan(0);
    expect(seen.duplicates).toBeGreaterThan(0);
    expect(seen.unfinished).toBeGreaterThan(0);
  });
});
