/**
 * The generated workloads of `dispatchlab check` (src/experiment/workload-variations.ts,
 * generated-check.ts) in-process: what the generator varies and what only where asked,
 * that every variation is a valid scenario, that generation is a function of its seed,
 * that a regression is replayed before anything is generated, and that a counterexample
 * written as YAML is a scenario that breaks the same way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { counterexampleYaml } from '../../src/experiment/counterexample-yaml.js';
import { checkGenerated, variedScenario } from '../../src/experiment/generated-check.js';
import {
  applyVariation,
  maxGeneratedTasks,
  workloadVariations,
} from '../../src/experiment/workload-variations.js';
import { invariants } from '../../src/invariants/index.js';
import { expectSafe, UnsafeStrategyError } from '../../src/report/expect-safe.js';
import { loadScenario } from '../../src/scenario/load.js';
import { strategyOf } from '../../src/scenario/module-strategy.js';
import type { AnyScenario } from '../../src/scenario/parse.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { propertyRuns } from '../property-budget.js';

const runs = propertyRuns;

/** Samples of the variations generated for strategy `index` of `scenario`. */
function samples(scenario: AnyScenario, index: number, n = 300) {
  const arbitrary = workloadVariations(
    scenario,
    strategyOf(scenario.strategies[index]!, scenario.kinds),
  );
  return fc.sample(arbitrary, { numRuns: n, seed: 11 });
}

describe('the generated workloads', () => {
  it('vary every dimension, within their bounds', async () => {
    const scenario = await loadScenario('scenarios/docs-audit.yaml');
    const seen = new Set<string>();
    for (const v of samples(scenario, 2)) {
      for (const key of Object.keys(v)) seen.add(key);
      if (v.tasks !== undefined) {
        expect(v.tasks).toBeGreaterThanOrEqual(1);
        expect(v.tasks).toBeLessThanOrEqual(Math.min(maxGeneratedTasks, 150));
      }
      if (v.latency !== undefined) seen.add(`latency:${v.latency.dist}`);
      if (v.failures?.hang !== undefined) seen.add('hang');
      if (v.orchestrator?.process === 0) seen.add('free processing');
    }
    expect([...seen].sort()).toEqual(
      [
        'tasks',
        'dependencies',
        'latency',
        'failures',
        'orchestrator',
        'context',
        'latency:fixed',
        'latency:empirical',
        'latency:exponential',
        'latency:lognormal',
        'latency:pareto',
        'hang',
        'free processing',
      ].sort(),
    );
  });

  it('give hangs only where the scenario has them or the strategy has a timeout, compaction only where the scenario compacts or the registry is durable', () => {
    const input = {
      name: 'rules',
      description: 'which dimensions are generated for which strategy',
      tasks: 5,
      subagents: { latency: { dist: 'fixed', value: 60 } },
      strategies: [
        { kind: 'async', wip: 2, registry: 'volatile', label: 'volatile-no-timeout' },
        { kind: 'async', wip: 2, timeout: '10m', label: 'durable-with-timeout' },
      ],
    };
    const scenario = parseScenario(input, { source: 'rules', baseDir: '.' });
    const bare = samples(scenario, 0);
    expect(bare.some((v) => v.failures?.hang !== undefined)).toBe(false);
    expect(bare.some((v) => v.context !== undefined)).toBe(false);
    const careful = samples(scenario, 1);
    expect(careful.some((v) => v.failures?.hang !== undefined)).toBe(true);
    expect(careful.some((v) => v.context !== undefined)).toBe(true);
    // Forgetting varies only where the scenario forgets.
    expect(careful.some((v) => v.context?.forgetProbability !== undefined)).toBe(false);
    const compacting = parseScenario(
      { ...input, context: { perResult: 100, budget: 1000, forgetProbability: 0.1 } },
      { source: 'rules', baseDir: '.' },
    );
    const forgetful = samples(compacting, 0);
    expect(forgetful.some((v) => v.context?.forgetProbability !== undefined)).toBe(true);
    expect(forgetful.some((v) => v.failures?.hang !== undefined)).toBe(false);
  });

  it('are always valid scenarios: every variation of every bundled scenario parses', async () => {
    for (const name of [
      'docs-audit',
      'frequent-compaction',
      'chain-dependencies',
      'hung-subagents',
    ]) {
      const scenario = await loadScenario(`scenarios/${name}.yaml`);
      scenario.strategies.forEach((_, i) => {
        for (const v of samples(scenario, i, runs(100)))
          expect(() => variedScenario(scenario, applyVariation(scenario.input, v))).not.toThrow();
      });
    }
  });
});

