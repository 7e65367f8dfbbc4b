/**
 * Units and timestamps in latency data: `unit:` on empirical distributions, the unit a
 * column's name states (and their contradiction), each run's start and end times instead of
 * a duration, JSON records, and the warning for observations that look like another unit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DistributionWarning,
  distributionFromSpec,
} from '../../src/scenario/distributions/spec.js';
import { loadEmpiricalSamples, readEmpiricalFile } from '../../src/scenario/latency-file/read.js';
import { parseInstant, secondsBetween } from '../../src/scenario/latency-file/timestamps.js';
import { implausibleUnit } from '../../src/scenario/latency-file/unit-plausibility.js';
import { distributionErrorOf } from '../sim/distributions-helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'dispatchlab-units-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

const errorOf = distributionErrorOf;
/** The fixture's latencies, from the file that holds them in seconds. */
const seconds = loadEmpiricalSamples('latencies-s.csv', { baseDir: fixtures });

describe('the unit of plain numbers', () => {
  it('is unit: when given, for a file whose header names no unit', () => {
    const data = readEmpiricalFile('latencies-ms.csv', { baseDir: fixtures, unit: 'ms' });
    expect(data.values).toEqual(seconds);
    expect(data).toMatchObject({
      unit: 'ms',
      unitFrom: 'unit',
      plain: 40,
      from: 'column "duration"',
    });
    expect(loadEmpiricalSamples(file('minutes.csv', 'latency\n1.5\n2\n'), { unit: 'm' })).toEqual([
      90, 120,
    ]);
  });

  it('is seconds when nothing says otherwise, and says so', () => {
    const data = readEmpiricalFile('latencies-ms.csv', { baseDir: fixtures });
    expect(data.values[0]).toBe(11248);
    expect(data).toMatchObject({ unit: 's', unitFrom: 'default' });
  });

  it("is the column name's when it states one, and unit: must agree with it", () => {
    const path = file('named-ms.csv', 'id,latency_ms\n1,250\n2,1500\n');
    expect(readEmpiricalFile(path)).toMatchObject({
      values: [0.25, 1.5],
      unit: 'ms',
      unitFrom: 'name',
    });
    expect(loadEmpiricalSamples(path, { unit: 'ms' })).toEqual([0.25, 1.5]);
    const error = errorOf(() =>
      loadEmpiricalSamples(path, {
        unit: 's',
        path: 'subagents.latency.file',
        unitPath: 'subagents.latency.unit',
      }),
    );
    expect(error.path).toBe('subagents.latency.unit');
    expect(error.message).toBe(
      `subagents.latency.unit: unit: s contradicts the column "latency_ms" of "${path}", whose name says milliseconds; remove unit: if the name is right (it already gives the unit), or rename the column if the values are in seconds`,
    );
  });

  it('leaves strings with their own unit alone', () => {
    const data = readEmpiricalFile(file('mixed.csv', 'latency\n250\n"2s"\n'), { unit: 'ms' });
    expect(data.values).toEqual([0.25, 2]);
    expect(data.plain).toBe(1);
  });

  it('holds values in the unit, not in seconds, to the 365-day ceiling', () => {
    // 4·10^8 ms is 4.6 days: a valid duration, though 4·10^8 s would not be.
    expect(loadEmpiricalSamples(file('long-ms.csv', 'latency_ms\n400000000\n'))).toEqual([400_000]);
    expect(
      errorOf(() => loadEmpiricalSamples(file('huge.csv', 'latency\n4e10\n'), { unit: 'ms' }))
        .message,
    ).toMatch(
      /line 2, column "latency": 4e10 ms is 40,000,000 s \(463 days\); durations are at most 365 days/,
    );
    expect(
      errorOf(() => loadEmpiricalSamples(file('huge-s.csv', 'latency\n40000000\n'))).message,
    ).toMatch(
      /"40000000" is 40,000,000 s \(463 days\); durations are at most 365 days .*; if the file holds milliseconds, add unit: ms to the latency/,
    );
  });

  it('picks a column named by a unit word alone, as it does "seconds"', () => {
    expect(loadEmpiricalSamples(file('ms-column.csv', 'task,ms\n7,1500\n8,500\n'))).toEqual([
      1.5, 0.5,
    ]);
    expect(
      errorOf(() => loadEmpiricalSamples(file('two-units.csv', 'minutes,seconds\n1,2\n'))).message,
    ).toContain('several columns look like durations ("minutes", "seconds")');
  });

  it('applies to a JSON list, whose key may state it too', () => {
    expect(loadEmpiricalSamples(file('list.json', '[250, "1s"]'), { unit: 'ms' })).toEqual([
      0.25, 1,
    ]);
    expect(
      loadEmpiricalSamples(file('keyed.json', '{"durations_ms": [250]}'), {
        column: 'durations_ms',
      }),
    ).toEqual([0.25]);
  });
});

