/**
 * An attempt's numbers live in the AttemptTable from its start until it is settled; slots
 * are then reused. Reading numbers outside that span is a model bug and must say so, and
 * a reused slot must never show one attempt's numbers through another.
 */
import { describe, expect, it } from 'vitest';
import { Attempt } from '../../src/model/attempt.js';
import type { AttemptDraws } from '../../src/model/attempt-draws.js';
import { AttemptTable } from '../../src/model/attempt-table.js';

function drawsOf(i: number): AttemptDraws {
  return {
    fate: (['ok', 'error', 'hang', 'needs-permission'] as const)[i % 4]!,
    latency: 100 + i,
    progress: 0.25,
    permissionPoint: 0.5,
    correctness: i / 1000,
    validation: 1 - i / 1000,
  };
}

describe('Attempt numbers', () => {
  it('exist from the start until the attempt is settled, and say so when read outside', () => {
    const numbers = new AttemptTable();
    const a = new Attempt(3, 7, 0, 0, false, numbers);
    expect(a.startedAt).toBeNaN();
    expect(() => a.work).toThrow(/agent 3 \(task 7\) has not started: it has no numbers yet/);
    a.begin(12, drawsOf(1), 0.5);
    expect([a.fate, a.work, a.startedAt, a.endsAt, a.endedAt, a.paused]).toEqual([
      'error',
      50.5,
      12,
      Number.NaN,
      Number.NaN,
      0,
    ]);
    a.endedAt = 62.5;
    a.paused = 3;
    expect([a.endedAt, a.paused]).toEqual([62.5, 3]);
    expect(() => a.begin(13, drawsOf(1), 0)).toThrow(/agent 3 has started already/);
    a.settle();
    expect(numbers.size).toBe(0);
    expect(() => a.correctnessDraw).toThrow(/is settled: its numbers are gone/);
  });

  it('reuses settled slots without mixing attempts, and keeps numbers when the table grows', () => {
    const numbers = new AttemptTable();
    const all = Array.from({ length: 300 }, (_, i) => new Attempt(i, i, 0, 0, false, numbers));
    for (const [i, a] of all.entries()) a.begin(i, drawsOf(i), 0);
    // Settle every other one, then start new attempts into the freed slots.
    for (const [i, a] of all.entries()) if (i % 2 === 0) a.settle();
    const later = Array.from(
      { length: 150 },
      (_, i) => new Attempt(1000 + i, i, 1, 0, false, numbers),
    );
    for (const [i, a] of later.entries()) a.begin(500 + i, drawsOf(500 + i), 0);
    expect(numbers.size).toBe(300);
    all.forEach((a, i) => {
      if (i % 2 === 0) return;
      expect([a.work, a.startedAt, a.correctnessDraw, a.fate]).toEqual([
        100 + i,
        i,
        i / 1000,
        drawsOf(i).fate,
      ]);
    });
    later.forEach((a, i) => {
      expect([a.work, a.startedAt, a.validationDraw]).toEqual([
        600 + i,
        500 + i,
        1 - (500 + i) / 1000,
      ]);
    });
  });
});
