/**
 * Automatic labels (src/strategies/label.ts), descriptions and scenario entries, for every
 * registered kind, from its descriptor alone: the configurations are drawn from each option's
 * type, so a kind added to kinds.ts is checked here with no change to this file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { canonicalJson } from '../../src/experiment/canonical.js';
import { strategyOf as scenarioStrategy } from '../../src/scenario/module-strategy.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';
import { configEntry, configFromEntry, strategyFromConfig } from '../../src/strategies/config.js';
import { type AnyStrategyDescriptor, defineStrategyKind } from '../../src/strategies/descriptor.js';
import { strategyKindList } from '../../src/strategies/kinds.js';
import { readLabel } from '../../src/strategies/label.js';
import { labelDuration, type OptionSpec } from '../../src/strategies/options.js';

/** Durations around the places where a short form could round two values together. */
const durationArb = fc.oneof(
  fc.constantFrom(0.001, 0.25, 0.2504, 0.25041, 0.9995, 0.9996, 1, 30, 30.0001, 60.001, 90),
  fc.constantFrom(900, 900.0004, 900.0005, 900.0001, 3600, 5400, 3600.5, 86_400),
  fc.integer({ min: 0, max: 10_000_000 }).map((ms) => ms / 1000),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
);

/** The values an option of this type takes, as its kind's function accepts them. */
function valueArb(spec: OptionSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case 'count':
      return fc.integer({ min: 1, max: 50 });
    case 'whole':
      return fc.integer({ min: 0, max: 5 });
    case 'limit':
      return fc.oneof(
        fc.constantFrom(Number.POSITIVE_INFINITY, 'unbounded'),
        fc.integer({ min: 1, max: 50 }),
      );
    case 'share':
      return fc.oneof(
        fc.constantFrom(
          ...(spec.default === undefined ? [undefined] : []),
          0,
          0.1,
          0.3,
          0.1 + 0.2,
          1,
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
      );
    case 'duration': {
      const positive = spec.positive ? durationArb.filter((s) => s >= 0.001) : durationArb;
      return spec.none ? fc.oneof(positive, fc.constant(Number.POSITIVE_INFINITY)) : positive;
    }
    case 'choice':
      return fc.constantFrom(...spec.values);
    case 'flag':
      return fc.boolean();
  }
}

