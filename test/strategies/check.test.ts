/**
 * strategyProblems: what a Strategy from outside dispatchlab (a user's module) is checked
 * for before it runs. Every built-in strategy passes; each way a field can be wrong is named
 * by its field.
 */
import { describe, expect, it } from 'vitest';
import { backgroundDefaults, foregroundDefaults } from '../../src/model/settings.js';
import type { Strategy } from '../../src/model/strategy.js';
import { asyncDispatch } from '../../src/strategies/async.js';
import { batch } from '../../src/strategies/batch.js';
import { blocking } from '../../src/strategies/blocking.js';
import { isStrategy, strategyProblems } from '../../src/strategies/check.js';

const valid: Strategy = {
  label: 'mine',
  settings: { ...backgroundDefaults, wip: 4, timeout: 600, retries: 2 },
  *run(o) {
    yield* o.synthesize();
  },
};

/** The fields named by the problems of `valid` with `change` applied to its settings. */
function settingsFields(change: Record<string, unknown>): string[] {
  return strategyProblems({ ...valid, settings: { ...valid.settings, ...change } }).map(
    (p) => p.field,
  );
}

describe('strategyProblems', () => {
  it('finds nothing wrong with the built-in strategies, nor with a hand-written one', () => {
    for (const s of [
      blocking(),
      blocking({ timeout: 60, retries: 3, validation: 0.5 }),
      batch({ size: 10 }),
      asyncDispatch({ wip: 'unbounded', continuation: 'polling', pollInterval: 30 }),
      asyncDispatch({ wip: 10, registry: 'volatile', forgottenTimeout: 'none', resume: true }),
      valid,
      { ...valid, settings: foregroundDefaults },
    ]) {
      expect(strategyProblems(s), s.label).toEqual([]);
      expect(isStrategy(s)).toBe(true);
    }
  });

  it('refuses what is not an object', () => {
    for (const v of [undefined, null, 3, 'blocking', [valid], () => valid]) {
      const problems = strategyProblems(v);
      expect(problems).toHaveLength(1);
      expect(problems[0]!.field).toBe('');
      expect(problems[0]!.message).toMatch(/not a Strategy: a strategy is an object/);
      expect(isStrategy(v)).toBe(false);
    }
    expect(strategyProblems(Promise.resolve(valid))[0]!.message).toMatch(/is a Promise/);
  });

  it('names a missing label, run or settings', () => {
    const { label: _, ...noLabel } = valid;
    expect(strategyProblems(noLabel).map((p) => p.field)).toEqual(['label']);
    expect(strategyProblems(noLabel, { needsLabel: false })).toEqual([]);
    expect(strategyProblems({ ...noLabel, label: '' }, { needsLabel: false })[0]!.field).toBe(
      'label',
    );
    expect(strategyProblems({ ...valid, run: 'go' })[0]).toEqual({
      field: 'run',
      message:
        'must be the orchestrator\'s program, a generator function (*run(o) { ... }), got "go"',
    });
    expect(strategyProblems({ ...valid, settings: undefined })[0]!.field).toBe('settings');
    const empty = strategyProblems({ ...valid, settings: {} });
    expect(empty).toEqual([
      {
        field: 'settings',
        message:
          "lacks mode, wip, continuation, timeout, retries, registry, resume: build the settings on a default, such as { ...backgroundDefaults, wip: 10 } (or foregroundDefaults; both from 'dispatchlab')",
      },
    ]);
  });

  it('names each setting out of its range, and no other', () => {
    expect(settingsFields({ mode: 'async' })).toEqual(['settings.mode']);
    for (const wip of [0, -1, 2.5, Number.NaN, '10', null]) {
      expect(settingsFields({ wip }), String(wip)).toEqual(['settings.wip']);
    }
    expect(settingsFields({ wip: Number.POSITIVE_INFINITY })).toEqual([]);
    for (const timeout of [-1, Number.NaN, '10m', Number.NEGATIVE_INFINITY]) {
      expect(settingsFields({ timeout }), String(timeout)).toEqual(['settings.timeout']);
    }
    expect(settingsFields({ timeout: 0 })).toEqual([]);
    expect(settingsFields({ timeout: Number.POSITIVE_INFINITY })).toEqual([]);
    for (const retries of [-1, 0.5, Number.POSITIVE_INFINITY, '1']) {
      expect(settingsFields({ retries }), String(retries)).toEqual(['settings.retries']);
    }
    expect(settingsFields({ registry: 'forgetful' })).toEqual(['settings.registry']);
    expect(settingsFields({ resume: 'yes' })).toEqual(['settings.resume']);
    expect(settingsFields({ forgottenTimeout: 'never' })).toEqual(['settings.forgottenTimeout']);
    expect(settingsFields({ forgottenTimeout: undefined })).toEqual([]);
    expect(settingsFields({ validation: 1.5 })).toEqual(['settings.validation']);
    expect(settingsFields({ validation: 0.25 })).toEqual([]);
  });

  it('checks the continuation: events alone, or polling at a finite interval > 0', () => {
    expect(settingsFields({ continuation: 'events' })).toEqual(['settings.continuation']);
    expect(settingsFields({ continuation: { kind: 'push' } })).toEqual([
      'settings.continuation.kind',
    ]);
    expect(settingsFields({ continuation: { kind: 'events', interval: 3 } })).toEqual([
      'settings.continuation',
    ]);
    for (const interval of [0, -1, Number.POSITIVE_INFINITY, undefined]) {
      expect(settingsFields({ continuation: { kind: 'polling', interval } })).toEqual([
        'settings.continuation.interval',
      ]);
    }
    expect(settingsFields({ continuation: { kind: 'polling', interval: 30 } })).toEqual([]);
  });

  it('names a setting that does not exist, so that a misspelt one is not silently ignored', () => {
    const problems = strategyProblems({ ...valid, settings: { ...valid.settings, timout: 60 } });
    expect(problems).toEqual([
      {
        field: 'settings.timout',
        message:
          'is not a setting; the settings are mode, wip, continuation, timeout, retries, registry, resume, forgottenTimeout, validation',
        unknownSetting: 'timout',
      },
    ]);
  });

  it("checks a description, which a trace's header writes as JSON", () => {
    const described = (description: unknown) =>
      strategyProblems({ ...valid, description }).map((p) => p.field);
    expect(described({ kind: 'mine', wip: 4, polling: null, resume: false, name: 'x' })).toEqual(
      [],
    );
    expect(described('mine')).toEqual(['description']);
    expect(described({ wip: 4 })).toEqual(['description.kind']);
    expect(described({ kind: 'mine', wip: Number.POSITIVE_INFINITY, nested: { a: 1 } })).toEqual([
      'description.wip',
      'description.nested',
    ]);
  });
});
