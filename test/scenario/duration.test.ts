import { describe, expect, it } from 'vitest';
import { DurationError, describeSeconds, parseDuration } from '../../src/scenario/duration.js';
import { simLimits } from '../../src/scenario/limits.js';
import { formatDuration } from '../../src/sim/format.js';

/** The error parseDuration throws for `input`, for assertions on its message. */
function errorFor(input: unknown, where?: string): DurationError {
  try {
    parseDuration(input as string, where);
  } catch (error) {
    expect(error).toBeInstanceOf(DurationError);
    return error as DurationError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseDuration', () => {
  it('takes plain numbers and numeric strings as seconds', () => {
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(12.5)).toBe(12.5);
    expect(parseDuration('12.5')).toBe(12.5);
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('.5')).toBe(0.5);
    expect(parseDuration('1e3')).toBe(1000);
  });

  it('takes numbers with units ms, s, m and h', () => {
    expect(parseDuration('250ms')).toBe(0.25);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(parseDuration('0.5ms')).toBe(0.0005);
    expect(parseDuration('5 s')).toBe(5);
  });

  it('takes compounds, largest unit first', () => {
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('1h2m')).toBe(3720);
    expect(parseDuration('1h 2m 3s 500ms')).toBe(3723.5);
    expect(parseDuration('2m0.5s')).toBe(120.5);
  });

  it('tolerates whitespace around', () => {
    expect(parseDuration('  90s\t')).toBe(90);
    expect(parseDuration('\n 1h2m ')).toBe(3720);
    expect(parseDuration(' 42 ')).toBe(42);
  });

  it('gives exact values for milliseconds', () => {
    // Division, not multiplication by 0.001, which would give 0.30000000000000004.
    expect(parseDuration('300ms')).toBe(0.3);
    expect(parseDuration('1s100ms')).toBe(1.1);
  });

  it('never returns negative zero', () => {
    expect(Object.is(parseDuration(-0), 0)).toBe(true);
    expect(Object.is(parseDuration('-0'), 0)).toBe(true);
  });

  it('says what was given, where, and how to fix it', () => {
    const error = errorFor('9O s', 'subagents.latency.median');
    expect(error.name).toBe('DurationError');
    expect(error.message).toBe(
      'subagents.latency.median: "9O s" is not a duration; write seconds as a number (90) or a number with a unit: 250ms, 90s, 2m, 1h',
    );
    expect(error.where).toBe('subagents.latency.median');
    expect(error.input).toBe('9O s');
    expect(error.message).not.toContain('\n');
  });

  it('leaves out the location when none is given', () => {
    expect(errorFor('abc').message).toBe(
      '"abc" is not a duration; write seconds as a number (90) or a number with a unit: 250ms, 90s, 2m, 1h',
    );
  });

  it('rejects negative values, suggesting the positive one', () => {
    expect(errorFor(-5, 'x').message).toBe(
      'x: -5 is negative; durations must be 0 or more (did you mean 5?)',
    );
    expect(errorFor('-5s', 'x').message).toBe(
      'x: "-5s" is negative; durations must be 0 or more (did you mean 5s?)',
    );
    expect(errorFor('-1m30s').message).toContain('did you mean 1m30s?');
    expect(errorFor('-2.5').message).toContain('is negative');
  });

  it('rejects NaN and infinities', () => {
    expect(errorFor(Number.NaN, 'a.b').message).toMatch(
      /^a\.b: NaN is not a duration; write seconds/,
    );
    expect(errorFor(Number.POSITIVE_INFINITY).message).toMatch(
      /^Infinity is not a finite duration/,
    );
    expect(errorFor('Infinity').message).toMatch(/^"Infinity" is not a finite duration/);
    expect(errorFor('inf').message).toMatch(/not a finite duration/);
    expect(errorFor('NaN').message).toMatch(/not a finite duration/);
    expect(errorFor('1e999').message).toMatch(/^"1e999" is not a finite duration/);
    expect(errorFor('1e999h').message).toMatch(/not a finite duration/);
  });

  it('rejects empty strings', () => {
    for (const input of ['', '   ', '\t']) {
      expect(errorFor(input, 'x').message).toMatch(
        /^x: the duration is empty; write seconds as a number/,
      );
    }
  });

  it('rejects unknown units, suggesting the accepted spelling', () => {
    expect(errorFor('5min', 'x').message).toBe(
      'x: "5min" has an unknown unit "min"; did you mean "5m"? the units are ms, s, m and h (250ms, 90s, 2m, 1h, 1m30s)',
    );
    expect(errorFor('2 hours').message).toContain('did you mean "2h"?');
    expect(errorFor('90S').message).toContain('did you mean "90s"?');
    expect(errorFor('1m30secs').message).toContain('did you mean "1m30s"?');
    expect(errorFor('300 millis').message).toContain('did you mean "300ms"?');
    expect(errorFor('5d').message).toContain('write days in hours (24h)');
    expect(errorFor('10us').message).toContain('sub-millisecond units are not supported');
    expect(errorFor('3xyz').message).toMatch(/unknown unit "xyz"; the units are ms, s, m and h/);
  });

  it('rejects malformed compounds with a specific reason', () => {
    expect(errorFor('1m30').message).toBe(
      '"1m30" is not a duration: its last number has no unit; did you mean "1m30s"?',
    );
    expect(errorFor('1h30').message).toContain('did you mean "1h30m"?');
    expect(errorFor('30s1m').message).toContain('units must go from largest to smallest');
    expect(errorFor('1s1s').message).toContain('each at most once');
  });

  it('rejects garbage', () => {
    for (const input of [
      'abc',
      's',
      'ms5',
      '1.5.3s',
      '1 30s',
      '1m-30s',
      '+5s',
      '--5',
      '5s!',
      '1,5s',
    ]) {
      expect(errorFor(input).message).toContain(
        'is not a duration; write seconds as a number (90)',
      );
    }
  });

  it('rejects values of the wrong type from untyped sources', () => {
    expect(errorFor(null, 'x').message).toBe(
      'x: expected a duration, got null; write seconds as a number (90) or a number with a unit: 250ms, 90s, 2m, 1h',
    );
    expect(errorFor(true).message).toContain('got boolean');
    expect(errorFor({}).message).toContain('got object');
  });
});

