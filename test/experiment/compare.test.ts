import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import { UsageError } from '../../src/experiment/errors.js';
import {
  deadlockFinalMetrics,
  finalAtDeadlock,
  metricNames,
} from '../../src/experiment/metric-names.js';
import { toJson } from '../../src/experiment/results.js';
import { runSeeds, seedRange } from '../../src/experiment/run-seeds.js';
import { loadScenario } from '../../src/scenario/load.js';
import { asyncKind } from '../../src/strategies/async.js';
import { scenarioOf, tinyInput } from './helpers.js';

// The worker-thread runs use the compiled dist/ (worker threads cannot load .ts on
// Node 20); test/global-setup.ts builds it when it is missing or older than src/.

describe('compare', () => {
  const scenario = scenarioOf(tinyInput());

  it('writes the documented shape: header, strategies in order, every metric, comparisons against the first', async () => {
    const doc = await compare(scenario);
    expect(Object.keys(doc)).toEqual([
      'format',
      'version',
      'scenario',
      'seeds',
      'baseline',
      'strategies',
      'comparisons',
      'omitted',
      'verdict',
    ]);
    expect(doc.format).toBe('dispatchlab-results');
    expect(doc.version).toBe(2);
    expect(doc.scenario.name).toBe('tiny');
    expect(doc.scenario.inputHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(doc.seeds).toEqual({ start: 0, count: 12 });
    expect(doc.strategies.map((s) => s.label)).toEqual(scenario.strategies.map((s) => s.label));
    expect(doc.baseline).toBe('blocking(timeout=15m,retries=1)');
    for (const s of doc.strategies) {
      expect(Object.keys(s.metrics)).toEqual([...metricNames]);
      expect(s.outcomes.completed + s.outcomes.deadlock).toBe(12);
      expect(s.outcomes.deadlockSeeds).toHaveLength(s.outcomes.deadlock);
      for (const m of Object.values(s.metrics)) expect(m.n + m.undefined + m.infinite).toBe(12);
    }
    // Two strategies that completed every run, on every metric; the one that deadlocked
    // (no-timeout) on the task outcomes only.
    expect(doc.comparisons).toHaveLength(2 * metricNames.length + deadlockFinalMetrics.length);
    expect(doc.comparisons.every((c) => c.b === doc.baseline && c.a !== c.b)).toBe(true);
    expect(doc.comparisons.map((c) => c.metric).slice(0, metricNames.length)).toEqual([
      ...metricNames,
    ]);
    expect(doc.comparisons.filter((c) => c.a === 'no-timeout').map((c) => c.metric)).toEqual(
      metricNames.filter(finalAtDeadlock),
    );
    expect(doc.omitted).toEqual([
      {
        label: 'no-timeout',
        reason: 'deadlock',
        runs: doc.strategies[3]!.outcomes.deadlock,
        metrics: metricNames.filter((m) => !finalAtDeadlock(m)),
      },
    ]);
  });

  it('carries configs as JSON, deadlocks as outcomes and NaN values as counted exclusions', async () => {
    const doc = await compare(scenario);
    const [blocking, , async, noTimeout] = doc.strategies;
    expect(blocking!.config).toEqual({ kind: 'blocking', timeout: 900, retries: 1 });
    expect(async!.config).toStrictEqual({
      kind: 'async',
      wip: 4,
      waveSize: 'unbounded',
      gating: 0,
      continuation: 'polling',
      pollInterval: 30,
      timeout: 900,
      retries: 1,
      resume: false,
      registry: 'durable',
      forgottenTimeout: 'runtime',
    });
    // Every option that applies, in the order its kind's descriptor declares them.
    expect(Object.keys(async!.config)).toEqual([
      'kind',
      ...Object.keys(asyncKind.options).filter((o) => o !== 'validation'),
    ]);
    expect(noTimeout!.config).toEqual({ kind: 'blocking', timeout: 'none', retries: 0 });
    // Hangs with no timeout: some runs deadlock; the timeouts save all the others.
    expect(noTimeout!.outcomes.deadlock).toBeGreaterThan(0);
    expect(blocking!.outcomes).toEqual({
      completed: 12,
      deadlock: 0,
      deadlockSeeds: [],
      incomplete: 0,
      incompleteSeeds: [],
    });
    const runs = runSeeds(scenario, seedRange({ start: 0, count: 12 }));
    expect(noTimeout!.outcomes.deadlockSeeds).toEqual(runs.strategies[3]!.deadlocks);
    // Auto-denied permissions make wrong results with quality.base 1: errorAmplification is undefined there.
    expect(async!.metrics.errorAmplification.undefined).toBeGreaterThan(0);
    const amp = doc.comparisons.find(
      (c) => c.a === async!.label && c.metric === 'errorAmplification',
    )!;
    expect(amp.excluded).toBe(async!.metrics.errorAmplification.undefined);
    expect(amp.n + amp.excluded).toBe(12);
  });

  it('gives byte-identical JSON whatever the number of workers', async () => {
    const inProcess = toJson(await compare(scenario, { workers: 1 }));
    const progress: [number, number][] = [];
    const pooled = toJson(
      await compare(scenario, {
        workers: 2,
        onProgress: (done, total) => progress.push([done, total]),
      }),
    );
    expect(pooled).toBe(inProcess);
    expect(progress[0]).toEqual([0, 12]);
    expect(progress.at(-1)).toEqual([12, 12]);
    const three = toJson(await compare(scenario, { workers: 3, seeds: { start: 0, count: 12 } }));
    expect(three).toBe(inProcess);
  });

  it('compares against the baseline asked for, and names the labels when it does not exist', async () => {
    const batch = 'batch(k=4,timeout=15m,retries=1)';
    const doc = await compare(scenario, { baseline: batch, seeds: { start: 5, count: 3 } });
    expect(doc.baseline).toBe(batch);
    expect(doc.requestedBaseline).toBeUndefined();
    expect(doc.seeds).toEqual({ start: 5, count: 3 });
    expect(doc.comparisons.every((c) => c.b === batch)).toBe(true);
    await expect(compare(scenario, { baseline: 'fastest' })).rejects.toThrow(
      /no strategy is labelled "fastest".*"blocking\(timeout=15m,retries=1\)", "batch/,
    );
    await expect(compare(scenario, { baseline: 'fastest' })).rejects.toBeInstanceOf(UsageError);
  });

  it('rejects bad seeds and worker counts as usage errors', async () => {
    await expect(compare(scenario, { seeds: { start: 0, count: 0 } })).rejects.toThrow(
      /seed count must be a whole number >= 1/,
    );
    await expect(compare(scenario, { seeds: { start: -1, count: 3 } })).rejects.toThrow(
      /first seed/,
    );
    await expect(compare(scenario, { workers: 0 })).rejects.toBeInstanceOf(UsageError);
  });

  it('has null sd and CI with a single seed rather than a zero-width interval', async () => {
    const doc = await compare(scenario, { seeds: { start: 0, count: 1 } });
    const m = doc.strategies[0]!.metrics.makespan;
    expect(m.n).toBe(1);
    expect(m.sd).toBeNull();
    expect(m.ci95).toBeNull();
    expect(doc.comparisons[0]!.ci95).toBeNull();
  });
});

// blocking-no-timeout, listed first, hangs forever in 31 of its 50 runs.
const hung = await loadScenario('scenarios/hung-subagents.yaml');

describe('compare with deadlocks', () => {
  const timed = 'blocking(timeout=10m,retries=2)';

  it('gives the strategy that deadlocked no comparison but on the task outcomes, and says why', async () => {
    const doc = await compare(hung);
    const [noTimeout] = doc.strategies;
    expect(noTimeout!.label).toBe('blocking-no-timeout');
    expect(noTimeout!.outcomes.deadlock).toBe(31);
    expect(noTimeout!.outcomes.deadlockSeeds.slice(0, 5)).toEqual([1, 2, 3, 4, 6]);
    // The reason the comparison must go: stopped at the deadlock, its makespan looks short.
    expect(noTimeout!.metrics.makespan.mean!).toBeLessThan(
      doc.strategies[1]!.metrics.makespan.mean!,
    );
    const involving = doc.comparisons.filter(
      (c) => c.a === noTimeout!.label || c.b === noTimeout!.label,
    );
    expect(involving.map((c) => c.metric)).toEqual([...deadlockFinalMetrics]);
    expect(doc.omitted).toEqual([
      {
        label: 'blocking-no-timeout',
        reason: 'deadlock',
        runs: 31,
        metrics: metricNames.filter((m) => !finalAtDeadlock(m)),
      },
    ]);
  });

  it('compares against the first strategy that completed every run when the baseline deadlocked', async () => {
    const doc = await compare(hung);
    expect(doc.baseline).toBe(timed);
    expect(doc.requestedBaseline).toBe('blocking-no-timeout');
    expect(Object.keys(doc).slice(4, 6)).toEqual(['baseline', 'requestedBaseline']);
    // The others among themselves, on every metric.
    for (const label of doc.strategies.slice(2).map((s) => s.label)) {
      expect(doc.comparisons.filter((c) => c.a === label).map((c) => c.metric)).toEqual([
        ...metricNames,
      ]);
    }
    // The same when the deadlocking baseline is asked for by name.
    const asked = await compare(hung, { baseline: 'blocking-no-timeout' });
    expect(toJson(asked)).toBe(toJson(doc));
    // A baseline that completed every run stays.
    const events = 'async(wip=10,events,timeout=10m,retries=2)';
    const other = await compare(hung, { baseline: events });
    expect(other.baseline).toBe(events);
    expect(other.requestedBaseline).toBeUndefined();
    expect(
      other.comparisons.filter((c) => c.a === 'blocking-no-timeout').map((c) => c.metric),
    ).toEqual([...deadlockFinalMetrics]);
  });

  it('compares on the task outcomes only when every strategy deadlocked', async () => {
    const input = tinyInput();
    const doc = await compare(
      scenarioOf({
        ...input,
        subagents: { ...(input.subagents as object), failures: { hang: 0.3 } },
        strategies: [
          { kind: 'blocking', label: 'a' },
          { kind: 'async', wip: 4, label: 'b' },
        ],
      }),
    );
    expect(doc.strategies.every((s) => s.outcomes.deadlock > 0)).toBe(true);
    expect(doc.baseline).toBe('a');
    expect(doc.requestedBaseline).toBeUndefined();
    expect(doc.comparisons.map((c) => c.metric)).toEqual([...deadlockFinalMetrics]);
    expect(doc.omitted.map((o) => o.label)).toEqual(['a', 'b']);
  });
});

describe('strategy configs in the document', () => {
  it('are valid scenario entries that mean the same strategies', async () => {
    // Unbounded WIP and wave size, polling, validation: the JSON spellings must read back.
    const base = tinyInput();
    const input = {
      ...base,
      strategies: [
        { kind: 'blocking', validation: 0.5 },
        { kind: 'async', wip: 'unbounded', continuation: 'polling', pollInterval: 20 },
        {
          kind: 'async',
          wip: 3,
          waveSize: 2,
          gating: 0.5,
          registry: 'volatile',
          resume: true,
          timeout: 600,
        },
      ],
    };
    const scenario = scenarioOf(input);
    const doc = await compare(scenario, { seeds: { start: 0, count: 2 } });
    const again = scenarioOf({
      ...base,
      strategies: doc.strategies.map((s) => ({ ...s.config, label: s.label })),
    });
    expect(again.strategies).toEqual(scenario.strategies);
  });
});
