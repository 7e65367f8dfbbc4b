/**
 * Checking a Strategy that comes from outside dispatchlab (a user's module, src/scenario):
 * what the model takes for granted of it (src/model/strategy.ts, src/model/settings.ts) and
 * would otherwise find out mid-run, or never (a WIP limit of 0 deadlocks every run, a NaN
 * timeout never fires). The built-in kinds need no check: their descriptors check their
 * options (options.ts) and build valid settings from them.
 */
import type { Strategy } from '../model/strategy.js';

/** One thing wrong with a strategy: the field (`settings.wip`) and what is wrong with it. */
export interface StrategyProblem {
  /** `settings.wip`, `run`, `description.kind`; empty for the value as a whole. */
  readonly field: string;
  /** What is wrong and what is allowed, e.g. `must be a whole number >= 1, or Infinity (no limit), got 0`. */
  readonly message: string;
  /** For a setting that does not exist: its name (for a "did you mean"). */
  readonly unknownSetting?: string;
}

/** The settings a strategy may give (DispatchSettings), in the order messages list them. */
export const settingNames = [
  'mode',
  'wip',
  'continuation',
  'timeout',
  'retries',
  'registry',
  'resume',
  'forgottenTimeout',
  'validation',
] as const;

/** A value as messages show it: strings quoted, objects by their shape. */
export function shownValue(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    return typeof (value as { then?: unknown }).then === 'function' ? 'a Promise' : 'an object';
  }
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(' or ');

/**
 * What is wrong with `value` as a Strategy; empty when nothing is. `label` is checked only
 * when `needsLabel` (a scenario entry may give the label instead).
 */
export function strategyProblems(
  value: unknown,
  options: { readonly needsLabel?: boolean } = {},
): StrategyProblem[] {
  if (!isRecord(value) || typeof value.then === 'function') {
    return [
      {
        field: '',
        message: `is ${shownValue(value)}, not a Strategy: a strategy is an object { label, settings, run }`,
      },
    ];
  }
  const problems: StrategyProblem[] = [];
  const say = (field: string, message: string) => problems.push({ field, message });
  const { label } = value;
  if ((options.needsLabel ?? true) || label !== undefined) {
    if (typeof label !== 'string' || label.trim() === '') {
      say('label', `must be a non-empty string (the name tables show), got ${shownValue(label)}`);
    }
  }
  if (typeof value.run !== 'function') {
    say(
      'run',
      `must be the orchestrator's program, a generator function (*run(o) { ... }), got ${shownValue(value.run)}`,
    );
  }
  if (!isRecord(value.settings)) {
    say(
      'settings',
      `must be the dispatch settings, an object such as { ...backgroundDefaults, wip: 10 }, got ${shownValue(value.settings)}`,
    );
  } else {
    problems.push(...settingsProblems(value.settings));
  }
  if (value.description !== undefined) problems.push(...descriptionProblems(value.description));
  return problems;
}