describe('checkGenerated', () => {
  it('is a function of its seed: the same seed, the same runs and tallies; another seed, other workloads', async () => {
    const scenario = await loadScenario('scenarios/small-team.yaml');
    const a = checkGenerated(scenario, 1, { invariants, runs: runs(30), seed: 5 });
    const b = checkGenerated(scenario, 1, { invariants, runs: runs(30), seed: 5 });
    const c = checkGenerated(scenario, 1, { invariants, runs: runs(30), seed: 6 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.counterexample).toBeUndefined();
    expect(a.runs).toBe(runs(30));
    for (const t of a.tallies) expect(t.pass + t.fail + t.vacuous).toBe(a.runs);
    expect(JSON.stringify(c.tallies)).not.toBe(JSON.stringify(a.tallies));
  });

  it('replays a regression before generating, and takes it as the counterexample when it breaks again', async () => {
    const scenario = await loadScenario('test/mutants/strategies/mutants.yaml');
    const index = scenario.strategies.findIndex((s) => s.label === 'caps-at-forty');
    const r = checkGenerated(scenario, index, {
      invariants,
      runs: 100,
      seed: 0,
      regressions: [
        { seed: 3, workload: { tasks: 12 } },
        { seed: 1, workload: { tasks: 45 } },
      ],
    });
    expect(r.replayed).toBe(2);
    expect(r.runs).toBe(0);
    expect(r.counterexample).toMatchObject({
      fromRegression: true,
      seed: 1,
      variation: { tasks: 45 },
      changed: ['tasks.count'],
    });
    expect(r.counterexample!.breaches.map((b) => b.invariant)).toEqual(['runEnds']);
  });

  it('writes a counterexample as a scenario that breaks the same way, its module found from the new folder', async () => {
    const scenario = await loadScenario('test/mutants/strategies/mutants.yaml');
    const index = scenario.strategies.findIndex((s) => s.label === 'caps-at-forty');
    const r = checkGenerated(scenario, index, { invariants, runs: 100, seed: 0 });
    const c = r.counterexample!;
    expect(c.variation).toEqual({ tasks: 41 });
    const text = counterexampleYaml({
      scenario,
      counterexample: c,
      label: 'caps-at-forty',
      dir: 'out/counterexamples',
      replay: 'dispatchlab check …',
    });
    const data = parse(text) as Record<string, unknown> & { strategies: { module: string }[] };
    expect(data.$schema).toBeUndefined();
    expect(data.strategies).toEqual([{ module: '../../test/mutants/strategies/caps-at-forty.ts' }]);
    expect(data.seeds).toEqual({ start: c.seed, count: 1 });
    expect(text).toMatch(/count: 41 # changed \(the scenario's: 10\)/);
    for (const path of c.irrelevant) {
      const key = path.split('.').at(-1)!;
      expect(text, path).toMatch(
        new RegExp(`${key}: .* #[^\\n]*did not matter|#[^\\n]*did not matter\\n\\s*${key}:`),
      );
    }
    // Read back from that folder, it is the same counterexample.
    const again = parseScenario(data, {
      source: 'counterexample',
      baseDir: 'out/counterexamples',
      modules: scenario.modules,
    });
    expect(again.world.tasks.count).toBe(41);
  });
});

describe('expectSafe', () => {
  it("throws check's report for a broken module, with a replay command check takes", async () => {
    const error = await expectSafe({
      scenario: 'scenarios/small-team.yaml',
      strategyModule: 'test/mutants/strategies/caps-at-forty.ts',
      runs: 30,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeStrategyError);
    const message = (error as UnsafeStrategyError).message;
    expect(message).toMatch(/workload: tasks\.count: 41; seed 0/);
    expect(message).toMatch(
      /replay: dispatchlab check scenarios\/small-team\.yaml --strategy-module \S+caps-at-forty\.ts --runs 30 \(writes the minimal scenario\)/,
    );
    expect(message).not.toMatch(/exit code/);
    expect((error as UnsafeStrategyError).document.failed).toBeGreaterThan(0);
    await expect(
      expectSafe({ scenario: 'scenarios/small-team.yaml', runs: 10 }),
    ).resolves.toMatchObject({ failed: 0 });
  });

  it('checks an orchestrator module, through the harness, with a replay naming it', async () => {
    const error = await expectSafe({
      scenario: 'test/fixtures/orchestrators/one.yaml',
      orchestratorModule: 'test/fixtures/orchestrators/final-answer-early.ts',
      runs: 20,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeStrategyError);
    const message = (error as UnsafeStrategyError).message;
    expect(message).toMatch(/runEnds/);
    expect(message).toMatch(
      /dispatchlab check test\/fixtures\/orchestrators\/one\.yaml --orchestrator-module \S+final-answer-early\.ts/,
    );
    expect(message).not.toMatch(/--strategy /);
    await expect(
      expectSafe({
        scenario: 'test/fixtures/orchestrators/one.yaml',
        orchestratorModule: 'test/fixtures/orchestrators/blocking-polling.ts',
        runs: 20,
      }),
    ).resolves.toMatchObject({ failed: 0 });
    await expect(
      expectSafe({ strategyModule: 'x.ts', orchestratorModule: 'y.ts' }),
    ).rejects.toThrow(/not both/);
  });
});
