/**
 * The trace holds every fact the metrics count: each per-run metric, recomputed from the
 * trace file by a reader written separately (metrics-from-trace.ts), equals the metric
 * the run measured online, on every bundled scenario and on random worlds.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunMetrics } from '../../src/model/metrics.js';
import { runStrategy } from '../../src/model/run.js';
import type { Strategy } from '../../src/model/strategy.js';
import type { ModelTraceRecord } from '../../src/model/trace-records.js';
import { loadScenario } from '../../src/scenario/load.js';
import { strategyOf } from '../../src/scenario/module-strategy.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { build, strategyArb, worldArb } from './arbitraries.js';
import { metricsFromTrace } from './metrics-from-trace.js';

/** Metrics that count (or copy a recorded value): these must agree exactly. */
const exact = new Set<keyof RunMetrics>([
  'outcome',
  'makespan',
  'tasks',
  'succeeded',
  'givenUp',
  'unresolved',
  'peakInFlight',
  'spawns',
  'retries',
  'redispatches',
  'duplicateSpawns',
  'ghosts',
  'failures',
  'failuresDetected',
  'undetectedFailures',
  'permissionRequests',
  'permissionsDenied',
  'peakContext',
  'compactions',
  'forgottenHandles',
  'wrongCaught',
  'turns',
  'orchestratorOutputTokens',
]);

/** Counts must agree exactly; sums of seconds to within rounding. */
function expectSameMetrics(fromTrace: RunMetrics, online: RunMetrics, where: string): void {
  for (const key of Object.keys(online) as (keyof RunMetrics)[]) {
    const a = fromTrace[key];
    const b = online[key];
    if (exact.has(key) || typeof a !== 'number' || typeof b !== 'number') {
      expect(a, `${where}: ${key}`).toBe(b);
    } else if (Number.isNaN(b)) {
      expect(a, `${where}: ${key}`).toBeNaN();
    } else {
      const off = Math.abs(a - b);
      expect(off, `${where}: ${key} ${a} vs ${b}`).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(b)),
      );
    }
  }
}

function traced(
  world: Parameters<typeof runStrategy>[0]['world'],
  strategy: Strategy,
  seed: number,
) {
  const trace = new MemoryTrace<ModelTraceRecord>();
  const report = runStrategy({ world, strategy, seed, trace, maxEvents: 200_000 });
  return { metrics: report.metrics, jsonl: trace.toJsonl() };
}

const tokens = {
  output: {
    dispatch: 150,
    plan: 900,
    process: 400,
    poll: 30,
    answer: 60,
    synthesize: 2000,
    compaction: 700,
  },
  subagentPerSecond: 25,
};
const prices = {
  orchestrator: { input: 5, cachedInput: 0.5, cacheHitShare: 0.9, output: 25 },
  subagent: { input: 3, cachedInput: 0.3, cacheHitShare: 0.8, output: 15, outputShare: 0.05 },
};

describe('the metrics, recomputed from the trace', () => {
  const dir = 'scenarios';
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it.each(files)('agree with the online metrics on %s', async (file) => {
    const scenario = await loadScenario(join(dir, file));
    for (const config of scenario.strategies) {
      const strategy = strategyOf(config);
      for (const seed of [0, 1, 2]) {
        // With token rates and prices, so that the token metrics and the cost have something to agree on.
        const world = { ...scenario.world, tokens, prices };
        const { metrics, jsonl } = traced(world, strategy, seed);
        expectSameMetrics(metricsFromTrace(jsonl), metrics, `${file} ${config.label} seed ${seed}`);
      }
    }
  });

  it('agree with the online metrics on random worlds and strategies', () => {
    let ghosts = 0;
    let deadlocks = 0;
    fc.assert(
      fc.property(worldArb, strategyArb, fc.integer({ min: 0, max: 1000 }), (p, strategy, seed) => {
        const { metrics, jsonl } = traced(build(p), strategy, seed);
        ghosts += metrics.ghosts;
        if (metrics.outcome === 'deadlock') deadlocks++;
        expectSameMetrics(metricsFromTrace(jsonl), metrics, `${strategy.label} seed ${seed}`);
      }),
      { seed: 31337, numRuns: 300 },
    );
    // The sample reaches the verdicts the reader derives (else it would test little).
    expect(ghosts).toBeGreaterThan(0);
    expect(deadlocks).toBeGreaterThan(0);
  });

  it('disagrees when a fact is missing (the comparison can fail)', async () => {
    const scenario = await loadScenario(join(dir, 'hung-subagents.yaml'));
    const config = scenario.strategies[0]!;
    const { metrics, jsonl } = traced(scenario.world, strategyOf(config), 0);
    const withoutDetections = jsonl
      .split('\n')
      .filter((line) => !line.includes('"type":"detect"'))
      .join('\n');
    expect(metrics.failuresDetected).toBeGreaterThan(0);
    expect(() => expectSameMetrics(metricsFromTrace(withoutDetections), metrics, 'cut')).toThrow(
      /failuresDetected/,
    );
  });
});
