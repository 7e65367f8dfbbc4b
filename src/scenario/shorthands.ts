/**
 * The shorthands a scenario file may use, and the one place that expands them into the long
 * form, written once for schema.ts to apply where each field is parsed:
 *
 *   tasks: 200                   → tasks: { count: 200 }
 *   seeds: 200                   → seeds: { count: 200 }
 *   strategies: [blocking, async] → strategies: [{ kind: blocking }, { kind: async }]
 *   error: 3%                    → error: 0.03   (any probability)
 *
 * A shorthand is accepted only where nothing else can be meant. The schema's output, the
 * *normalized input*, holds the long forms only: it is what a Scenario keeps (`input`), what
 * sweeps vary and worker threads parse again, and what the input hash is taken of, so a
 * file with `tasks: 200` and one with `tasks: { count: 200 }` are the same experiment.
 * Expanding a long form changes nothing: the normalized input of a normalized input is
 * itself.
 *
 * Where a value is neither the long form nor a shorthand, the expanders report an issue
 * that shows the line to write instead (`write tasks: 200, or tasks: { count: 200 }`).
 */
import type { z } from 'zod';
import type { AnyStrategyDescriptor } from '../strategies/descriptor.js';
import { readLabel } from '../strategies/label.js';
import type { OptionSpec } from '../strategies/options.js';
import { closestMatch } from './suggest.js';

type Ctx = z.core.$RefinementCtx;

function isMapping(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports `message` at the field being parsed and leaves the value for no one else to check. */
function refuse(ctx: Ctx, value: unknown, message: string): unknown {
  ctx.addIssue({ code: 'custom', message, input: value });
  return value;
}

/** A value as the user wrote it, for messages. */
export function shownValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

// --- Percentages -----------------------------------------------------------------------

/** `3%`, `2.5 %`, `.5%`, `-1%` (refused later as below 0): a decimal number and a percent sign. */
export const PERCENT_PATTERN = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$/;

/** The JSON Schema pattern of a percentage from 0% to 100%. */
export const PERCENT_JSON_PATTERN = '^\\s*(?:100(?:\\.0*)?|\\d{1,2}(?:\\.\\d*)?|\\.\\d+)\\s*%\\s*$';

/**
 * "3%" → 0.03, exactly the number 0.03 would be: the decimal point is moved in the text and
 * the result read once, so "0.1%" is 0.001, not 0.1 / 100 (0.0010000000000000002).
 * Undefined for anything else.
 */
export function parsePercent(text: string): number | undefined {
  const match = PERCENT_PATTERN.exec(text);
  if (match === null) return undefined;
  return Number(`${match[1]}e-2`) + 0;
}

/** A number written some other way than a plain number or a percentage: "3 percent", "0.05". */
function probabilityHint(text: string): string {
  const trimmed = text.trim();
  const words = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:percent|per\s*cent|pct)\.?$/i.exec(trimmed);
  if (words !== null) {
    const share = Number(`${words[1]}e-2`);
    return `write ${share} or "${words[1]}%"`;
  }
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return `write ${trimmed} without quotes`;
  return 'write a share from 0 to 1 (0.05) or a percentage ("5%")';
}

/**
 * A probability: a number from 0 to 1 as written, or a percentage string turned into one.
 * Anything else is left for the number schema to refuse, except strings, which get a hint.
 */
export function expandProbability(value: unknown, ctx: Ctx): unknown {
  if (typeof value !== 'string') return value;
  const share = parsePercent(value);
  if (share === undefined) {
    return refuse(
      ctx,
      value,
      `expected a probability, got ${shownValue(value)}; ${probabilityHint(value)}.`,
    );
  }
  if (share > 1) {
    return refuse(
      ctx,
      value,
      `${shownValue(value)} is more than 100%; a probability is at most 100% (or 1).`,
    );
  }
  return share;
}

/** The reason shown for a probability above 1: perhaps a percentage without its sign. */
export function probabilityTooBig(input: unknown): string {
  if (typeof input === 'number' && input > 1 && input <= 100) {
    return `a probability is a share from 0 to 1: for ${input} percent write ${Number(`${input}e-2`)} or "${input}%"`;
  }
  return 'a probability is a share from 0 to 1 (or a percentage up to "100%")';
}

// --- Counts (tasks, seeds) -----------------------------------------------------------------

const SMALL_NUMBERS: readonly string[] = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS: readonly string[] = [
  '',
  '',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'seventy',
  'eighty',
  'ninety',
];
const SCALES: ReadonlyMap<string, number> = new Map([
  ['thousand', 1_000],
  ['million', 1_000_000],
]);

