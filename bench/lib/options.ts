/**
 * The command line the benchmarks share: --rounds N, --json, --only KEY and --help, plus
 * string options of a benchmark's own. One parser, so that the three read their common
 * options the same way and reject unknown ones alike.
 */
import { parseArgs } from 'node:util';
import { parseRounds } from './report.js';

export interface BenchOptions<K extends string> {
  /** Timed rounds, checked by parseRounds. */
  readonly rounds: number;
  /** A machine-readable summary on stdout instead of the tables. */
  readonly json: boolean;
  /** The one thing to time alone (for profiling), as given; not checked against any list. */
  readonly only: string | undefined;
  /** The benchmark's own options, as given or their defaults. */
  readonly own: Readonly<Record<K, string>>;
}

/**
 * Parses `process.argv`; `own` maps each option of the benchmark's own to its default.
 * On --help it prints `help` and returns undefined: the caller does nothing else, not even
 * warn about a small --rounds.
 */
export function benchOptions<K extends string = never>(
  help: string,
  defaultRounds: number,
  own: Readonly<Record<K, string>> = {} as Record<K, string>,
): BenchOptions<K> | undefined {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: String(defaultRounds) },
      ...Object.fromEntries(
        Object.entries<string>(own).map(([name, value]) => [
          name,
          { type: 'string', default: value } as const,
        ]),
      ),
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return undefined;
  }
  // parseArgs types only the options it can see; the benchmark's own are strings with a default.
  const parsed = values as Readonly<Record<string, unknown>>;
  const given = Object.fromEntries(Object.keys(own).map((name) => [name, String(parsed[name])]));
  return {
    rounds: parseRounds(values.rounds),
    json: values.json === true,
    only: values.only,
    own: given as Record<K, string>,
  };
}
