/** The nesting measured before a YAML text is parsed (yaml-depth.ts). */
import { describe, expect, it } from 'vitest';
import { yamlNestingDepth } from '../../src/scenario/yaml-depth.js';

describe('yamlNestingDepth', () => {
  it('counts block and flow collections, not brackets inside strings or comments', () => {
    expect(yamlNestingDepth('a: 1\nb: 2\n').depth).toBe(1);
    expect(yamlNestingDepth('a:\n  b:\n    - c: [1, {d: 2}]\n').depth).toBe(6);
    expect(yamlNestingDepth('a: "[[[[" # [[[[\nb: |\n  [[[[\n').depth).toBe(1);
  });

  it('closes levels when the indentation goes back', () => {
    const text = 'a:\n  b:\n    c: 1\nd: 2\n';
    expect(yamlNestingDepth(text)).toEqual({ depth: 3, line: 3 });
  });

  it('stops at the first point past the limit, with its line', () => {
    expect(yamlNestingDepth(`x: 1\ny: ${'- '.repeat(1000)}1`, 100)).toEqual({
      depth: 101,
      line: 2,
    });
    expect(yamlNestingDepth('['.repeat(1_000_000), 100).depth).toBe(101);
  });
});
