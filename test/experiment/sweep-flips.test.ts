/**
 * Where the answer flips, on real sweeps: a point's verdict is the one `compare` gives for
 * that point's scenario (built here by hand from the file, not by the sweep's own
 * machinery), and along no-work-during-waits' per-result work the answer flips where the
 * README says, while the race sees no change at all; merged shards carry the same flips.
 */
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import type { PartialDocument } from '../../src/experiment/partial.js';
import { toJson } from '../../src/experiment/results.js';
import { merge, sweepShard } from '../../src/experiment/shard.js';
import { sweep } from '../../src/experiment/sweep.js';
import { loadScenario } from '../../src/scenario/load.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { processingInput, scenarioOf } from './helpers.js';

const file = 'scenarios/no-work-during-waits.yaml';
const blocking = 'blocking(retries=1)';
const async = 'async(events,retries=1)';

describe('where the answer flips along no-work-during-waits', () => {
  // The README: the rule keeps blocking for per-result work up to 3 s; at 5 s async
  // clears the margin.
  const swept = loadScenario(file).then(async (scenario) => ({
    scenario,
    doc: await sweep(scenario, { vary: ['orchestrator.process=1,3,5'] }),
  }));

  it('flips from blocking to async between 3 s and 5 s of work per result', async () => {
    const { doc } = await swept;
    expect(doc.version).toBe(3);
    expect(doc.points.map((p) => p.verdict.recommended)).toEqual([blocking, blocking, async]);
    expect(doc.flips).toEqual([
      {
        along: 'orchestrator.process',
        at: {},
        from: 1,
        to: 2,
        between: [3, 5],
        before: blocking,
        after: async,
      },
    ]);
    // The race sees no change: async's lead at 1 s and 3 s is within the margin, a tie,
    // and a tie followed by a winner is no change of winner.
    expect(doc.points.map((p) => p.winner)).toEqual([null, null, async]);
    expect(doc.changes).toEqual([]);
  });

  it("gives at each point the verdict compare gives for that point's scenario", async () => {
    const { scenario, doc } = await swept;
    for (const [i, seconds] of [1, 3, 5].entries()) {
      // The point's scenario from the file's input, the field set as a user would write it.
      const input = structuredClone(scenario.input) as unknown as {
        orchestrator: Record<string, unknown>;
      };
      input.orchestrator.process = `${seconds}s`;
      const point = parseScenario(input, { source: file, baseDir: scenario.baseDir });
      const compared = await compare(point, {
        seeds: doc.seeds,
        objective: doc.winnerBy.metric,
        margin: doc.winnerBy.margin,
      });
      expect(doc.points[i]!.verdict, `process ${seconds}s`).toEqual(compared.verdict);
    }
  });

  it('merges shards into the same document, flips and verdicts included', async () => {
    const { scenario, doc } = await swept;
    const roundTrip = (p: PartialDocument): unknown => JSON.parse(toJson(p));
    const parts = await Promise.all(
      [1, 2, 3].map((i) =>
        sweepShard(scenario, { vary: ['orchestrator.process=1,3,5'], shard: `${i}/3` }),
      ),
    );
    const merged = merge(parts.map(roundTrip));
    expect(toJson(merged)).toBe(toJson(doc));
    expect('flips' in merged && merged.flips).toHaveLength(1);
  });
});

describe("the verdict by the scenario's objective", () => {
  it("decides by the scenario's objective unless --metric says otherwise, as compare does", async () => {
    // Judged on utilization (higher is better), async, busier while it waits, clears the
    // margin where the work per result is long enough.
    const input: Record<string, unknown> = { ...processingInput(), objective: 'utilization' };
    const scenario = scenarioOf(input);
    const seeds = { start: 0, count: 8 };
    const doc = await sweep(scenario, { seeds, vary: ['orchestrator.process=0,60'] });
    expect(doc.winnerBy).toEqual({ metric: 'utilization', direction: 'higher', margin: 0.05 });
    for (const [i, process] of ['0s', '60s'].entries()) {
      const orchestrator = { ...(input.orchestrator as Record<string, unknown>), process };
      const point = scenarioOf({ ...input, orchestrator });
      // compare with its defaults: the scenario's objective, the 5% margin.
      expect(doc.points[i]!.verdict).toEqual((await compare(point, { seeds })).verdict);
    }
    expect(doc.points.map((p) => p.verdict.recommended)).toEqual(['blocking', 'async(events)']);
    const byMakespan = await sweep(scenario, {
      seeds,
      vary: ['orchestrator.process=0,60'],
      metric: 'makespan',
    });
    expect(byMakespan.points[1]!.verdict.objective).toBe('makespan');
  });
});
