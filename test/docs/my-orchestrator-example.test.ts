/**
 * examples/harness/my-orchestrator.yaml: an orchestrator module beside the built-in
 * strategy it implements. What its description says is what compare prints, and check
 * passes it, generated workloads included (a task graph generated for the built-in
 * strategy is not the module's).
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

const scenario = 'examples/harness/my-orchestrator.yaml';

interface Comparison {
  readonly metric: string;
  readonly meanDiff: number;
  readonly ci95: readonly [number, number];
}

describe(scenario, () => {
  it("has the built-in strategy's makespan, spawns and turns; other differences within a millisecond", () => {
    const r = cli('compare', scenario, '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { comparisons: Comparison[] };
    const of = (metric: string) => doc.comparisons.find((c) => c.metric === metric)!;
    for (const metric of ['makespan', 'spawns', 'turns', 'succeeded', 'givenUp']) {
      expect(of(metric), metric).toMatchObject({ meanDiff: 0, ci95: [0, 0] });
    }
    for (const metric of ['agentSeconds', 'detectionLatency', 'maxDetectionLatency']) {
      const c = of(metric);
      expect(Math.max(Math.abs(c.ci95[0]), Math.abs(c.ci95[1])), metric).toBeLessThanOrEqual(0.001);
    }
  });

  it('passes check, on its seeds and on generated workloads', () => {
    const r = cli('check', scenario, '--runs', '30');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/my-orchestrator\(wip=10\):[\s\S]*generated 30 workloads/);
  });
});
