/**
 * checkOrchestrator: the invariants on one's own orchestrator, seed by seed, for a test.
 */
import { describe, expect, it } from 'vitest';
import { blockingPolling } from '../../examples/harness/blocking-polling.js';
import { finalAnswerEarly } from '../../examples/harness/final-answer-early.js';
import { checkOrchestrator } from '../../src/harness/check-orchestrator.js';
import { world } from '../../src/model/config.js';
import { LognormalDistribution } from '../../src/sim/distributions/index.js';

const latency = new LognormalDistribution({ median: 60, p95: 300 });
const reviews = world({ tasks: 12, latency, orchestrator: { process: 5, synthesize: 10 } });

describe('checkOrchestrator', () => {
  it("runs the scenario's own seeds against its world and passes a correct orchestrator", async () => {
    const verdict = await checkOrchestrator({
      scenario: new URL('../../scenarios/docs-audit.yaml', import.meta.url),
      orchestrator: blockingPolling(30),
      settings: { timeout: 900, pollInterval: 30 },
    });
    expect(verdict.failures).toEqual([]);
    // docs-audit runs 100 seeds; hangs there are found by the declared 15-minute timeout.
    expect(verdict.seeds).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(verdict.outcomes.every((o) => o.outcome === 'completed')).toBe(true);
  });

  it('reports each broken invariant with its seed and story', async () => {
    const verdict = await checkOrchestrator({
      world: reviews,
      orchestrator: finalAnswerEarly(60),
      settings: { pollInterval: 60 },
      seeds: [0, 1, 2, 3, 4, 5],
    });
    const seed0 = verdict.failures.find((f) => f.seed === 0 && f.invariant === 'runEnds');
    expect(seed0?.message).toMatch(/returned at \d+ s with 1 task unresolved/);
    expect(seed0?.story.split('\n').at(-1)).toBe(seed0?.message);
    expect(seed0?.story).toMatch(/reached the orchestrator/);
  });

  it('refuses what it cannot run, saying what to give', async () => {
    const orchestrator = blockingPolling(30);
    await expect(checkOrchestrator({ orchestrator })).rejects.toThrow(
      /give a `scenario` file or a `world`/,
    );
    await expect(checkOrchestrator({ world: reviews, orchestrator, seeds: [] })).rejects.toThrow(
      /empty list/,
    );
    await expect(checkOrchestrator({ world: reviews, orchestrator, seeds: 0 })).rejects.toThrow(
      /whole number above 0, got 0/,
    );
  });
});