describe('start and end times', () => {
  it('are found by their names, and each row is a run of end − start', () => {
    const data = readEmpiricalFile('runs-timestamps.csv', { baseDir: fixtures });
    expect(data.values).toEqual(seconds);
    expect(data).toMatchObject({ from: 'columns "started_at" and "ended_at"', plain: 0 });
  });

  it('are named with start: and end: when the names are not recognised', () => {
    const path = file('custom.csv', 'id,t0,t1\n1,2024-05-01T12:00:00Z,2024-05-01T12:01:30Z\n');
    expect(loadEmpiricalSamples(path, { start: 't0', end: 't1' })).toEqual([90]);
    expect(errorOf(() => loadEmpiricalSamples(path, { start: 't0', end: 'tt1' })).message).toMatch(
      /has no column "tt1"; did you mean "t1"\?/,
    );
    expect(errorOf(() => loadEmpiricalSamples(path, { start: 't0' })).message).toMatch(
      /start and end go together/,
    );
  });

  it('may be epoch numbers, in seconds or in the unit the names or unit: give', () => {
    expect(loadEmpiricalSamples(file('epoch.csv', 'start,end\n1714564800,1714564890.5\n'))).toEqual(
      [90.5],
    );
    expect(
      loadEmpiricalSamples(file('epoch-ms.csv', 'start_ms,end_ms\n1714564800000,1714564800250\n')),
    ).toEqual([0.25]);
    expect(
      loadEmpiricalSamples(file('epoch-unit.csv', 'begin,finish\n1714564800000,1714564800250\n'), {
        unit: 'ms',
      }),
    ).toEqual([0.25]);
    expect(
      errorOf(() => loadEmpiricalSamples(file('two.csv', 'start_ms,end_s\n1,2\n'))).message,
    ).toMatch(/"start_ms" is in milliseconds by its name, "end_s" in seconds/);
  });

  it('are read from JSON records as from CSV rows', () => {
    const data = readEmpiricalFile('runs-epoch-ms.json', { baseDir: fixtures });
    expect(data.values).toEqual(seconds);
    expect(data).toMatchObject({ unit: 'ms', unitFrom: 'name', plain: 40 });
    const records = file(
      'records.json',
      '[{"task": 1, "latency_ms": 250}, {"task": 2, "latency_ms": 1500}]',
    );
    expect(loadEmpiricalSamples(records)).toEqual([0.25, 1.5]);
    expect(
      errorOf(() => loadEmpiricalSamples(file('mixed.json', '[{"latency": 1}, 2]'))).message,
    ).toMatch(/\[1\] is not an object like the records before it/);
  });

  it('subtract exactly, across zones', () => {
    const at = (text: string) => {
      const instant = parseInstant(text, 's');
      if (typeof instant === 'string') throw new Error(instant);
      return instant;
    };
    expect(secondsBetween(at('2024-05-01T12:00:00.1Z'), at('2024-05-01T12:00:00.3Z'))).toBe(0.2);
    expect(secondsBetween(at('2024-05-01T14:00:03+02:00'), at('2024-05-01T12:00:05Z'))).toBe(2);
    expect(secondsBetween(at('2024-05-01 12:00:00'), at('2024-05-01 12:00:10,5'))).toBe(10.5);
    expect(secondsBetween(at('2024-02-28T23:59:59Z'), at('2024-02-29T00:00:01Z'))).toBe(2);
    expect(secondsBetween(at('1714564800.1'), at('1714564800.3'))).toBe(0.2);
    expect(parseInstant('2024-04-31T12:00:00Z', 's')).toMatch(/is not a timestamp/);
    expect(parseInstant('2024-05-01', 's')).toMatch(/is a date without a time of day/);
    expect(parseInstant('yesterday', 's')).toMatch(
      /"yesterday" is not a timestamp; write ISO-8601 \(2024-05-01T12:00:03Z\) or a number of seconds since 1970/,
    );
  });

  it('refuse a run that ends before it starts, mixed zones, and an empty end, naming the line', () => {
    const backwards = file(
      'backwards.csv',
      'start,end\n2024-05-01T12:00:10Z,2024-05-01T12:00:03Z\n',
    );
    expect(errorOf(() => loadEmpiricalSamples(backwards)).message).toMatch(
      /line 2: it ends \("end": 2024-05-01T12:00:03Z\) before it starts \("start": 2024-05-01T12:00:10Z\); check that the columns are not swapped$/,
    );
    const zones = file('zones.csv', 'start,end\n2024-05-01T12:00:00Z,2024-05-01T12:00:03\n');
    expect(errorOf(() => loadEmpiricalSamples(zones)).message).toMatch(
      /line 2: "start" has a time zone and "end" has none; write both with their zone/,
    );
    const open = file(
      'open.csv',
      'start,end\n2024-05-01T12:00:00Z,2024-05-01T12:00:03Z\n2024-05-01T12:00:00Z,\n',
    );
    expect(errorOf(() => loadEmpiricalSamples(open)).message).toMatch(
      /line 3, column "end" is empty; fill it in or remove the row \(a subagent that never ended is a hang: model it with subagents\.failures\.hang\)$/,
    );
    const year = file('year.csv', 'start,end\n2023-01-01T00:00:00Z,2024-05-01T00:00:00Z\n');
    expect(errorOf(() => loadEmpiricalSamples(year)).message).toMatch(
      /from 2023-01-01T00:00:00Z to 2024-05-01T00:00:00Z is .*; durations are at most 365 days/,
    );
  });

  it('lose to a column named like a duration, which is what the file measured', () => {
    const path = file('both.csv', 'start,end,duration\n1714564800,1714564900,7\n');
    expect(loadEmpiricalSamples(path)).toEqual([7]);
  });
});

