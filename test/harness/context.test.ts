/**
 * The orchestrator's memory under the harness: what a compaction does to `rt.context`
 * and not to `rt.durable`, and the ghost-agent bug class it makes testable.
 */
import { describe, expect, it } from 'vitest';
import { lostIdsAtCompaction } from '../../examples/harness/bugs/lost-ids-at-compaction.js';
import { ContextStore } from '../../src/harness/context-store.js';
import { runOrchestrator } from '../../src/harness/index.js';
import { checkRecords, invariants } from '../../src/invariants/index.js';
import { storyOf } from '../../src/invariants/story.js';
import { world } from '../../src/model/config.js';
import { LognormalDistribution } from '../../src/sim/distributions/index.js';

const latency = new LognormalDistribution({ median: 60, p95: 300 });
/** A context that fills up: every result is long, and each compaction may lose an id. */
const forgetful = world({
  tasks: 30,
  latency,
  orchestrator: { dispatch: 1, poll: 0.2, process: 5, synthesize: 10 },
  context: {
    base: 2_000,
    perHandle: 50,
    perResult: 3_000,
    perSummary: 300,
    budget: 8_000,
    compactionCost: 4,
    compactionKeeps: 0.2,
    forgetProbability: 0.3,
  },
});

const failures = (records: Parameters<typeof checkRecords>[0]) =>
  checkRecords(records, invariants).results.filter((r) => r.status === 'fail');

describe('ContextStore', () => {
  it('loses each entry with the given probability, the same ones on the same seed', () => {
    const lostOn = (seed: number) => {
      const store = new ContextStore<number>(seed, 0.5);
      for (let i = 0; i < 200; i++) store.set(`id-${i}`, i);
      return store.compacted(1);
    };
    const lost = lostOn(3);
    expect(lost).toEqual(lostOn(3));
    expect(lost).not.toEqual(lostOn(4));
    // 200 draws at 0.5: far from 0 and 200 (a binomial's 6 standard deviations is ±42).
    expect(lost.length).toBeGreaterThan(58);
    expect(lost.length).toBeLessThan(142);
  });

  it('loses nothing at probability 0 and everything at 1', () => {
    const never = new ContextStore<string>(0, 0).set('a', 'x').set('b', 'y');
    expect(never.compacted(1)).toEqual([]);
    expect([...never.keys()]).toEqual(['a', 'b']);
    const always = new ContextStore<string>(0, 1).set('a', 'x').set('b', 'y');
    expect(always.compacted(1).sort()).toEqual(['a', 'b']);
    expect(always.size).toBe(0);
  });
});

describe('compaction in real code', () => {
  it('tells the code of each compaction, after the context lost what it lost', async () => {
    const seen: { count: number; at: number; kept: number }[] = [];
    const run = await runOrchestrator({
      world: forgetful,
      seed: 1,
      orchestrator: async (rt) => {
        for (let i = 0; i < 40; i++) rt.context.set(`note-${i}`, i);
        rt.onCompaction(({ count, at }) => seen.push({ count, at, kept: rt.context.size }));
        await lostIdsAtCompaction({ wip: 8, pollEvery: 30, keepIdsIn: 'durable' })(rt);
        // The ids it kept in the durable list all came back: every one was checked off.
        expect(rt.durable.size).toBe(0);
        expect(rt.compactions).toBe(seen.length);
      },
    });
    const compactions = run.records.filter((r) => r.type === 'compaction');
    expect(compactions.length).toBeGreaterThan(1);
    expect(seen.map((s) => s.count)).toEqual(compactions.map((_, i) => i + 1));
    expect(seen.map((s) => s.at)).toEqual(compactions.map((r) => r.t));
    expect(seen.at(-1)!.kept).toBeLessThan(40);
    expect(run.metrics.compactions).toBe(compactions.length);
  });

  it('catches task ids kept only in context: ghosts and duplicates; a durable list passes', async () => {
    const caught = new Set<string>();
    for (const seed of [0, 1, 2, 3]) {
      const bug = await runOrchestrator({
        world: forgetful,
        seed,
        orchestrator: lostIdsAtCompaction({ wip: 8, pollEvery: 30, keepIdsIn: 'context' }),
        settings: { wip: 8, pollInterval: 30 },
      });
      for (const f of failures(bug.records)) caught.add(f.invariant);
      const fixed = await runOrchestrator({
        world: forgetful,
        seed,
        orchestrator: lostIdsAtCompaction({ wip: 8, pollEvery: 30, keepIdsIn: 'durable' }),
        settings: { wip: 8, pollInterval: 30 },
      });
      expect(fixed.outcome).toBe('completed');
      expect(failures(fixed.records).map((f) => f.invariant)).toEqual([]);
      expect(fixed.metrics.duplicateSpawns).toBe(0);
    }
    expect([...caught]).toContain('noGhosts');
    expect([...caught]).toContain('noDuplicateSpawn');
  });

  it('tells the ghost story: started, started again, never read', async () => {
    const bug = await runOrchestrator({
      world: forgetful,
      seed: 0,
      orchestrator: lostIdsAtCompaction({ wip: 8, pollEvery: 30, keepIdsIn: 'context' }),
      settings: { wip: 8, pollInterval: 30 },
    });
    const ghost = failures(bug.records).find((f) => f.invariant === 'noGhosts');
    expect(ghost?.violation).toBeDefined();
    const told = storyOf(bug.records, ghost!.violation!);
    const text = told.join('\n');
    expect(text).toMatch(/task \d+ dispatched as agent (\d+)\n/);
    expect(text).toMatch(/dispatched again as agent \d+ \(attempt 2, declared a first dispatch\)/);
    expect(told.at(-1)).toMatch(/its result was never consumed nor cancelled: a ghost$/);
  });
});
