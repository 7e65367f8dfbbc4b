import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/scenario/suggest.js';

describe('suggestions', () => {
  it('measures edit distance without regard to case', () => {
    expect(editDistance('sigma', 'sigma')).toBe(0);
    expect(editDistance('sigm', 'sigma')).toBe(1);
    expect(editDistance('Lognormal', 'lognormal')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    const kinds = ['fixed', 'uniform', 'exponential', 'lognormal', 'gamma'];
    expect(closestMatch('lognorm', kinds)).toBe('lognormal');
    expect(closestMatch('expo', kinds)).toBe('exponential');
    expect(closestMatch('gama', kinds)).toBe('gamma');
    expect(closestMatch('zzz', kinds)).toBeUndefined();
    expect(closestMatch('poisson', kinds)).toBeUndefined();
  });
});
