/**
 * Whether observed latencies look as if they were read in the wrong unit. A log of
 * milliseconds under a plain `duration` header is read as seconds: every subagent becomes a
 * thousand times slower, every task times out, and a comparison still ranks the strategies.
 * Nothing in the file can prove the unit, so this is a warning, not an error, and it only
 * speaks where plain numbers took a unit (`250ms` carries its own; ISO timestamps have none
 * to doubt).
 *
 * The bounds are those of a subagent's run, generous both ways:
 * - read in seconds by default (no `unit:`, no unit in the column's name), a median above
 *   an hour: a millisecond log of subagents taking 4 s to a day reads as 1 h to 3 years.
 *   Saying `unit: s` confirms the unit and silences this;
 * - whatever the unit, a median above a day;
 * - whatever the unit, a median under 100 ms, shorter than one model call (seconds read as
 *   milliseconds).
 * The advice names a unit that brings the median between a second and a day, milliseconds
 * for seconds and seconds for anything else first, as those are the usual confusion.
 */
import { formatDuration } from '../../sim/format.js';
import { type DurationUnit, describeSeconds, UNIT_NAMES, unitToSeconds } from '../duration.js';

const HOUR = 3600;
const DAY = 86_400;
/** A median below this is too short for a subagent's run: one model call takes longer. */
const SHORTEST = 0.1;

/** How a list of observations was read. */
export interface UnitEvidence {
  /** The observations, in seconds. */
  readonly seconds: readonly number[];
  /** How many of them were plain numbers, read in `unit`. */
  readonly plain: number;
  readonly unit: DurationUnit;
  /** Where the unit came from: `unit:`, the column's name, or nowhere (seconds by default). */
  readonly unitFrom: 'unit' | 'name' | 'default';
  /** The observations for a sentence: `the 200 latencies in "runs.csv" (column "duration")`. */
  readonly what: string;
}

/** The median as the empirical distribution has it (its quantile(0.5): the lower middle). */
function median(sorted: Float64Array): number {
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}

/** A duration for a warning, to about three digits: "1m30s", "48.8s", "25h", "104.2 days". */
function show(seconds: number): string {
  if (seconds >= DAY) return describeSeconds(seconds);
  return formatDuration(seconds >= 60 ? Math.round(seconds) : Number(seconds.toPrecision(3)));
}

/** The units to suggest instead of each, most often confused first: seconds and milliseconds. */
const CONFUSED_WITH: Readonly<Record<DurationUnit, readonly DurationUnit[]>> = {
  s: ['ms', 'm', 'h'],
  ms: ['s', 'm', 'h'],
  m: ['s', 'ms', 'h'],
  h: ['s', 'm', 'ms'],
};

/** The first unit, most often confused first, that brings `rawMedian` between a second and a day. */
function likelierUnit(rawMedian: number, unit: DurationUnit): DurationUnit | undefined {
  return CONFUSED_WITH[unit].find((candidate) => {
    const seconds = unitToSeconds(rawMedian, candidate);
    return seconds >= 1 && seconds <= DAY;
  });
}

/**
 * A sentence saying why the unit looks wrong and what to write, or undefined when the
 * observations are plausible for it (or took no unit).
 */
export function implausibleUnit(evidence: UnitEvidence): string | undefined {
  const { unit, unitFrom } = evidence;
  if (evidence.plain === 0 || evidence.seconds.length === 0) return undefined;
  const sorted = Float64Array.from(evidence.seconds).sort();
  const middle = median(sorted);
  const tooLong = middle > (unitFrom === 'default' ? HOUR : DAY);
  const tooShort = middle < SHORTEST;
  if (!tooLong && !tooShort) return undefined;

  const readAs =
    unitFrom === 'default'
      ? 'read as seconds (no unit is given)'
      : unitFrom === 'unit'
        ? `read as ${UNIT_NAMES[unit]} (unit: ${unit})`
        : `read as ${UNIT_NAMES[unit]} (as the column's name says)`;
  const rawMedian = middle / unitToSeconds(1, unit);
  const likelier = likelierUnit(rawMedian, unit);
  let advice: string;
  if (likelier === undefined) advice = 'check the unit the file is in';
  else {
    const instead = `a median of ${show(unitToSeconds(rawMedian, likelier))}`;
    advice =
      unitFrom === 'name'
        ? `if they are ${UNIT_NAMES[likelier]}, the column's name is wrong: rename it (${instead})`
        : `if they are ${UNIT_NAMES[likelier]}, ${unitFrom === 'unit' ? 'make it' : 'add'} unit: ${likelier} (${instead})`;
  }
  if (unitFrom === 'default') advice += '; if they really are seconds, add unit: s to say so';
  if (tooLong) {
    const implausible = middle > DAY ? ', implausible for a subagent' : '';
    return `${evidence.what} are ${readAs}, which makes their median ${show(middle)}${implausible}; ${advice}.`;
  }
  return `${evidence.what} are ${readAs}, which makes their median ${show(middle)}, shorter than one model call; ${advice}.`;
}