/**
 * A whole number written in English words ("two hundred", "one thousand five hundred",
 * "a hundred and twenty"), for hints only: the schema never accepts words, it shows the
 * number to write. Undefined when the words are not a number.
 */
export function numberFromWords(text: string): number | undefined {
  const words = text
    .toLowerCase()
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && w !== 'and');
  if (words.length === 0) return undefined;
  let total = 0;
  let group = 0;
  let any = false;
  for (const [i, word] of words.entries()) {
    const small = SMALL_NUMBERS.indexOf(word);
    const tens = TENS.indexOf(word);
    if (word === 'a' && i === 0) group = 1;
    else if (small >= 0) group += small;
    else if (tens >= 2) group += tens * 10;
    else if (word === 'hundred') group = (group === 0 ? 1 : group) * 100;
    else if (SCALES.has(word)) {
      total += (group === 0 ? 1 : group) * SCALES.get(word)!;
      group = 0;
    } else return undefined;
    any = true;
  }
  return any ? total + group : undefined;
}

/** The whole number a string stands for: "200", "1,000", "1_000", "two hundred"; else undefined. */
export function countFromText(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d{1,3}(?:[,_ ]\d{3})+$/.test(trimmed)) return Number(trimmed.replace(/[,_ ]/g, ''));
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return numberFromWords(trimmed);
}

/** `tasks: 200` → `{ count: 200 }`; a mapping is the long form, left as it is. */
export function expandTasks(value: unknown, ctx: Ctx): unknown {
  if (typeof value === 'number') return { count: value };
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)))
    return value;
  const meant = typeof value === 'string' ? countFromText(value) : undefined;
  const n = meant !== undefined && meant >= 1 ? meant : 50;
  const how =
    meant !== undefined && meant >= 1
      ? `write tasks: ${n} (a number, without quotes), or tasks: { count: ${n} }`
      : `write the number of tasks, e.g. tasks: ${n}, or tasks: { count: ${n}, dependencies: chain } to give their dependencies too`;
  return refuse(ctx, value, `got ${shownValue(value)}; ${how}.`);
}

/** `seeds: 200` → `{ count: 200 }` (as `--seeds 200`); a mapping is the long form. */
export function expandSeeds(value: unknown, ctx: Ctx): unknown {
  if (typeof value === 'number') return { count: value };
  if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)))
    return value;
  if (typeof value === 'string') {
    const range = /^\s*(\d+)\s*(?:\.\.|-|–|to)\s*(\d+)\s*$/.exec(value);
    if (range !== null && Number(range[2]) >= Number(range[1])) {
      const start = Number(range[1]);
      const count = Number(range[2]) - start + 1;
      return refuse(
        ctx,
        value,
        `got ${shownValue(value)}; for seeds ${start} to ${range[2]} write seeds: { start: ${start}, count: ${count} }.`,
      );
    }
    const meant = countFromText(value);
    if (meant !== undefined && meant >= 1) {
      return refuse(
        ctx,
        value,
        `got ${shownValue(value)}; write seeds: ${meant} (a number, without quotes), or seeds: { start: 0, count: ${meant} }.`,
      );
    }
  }
  return refuse(
    ctx,
    value,
    `got ${shownValue(value)}; write the number of seeds, e.g. seeds: 100, or seeds: { start: 0, count: 100 }.`,
  );
}

// --- Strategies ------------------------------------------------------------------------

/** The options a kind cannot do without: those with no default. */
function requiredOptions(kind: AnyStrategyDescriptor): [string, OptionSpec][] {
  return Object.entries(kind.options).filter(([, spec]) => !('default' in spec));
}

/** The kinds that may be written alone (`blocking`, `async`): those that need no option. */
export function kindsAlone(kinds: readonly AnyStrategyDescriptor[]): string[] {
  return kinds.filter((k) => requiredOptions(k).length === 0).map((k) => k.kind);
}

/** A value to show for an option in a mapping to write. */
function exampleValue(spec: OptionSpec): string {
  switch (spec.type) {
    case 'count':
      return String(spec.example ?? 1);
    case 'whole':
      return '0';
    case 'limit':
      return '10';
    case 'share':
      return '0.5';
    case 'duration':
      return '10m';
    case 'choice':
      return spec.values[0] ?? '';
    case 'flag':
      return 'true';
  }
}

