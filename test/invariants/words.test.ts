import { describe, expect, it } from 'vitest';
import { agentName, count, list, oneLine, seconds } from '../../src/invariants/words.js';

describe('the words of the invariants’ messages', () => {
  it('says a time in seconds, to the millisecond at most, without trailing zeros', () => {
    expect(seconds(41.2)).toBe('41.2 s');
    expect(seconds(106.1074713964234)).toBe('106.107 s');
    expect(seconds(120)).toBe('120 s');
    expect(seconds(0.0004)).toBe('0 s');
    expect(seconds(-0)).toBe('0 s');
    expect(seconds(Number.NaN)).toBe('NaN s');
  });

  it('names an agent with its task when known, and counts in the singular for one', () => {
    expect(agentName(7, 3)).toBe('agent 7 (task 3)');
    expect(agentName(7)).toBe('agent 7');
    expect(count(1, 'task')).toBe('1 task');
    expect(count(0, 'task')).toBe('0 tasks');
    expect(count(2, 'process', 'processes')).toBe('2 processes');
  });

  it('lists a few items, then says how many more', () => {
    expect(list([])).toBe('');
    expect(list([3])).toBe('3');
    expect(list([3, 5])).toBe('3 and 5');
    expect(list([3, 5, 8])).toBe('3, 5 and 8');
    expect(list([1, 2, 3, 4, 5, 6, 7])).toBe('1, 2, 3, 4, 5 and 2 more');
  });

  it('makes a text of several lines, a list among them, one line', () => {
    expect(oneLine('3 processes wait:\n  - a\n  - b\n')).toBe('3 processes wait: a; b');
    expect(oneLine('one\ntwo')).toBe('one; two');
    expect(oneLine('plain')).toBe('plain');
  });
});
