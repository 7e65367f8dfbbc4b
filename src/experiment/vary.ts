/**
 * `--vary PATH=VALUES`: which field of the scenario input a sweep changes, and to what.
 *
 * - `PATH` addresses the scenario *input*, as written in the file: `orchestrator.process`,
 *   `tasks.count`, `subagents.failures.error`, `strategies[2].wip`, `context.budget`.
 *   Missing mappings on the way are created (`orchestrator.process` when the file has no
 *   `orchestrator:`); list entries must exist. Whether the field and value are valid is
 *   for the scenario schema to say: each grid point is checked by parseScenario, so a bad
 *   value gets the usual ScenarioError naming the path.
 * - `VALUES` is a range `FROM..TO:STEPS` — STEPS >= 2 evenly spaced numbers from FROM to
 *   TO inclusive; FROM and TO may be durations (`0s..2m:5`), giving seconds — or a list
 *   `v1,v2,v3` of numbers, durations (`30s`, kept as written), `true`/`false`, or other
 *   strings (`none`, `unbounded`, `polling`).
 *
 * Range values are rounded to 12 significant digits, so that 0.1..0.5:5 gives 0.3 rather
 * than 0.30000000000000004; nothing a user can write in a scenario is that fine.
 */
import { DurationError, parseDuration } from '../scenario/duration.js';
import { formatLimit, limits } from '../scenario/limits.js';
import { UsageError } from './errors.js';

export type VaryValue = number | string | boolean;

export interface Vary {
  readonly path: string;
  readonly values: readonly VaryValue[];
}

const pathPattern = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;
const numberPattern = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const rangePattern = /^(.+?)\.\.(.+):(\d+)$/;

const syntax = 'write PATH=FROM..TO:STEPS (e.g. orchestrator.process=0..60:7) or PATH=v1,v2,v3';

/** Parses one `--vary` argument. */
export function parseVary(spec: string): Vary {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new UsageError(`--vary ${spec}: no "=" found; ${syntax}`);
  const path = spec.slice(0, eq).trim();
  const text = spec.slice(eq + 1).trim();
  parsePath(path, spec);
  if (path === 'seeds' || path.startsWith('seeds.')) {
    throw new UsageError(
      `--vary ${spec}: the seeds are not a parameter of the world but the sweep's replication; set them with --seeds`,
    );
  }
  if (text === '') throw new UsageError(`--vary ${spec}: no values after "="; ${syntax}`);
  const range = rangePattern.exec(text);
  if (range !== null) return { path, values: rangeValues(spec, range[1]!, range[2]!, range[3]!) };
  const missingSteps = /^(.+?)\.\.(.+)$/.exec(text);
  if (missingSteps !== null && isQuantity(missingSteps[1]!) && isQuantity(missingSteps[2]!)) {
    throw new UsageError(`--vary ${spec}: a range needs its number of points, FROM..TO:STEPS`);
  }
  const values = text.split(',').map((item) => {
    const v = item.trim();
    if (v === '') throw new UsageError(`--vary ${spec}: an empty value in the list; ${syntax}`);
    if (numberPattern.test(v)) return Number(v);
    if (v === 'true') return true;
    if (v === 'false') return false;
    return v;
  });
  return { path, values };
}

/** A number or a duration: what a range's ends may be. */
function isQuantity(text: string): boolean {
  const v = text.trim();
  if (numberPattern.test(v)) return true;
  try {
    parseDuration(v);
    return true;
  } catch {
    return false;
  }
}

function rangeValues(spec: string, fromText: string, toText: string, stepsText: string) {
  const endpoint = (t: string, which: string): number => {
    const v = t.trim();
    if (numberPattern.test(v)) return Number(v);
    try {
      return parseDuration(v);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      throw new UsageError(
        `--vary ${spec}: the range's ${which} "${v}" is neither a number nor a duration; ${syntax}`,
      );
    }
  };
  const from = endpoint(fromText, 'start');
  const to = endpoint(toText, 'end');
  const steps = Number(stepsText);
  if (!Number.isSafeInteger(steps) || steps < 2) {
    throw new UsageError(
      `--vary ${spec}: STEPS is the number of points, FROM and TO included, so at least 2; for one value write PATH=value`,
    );
  }
  if (steps > limits.gridPoints) {
    throw new UsageError(
      `--vary ${spec}: ${formatLimit(steps)} points is more than a sweep runs (at most ${formatLimit(limits.gridPoints)} grid points in all); a few dozen points show where a winner changes, so ask for fewer STEPS`,
    );
  }
  return Array.from({ length: steps }, (_, i) =>
    i === steps - 1 ? to : Number((from + ((to - from) * i) / (steps - 1)).toPrecision(12)),
  );
}

/**
 * Names that would reach JavaScript's object machinery rather than a field of the
 * scenario (`__proto__.x = 1` would change every object in the process). No scenario
 * field has one of them, so they are refused outright.
 */