/** What is wrong with a strategy's settings (DispatchSettings, src/model/settings.ts). */
function settingsProblems(settings: Record<string, unknown>): StrategyProblem[] {
  const problems: StrategyProblem[] = [];
  const say = (name: string, message: string) =>
    problems.push({ field: `settings.${name}`, message });
  const got = (name: string) => `, got ${shownValue(settings[name])}`;
  const number = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

  for (const key of Object.keys(settings)) {
    if (!(settingNames as readonly string[]).includes(key)) {
      problems.push({
        field: `settings.${key}`,
        message: `is not a setting; the settings are ${settingNames.join(', ')}`,
        unknownSetting: key,
      });
    }
  }
  const required = settingNames.filter((n) => n !== 'forgottenTimeout' && n !== 'validation');
  const missing = required.filter((n) => settings[n] === undefined);
  if (missing.length > 0) {
    problems.push({
      field: 'settings',
      message: `lacks ${missing.join(', ')}: build the settings on a default, such as { ...backgroundDefaults, wip: 10 } (or foregroundDefaults; both from 'dispatchlab')`,
    });
  }
  const { mode, wip, continuation, timeout, retries, registry, resume } = settings;
  const given = (name: (typeof required)[number]) => !missing.includes(name);
  if (given('mode') && mode !== 'foreground' && mode !== 'background') {
    say('mode', `must be ${quoted(['foreground', 'background'])}${got('mode')}`);
  }
  if (
    given('wip') &&
    !(wip === Number.POSITIVE_INFINITY || (Number.isInteger(wip) && (wip as number) >= 1))
  ) {
    say('wip', `must be a whole number >= 1, or Infinity for no limit${got('wip')}`);
  }
  if (!given('continuation')) {
    // Said above.
  } else if (!isRecord(continuation)) {
    say(
      'continuation',
      `must be { kind: 'events' } or { kind: 'polling', interval: SECONDS }${got('continuation')}`,
    );
  } else if (continuation.kind === 'events') {
    const extra = Object.keys(continuation).filter((k) => k !== 'kind');
    if (extra.length > 0) {
      say('continuation', `{ kind: 'events' } takes nothing else, got ${extra.join(', ')} too`);
    }
  } else if (continuation.kind === 'polling') {
    const { interval } = continuation;
    if (!(number(interval) && interval > 0 && Number.isFinite(interval))) {
      say(
        'continuation.interval',
        `must be the seconds between poll rounds, a finite number > 0, got ${shownValue(interval)}`,
      );
    }
    const extra = Object.keys(continuation).filter((k) => k !== 'kind' && k !== 'interval');
    if (extra.length > 0) {
      say(
        'continuation',
        `{ kind: 'polling', interval } takes nothing else, got ${extra.join(', ')} too`,
      );
    }
  } else {
    say(
      'continuation.kind',
      `must be ${quoted(['events', 'polling'])}, got ${shownValue(continuation.kind)}`,
    );
  }
  if (given('timeout') && !(number(timeout) && timeout >= 0)) {
    say('timeout', `must be seconds >= 0, or Infinity for no timeout${got('timeout')}`);
  }
  if (given('retries') && !(Number.isInteger(retries) && (retries as number) >= 0)) {
    say('retries', `must be a whole number >= 0${got('retries')}`);
  }
  if (given('registry') && registry !== 'durable' && registry !== 'volatile') {
    say('registry', `must be ${quoted(['durable', 'volatile'])}${got('registry')}`);
  }
  if (given('resume') && typeof resume !== 'boolean') {
    say('resume', `must be true or false${got('resume')}`);
  }
  const { forgottenTimeout, validation } = settings;
  if (
    forgottenTimeout !== undefined &&
    forgottenTimeout !== 'runtime' &&
    forgottenTimeout !== 'none'
  ) {
    say(
      'forgottenTimeout',
      `must be ${quoted(['runtime', 'none'])}, or left out (runtime)${got('forgottenTimeout')}`,
    );
  }
  if (validation !== undefined && !(number(validation) && validation >= 0 && validation <= 1)) {
    say(
      'validation',
      `must be a share from 0 to 1, or left out (the world's quality.validation)${got('validation')}`,
    );
  }
  return problems;
}

/** What is wrong with a description (StrategyDescription): a trace's header writes it as JSON. */
function descriptionProblems(description: unknown): StrategyProblem[] {
  if (!isRecord(description)) {
    return [
      {
        field: 'description',
        message: `must be an object { kind, ...options } of plain values, or left out, got ${shownValue(description)}`,
      },
    ];
  }
  const problems: StrategyProblem[] = [];
  if (typeof description.kind !== 'string' || description.kind === '') {
    problems.push({
      field: 'description.kind',
      message: `must be a non-empty string, got ${shownValue(description.kind)}`,
    });
  }
  for (const [key, v] of Object.entries(description)) {
    if (key === 'kind') continue;
    const plain =
      v === null ||
      typeof v === 'string' ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v));
    if (!plain) {
      problems.push({
        field: `description.${key}`,
        message: `must be a string, a finite number, true, false or null (a trace's header writes it as JSON; null for none or unbounded), got ${shownValue(v)}`,
      });
    }
  }
  return problems;
}

/** Whether `value` is a Strategy as the model takes it (strategyProblems finds nothing). */
export function isStrategy(value: unknown): value is Strategy {
  return strategyProblems(value).length === 0;
}
