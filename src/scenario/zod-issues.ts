/**
 * zod's issues rewritten for people editing a scenario file: the allowed values, a "did
 * you mean" for near misses, and the field path in the file's own terms.
 */
import type { z } from 'zod';
import { formatPath, type ScenarioIssue } from './errors.js';
import { formatLimit } from './limits.js';
import { countFromText, parsePercent } from './shorthands.js';
import { isModuleEntry, isOrchestratorEntry } from './strategy-modules.js';
import { closestMatch } from './suggest.js';

type Issue = z.core.$ZodIssue;

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ');
}

function suggestion(input: unknown, candidates: readonly string[]): string {
  if (typeof input !== 'string') return '';
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` Did you mean "${match}"?`;
}

/** The value at `path` in the user's input (for messages that quote it). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * Where an issue lies in what the user wrote. A shorthand (`tasks: 0`, expanded to
 * `{ count: 0 }`) has no field below it, so an issue about the long form's field is
 * reported at the shorthand itself, quoting it: `tasks: must be >= 1, got 0`.
 */
function writtenPath(input: unknown, path: readonly PropertyKey[]): readonly PropertyKey[] {
  let v = input;
  for (const [i, p] of path.entries()) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
      return i === 0 ? path : path.slice(0, i);
    if (v === null || typeof v !== 'object') return path;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return path;
}