describe('empirical specs with unit, start and end', () => {
  const build = (spec: unknown, warnings?: DistributionWarning[]) =>
    distributionFromSpec(spec, { path: 'subagents.latency', baseDir: fixtures, warnings });

  it('read the same latencies every way they can be written', () => {
    const expected = build({ dist: 'empirical', file: 'latencies-s.csv' }).quantile(0.5);
    for (const spec of [
      { dist: 'empirical', file: 'latencies-ms.csv', unit: 'ms' },
      { dist: 'empirical', file: 'runs-timestamps.csv' },
      { dist: 'empirical', file: 'runs-timestamps.csv', start: 'started_at', end: 'ended_at' },
      { dist: 'empirical', file: 'runs-epoch-ms.json' },
      { dist: 'empirical', values: seconds.map((s) => Math.round(s * 1000)), unit: 'ms' },
    ]) {
      expect(build(spec).quantile(0.5), JSON.stringify(spec)).toBe(expected);
    }
  });

  it('warn when a file of milliseconds is read as seconds, and not once the unit is said', () => {
    const warnings: DistributionWarning[] = [];
    build({ dist: 'empirical', file: 'latencies-ms.csv' }, warnings);
    expect(warnings).toEqual([
      {
        path: 'subagents.latency',
        message:
          'the 40 latencies in "latencies-ms.csv" (column "duration") are read as seconds (no unit is given), which makes their median 13h27m41s; if they are milliseconds, add unit: ms (a median of 48.5s); if they really are seconds, add unit: s to say so.',
      },
    ]);
    for (const unit of ['ms', 's']) {
      const none: DistributionWarning[] = [];
      build({ dist: 'empirical', file: 'latencies-ms.csv', unit }, none);
      expect(none, unit).toEqual([]);
    }
  });

  it('warn about inline values too, at the path of the spec', () => {
    const warnings: DistributionWarning[] = [];
    build(
      {
        dist: 'mixture',
        components: [
          { weight: 1, dist: { dist: 'empirical', values: [90_000, 120_000, 45_000] } },
          { weight: 1, dist: { dist: 'empirical', values: [1.5, 3, 2], unit: 'ms' } },
        ],
      },
      warnings,
    );
    expect(warnings.map((w) => w.path)).toEqual([
      'subagents.latency.components[0].dist',
      'subagents.latency.components[1].dist',
    ]);
    expect(warnings[0]!.message).toMatch(
      /median 90,000 s \(1\.042 days\), implausible for a subagent; if they are milliseconds, add unit: ms \(a median of 1m30s\)/,
    );
    expect(warnings[1]!.message).toBe(
      'the 3 latencies in values are read as milliseconds (unit: ms), which makes their median 2ms, shorter than one model call; if they are seconds, make it unit: s (a median of 2s).',
    );
  });

  it('refuse a bad unit, start without end, column with start, start without a file', () => {
    const refusal = (spec: unknown) => errorOf(() => build(spec)).message;
    expect(refusal({ dist: 'empirical', values: [1], unit: 'msec' })).toBe(
      'subagents.latency.unit: "msec" is not a unit; did you mean "ms"? the unit of plain numbers is one of ms, s, m, h',
    );
    expect(refusal({ dist: 'empirical', values: [1], unit: 5 })).toMatch(/must be a unit, got 5/);
    expect(refusal({ dist: 'empirical', file: 'runs-timestamps.csv', end: 'ended_at' })).toBe(
      'subagents.latency.start: is missing; end and start go together: the columns of the time each run started and the time it ended (its latency is end − start)',
    );
    expect(
      refusal({
        dist: 'empirical',
        file: 'latencies-s.csv',
        column: 'duration',
        start: 'a',
        end: 'b',
      }),
    ).toMatch(/^subagents\.latency\.column: give either column .* or start and end/);
    expect(refusal({ dist: 'empirical', values: [1], start: 'a' })).toBe(
      'subagents.latency.start: only applies with file: remove it, or load the values from a file',
    );
    expect(refusal({ dist: 'empirical', file: 'latencies-s.csv', units: 'ms' })).toMatch(
      /empirical has no parameter "units"; did you mean "unit"\?/,
    );
  });
});

