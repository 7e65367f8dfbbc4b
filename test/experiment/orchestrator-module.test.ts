/**
 * Orchestrator modules in the library: the three forms of a default export, what the scenario
 * layer's copy of the harness's settings gives (the same model settings as the harness's
 * own), the synchronous API refusing what only the asynchronous one can run, and the two
 * drivers of check (check-steps.ts) giving the same document for the same strategies.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, checkScenarioAsync } from '../../src/experiment/check-runs.js';
import { runOrchestratorOnce } from '../../src/experiment/orchestrator-run.js';
import { runSeeds, runSeedsAsync } from '../../src/experiment/run-seeds.js';
import { runOrchestrator } from '../../src/harness/run-orchestrator.js';
import { invariants } from '../../src/invariants/index.js';
import { loadScenario } from '../../src/scenario/load.js';
import { isOrchestratorModule } from '../../src/scenario/orchestrator-module.js';
import type { AnyScenario } from '../../src/scenario/parse.js';
import { scenarioWarnings } from '../../src/scenario/warnings.js';

const polling = 'test/fixtures/orchestrators/polling.yaml';

/** A scenario in a folder of its own, with `files` beside it and `entries` as its strategies. */
async function scenarioWith(
  entries: readonly string[],
  files: Record<string, string>,
): Promise<AnyScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-orchestrator-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const file = join(dir, 'mine.yaml');
  writeFileSync(
    file,
    `name: mine\ndescription: d\ntasks: 3\nsubagents:\n  latency: { dist: fixed, value: 10s }\norchestrator: { synthesize: 5s }\nstrategies:\n${entries.map((e) => `  - ${e}\n`).join('')}seeds: 2\n`,
  );
  return loadScenario(file);
}

/** An orchestrator's code that dispatches every task, waits for each, processes it and answers. */
const body = `
  const ids = [];
  for (let t = 0; t < rt.tasks; t++) ids.push(rt.start(t));
  for (const id of ids) {
    while (rt.check(id).status === 'running') await new Promise((r) => setTimeout(r, 1000));
    await rt.work('process', rt.costs.process, { result: id });
  }
  await rt.work('synthesize', rt.costs.synthesize);
`;

describe('an orchestrator module', () => {
  it('may export the orchestrator itself, an object, a builder from the options, or an object whose method uses `this`', async () => {
    const scenario = await scenarioWith(
      [
        '{ orchestrator: ./plain.mjs }',
        '{ orchestrator: ./object.mjs }',
        '{ orchestrator: ./builder.mjs, options: { every: 2 } }',
        '{ orchestrator: ./instance.mjs, label: mine }',
      ],
      {
        'plain.mjs': `export default async function (rt) {${body}}\n`,
        'object.mjs': `export default { label: 'object', settings: { pollInterval: 1, wip: 3 }, orchestrator: async (rt) => {${body}} };\n`,
        'builder.mjs': `export default (options) => ({ label: 'every ' + options.every, settings: { pollInterval: options.every }, orchestrator: async (rt) => {${body}} });\n`,
        'instance.mjs': `class Mine { constructor() { this.label = 'instance'; } async orchestrator(rt) { this.seen = rt.tasks;${body}} }\nexport default new Mine();\n`,
      },
    );
    expect(scenario.strategies.map((s) => s.label)).toEqual(['plain', 'object', 'every 2', 'mine']);
    expect(scenario.strategies.every(isOrchestratorModule)).toBe(true);
    const object = scenario.strategies[1]!;
    expect(isOrchestratorModule(object) && object.dispatch).toMatchObject({
      wip: 3,
      continuation: { kind: 'polling', interval: 1 },
    });
    const runs = await runSeedsAsync(scenario, [0, 1]);
    for (const s of runs.strategies) {
      expect(s.deadlocks).toEqual([]);
      expect(s.incompletes).toEqual([]);
      // Three tasks of 10 s, seen at the first check past their end, then 5 s to answer.
      expect(s.values.makespan).toEqual([15, 15]);
      expect(s.values.succeeded).toEqual([3, 3]);
    }
  });

  it('is warned about as a strategy is, from the settings it declares', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-orchestrator-'));
    const file = join(dir, 'hangs.yaml');
    const module = join(process.cwd(), 'test/fixtures/orchestrators/blocking-polling.ts');
    writeFileSync(
      file,
      `name: hangs\ndescription: d\ntasks: 3\nsubagents:\n  latency: { dist: fixed, value: 10s }\n  failures: { hang: 0.1 }\nstrategies:\n  - { orchestrator: ${JSON.stringify(module)}, options: { timeout: null } }\n  - { orchestrator: ${JSON.stringify(module)}, label: kept, options: { timeout: 60 } }\n`,
    );
    const warnings = scenarioWarnings(await loadScenario(file));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /strategies\[0\] \(blocking-polling\(10s\)\) has no timeout while subagents hang with probability 0\.1 .*: its runs never end \(they deadlock, or poll forever\) whenever a subagent hangs .*add timeout: 15s to it \(in the settings its orchestrator module ".*blocking-polling\.ts" declares, in seconds\)/,
    );
  });

  it('runs into the metrics the harness gives, its trace naming the scenario', async () => {
    const scenario = await loadScenario(polling);
    const config = scenario.strategies[1]!;
    if (!isOrchestratorModule(config)) throw new Error('the fixture names an orchestrator');
    const report = await runOrchestratorOnce(scenario, config, 5);
    const direct = await runOrchestrator({
      world: scenario.world,
      seed: 5,
      orchestrator: config.code as Parameters<typeof runOrchestrator>[0]['orchestrator'],
      settings: config.settings,
    });
    expect(report.metrics).toEqual(direct.metrics);
  });

  it('is refused by the synchronous runs and check, which say what to call instead', async () => {
    const scenario = await loadScenario(polling);
    expect(() => runSeeds(scenario, [0])).toThrow(/use runSeedsAsync/);
    expect(runSeeds(scenario, []).strategies.map((s) => s.label)).toEqual([
      'blocking(timeout=10m)',
      'blocking-polling(10s)',
    ]);
    expect(() => checkScenario(scenario, { invariants, seeds: { start: 0, count: 1 } })).toThrow(
      /check it with checkScenarioAsync/,
    );
  });
});

describe('check, synchronous and asynchronous', () => {
  it('gives the same document for strategies, on their seeds and generated workloads', async () => {
    // A strategy module that gives up at a deadline: its runs break runEnds, and a
    // counterexample is shrunk and told.
    const scenario = await loadScenario('test/fixtures/strategies/impatient.yaml');
    const options = {
      invariants,
      seeds: { start: 0, count: 6 },
      generate: { runs: 20, seed: 3 },
    };
    const sync = checkScenario(scenario, options);
    const async = await checkScenarioAsync(scenario, options);
    expect(JSON.stringify(async)).toBe(JSON.stringify(sync));
    expect(sync.strategies.some((s) => s.generated?.counterexample !== undefined)).toBe(true);
  });
});
