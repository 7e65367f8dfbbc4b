/**
 * The bundled scenarios (scenarios/*.yaml): each one loads, and each one demonstrates
 * what its description claims. The claims are checked with numbers over the scenario's
 * own seeds (0..count-1, fixed, so the test is deterministic), mostly as paired
 * differences between strategies run on the same seeds (common random numbers), whose
 * 95% confidence interval must lie on the claimed side of 0.
 *
 * A new scenario file is picked up automatically, and fails here until it has a claim.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareDocument, scenarioHeader, strategyHeaders } from '../../src/experiment/compare.js';
import { runSeeds } from '../../src/experiment/run-seeds.js';
import { pairedDifference, type Summary, summarize } from '../../src/experiment/stats.js';
import type { Verdict } from '../../src/experiment/verdict.js';
import type { RunMetrics } from '../../src/model/metrics.js';
import { runStrategy } from '../../src/model/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { strategyOf } from '../../src/scenario/module-strategy.js';
import { parseScenario, type Scenario } from '../../src/scenario/parse.js';
import type { StrategyConfig } from '../../src/strategies/config.js';

const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
  .sort();

/** Per strategy (in the file's order), the metrics of seeds 0..seeds-1. */
type Runs = readonly (readonly RunMetrics[])[];

function run(sc: Scenario, seeds = sc.seeds.count): Runs {
  return sc.strategies.map((config) => {
    const strategy = strategyOf(config);
    return Array.from(
      { length: seeds },
      (_, seed) => runStrategy({ world: sc.world, strategy, seed }).metrics,
    );
  });
}

type Metric = (m: RunMetrics) => number;

function values(runs: Runs, i: number, metric: Metric): number[] {
  return runs[i]!.map(metric);
}

/** Strategy a minus strategy b, seed by seed. */
function diff(runs: Runs, a: number, b: number, metric: Metric): Summary {
  return pairedDifference(values(runs, a, metric), values(runs, b, metric));
}

const show = (s: Summary) =>
  `mean ${s.mean.toFixed(3)}, 95% CI [${s.ci95[0].toFixed(3)}, ${s.ci95[1].toFixed(3)}] (n=${s.n})`;

function expectBelowZero(s: Summary, what: string): void {
  expect(s.ci95[1], `${what}: ${show(s)}`).toBeLessThan(0);
}

function expectAboveZero(s: Summary, what: string): void {
  expect(s.ci95[0], `${what}: ${show(s)}`).toBeGreaterThan(0);
}

/** The claims below refer to strategies by position: pin what each position is. */
function expectStrategies(sc: Scenario, expected: readonly Partial<StrategyConfig>[]): void {
  expect(sc.strategies).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    expect(sc.strategies[i], `strategies[${i}]`).toMatchObject(e);
  });
}

/** The same scenario with a change to its input (as a sweep would make it). */
function variant(sc: Scenario, change: (input: Scenario['input']) => void): Scenario {
  const input = structuredClone(sc.input);
  change(input);
  return parseScenario(input, { source: `${sc.source} (variant)`, baseDir: sc.baseDir });
}

/**
 * The most async can save on blocking when the orchestrator's only work is per result: the
 * processing of every result but the last (done while the last runs), and a turn for the
 * last result and for each failure blocking is woken to re-dispatch, since async may
 * already be in a turn when it hears of them.
 */
function overlapBound(sc: Scenario, blocking: RunMetrics): number {
  const { process, turn } = sc.world.orchestrator;
  if (typeof turn !== 'number') throw new Error('a fixed turn cost is assumed');
  return (sc.world.tasks.count - 1) * process + (1 + blocking.retries) * turn;
}

/** The tool's verdict on a scenario (as `compare` gives it), with strategies by position. */
interface Decision {
  readonly verdict: Verdict;
  readonly reference: number | undefined;
  readonly recommended: number | undefined;
  /** Position → the kinds of reason it is unsafe for. */
  readonly unsafe: ReadonlyMap<number, string>;
}

function decide(sc: Scenario): Decision {
  const seeds = Array.from({ length: sc.seeds.count }, (_, i) => sc.seeds.start + i);
  const doc = compareDocument(
    scenarioHeader(sc),
    sc.seeds,
    strategyHeaders(sc),
    runSeeds(sc, seeds),
    undefined,
  );
  const v = doc.verdict;
  const at = (label: string | null) =>
    label === null ? undefined : sc.strategies.findIndex((s) => s.label === label);
  return {
    verdict: v,
    reference: at(v.reference),
    recommended: at(v.recommended),
    unsafe: new Map(v.unsafe.map((u) => [at(u.label)!, u.reasons.map((r) => r.kind).join(', ')])),
  };
}