/** `{ kind: batch, size: 10 }`: the kind with the options it needs. */
function smallestMapping(kind: AnyStrategyDescriptor): string {
  const needed = requiredOptions(kind).map(([name, spec]) => `${name}: ${exampleValue(spec)}`);
  return `{ ${[`kind: ${kind.kind}`, ...needed].join(', ')} }`;
}

/**
 * `"batch(k=10,timeout=15m)"` → `{ kind: batch, size: 10, timeout: 15m }`, for hints: what an
 * automatic label says, as a mapping (readLabel, src/strategies/label.ts).
 */
function labelAsMapping(kinds: readonly AnyStrategyDescriptor[], text: string): string | undefined {
  const read = readLabel(kinds, text);
  if (read === undefined) return undefined;
  return `{ ${[`kind: ${read.kind}`, ...read.fields.map(([name, value]) => `${name}: ${value}`)].join(', ')} }`;
}

/**
 * The expander of a strategy entry, for these kinds: a strategy written as its kind alone
 * (`blocking`, `async`) is that kind with every option at its default, where the kind needs
 * no option; a kind that needs one (`batch`, its size) gets the mapping to write, and so does
 * anything else.
 */
export function expandStrategyWith(
  kinds: readonly AnyStrategyDescriptor[],
): (value: unknown, ctx: Ctx) => unknown {
  const alone = kindsAlone(kinds);
  const names = kinds.map((k) => k.kind);
  const example = kinds.find((k) => requiredOptions(k).length > 0) ?? kinds[0];
  return (value, ctx) => {
    if (typeof value !== 'string') {
      if (isMapping(value) && 'kind' in value && 'module' in value) {
        return refuse(
          ctx,
          value,
          'a strategy is either of a kind (kind: ...) or your own, from a module (module: ./my-strategy.ts), not both: remove one of the two.',
        );
      }
      if (isMapping(value) && 'orchestrator' in value && ('kind' in value || 'module' in value)) {
        const other = 'kind' in value ? 'of a kind (kind: ...)' : 'a strategy module (module: ...)';
        return refuse(
          ctx,
          value,
          `an entry is either ${other} or an orchestrator of your own that the harness runs (orchestrator: ./my-orchestrator.ts), not both: remove one of the two.`,
        );
      }
      return value;
    }
    const written = value.trim();
    const kind = kinds.find((k) => k.kind === written);
    if (kind !== undefined) {
      const needed = requiredOptions(kind);
      if (needed.length === 0) return { kind: written };
      const what = needed.map(([name, spec]) => `${name}, ${spec.description}`).join(', and its ');
      return refuse(ctx, value, `${written} needs its ${what}: write ${smallestMapping(kind)}.`);
    }
    const mapping = labelAsMapping(kinds, written);
    if (mapping !== undefined) {
      return refuse(
        ctx,
        value,
        `"${written}" reads like a strategy's label; a strategy is a mapping: write ${mapping} (and label: "${written}" to keep the name).`,
      );
    }
    const near = closestMatch(written, names);
    const mappingExample =
      example === undefined ? '' : ` or a mapping such as ${smallestMapping(example)}`;
    return refuse(
      ctx,
      value,
      `"${written}" is not a known kind.${near ? ` Did you mean "${near}"?` : ''} Allowed: ${names.map((n) => `"${n}"`).join(', ')}; write the kind alone (${alone.join(', ')})${mappingExample}, or a strategy of your own: { module: ./my-strategy.ts }.`,
    );
  };
}

/** The expander of `strategies`, for these kinds: a single strategy where a list belongs gets the list to write. */
export function expandStrategyListWith(
  kinds: readonly AnyStrategyDescriptor[],
): (value: unknown, ctx: Ctx) => unknown {
  const several = kindsAlone(kinds).slice(0, 2).join(', ');
  return (value, ctx) => expandStrategyList(value, ctx, several);
}

function expandStrategyList(value: unknown, ctx: Ctx, several: string): unknown {
  if (value === undefined || Array.isArray(value)) return value;
  if (typeof value === 'string') {
    return refuse(
      ctx,
      value,
      `expected a list of strategies, got ${shownValue(value)}; write strategies: [${value.trim()}] (or several: strategies: [${several}]).`,
    );
  }
  if (isMapping(value) && ('kind' in value || 'module' in value || 'orchestrator' in value)) {
    return refuse(
      ctx,
      value,
      'expected a list of strategies, got one mapping; put it in a list: strategies: [{ kind: ..., ... }], or one "- kind: ..." line per strategy.',
    );
  }
  return value;
}
