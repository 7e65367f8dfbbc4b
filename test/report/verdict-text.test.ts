/** The verdict's words for counts: singular for exactly one, and possessives that read right. */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/experiment/verdict.js';
import { verdictText } from '../../src/report/verdict-text.js';

function verdict(counts: {
  tasks: number;
  compactions: number;
  peak: number;
  deadlocks: number;
}): Verdict {
  return {
    objective: 'makespan',
    direction: 'lower',
    margin: 0.05,
    threshold: 5,
    reference: 'bag-of-agents',
    recommended: 'bag-of-agents',
    unsafe: [{ label: 'async', reasons: [{ kind: 'deadlock', runs: counts.deadlocks }] }],
    candidates: [],
    tradeOffs: [],
    limits: [],
    conditions: {
      overlappableWork: 10,
      overlappableShare: 0.1,
      peakInFlight: counts.peak,
      tasks: counts.tasks,
      compactions: counts.compactions,
    },
  };
}

describe('verdictText', () => {
  it('says "1 task", "1 compaction", "1 subagent", "of 1 run": singular for exactly one', () => {
    const text = verdictText(
      verdict({ tasks: 1, compactions: 1, peak: 1, deadlocks: 1 }),
      1,
    ).replace(/\s+/g, ' ');
    expect(text).toContain('a peak of 1 subagent in flight; 1 task; 1 compaction a run.');
    expect(text).toContain('deadlocked in 1 of 1 run.');
    expect(text).not.toMatch(/\b1 (tasks|compactions|subagents|runs)\b/);
  });

  it('plural otherwise, and no possessive glued to a label that ends in s', () => {
    const text = verdictText(
      verdict({ tasks: 20, compactions: 0, peak: 3, deadlocks: 2 }),
      50,
    ).replace(/\s+/g, ' ');
    expect(text).toContain('a peak of 3 subagents in flight; 20 tasks; 0 compactions a run.');
    expect(text).toContain('deadlocked in 2 of 50 runs.');
    expect(text).toContain('The four conditions, on the runs of bag-of-agents:');
    expect(text).not.toContain("bag-of-agents's");
  });

  it('calls a candidate worse only beyond the margin; a significant difference inside it says so', () => {
    const withCandidate = (ci95: [number, number]): string => {
      const v = verdict({ tasks: 2, compactions: 0, peak: 2, deadlocks: 0 });
      const difference = {
        a: 'fan-out',
        b: 'bag-of-agents',
        metric: 'makespan' as const,
        meanDiff: (ci95[0] + ci95[1]) / 2,
        ci95,
        n: 20,
        excluded: 0,
      };
      const text = verdictText(
        {
          ...v,
          unsafe: [],
          candidates: [{ label: 'fan-out', difference, share: 0, clears: false }],
        },
        20,
      );
      return text.replace(/\s+/g, ' ');
    };
    expect(withCandidate([0.0004, 0.0006])).toContain('; worse, but by less than the margin.');
    expect(withCandidate([6, 9])).toMatch(/; worse\./);
    expect(withCandidate([-1, 2])).toContain('; within the margin.');
  });
});