/** A configuration of the kind: any of its options given (the ones it needs always). */
function configArb(kind: AnyStrategyDescriptor): fc.Arbitrary<Record<string, unknown>> {
  const options = Object.entries(kind.options);
  return fc.record(Object.fromEntries(options.map(([name, spec]) => [name, valueArb(spec)])), {
    requiredKeys: options.filter(([, spec]) => !('default' in spec)).map(([name]) => name),
  }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Two configurations: independent, or the second the first with one option changed. */
function pairArb(kind: AnyStrategyDescriptor) {
  const names = Object.keys(kind.options);
  const oneChanged = configArb(kind).chain((a) =>
    fc
      .constantFrom(...names)
      .chain((name) => valueArb(kind.options[name]!).map((v) => [a, { ...a, [name]: v }] as const)),
  );
  return fc.oneof(fc.tuple(configArb(kind), configArb(kind)), oneChanged);
}

const strategyOf = (kind: AnyStrategyDescriptor, config: Record<string, unknown>) =>
  strategyFromConfig({ ...config, kind: kind.kind }, [kind]);

describe.each(strategyKindList.map((k) => [k.kind, k] as const))('kind %s', (_, kind) => {
  it('never gives two different configurations the same automatic label', () => {
    fc.assert(
      fc.property(pairArb(kind), ([a, b]) => {
        const [sa, sb] = [strategyOf(kind, a), strategyOf(kind, b)];
        const same = canonicalJson(sa.description) === canonicalJson(sb.description);
        expect(sa.label === sb.label, `${sa.label} / ${sb.label}`).toBe(same);
      }),
      { numRuns: 3000, seed: 20261130 },
    );
  });

  it('describes every option, and its scenario entry reads back as the same configuration', () => {
    fc.assert(
      fc.property(configArb(kind), (config) => {
        const s = strategyOf(kind, config);
        expect(Object.keys(s.description!)).toEqual(['kind', ...Object.keys(kind.options)]);
        const entry = configEntry({ ...config, kind: kind.kind }, [kind]);
        const again = strategyFromConfig(configFromEntry(entry, [kind]), [kind]);
        expect(again.description).toEqual(s.description);
        expect(again.label).toBe(s.label);
      }),
      { numRuns: 500, seed: 20261130 },
    );
  });

  it('gives labels that read back, written in a scenario file, as the configuration they name', () => {
    fc.assert(
      fc.property(configArb(kind), (config) => {
        const s = strategyOf(kind, config);
        const read = readLabel(strategyKindList, s.label);
        expect(read, s.label).toBeDefined();
        const mapping = `{ ${[`kind: ${read!.kind}`, ...read!.fields.map(([n, v]) => `${n}: ${v}`)].join(', ')} }`;
        const scenario = parseScenario(
          {
            name: 'label',
            description: 'A label read back.',
            tasks: 1,
            subagents: { latency: '1s' },
            strategies: [parse(mapping)],
          },
          { source: 'label.yaml', baseDir: '.' },
        );
        const [config2] = scenario.strategies;
        expect(config2!.label).toBe(s.label);
        expect(scenarioStrategy(config2!).description).toEqual(s.description);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });
});

describe('automatic labels', () => {
  it('read as the headline scenario shows them', () => {
    expect(blocking({ timeout: 900, retries: 1 }).label).toBe('blocking(timeout=15m,retries=1)');
    expect(batch({ size: 10, timeout: 900, retries: 1 }).label).toBe(
      'batch(k=10,timeout=15m,retries=1)',
    );
    expect(asyncDispatch({ wip: 10, waveSize: 10, timeout: 900, retries: 1 }).label).toBe(
      'async(wip=10,wave=10,events,timeout=15m,retries=1)',
    );
  });

  it('show every option that differs from its default, in the order the kind declares them', () => {
    expect(blocking().label).toBe('blocking');
    expect(batch({ size: 2 }).label).toBe('batch(k=2)');
    expect(asyncDispatch().label).toBe('async(events)');
    expect(
      asyncDispatch({
        wip: 4,
        waveSize: 2,
        gating: 0.5,
        continuation: 'polling',
        timeout: 90,
        retries: 2,
        resume: true,
        registry: 'volatile',
        forgottenTimeout: 'none',
        validation: 0.25,
      }).label,
    ).toBe(
      'async(wip=4,wave=2,gate=0.5,polling@30s,timeout=1m30s,retries=2,resume,volatile,forgottenTimeout=none,validation=0.25)',
    );
    expect(blocking({ validation: 0 }).label).toBe('blocking(validation=0)');
  });

  it('tell apart what the labels before them did not (registry, waves, gating, resume, retries)', () => {
    const labels = [
      asyncDispatch({ wip: 10 }),
      asyncDispatch({ wip: 10, registry: 'volatile' }),
      asyncDispatch({ wip: 10, waveSize: 5 }),
      asyncDispatch({ wip: 10, gating: 0.8 }),
      asyncDispatch({ wip: 10, resume: true }),
      asyncDispatch({ wip: 10, retries: 1 }),
      asyncDispatch({ wip: 10, validation: 0.5 }),
    ].map((s) => s.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('write a duration short when that is exact, in full seconds otherwise', () => {
    expect(labelDuration(900)).toBe('15m');
    expect(labelDuration(0.25)).toBe('250ms');
    expect(labelDuration(5400.5)).toBe('1h30m0.5s');
    expect(labelDuration(900.0001)).toBe('900.0001s');
    expect(labelDuration(0.0012345)).toBe('0.0012345s');
    expect(blocking({ timeout: 900.0001 }).label).not.toBe(blocking({ timeout: 900 }).label);
  });

  it('leave out an option that does not apply, everywhere', () => {
    const events = asyncDispatch({ continuation: 'events', pollInterval: 5 });
    expect(events.label).toBe('async(events)');
    expect(events.description).toMatchObject({ continuation: 'events', pollInterval: null });
    expect(configEntry({ kind: 'async', pollInterval: 5 })).not.toHaveProperty('pollInterval');
    expect(asyncDispatch({ continuation: 'polling' }).description?.pollInterval).toBe(30);
  });
});

describe("a kind's function", () => {
  it('refuses values its options do not take, naming the kind and the option', () => {
    expect(() => batch({ size: 0 })).toThrowError('batch size must be a whole number >= 1, got 0');
    expect(() => asyncDispatch({ wip: 2.5 })).toThrowError(
      "async wip must be a whole number >= 1, or 'unbounded', got 2.5",
    );
    expect(() => asyncDispatch({ gating: 1.5 })).toThrowError(
      'async gating must be a share between 0 and 1, got 1.5',
    );
    expect(() => asyncDispatch({ continuation: 'polling', pollInterval: 0 })).toThrowError(
      'async pollInterval must be a number of seconds > 0, got 0',
    );
    expect(() => blocking({ timeout: -1 })).toThrowError(
      'blocking timeout must be a number of seconds >= 0 (Infinity: no timeout), got -1',
    );
    expect(() => blocking({ retries: 1.5 })).toThrowError(
      'blocking retries must be a whole number >= 0, got 1.5',
    );
    expect(() => asyncDispatch({ registry: 'lost' as 'durable' })).toThrowError(
      `async registry must be 'durable' or 'volatile', got "lost"`,
    );
  });

  it('describes the strategy with its kind and every option, defaults included', () => {
    expect(batch({ size: 3 }).description).toEqual({
      kind: 'batch',
      size: 3,
      timeout: null,
      retries: 0,
      validation: null,
    });
  });
});

describe('a descriptor', () => {
  const base = { summary: 'x', build: () => blocking() } as const;
  it('is refused when derivation could not rely on it', () => {
    const refused = (options: Record<string, OptionSpec>) => () =>
      defineStrategyKind({ kind: 'x', ...base, options });
    const flag = { type: 'flag', default: false, description: 'd' } as const;
    expect(refused({ label: flag })).toThrowError(/"label" cannot be an option's name/);
    expect(() => defineStrategyKind({ kind: 'module', ...base, options: {} })).toThrowError(
      /"module" is the kind of strategies from modules/,
    );
    expect(() => defineStrategyKind({ kind: 'orchestrator', ...base, options: {} })).toThrowError(
      /"orchestrator" names orchestrator modules/,
    );
    expect(
      refused({
        later: { ...flag, appliesWhen: { option: 'first', is: true } },
        first: flag,
      }),
    ).toThrowError(/later applies with first, which must be an option declared before it/);
    expect(refused({ a: { ...flag, label: { attached: true } } })).toThrowError(
      /a is attached in labels/,
    );
    expect(
      refused({ a: { type: 'count', example: 1, description: 'd', label: { bare: true } } }),
    ).toThrowError(/only a choice or a flag is shown bare/);
    expect(
      refused({
        a: {
          type: 'choice',
          values: ['on', 'off'],
          default: 'on',
          description: 'd',
          label: { bare: true },
        },
        b: {
          type: 'choice',
          values: ['off', 'x'],
          default: 'x',
          description: 'd',
          label: { bare: true },
        },
      }),
    ).toThrowError(/"off" would stand for two things in its labels/);
    expect(
      refused({ a: { ...flag, label: { name: 'k' } }, b: { ...flag, label: { name: 'k' } } }),
    ).toThrowError(/"k" would stand for two things/);
  });
});