/** A hint for a number written as text: `"200"` → write 200; `"five"` → write 5. */
function numberHint(given: unknown): string {
  if (typeof given !== 'string') return '';
  const trimmed = given.trim();
  if (trimmed !== '' && Number.isFinite(Number(trimmed)))
    return ` Write ${trimmed} without quotes.`;
  const percent = parsePercent(trimmed);
  if (percent !== undefined) return ` Write ${percent} (a percentage is only for probabilities).`;
  const counted = countFromText(trimmed);
  if (counted !== undefined) return ` Write ${counted}.`;
  return '';
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Allowed keys of the object schema at `path`, following the input through unions. */
function allowedKeysAt(schema: z.ZodType, input: unknown, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  let v = input;
  const unwrap = () => {
    for (;;) {
      const def: { type: string; innerType?: z.ZodType } = (
        s as unknown as { def: { type: string; innerType?: z.ZodType } }
      ).def;
      if (
        (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') &&
        def.innerType
      )
        s = def.innerType;
      else if (def.type === 'pipe') {
        // A field with a shorthand (schema.ts): the long form's keys are the allowed ones.
        s = (def as unknown as { out: z.ZodType }).out;
      } else if (def.type === 'union') {
        const options = (def as unknown as { options: z.ZodType[] }).options;
        // A strategy entry's forms (schema.ts): the one it was meant as (entryFormIndex).
        const hasKey = (key: string) => (o: z.ZodType) =>
          (o as unknown as { shape?: Record<string, unknown> }).shape?.[key] !== undefined;
        if (
          options.length === 3 &&
          hasKey('module')(options[1]!) &&
          hasKey('orchestrator')(options[2]!)
        ) {
          s = options[entryFormIndex(v)];
          continue;
        }
        // A discriminated union: pick the option whose literal `kind` matches the input.
        const kind =
          v !== null && typeof v === 'object' ? (v as Record<string, unknown>).kind : undefined;
        const match = options.find((o) => {
          const shape = (o as unknown as { shape?: Record<string, z.ZodType> }).shape;
          const lit = shape?.kind as unknown as { def?: { values?: unknown[] } } | undefined;
          return lit?.def?.values?.includes(kind);
        });
        const objects = options.filter(
          (o) => (o as unknown as { shape?: unknown }).shape !== undefined,
        );
        s = match ?? (objects.length === 1 ? objects[0] : undefined);
        if (s === undefined) return;
      } else return;
    }
  };
  for (const p of [...path, null]) {
    unwrap();
    if (s === undefined) return [];
    if (p === null) break;
    const arrayDef: { type: string; element?: z.ZodType } = (
      s as unknown as { def: { type: string; element?: z.ZodType } }
    ).def;
    if (arrayDef.type === 'array') s = arrayDef.element;
    else if (arrayDef.type === 'object')
      s = (s as unknown as { shape: Record<string, z.ZodType> }).shape[String(p)];
    else return [];
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  }
  const shape = (s as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * Which of a strategy entry's forms (schema.ts, entryFormsSchemaFor: a kind, a strategy
 * module, an orchestrator module) `given` was meant as: an orchestrator when it has
 * `orchestrator:`, a module when it has `module:`, else a kind.
 */
function entryFormIndex(given: unknown): 0 | 1 | 2 {
  return isOrchestratorEntry(given) ? 2 : isModuleEntry(given) ? 1 : 0;
}

/**
 * A strategy entry refused by each of its forms (schema.ts, entryFormsSchemaFor): the issues
 * of the form it was meant as (entryFormIndex), at their place in the file. Undefined for
 * any other union.
 */
function entryForms(issue: Issue, given: unknown): Issue[] | undefined {
  const { path } = issue;
  const errors = (issue as { errors?: Issue[][] }).errors;
  if (path.length !== 2 || path[0] !== 'strategies' || typeof path[1] !== 'number') return;
  if (errors?.length !== 3) return;
  const meant = errors[entryFormIndex(given)]!;
  return meant.map((i) => ({ ...i, path: [...path, ...i.path] }) as Issue);
}

export function describeZodIssues(
  schema: z.ZodType,
  input: unknown,
  issues: readonly Issue[],
): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  // A number past two maxima (a cap and zod's safe-integer bound) gets one message: the
  // smaller maximum's, which carries the reason.
  const smallestMaximum = new Map<string, number>();
  for (const issue of issues) {
    if (issue.code !== 'too_big' || typeof issue.maximum !== 'number') continue;
    const key = formatPath(issue.path);
    smallestMaximum.set(key, Math.min(issue.maximum, smallestMaximum.get(key) ?? Infinity));
  }
  for (const issue of issues) {
    if (
      issue.code === 'too_big' &&
      typeof issue.maximum === 'number' &&
      issue.maximum > (smallestMaximum.get(formatPath(issue.path)) ?? Infinity)
    )
      continue;
    const written = writtenPath(input, issue.path);
    const path = formatPath(written);
    const given = valueAt(input, written);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(schema, input, issue.path).filter((k) => k !== '$schema');
        for (const key of issue.keys) {
          out.push({
            path: formatPath([...issue.path, key]),
            message: `unknown field.${suggestion(key, allowed)} Allowed here: ${allowed.join(', ')}.`,
          });
        }
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map(String);
        out.push({
          path,
          message: `${show(given)} is not allowed.${suggestion(given, values)} Allowed: ${quoteList(issue.values)}.`,
        });
        break;
      }
      case 'invalid_union': {
        const forms = entryForms(issue, given);
        if (forms !== undefined) {
          out.push(...describeZodIssues(schema, input, forms));
          break;
        }
        const discriminated = issue as unknown as { note?: string; options?: unknown[] };
        if (discriminated.options && discriminated.note?.includes('discriminator')) {
          const values = discriminated.options.map(String);
          const what = given === undefined ? 'is missing' : `${show(given)} is not a known kind.`;
          out.push({
            path,
            message: `${what}${suggestion(given, values)} Allowed: ${quoteList(discriminated.options)}.`,
          });
        } else {
          out.push({ path, message: `got ${show(given)}; ${issue.message}` });
        }
        break;
      }
      case 'invalid_type':
        out.push({
          path,
          message:
            given === undefined
              ? `is required (${issue.expected}).`
              : `expected ${issue.expected}, got ${show(given)}.${issue.expected === 'number' || issue.expected === 'int' ? numberHint(given) : ''}`,
        });
        break;
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
        const relation =
          issue.code === 'too_small'
            ? issue.inclusive
              ? '>='
              : '>'
            : issue.inclusive
              ? '<='
              : '<';
        const what =
          issue.origin === 'array'
            ? 'the list needs'
            : issue.origin === 'string'
              ? 'the text needs'
              : 'must be';
        const unit =
          issue.origin === 'array' ? ' entries' : issue.origin === 'string' ? ' characters' : '';
        const shownBound =
          typeof bound === 'number' && bound >= 10_000 ? formatLimit(bound) : String(bound);
        const got = Array.isArray(given)
          ? `${given.length}`
          : typeof given === 'number' && Number.isSafeInteger(given) && given >= 10_000
            ? formatLimit(given)
            : show(given);
        // A cap from limits.ts carries its reason as the message; zod's own start "Too ".
        const reason = issue.message.startsWith('Too ') ? '' : `; ${issue.message}`;
        out.push({
          path,
          message: `${what} ${relation} ${shownBound}${unit}, got ${got}${reason}.`,
        });
        break;
      }
      case 'invalid_format':
        out.push({ path, message: `got ${show(given)}; ${issue.message}` });
        break;
      case 'custom':
        out.push({ path, message: issue.message });
        break;
      default:
        out.push({ path, message: `got ${show(given)}; ${issue.message}` });
    }
  }
  return out;
}
