import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/experiment/errors.js';
import { gridPoints, parseVaries, parseVary, withValue } from '../../src/experiment/vary.js';

describe('parseVary', () => {
  it('expands FROM..TO:STEPS into evenly spaced values, ends included', () => {
    expect(parseVary('orchestrator.process=0..60:7')).toEqual({
      path: 'orchestrator.process',
      values: [0, 10, 20, 30, 40, 50, 60],
    });
    // Rounded to 12 significant digits: no 0.30000000000000004.
    expect(parseVary('subagents.failures.error=0.1..0.5:5').values).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.5,
    ]);
    expect(parseVary('x=10..0:3').values).toEqual([10, 5, 0]);
    // Durations as range ends give seconds.
    expect(parseVary('orchestrator.plan=0s..2m:3').values).toEqual([0, 60, 120]);
  });

  it('reads lists of numbers, durations, booleans and strings', () => {
    expect(parseVary('strategies[2].wip=1,5,unbounded')).toEqual({
      path: 'strategies[2].wip',
      values: [1, 5, 'unbounded'],
    });
    expect(parseVary('orchestrator.poll=30s, 1m,2.5').values).toEqual(['30s', '1m', 2.5]);
    expect(parseVary('strategies[2].resume=true,false').values).toEqual([true, false]);
    expect(parseVary('context.budget=1e4,none').values).toEqual([10000, 'none']);
  });

  it('says what is wrong with bad syntax', () => {
    const bad: [string, RegExp][] = [
      ['orchestrator.process', /no "=" found; write PATH=FROM..TO:STEPS/],
      ['orchestrator.process=', /no values after "="/],
      ['orchestrator.process=0..60', /a range needs its number of points, FROM..TO:STEPS/],
      ['orchestrator.process=0..60:1', /at least 2; for one value write PATH=value/],
      [
        'orchestrator.process=0..soon:3',
        /the range's end "soon" is neither a number nor a duration/,
      ],
      ['orchestrator.process=1,,2', /an empty value in the list/],
      ['strategies.[2]=1', /"strategies.\[2\]" is not a field path/],
      ['seeds.count=1,2', /set them with --seeds/],
    ];
    for (const [spec, message] of bad) {
      expect(() => parseVary(spec), spec).toThrow(message);
      expect(() => parseVary(spec), spec).toThrow(UsageError);
    }
    expect(() => parseVaries(['tasks.count=1', 'tasks.count=2'])).toThrow(/given twice/);
    expect(() => parseVaries([])).toThrow(/at least one --vary/);
  });
});

describe('withValue', () => {
  const input = { tasks: { count: 5 }, strategies: [{ kind: 'blocking' }, { kind: 'async' }] };

  it('sets the field on a copy, creating missing mappings', () => {
    expect(withValue(input, 'orchestrator.process', 10)).toEqual({
      ...input,
      orchestrator: { process: 10 },
    });
    expect(withValue(input, 'strategies[1].wip', 4)).toEqual({
      ...input,
      strategies: [{ kind: 'blocking' }, { kind: 'async', wip: 4 }],
    });
    expect(input).toEqual({
      tasks: { count: 5 },
      strategies: [{ kind: 'blocking' }, { kind: 'async' }],
    });
  });

  it('refuses list entries that do not exist and fields of non-mappings', () => {
    expect(() => withValue(input, 'strategies[2].wip', 4)).toThrow(
      /strategies has 2 entries \(strategies\[0\]…strategies\[1\]\), so there is no strategies\[2\]/,
    );
    expect(() => withValue(input, 'tasks.count.max', 4)).toThrow(/tasks.count is 5, not a mapping/);
    expect(() => withValue(input, 'tasks[0]', 4)).toThrow(/tasks is not a list/);
  });
});

describe('gridPoints', () => {
  it('is the cartesian product as nested loops, first vary outermost', () => {
    expect(
      gridPoints([
        { path: 'a', values: [1, 2] },
        { path: 'b', values: ['x', 'y', 'z'] },
      ]),
    ).toEqual([
      [1, 'x'],
      [1, 'y'],
      [1, 'z'],
      [2, 'x'],
      [2, 'y'],
      [2, 'z'],
    ]);
  });
});