describe('implausibleUnit', () => {
  const evidence = (
    values: number[],
    unitFrom: 'unit' | 'name' | 'default',
    unit = 's' as const,
  ) => ({
    seconds: values,
    plain: values.length,
    unit,
    unitFrom,
    what: 'the latencies',
  });

  it('accepts what a subagent plausibly takes', () => {
    expect(implausibleUnit(evidence([5, 90, 600, 3000], 'default'))).toBeUndefined();
    expect(implausibleUnit(evidence([7200, 9000], 'unit'))).toBeUndefined();
    expect(implausibleUnit({ ...evidence([90_000], 'default'), plain: 0 })).toBeUndefined();
  });

  it('doubts a median over an hour read as seconds by default, over a day otherwise', () => {
    expect(implausibleUnit(evidence([7200, 9000, 5400], 'default'))).toMatch(
      /median 2h; if they are milliseconds, add unit: ms \(a median of 7\.2s\); if they really are seconds, add unit: s to say so\.$/,
    );
    expect(implausibleUnit(evidence([200_000], 'name'))).toMatch(
      /read as seconds \(as the column's name says\), which makes their median 200,000 s \(2\.315 days\), implausible for a subagent; if they are milliseconds, the column's name is wrong: rename it/,
    );
  });

  it('says to check the unit when no unit brings the median within reason', () => {
    expect(implausibleUnit(evidence([3e10], 'unit'))).toMatch(/check the unit the file is in\.$/);
  });
});
