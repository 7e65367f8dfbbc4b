/**
 * Same-instant interleavings: the order in which subagents that end at one instant reach
 * the code, explored by fast-check's scheduler when a property asks for it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assumesEndOrder } from '../../examples/harness/bugs/assumes-end-order.js';
import { runOrchestrator } from '../../src/harness/index.js';
import { checkRecords, invariants } from '../../src/invariants/index.js';
import { world } from '../../src/model/config.js';
import { FixedDistribution } from '../../src/sim/distributions/index.js';

/** Every subagent takes exactly a minute: started together, they end together. */
const together = world({
  tasks: 4,
  latency: new FixedDistribution({ value: 60 }),
  orchestrator: { process: 10 },
});

const broken = (records: Parameters<typeof checkRecords>[0]) =>
  checkRecords(records, invariants)
    .results.filter((r) => r.status === 'fail')
    .map((r) => `${r.invariant}: ${r.violation?.message}`);

const holds = (fixed: boolean) =>
  fc.asyncProperty(fc.scheduler(), async (s) => {
    const run = await runOrchestrator({
      world: together,
      seed: 0,
      orchestrator: assumesEndOrder({ fixed }),
      scheduler: s,
    });
    const b = broken(run.records);
    if (b.length > 0) throw new Error(b.join('; '));
  });

describe('the order of same-instant ends', () => {
  it('is the order started without a scheduler, which hides the bug', async () => {
    const run = await runOrchestrator({
      world: together,
      seed: 0,
      orchestrator: assumesEndOrder({ fixed: false }),
    });
    expect(broken(run.records)).toEqual([]);
    const delivered = run.records.filter((r) => r.type === 'deliver').map((r) => r.agent);
    expect(delivered).toEqual([0, 1, 2, 3]);
  });

  it('is explored by fc.scheduler(): the bug is found, shrunk to an order, and the fix holds', async () => {
    const found = await fc.check(holds(false), { seed: 1, numRuns: 100 });
    expect(found.failed).toBe(true);
    // The counterexample names the order fast-check chose, which the test can replay.
    const report = String(found.counterexample?.[0]);
    expect(report).toMatch(/task-3-attempt-0/);
    expect(String(found.errorInstance)).toMatch(/runEnds: .*unresolved/);
    await fc.assert(holds(true), { seed: 1, numRuns: 100 });
  });

  it('gives the same run for the same order', async () => {
    const order = async () => {
      const runs: string[] = [];
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), async (s) => {
          const run = await runOrchestrator({
            world: together,
            seed: 0,
            orchestrator: assumesEndOrder({ fixed: true }),
            scheduler: s,
          });
          runs.push(run.records.map((r) => JSON.stringify(r)).join('\n'));
        }),
        { seed: 7, numRuns: 10 },
      );
      return runs;
    };
    const [a, b] = [await order(), await order()];
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(1);
  });
});