const reservedNames: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `strategies[2].wip` → ['strategies', 2, 'wip']. */
function parsePath(path: string, spec = path): (string | number)[] {
  if (!pathPattern.test(path)) {
    throw new UsageError(
      `--vary ${spec}: "${path}" is not a field path; write names joined by dots, with [i] for a list entry (e.g. strategies[2].wip)`,
    );
  }
  const parts: (string | number)[] = [];
  for (const m of path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) {
    if (m[1] !== undefined && reservedNames.has(m[1])) {
      throw new UsageError(
        `--vary ${spec}: "${m[1]}" is not a field of a scenario; PATH names a field of the scenario file, e.g. orchestrator.process or strategies[2].wip`,
      );
    }
    parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return parts;
}

/** A copy of `input` with the field at `path` set to `value`; the input is not changed. */
export function withValue(input: unknown, path: string, value: VaryValue): unknown {
  const parts = parsePath(path);
  const root: unknown = structuredClone(input);
  let node: unknown = root;
  let where = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const here = typeof part === 'number' ? `${where}[${part}]` : where ? `${where}.${part}` : part;
    if (typeof part === 'number') {
      if (!Array.isArray(node)) {
        throw new UsageError(
          `--vary ${path}: ${where} is not a list, so it has no entry [${part}]`,
        );
      }
      if (part >= node.length) {
        throw new UsageError(
          `--vary ${path}: ${where} has ${node.length} ${node.length === 1 ? 'entry' : 'entries'} (${where}[0]…${where}[${node.length - 1}]), so there is no ${here}`,
        );
      }
    } else if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw new UsageError(
        `--vary ${path}: ${where} is ${JSON.stringify(node)}, not a mapping, so it has no field "${part}"; vary ${where} itself`,
      );
    }
    // node is an object or array here; index it as a record of its fields. Only its own
    // fields count: an inherited one (toString...) is not part of the scenario.
    const container = node as Record<string | number, unknown>;
    if (last) container[part] = value;
    else {
      if (!Object.hasOwn(container, part) || container[part] === undefined) {
        if (typeof parts[i + 1] === 'number') {
          throw new UsageError(`--vary ${path}: the scenario has no ${here} list to index`);
        }
        container[part] = {};
      }
      node = container[part];
    }
    where = here;
  });
  return root;
}

/**
 * Every combination of the varied values, as nested loops in the order given: the first
 * --vary is the outermost (changes slowest), the last the innermost. Each point lists one
 * value per vary, in vary order.
 */
export function gridPoints(varies: readonly Vary[]): VaryValue[][] {
  const size = varies.reduce((n, v) => n * v.values.length, 1);
  if (size > limits.gridPoints) {
    throw new UsageError(
      `the grid of ${varies.map((v) => `${v.values.length} values of ${v.path}`).join(' × ')} has ${formatLimit(size)} points, more than a sweep runs (at most ${formatLimit(limits.gridPoints)}); vary fewer parameters or give each fewer values`,
    );
  }
  let points: VaryValue[][] = [[]];
  for (const vary of varies) {
    const next: VaryValue[][] = [];
    for (const point of points) for (const v of vary.values) next.push([...point, v]);
    points = next;
  }
  return points;
}

/**
 * How far apart, in grid order (gridPoints), two points are that differ by one step of
 * vary `d`: nested loops, so the last vary has stride 1 and each one before it the product
 * of the numbers of values after it.
 */
export function gridStride(varies: readonly Vary[], d: number): number {
  return varies.slice(d + 1).reduce((n, v) => n * v.values.length, 1);
}

/** A grid point as `{ PATH: value, … }`, in vary order: how documents write a point. */
export function pointValues(
  varies: readonly Vary[],
  values: readonly VaryValue[],
): Record<string, VaryValue> {
  const out: Record<string, VaryValue> = {};
  varies.forEach((v, i) => {
    out[v.path] = values[i]!;
  });
  return out;
}

/** Parses every `--vary` and rejects a path given twice. */
export function parseVaries(specs: readonly (string | Vary)[]): Vary[] {
  if (specs.length === 0) throw new UsageError(`a sweep needs at least one --vary; ${syntax}`);
  const varies = specs.map((s) => (typeof s === 'string' ? parseVary(s) : checkVary(s)));
  const seen = new Set<string>();
  for (const v of varies) {
    if (seen.has(v.path)) {
      throw new UsageError(`--vary ${v.path} is given twice; list all its values in one --vary`);
    }
    seen.add(v.path);
  }
  return varies;
}

/** A Vary built in code gets the checks a parsed one got. */
function checkVary(vary: Vary): Vary {
  parsePath(vary.path);
  if (vary.path === 'seeds' || vary.path.startsWith('seeds.')) {
    throw new UsageError(`--vary ${vary.path}: the seeds cannot be varied; set them with --seeds`);
  }
  if (vary.values.length === 0) throw new UsageError(`--vary ${vary.path}: no values`);
  for (const v of vary.values) {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new UsageError(`--vary ${vary.path}: ${v} is not a value a scenario can hold`);
    }
  }
  return { path: vary.path, values: [...vary.values] };
}
