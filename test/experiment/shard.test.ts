import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import { MergeError } from '../../src/experiment/errors.js';
import type { PartialDocument } from '../../src/experiment/partial.js';
import { toJson } from '../../src/experiment/results.js';
import {
  compareShard,
  merge,
  parseShard,
  shardSeeds,
  sweepShard,
} from '../../src/experiment/shard.js';
import { sweep } from '../../src/experiment/sweep.js';
import { processingInput, scenarioOf, tinyInput } from './helpers.js';

/** As a merge sees a partial: written to JSON and read back. */
const roundTrip = (doc: PartialDocument): unknown => JSON.parse(toJson(doc));

describe('parseShard and shardSeeds', () => {
  it('reads I/N and deals seeds out round-robin from the start', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, of: 4 });
    expect(shardSeeds({ start: 10, count: 10 }, { index: 2, of: 4 })).toEqual([11, 15, 19]);
    expect(shardSeeds({ start: 0, count: 2 }, { index: 3, of: 3 })).toEqual([]);
  });

  it('rejects what is not I/N with 1 <= I <= N', () => {
    expect(() => parseShard('0/4')).toThrow(/counts from 1 to 4/);
    expect(() => parseShard('5/4')).toThrow(/counts from 1 to 4/);
    expect(() => parseShard('2of4')).toThrow(/write I\/N/);
    expect(() => parseShard('1/0')).toThrow(/at least 1/);
  });
});

