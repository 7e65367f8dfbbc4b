/**
 * Automatic labels, from a kind's descriptor: `batch(k=10,timeout=15m,retries=1)`,
 * `async(wip=10,wave=10,events,timeout=15m,retries=1)`. The kind, then, in the order the
 * descriptor declares its options, every option that differs from its default (an option
 * without a default, or marked `always`, every time), each as its label style says
 * (options.ts, LabelStyle). Values are written so that two different values never read
 * alike (durations too: options.ts, labelDuration), so two configurations of a kind never
 * get the same label.
 *
 * readLabel reads a label back into option names and values as written, for the hint given
 * to someone who writes a label where a strategy belongs.
 */
import type { AnyStrategyDescriptor } from './descriptor.js';
import {
  type AnyOptionValue,
  applies,
  hasDefault,
  labelValue,
  type OptionSpec,
} from './options.js';

/** The options attached (`polling@30s`) to `anchor`, in declaration order. */
function attachedTo(descriptor: AnyStrategyDescriptor, anchor: string): [string, OptionSpec][] {
  return Object.entries(descriptor.options).filter(
    ([, spec]) =>
      spec.label !== undefined && 'attached' in spec.label && spec.appliesWhen?.option === anchor,
  );
}

function isDefault(spec: OptionSpec, value: AnyOptionValue): boolean {
  return hasDefault(spec) && (spec as { default: AnyOptionValue }).default === value;
}

export function automaticLabel(
  descriptor: AnyStrategyDescriptor,
  values: Readonly<Record<string, AnyOptionValue>>,
): string {
  const parts: string[] = [];
  for (const [name, spec] of Object.entries(descriptor.options)) {
    const style = spec.label ?? {};
    if ('attached' in style || !applies(spec, values)) continue;
    const value = values[name];
    const attached = attachedTo(descriptor, name).filter(([, a]) => applies(a, values));
    const always = !hasDefault(spec) || ('always' in style && style.always === true);
    if (!always && attached.length === 0 && isDefault(spec, value)) continue;
    let part: string;
    if ('bare' in style)
      part = value === false ? `no-${name}` : value === true ? name : String(value);
    else part = `${style.name ?? name}=${labelValue(spec, value)}`;
    for (const [a, aSpec] of attached) part += `@${labelValue(aSpec, values[a])}`;
    parts.push(part);
  }
  return parts.length === 0 ? descriptor.kind : `${descriptor.kind}(${parts.join(',')})`;
}

/** A label read back: its kind, and its options as written (`['size', '10']`), in its order. */
export interface ReadLabel {
  readonly kind: string;
  readonly fields: readonly (readonly [string, string])[];
}

/**
 * What `text` says if it is an automatic label of one of `kinds` (or reads like one: an
 * option may be named by its own name too, `waveSize=10`); undefined otherwise. The values
 * are left as written: `15m` stays `15m`, for a scenario file.
 */
export function readLabel(
  kinds: readonly AnyStrategyDescriptor[],
  text: string,
): ReadLabel | undefined {
  const match = /^\s*([a-z][a-z0-9-]*)\s*(?:\((.*)\))?\s*$/.exec(text);
  const descriptor = kinds.find((d) => d.kind === match?.[1]);
  if (match === null || descriptor === undefined) return undefined;
  const options = Object.entries(descriptor.options);
  const fields: (readonly [string, string])[] = [];
  for (const part of (match[2] ?? '').split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq >= 0) {
      const [name, value] = [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
      const option = options.find(([n, spec]) => {
        const style = spec.label ?? {};
        if ('attached' in style || 'bare' in style) return n === name;
        return n === name || style.name === name;
      });
      if (option === undefined || value === '') return undefined;
      fields.push([option[0], value]);
      continue;
    }
    const [word = '', at] = part.split('@', 2).map((p) => p.trim());
    const bare = options.find(([n, spec]) => {
      if (spec.label === undefined || !('bare' in spec.label)) return false;
      if (spec.type === 'choice') return spec.values.includes(word);
      return word === n || word === `no-${n}`;
    });
    if (bare === undefined) return undefined;
    const [name, spec] = bare;
    fields.push([name, spec.type === 'flag' ? String(word === name) : word]);
    if (at !== undefined) {
      const [attached] = attachedTo(descriptor, name);
      if (attached === undefined || at === '') return undefined;
      fields.push([attached[0], at]);
    }
  }
  return { kind: descriptor.kind, fields };
}