/** The verdict keeps `reference`: it is the simplest safe strategy, and nothing clears the margin. */
function expectKept(sc: Scenario, reference: number, where = ''): Decision {
  const d = decide(sc);
  const what = `${where}: ${JSON.stringify(d.verdict)}`;
  expect(d.unsafe.size, what).toBe(0);
  expect([d.reference, d.recommended], what).toEqual([reference, reference]);
  return d;
}

const makespan: Metric = (m) => m.makespan;
const eps = 1e-6;

const claims: Record<string, (sc: Scenario) => void> = {
  'docs-audit': (sc) => {
    expectStrategies(sc, [
      { kind: 'blocking' },
      { kind: 'batch', size: 10 },
      { kind: 'async', wip: 10, waveSize: 10 },
    ]);
    const runs = run(sc);
    const [blocking, batch, async] = [0, 1, 2];
    expectBelowZero(diff(runs, async, blocking, makespan), 'makespan, async - blocking');
    expectBelowZero(
      diff(runs, async, blocking, (m) => m.idleTime),
      'idle time, async - blocking',
    );
    expectBelowZero(diff(runs, async, batch, makespan), 'makespan, async - batch');
    // "Far sooner than batches": async gains more on batches than on blocking, i.e. batches
    // are slower than blocking too (the difference of the two gains is batch - blocking).
    expectAboveZero(diff(runs, batch, blocking, makespan), 'makespan, batch - blocking');
    for (const r of runs) {
      for (const m of r) {
        expect(m.outcome).toBe('completed');
        expect(m.undetectedFailures).toBe(0);
      }
    }
    expect(summarize(values(runs, blocking, (m) => m.failures)).ci95[0]).toBeGreaterThan(0);
    // The rule recommends async: its gain clears the margin against blocking, the reference.
    const d = decide(sc);
    expect([d.reference, d.recommended]).toEqual([blocking, async]);
    // What the win costs: about ten more turns, and more money, though under 1% more.
    const turns = diff(runs, async, blocking, (m) => m.turns);
    expect(turns.ci95[0], `turns ${show(turns)}`).toBeGreaterThan(8);
    expect(turns.ci95[1], `turns ${show(turns)}`).toBeLessThan(12);
    const cost = diff(runs, async, blocking, (m) => m.cost);
    expectAboveZero(cost, 'cost, async - blocking');
    const blockingCost = summarize(values(runs, blocking, (m) => m.cost));
    expect(cost.ci95[1], `cost ${show(cost)} of ${show(blockingCost)}`).toBeLessThan(
      0.01 * blockingCost.mean,
    );
  },

  'no-work-during-waits': (sc) => {
    expectStrategies(sc, [{ kind: 'blocking' }, { kind: 'async', wip: Number.POSITIVE_INFINITY }]);
    const [blocking, async] = [0, 1];
    const runs = run(sc);
    // Async can overlap only the per-result forwarding with the wait, and a few turns.
    values(runs, blocking, makespan).forEach((b, seed) => {
      const saving = b - runs[async]![seed]!.makespan;
      expect(saving, `seed ${seed}`).toBeGreaterThanOrEqual(-eps);
      expect(saving, `seed ${seed}`).toBeLessThanOrEqual(
        overlapBound(sc, runs[blocking]![seed]!) + eps,
      );
    });
    // The rule keeps blocking: async's gain is within the margin...
    expectKept(sc, blocking);
    // ... under 20 seconds on a job of about 20 minutes...
    const saving = diff(runs, blocking, async, makespan);
    const job = summarize(values(runs, blocking, makespan));
    expect(saving.ci95[1], `saving ${show(saving)}`).toBeLessThan(20);
    expect(job.mean, `job ${show(job)}`).toBeGreaterThan(15 * 60);
    expect(job.mean, `job ${show(job)}`).toBeLessThan(25 * 60);
    // ... and it costs a turn per result, several times the tokens read, and more money.
    expectAboveZero(
      diff(runs, async, blocking, (m) => m.turns),
      'turns, async - blocking',
    );
    const read = (i: number) => summarize(values(runs, i, (m) => m.orchestratorInputTokens));
    expect(read(async).ci95[0], 'tokens read').toBeGreaterThan(3 * read(blocking).ci95[1]);
    expectAboveZero(
      diff(runs, async, blocking, (m) => m.cost),
      'cost, async - blocking',
    );
    // Over the range of per-result work the description states (up to 3 s a result)...
    for (const process of ['0s', '2s', '3s']) {
      const v = variant(sc, (input) => {
        input.orchestrator!.process = process;
      });
      expectKept(v, blocking, `process ${process}`);
    }
    // ... and no further: at 5 s a result, async clears the margin.
    const busier = variant(sc, (input) => {
      input.orchestrator!.process = '5s';
    });
    expect(decide(busier).recommended, 'process 5s').toBe(async);
  },

  'chain-dependencies': (sc) => {
    expect(sc.world.tasks.dependencies.shape).toBe('chain');
    expectStrategies(sc, [{ kind: 'blocking' }, { kind: 'batch' }, { kind: 'async' }]);
    // Whatever the review work after each step: nothing overlaps, everything is the same.
    for (const process of [undefined, '0s', '2m']) {
      const v =
        process === undefined
          ? sc
          : variant(sc, (input) => {
              input.orchestrator!.process = process;
            });
      const runs = run(v);
      for (const other of [1, 2]) {
        for (const metric of ['makespan', 'turns', 'orchestratorInputTokens', 'cost'] as const) {
          expect(
            values(runs, other, (m) => m[metric]),
            `${metric}, process ${process}`,
          ).toEqual(values(runs, 0, (m) => m[metric]));
        }
      }
      // Only one subagent can run at a time.
      for (const r of runs) for (const m of r) expect(m.peakInFlight).toBe(1);
      // With nothing to gain, the rule keeps the simplest.
      expectKept(v, 0, `process ${process}`);
    }
  },

  'small-team': (sc) => {
    expect(sc.world.tasks.count).toBe(2);
    expectStrategies(sc, [{ kind: 'blocking' }, { kind: 'async' }]);
    const [blocking, async] = [0, 1];
    // Teams of 1 to 3 subagents: async saves at most a review per subagent but the last,
    // within the margin; it costs turns and money. The rule keeps blocking.
    for (const team of [1, 2, 3]) {
      const v = variant(sc, (input) => {
        input.tasks.count = team;
      });
      const runs = run(v);
      values(runs, blocking, makespan).forEach((b, seed) => {
        const saving = b - runs[async]![seed]!.makespan;
        const where = `team ${team}, seed ${seed}`;
        expect(saving, where).toBeGreaterThanOrEqual(-eps);
        expect(saving, where).toBeLessThanOrEqual(overlapBound(v, runs[blocking]![seed]!) + eps);
      });
      expectKept(v, blocking, `team of ${team}`);
      if (team > 1) {
        expectAboveZero(
          diff(runs, async, blocking, (m) => m.turns),
          `turns, team of ${team}`,
        );
        expectAboveZero(
          diff(runs, async, blocking, (m) => m.cost),
          `cost, team of ${team}`,
        );
      }
    }
    // The control: twenty such tasks, where async clears the margin.
    const large = variant(sc, (input) => {
      input.tasks.count = 20;
    });
    expect(decide(large).recommended, 'a team of 20').toBe(async);
  },

  'frequent-compaction': (sc) => {
    expectStrategies(sc, [
      { kind: 'blocking' },
      { kind: 'async', registry: 'volatile' },
      { kind: 'async', registry: 'durable' },
    ]);
    const [blocking, volatile, durable] = [0, 1, 2];
    const runs = run(sc);
    expectAboveZero(summarize(values(runs, volatile, (m) => m.ghosts)), 'volatile: ghosts');
    expectAboveZero(
      summarize(values(runs, volatile, (m) => m.duplicateSpawns)),
      'volatile: duplicate spawns',
    );
    // The ghosts' and duplicates' work is wasted, and paid for.
    for (const metric of ['agentSeconds', 'wastedTokens', 'cost'] as const) {
      expectAboveZero(
        diff(runs, volatile, durable, (m) => m[metric]),
        `${metric}, volatile - durable`,
      );
    }
    for (const i of [blocking, durable]) {
      for (const m of runs[i]!) {
        expect(m.ghosts).toBe(0);
        expect(m.duplicateSpawns).toBe(0);
        expect(m.wastedGhost).toBe(0);
      }
      // Not for want of compactions: every strategy compacts several times per run.
      const compactions = summarize(values(runs, i, (m) => m.compactions));
      expect(compactions.ci95[0], `compactions: ${show(compactions)}`).toBeGreaterThan(3);
    }
    // The rule sets the volatile registry aside as unsafe; the durable one, the remedy,
    // clears the margin against blocking and is recommended.
    const d = decide(sc);
    expect(d.unsafe.get(volatile)).toBe('ghosts');
    expect([d.reference, d.recommended]).toEqual([blocking, durable]);
    // Unsafe whatever the chance of forgetting a handle, from 5% to 30% a compaction.
    for (const forget of [0.05, 0.3]) {
      const v = variant(sc, (input) => {
        input.context!.forgetProbability = forget;
      });
      expect(decide(v).unsafe.get(volatile), `forget ${forget}`).toBe('ghosts');
    }
  },

  'hung-subagents': (sc) => {
    expectStrategies(sc, [
      { kind: 'blocking', timeout: Number.POSITIVE_INFINITY },
      { kind: 'blocking' },
      { kind: 'async', continuation: 'events' },
      { kind: 'async', continuation: 'polling' },
    ]);
    const seeds = sc.seeds.count;
    const noTimeout = strategyOf(sc.strategies[0]!);
    const reports = Array.from({ length: seeds }, (_, seed) =>
      runStrategy({ world: sc.world, strategy: noTimeout, seed }),
    );
    const deadlocked = reports.map((r): number => (r.metrics.outcome === 'deadlock' ? 1 : 0));
    for (const r of reports) {
      // A run deadlocks exactly when a hang went unnoticed, and the report names it.
      expect(r.metrics.outcome === 'deadlock').toBe(r.metrics.undetectedFailures > 0);
      if (r.metrics.outcome === 'deadlock') {
        expect(r.deadlock).toMatch(/waits for event 'the reply of a hung subagent/);
      }
    }
    // The share of deadlocked runs is the chance that one of the first attempts hangs.
    const share = summarize(deadlocked);
    const expected = 1 - (1 - sc.world.subagents.failures.hang) ** sc.world.tasks.count;
    expect(share.ci95[0], `deadlocked share ${show(share)}`).toBeGreaterThan(0);
    expect(share.ci95[0], `deadlocked share ${show(share)}`).toBeLessThanOrEqual(expected);
    expect(share.ci95[1], `deadlocked share ${show(share)}`).toBeGreaterThanOrEqual(expected);

    const runs = run(sc);
    for (const i of [1, 2, 3]) {
      for (const m of runs[i]!) {
        expect(m.outcome).toBe('completed');
        expect(m.failuresDetected).toBe(m.failures);
        expect(m.undetectedFailures).toBe(0);
      }
      const failures = values(runs, i, (m) => m.failures).reduce((a, b) => a + b, 0);
      expect(failures).toBeGreaterThanOrEqual(deadlocked.reduce((a, b) => a + b, 0));
    }
  },

  'bag-of-agents': (sc) => {
    expectStrategies(sc, [
      { kind: 'async', wip: Number.POSITIVE_INFINITY, gating: 0 },
      { kind: 'async', wip: 5 },
    ]);
    const runs = run(sc);
    const [bag, limited] = [0, 1];
    expectAboveZero(
      diff(runs, limited, bag, (m) => m.correctShare),
      'correct share, WIP-limited - bag',
    );
    expectBelowZero(
      diff(runs, limited, bag, (m) => m.errorAmplification),
      'error amplification, WIP-limited - bag',
    );
    const twoThirdsOfBag = pairedDifference(
      values(runs, limited, (m) => m.errorAmplification),
      values(runs, bag, (m) => (2 / 3) * m.errorAmplification),
    );
    expectBelowZero(twoThirdsOfBag, 'error amplification, WIP-limited - 2/3 of the bag');
    expectBelowZero(
      diff(runs, limited, bag, (m) => m.compactions),
      'compactions, WIP-limited - bag',
    );
    // The price: a longer makespan.
    expectAboveZero(diff(runs, limited, bag, makespan), 'makespan, WIP-limited - bag');
    for (const m of runs[limited]!) expect(m.peakInFlight).toBeLessThanOrEqual(5);
    expect(summarize(values(runs, bag, (m) => m.peakInFlight)).mean).toBeGreaterThan(5);
  },

  'permission-denials': (sc) => {
    expectStrategies(sc, [{ kind: 'blocking' }, { kind: 'batch' }, { kind: 'async' }]);
    const runs = run(sc);
    const [blocking, batch, async] = [0, 1, 2];
    expectBelowZero(
      diff(runs, async, blocking, (m) => m.correctShare),
      'correct share, async - blocking',
    );
    expectBelowZero(
      diff(runs, async, batch, (m) => m.correctShare),
      'correct share, async - batch',
    );
    const answer = sc.world.orchestrator.answer;
    for (const i of [blocking, batch]) {
      for (const m of runs[i]!) {
        expect(m.permissionsDenied).toBe(0);
        expect(m.answerTime).toBeCloseTo(answer * m.permissionRequests, 6);
      }
      expectAboveZero(summarize(values(runs, i, (m) => m.answerTime)), 'answer time');
    }
    for (const m of runs[async]!) {
      expect(m.permissionRequests).toBe(0);
      expect(m.answerTime).toBe(0);
    }
    // The same subagents need a tool in every strategy (common random numbers).
    expect(values(runs, async, (m) => m.permissionsDenied)).toEqual(
      values(runs, blocking, (m) => m.permissionRequests),
    );
  },

  'polling-interval': (sc) => {
    expectStrategies(sc, [
      { kind: 'async', continuation: 'events' },
      { kind: 'async', continuation: 'polling', pollInterval: 10 },
      { kind: 'async', continuation: 'polling', pollInterval: 60 },
      { kind: 'async', continuation: 'polling', pollInterval: 300 },
    ]);
    const runs = run(sc);
    const [events, every10s, every1m, every5m] = [0, 1, 2, 3];
    const pollTime: Metric = (m) => m.pollTime;
    for (const m of runs[events]!) expect(m.pollTime).toBe(0);
    expectAboveZero(diff(runs, every10s, every1m, pollTime), 'poll time, 10s - 1m');
    expectAboveZero(diff(runs, every1m, every5m, pollTime), 'poll time, 1m - 5m');
    expectAboveZero(summarize(values(runs, every5m, pollTime)), 'poll time, 5m');
    for (const polling of [every10s, every1m, every5m]) {
      expectAboveZero(
        diff(runs, polling, events, makespan),
        `makespan, ${sc.strategies[polling]!.label} - events`,
      );
    }
    expectAboveZero(diff(runs, every5m, every1m, makespan), 'makespan, 5m - 1m (polls too rarely)');
    expectAboveZero(
      diff(runs, every10s, every1m, makespan),
      'makespan, 10s - 1m (polls too often)',
    );
  },

  'heavy-tail': (sc) => {
    expectStrategies(sc, [
      { kind: 'blocking', timeout: Number.POSITIVE_INFINITY },
      { kind: 'blocking', timeout: 720 },
      { kind: 'async', timeout: 720 },
    ]);
    const runs = run(sc);
    const [blocking, blockingTimeout, async] = [0, 1, 2];
    expectBelowZero(diff(runs, async, blocking, makespan), 'makespan, async+timeout - blocking');
    expectBelowZero(
      diff(runs, blockingTimeout, blocking, makespan),
      'makespan, blocking+timeout - blocking',
    );
    expectBelowZero(
      diff(runs, async, blockingTimeout, makespan),
      'makespan, async+timeout - blocking+timeout',
    );
    // The stragglers are really cut off and retried.
    expectAboveZero(summarize(values(runs, async, (m) => m.retries)), 'retries, async');
  },

  'measured-latencies': (sc) => {
    expect(sc.world.subagents.latency.kind).toBe('empirical');
    expectStrategies(sc, [
      { kind: 'blocking' },
      { kind: 'batch', size: 8 },
      { kind: 'async', wip: 8 },
    ]);
    const runs = run(sc);
    expectBelowZero(diff(runs, 2, 0, makespan), 'makespan, async - blocking');
    expectBelowZero(diff(runs, 2, 1, makespan), 'makespan, async - batch');
  },
};

describe('bundled scenarios', () => {
  it('are there', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files).toContain('docs-audit.yaml');
  });

  it.each(files)('%s loads, is named after its file and says what it shows', async (file) => {
    const sc = await loadScenario(join(dir, file));
    expect(sc.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(sc.name).toBe(basename(file).replace(/\.ya?ml$/, ''));
    expect(sc.description.length).toBeGreaterThanOrEqual(60);
    expect(sc.strategies.length).toBeGreaterThanOrEqual(2);
    expect(sc.seeds.start).toBe(0);
    expect(sc.seeds.count).toBeGreaterThanOrEqual(30);
    expect(sc.seeds.count).toBeLessThanOrEqual(100);
  });

  it('keep the headline example: 50 pages in waves of 10, three strategies', async () => {
    const sc = await loadScenario(join(dir, 'docs-audit.yaml'));
    expect(sc.world.tasks.count).toBe(50);
    expect(sc.strategies.map((s) => s.kind)).toEqual(['blocking', 'batch', 'async']);
  });
});

describe('each bundled scenario demonstrates its claim', () => {
  it.each(files)('%s', async (file) => {
    const sc = await loadScenario(join(dir, file));
    const claim = claims[sc.name];
    expect(claim, `no claim test for scenario "${sc.name}": add one to claims`).toBeDefined();
    claim!(sc);
  });
});
