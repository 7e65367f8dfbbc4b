/**
 * scenarioWarnings (src/scenario/warnings.ts): what is valid but most likely a mistake, one
 * sentence each naming the file, the field and the fix.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { scenarioWarnings } from '../../src/scenario/warnings.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

function warningsOf(change: Record<string, unknown>): string[] {
  const input = {
    name: 'w',
    description: 'A scenario for the warnings.',
    tasks: 20,
    subagents: { latency: { dist: 'lognormal', median: '2m', p95: '6m' } },
    strategies: ['blocking', { kind: 'async', wip: 4, timeout: '10m', retries: 1 }],
    ...change,
  };
  return scenarioWarnings(parseScenario(input, { source: 'mine.yaml', baseDir: fixtures }));
}

describe('scenarioWarnings', () => {
  it('is empty for a scenario with nothing amiss', () => {
    expect(warningsOf({})).toEqual([]);
    expect(warningsOf({ subagents: { latency: '1m', failures: { error: 0.1 } } })).toEqual([]);
  });

  it('suggests a timeout strictly above the latency, never equal to it', () => {
    const [warning] = warningsOf({ subagents: { latency: '10s', failures: { hang: '5%' } } });
    expect(warning).toMatch(/add timeout: 15s to it \(the latency's p99 is 10s\)/);
  });

  it('names a strategy without a timeout when subagents hang, with a timeout to add', () => {
    expect(
      warningsOf({
        subagents: {
          latency: { dist: 'lognormal', median: '2m', p95: '6m' },
          failures: { hang: '5%' },
        },
      }),
    ).toEqual([
      "mine.yaml: strategies[0] (blocking) has no timeout while subagents hang with probability 0.05 (subagents.failures.hang): its runs deadlock whenever a subagent hangs (a run of 20 tasks meets one with a probability of at least 64%); add timeout: 10m to it (the latency's p99 is 9m28s).",
    ]);
  });

  it('names a timeout shorter than most attempts', () => {
    expect(
      warningsOf({
        strategies: [
          { kind: 'blocking', timeout: '1m' },
          { kind: 'batch', size: 5 },
        ],
      }),
    ).toEqual([
      "mine.yaml: strategies[0] (blocking(timeout=1m)) times out after 1m, but 85% of attempts take longer (the median of subagents.latency is 2m): most tasks will fail and be retried until given up; raise its timeout above the latency's p99 (timeout: 10m), or check the latency's unit.",
    ]);
  });

  it('names an async strategy whose forgotten hangs hold WIP slots for good', () => {
    const warnings = warningsOf({
      subagents: { latency: '1m', failures: { hang: 0.05 } },
      context: { budget: 20_000, perResult: 3000, forgetProbability: 0.2 },
      strategies: [
        {
          kind: 'async',
          wip: 4,
          timeout: '10m',
          registry: 'volatile',
          forgottenTimeout: 'none',
        },
        { kind: 'async', wip: 4, timeout: '10m', registry: 'volatile' },
      ],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^mine\.yaml: strategies\[0\] \(async\(wip=4,events,timeout=10m,volatile,forgottenTimeout=none\)\) keeps its timeouts only in its context .* holds one of its 4 WIP slots for good, so its runs can deadlock although it has a timeout; write forgottenTimeout: runtime/,
    );
  });

  it('says when latencies look like milliseconds read as seconds (a test the tracker asked for)', () => {
    const warnings = warningsOf({
      subagents: { latency: { dist: 'empirical', file: 'latencies-ms.csv' } },
      strategies: [{ kind: 'blocking', timeout: '15m' }],
    });
    expect(warnings).toEqual([
      "mine.yaml: strategies[0] (blocking(timeout=15m)) times out after 15m, but 100% of attempts take longer (the median of subagents.latency is 13h27m41s): most tasks will fail and be retried until given up; raise its timeout above the latency's p99 (timeout: 72h), or check the latency's unit.",
      'mine.yaml: subagents.latency: the 40 latencies in "latencies-ms.csv" (column "duration") are read as seconds (no unit is given), which makes their median 13h27m41s; if they are milliseconds, add unit: ms (a median of 48.5s); if they really are seconds, add unit: s to say so.',
    ]);
    expect(
      warningsOf({
        subagents: { latency: { dist: 'empirical', file: 'latencies-ms.csv', unit: 'ms' } },
        strategies: [{ kind: 'blocking', timeout: '15m' }],
      }),
    ).toEqual([]);
  });

  it('warns for the one bundled scenario that shows a deadlock on purpose, and no other', async () => {
    const hung = scenarioWarnings(await loadScenario('scenarios/hung-subagents.yaml'));
    expect(hung).toHaveLength(1);
    expect(hung[0]).toMatch(/strategies\[0\] \(blocking-no-timeout\) has no timeout/);
    for (const file of ['docs-audit', 'measured-latencies', 'heavy-tail', 'frequent-compaction']) {
      expect(scenarioWarnings(await loadScenario(`scenarios/${file}.yaml`)), file).toEqual([]);
    }
  });
});