describe('shard + merge', () => {
  const scenario = scenarioOf(tinyInput());
  const seeds = { start: 3, count: 11 };

  it('gives exactly the unsharded compare document, byte for byte, in any order', async () => {
    const whole = toJson(await compare(scenario, { seeds, baseline: 'no-timeout' }));
    const parts = await Promise.all(
      [1, 2, 3].map((i) =>
        compareShard(scenario, { seeds, baseline: 'no-timeout', shard: `${i}/3` }),
      ),
    );
    expect(parts.map((p) => p.runs.seeds)).toEqual([
      [3, 6, 9, 12],
      [4, 7, 10, 13],
      [5, 8, 11],
    ]);
    const docs = parts.map(roundTrip);
    expect(toJson(merge(docs))).toBe(whole);
    expect(toJson(merge([docs[2], docs[0], docs[1]]))).toBe(whole);
    // One shard is the whole thing; more shards than seeds leaves some empty.
    expect(
      toJson(
        merge([
          roundTrip(await compareShard(scenario, { seeds, baseline: 'no-timeout', shard: '1/1' })),
        ]),
      ),
    ).toBe(whole);
    const small = { start: 0, count: 2 };
    const many = await Promise.all(
      [1, 2, 3].map((i) => compareShard(scenario, { seeds: small, shard: { index: i, of: 3 } })),
    );
    expect(toJson(merge(many.map(roundTrip)))).toBe(
      toJson(await compare(scenario, { seeds: small })),
    );
  });

  it('gives exactly the unsharded sweep document', async () => {
    const processing = scenarioOf(processingInput());
    const options = {
      seeds: { start: 0, count: 7 },
      vary: ['orchestrator.process=0,30', 'strategies[1].wip=2,unbounded'],
    };
    const whole = toJson(await sweep(processing, options));
    const parts = await Promise.all(
      [1, 2].map((i) => sweepShard(processing, { ...options, shard: `${i}/2`, workers: i })),
    );
    expect(toJson(merge(parts.map(roundTrip)))).toBe(whole);
  });

  it("carries a strategy's validation override, in the document and through a merge", async () => {
    const input = {
      ...tinyInput(),
      quality: { base: 0.7, validation: 0 },
      strategies: [
        { kind: 'blocking', timeout: '15m', label: 'trusting' },
        { kind: 'blocking', timeout: '15m', validation: 0.9, label: 'checking' },
      ],
    };
    const checking = scenarioOf(input);
    const doc = await compare(checking, { seeds });
    const [trusting, checks] = doc.strategies;
    expect(trusting!.config).toStrictEqual({ kind: 'blocking', timeout: 900, retries: 0 });
    expect(checks!.config).toStrictEqual({
      kind: 'blocking',
      timeout: 900,
      retries: 0,
      validation: 0.9,
    });
    expect(Object.keys(checks!.config)).toEqual(['kind', 'timeout', 'retries', 'validation']);
    // The override is what makes them differ: only the checking orchestrator catches wrong results.
    expect(trusting!.metrics.wrongCaught.mean).toBe(0);
    expect(checks!.metrics.wrongCaught.mean).toBeGreaterThan(0);
    // Each config, labelled, is a valid strategy entry of a scenario, and means the same.
    const again = scenarioOf({
      ...input,
      strategies: doc.strategies.map((s) => ({ ...s.config, label: s.label })),
    });
    expect(again.strategies).toEqual(checking.strategies);

    const whole = toJson(doc);
    const parts = await Promise.all(
      [1, 2].map((i) => compareShard(checking, { seeds, shard: `${i}/2` })),
    );
    expect(toJson(merge(parts.map(roundTrip)))).toBe(whole);
    const options = { seeds, vary: ['strategies[1].validation=0.5,1'] };
    const swept = toJson(await sweep(checking, options));
    expect(swept).toContain('"validation": 0.5');
    const sweepParts = await Promise.all(
      [1, 2].map((i) => sweepShard(checking, { ...options, shard: `${i}/2` })),
    );
    expect(toJson(merge(sweepParts.map(roundTrip)))).toBe(swept);
  });

  it('carries forgottenTimeout, none or the default, through a merge', async () => {
    const input = {
      ...tinyInput(),
      context: { perHandle: 100, budget: 150, forgetProbability: 0.5 },
      strategies: [
        { kind: 'async', wip: 2, registry: 'volatile', timeout: '15m' },
        { kind: 'async', wip: 2, registry: 'volatile', timeout: '15m', forgottenTimeout: 'none' },
      ],
    };
    const forgetting = scenarioOf(input);
    expect(forgetting.strategies.map((s) => s.label)).toEqual([
      'async(wip=2,events,timeout=15m,volatile)',
      'async(wip=2,events,timeout=15m,volatile,forgottenTimeout=none)',
    ]);
    const whole = toJson(await compare(forgetting, { seeds }));
    const doc = JSON.parse(whole) as { strategies: { config: Record<string, unknown> }[] };
    expect(doc.strategies[0]!.config.forgottenTimeout).toBe('runtime');
    expect(doc.strategies[1]!.config.forgottenTimeout).toBe('none');
    // The document's configs are valid scenario entries, as the README says.
    expect(() =>
      scenarioOf({ ...input, strategies: doc.strategies.map((s) => s.config) }),
    ).not.toThrow();
    const parts = await Promise.all(
      [1, 2].map((i) => compareShard(forgetting, { seeds, shard: `${i}/2` })),
    );
    expect(toJson(merge(parts.map(roundTrip)))).toBe(whole);
  });

  describe('rejects partials that do not make one experiment', () => {
    const parts = Promise.all(
      [1, 2, 3].map((i) => compareShard(scenario, { seeds, shard: `${i}/3` })),
    ).then((p) => p.map(roundTrip));
    const names = ['s1.json', 's2.json', 's3.json'];

    it('a missing shard', async () => {
      const [a, , c] = await parts;
      expect(() => merge([a, c], ['s1.json', 's3.json'])).toThrow(
        /shard 2\/3 is missing; merge needs all 3 shards/,
      );
      expect(() => merge([a])).toThrow(/shards 2\/3, 3\/3 are missing/);
      expect(() => merge([])).toThrow(MergeError);
    });

    it('a shard given twice', async () => {
      const [a, b, c] = await parts;
      expect(() => merge([a, b, b, c], ['s1.json', 's2.json', 'copy.json', 's3.json'])).toThrow(
        /shard 2\/3 is given twice: s2.json and copy.json/,
      );
    });

    it('a shard of another scenario, other seeds, another split or another baseline', async () => {
      const [a, b] = await parts;
      const changed = tinyInput();
      (changed.orchestrator as Record<string, unknown>).process = '11s';
      const other = roundTrip(await compareShard(scenarioOf(changed), { seeds, shard: '3/3' }));
      expect(() => merge([a, b, other], names)).toThrow(
        /s1.json and s3.json are not shards of the same experiment: they differ in the scenario input \(its hash\)/,
      );
      const otherSeeds = roundTrip(
        await compareShard(scenario, { seeds: { start: 3, count: 12 }, shard: '3/3' }),
      );
      expect(() => merge([a, b, otherSeeds], names)).toThrow(/they differ in the seeds/);
      const otherSplit = roundTrip(await compareShard(scenario, { seeds, shard: '3/4' }));
      expect(() => merge([a, b, otherSplit], names)).toThrow(/they differ in the number of shards/);
      const otherBaseline = roundTrip(
        await compareShard(scenario, { seeds, shard: '3/3', baseline: 'no-timeout' }),
      );
      expect(() => merge([a, b, otherBaseline], names)).toThrow(/they differ in the baseline/);
      const otherObjective = roundTrip(
        await compareShard(scenario, { seeds, shard: '3/3', objective: 'cost' }),
      );
      expect(() => merge([a, b, otherObjective], names)).toThrow(
        /they differ in the verdict rule \(--objective, --margin\)/,
      );
    });

    it('a compare shard written before verdicts: judged on makespan at 5%', async () => {
      const [a, b, c] = await parts;
      const old = structuredClone(c) as Record<string, unknown>;
      delete old.verdictBy;
      expect(toJson(merge([a, b, old], names))).toBe(toJson(merge([a, b, c], names)));
    });

    it('a sweep shard among compare shards', async () => {
      const [a, b] = await parts;
      const sweepPart = roundTrip(
        await sweepShard(scenario, { seeds, shard: '3/3', vary: ['tasks.count=4'] }),
      );
      expect(() => merge([a, b, sweepPart], names)).toThrow(
        /they differ in the kind \(compare or sweep\)/,
      );
    });

    it('documents that are not partials, or have been tampered with', async () => {
      const [a, b, c] = await parts;
      const results = JSON.parse(
        toJson(await compare(scenario, { seeds: { start: 0, count: 2 } })),
      );
      expect(() => merge([results], ['results.json'])).toThrow(
        /results.json is not a partial document \(its format is "dispatchlab-results"\)/,
      );
      expect(() => merge([{ ...(a as object), version: 2 }])).toThrow(/version 2/);
      const short = structuredClone(c) as {
        runs: { strategies: { values: { makespan: unknown[] } }[] };
      };
      short.runs.strategies[0]!.values.makespan.pop();
      expect(() => merge([a, b, short], names)).toThrow(
        /s3.json: strategy "blocking\(timeout=15m,retries=1\)" has 2 values of makespan for 3 seeds/,
      );
      const wrongSeeds = structuredClone(c) as { runs: { seeds: number[] } };
      wrongSeeds.runs.seeds = [4, 7, 10];
      expect(() => merge([a, b, wrongSeeds], names)).toThrow(
        /s3.json \(shard 3\/3\) does not hold its share/,
      );
      const missingMetric = structuredClone(c) as {
        runs: { strategies: { values: Record<string, unknown> }[] };
      };
      delete missingMetric.runs.strategies[1]!.values.ghosts;
      expect(() => merge([a, b, missingMetric], names)).toThrow(
        /s3.json is not a valid partial document/,
      );
      // A strategy's config must be one its kind's descriptor writes, as it writes it.
      const config = (wip: unknown, drop?: string) => {
        const part = structuredClone(c) as { strategies: { config: Record<string, unknown> }[] };
        const written = part.strategies[2]!.config;
        written.wip = wip;
        if (drop !== undefined) delete written[drop];
        return part;
      };
      expect(() => merge([a, b, config(0)], names)).toThrow(
        /s3.json is not a valid partial document.*async wip must be a whole number >= 1/s,
      );
      expect(() => merge([a, b, config(4, 'forgottenTimeout')], names)).toThrow(
        /s3.json is not a valid partial document.*is not a configuration dispatchlab writes; it would be .*"forgottenTimeout":"runtime"/s,
      );
      expect(() => merge([a, b, config(4)], names)).not.toThrow();
    });
  });
});