describe('formatDuration', () => {
  it('gives short human forms', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(0.25)).toBe('250ms');
    expect(formatDuration(0.0005)).toBe('0.5ms');
    expect(formatDuration(1)).toBe('1s');
    expect(formatDuration(12.5)).toBe('12.5s');
    expect(formatDuration(90)).toBe('1m30s');
    expect(formatDuration(120)).toBe('2m');
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(3661)).toBe('1h1m1s');
    expect(formatDuration(86400)).toBe('24h');
  });

  it('rounds to the millisecond from a second up, and to 3 significant digits below', () => {
    expect(formatDuration(12.3456)).toBe('12.346s');
    expect(formatDuration(0.12345)).toBe('123ms');
    expect(formatDuration(0.9999)).toBe('1s');
    expect(formatDuration(59.9996)).toBe('1m');
    expect(formatDuration(600.0000001)).toBe('10m');
  });

  it('handles signs and non-finite values', () => {
    expect(formatDuration(-90)).toBe('-1m30s');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatDuration(Number.NaN)).toBe('NaN');
  });

  it('parses back to the same duration, to its precision', () => {
    const values = [
      0, 0.001, 0.25, 0.999, 1, 1.5, 59.999, 60, 61.25, 90, 599.5, 3599.999, 3600, 7322.5, 1e6,
    ];
    for (const seconds of values) {
      expect(parseDuration(formatDuration(seconds))).toBeCloseTo(seconds, 3);
    }
    for (let i = 0; i < 1000; i++) {
      const seconds = Math.round(((i * 7919) % 100_003) * 1.37) / 1000;
      expect(Math.abs(parseDuration(formatDuration(seconds)) - seconds)).toBeLessThanOrEqual(
        Math.max(0.0005, seconds * 0.005),
      );
    }
  });
});

describe('the duration ceiling', () => {
  it('takes durations up to 365 days, however written', () => {
    expect(simLimits.maxDuration).toBe(365 * 86_400);
    expect(parseDuration(31_536_000)).toBe(31_536_000);
    expect(parseDuration('8760h')).toBe(31_536_000);
    expect(parseDuration('8759h59m59s999ms')).toBeCloseTo(31_535_999.999, 6);
  });

  it('refuses longer ones, saying what was given in seconds and days, and the ceiling', () => {
    const plain = errorFor(1e308, 'subagents.latency.mean');
    expect(plain.message).toBe(
      'subagents.latency.mean: 1e+308 is 1e+308 s (3.17e+300 years); durations are at most 365 days (31,536,000 s, 8760h)',
    );
    expect(errorFor('32400000').message).toBe(
      '"32400000" is 32,400,000 s (375 days); durations are at most 365 days (31,536,000 s, 8760h)',
    );
    expect(errorFor('9000h').message).toMatch(/^"9000h" is 32,400,000 s \(375 days\); durations/);
    expect(errorFor('8760h1ms').message).toMatch(/durations are at most 365 days/);
  });

  it('still calls an overflow to infinity not finite, not too long', () => {
    expect(errorFor('1e308h').message).toMatch(/not a finite duration/);
  });
});

describe('describeSeconds', () => {
  it('gives short values their duration form, long ones seconds with days or years', () => {
    expect(describeSeconds(90)).toBe('1m30s');
    expect(describeSeconds(32_400_000)).toBe('32,400,000 s (375 days)');
    expect(describeSeconds(1.2e16)).toBe('1.2e+16 s (380,300,000 years)');
    expect(describeSeconds(1e308)).toBe('1e+308 s (3.17e+300 years)');
    expect(describeSeconds(Number.POSITIVE_INFINITY)).toBe('infinite');
  });
});
