/**
 * The pool's progress: counted in seeds as they are done, on worker threads as in-process,
 * rising steadily to the total — and the runs the same whatever the number of workers.
 */
import { describe, expect, it } from 'vitest';
import { runJobs } from '../../src/experiment/pool.js';
import { seedRange } from '../../src/experiment/run-seeds.js';
import { processingInput, scenarioOf, tinyInput } from './helpers.js';

/** Every progress call, in order. */
function recorder() {
  const calls: [number, number][] = [];
  return { calls, onProgress: (done: number, total: number) => calls.push([done, total]) };
}

/** The increments between consecutive counts. */
function steps(calls: readonly [number, number][]): number[] {
  return calls.slice(1).map(([done], i) => done - calls[i]![0]);
}

describe('runJobs progress', () => {
  const jobs = [
    { scenario: scenarioOf(tinyInput()), seeds: seedRange({ start: 0, count: 24 }) },
    { scenario: scenarioOf(processingInput()), seeds: seedRange({ start: 5, count: 16 }) },
  ];
  const total = 40;

  it('with two workers, rises a seed or two at a time (not a chunk at a time) to the total', async () => {
    // Each worker task is a chunk of total / (4 × workers) = 5 seeds: reporting only when a
    // chunk ends would rise in steps of 5. (On a one-core machine the pool caps workers at
    // 1 and runs in-process, which rises by 1.)
    const { calls, onProgress } = recorder();
    const runs = await runJobs(jobs, { workers: 2, onProgress });
    expect(calls[0]).toEqual([0, total]);
    expect(calls.at(-1)).toEqual([total, total]);
    for (const [, t] of calls) expect(t).toBe(total);
    const s = steps(calls);
    for (const step of s) expect(step).toBeGreaterThanOrEqual(1); // rising, no repeats
    expect(Math.max(...s)).toBeLessThanOrEqual(2);
    expect(calls.length).toBeGreaterThan(total / 2);
    // The same runs as in-process.
    expect(runs).toEqual(await runJobs(jobs, { workers: 1 }));
  });

  it('in-process, rises in steps of about 1% to the total', async () => {
    const { calls, onProgress } = recorder();
    await runJobs(jobs, { workers: 1, onProgress });
    expect(calls[0]).toEqual([0, total]);
    expect(calls.at(-1)).toEqual([total, total]);
    expect(Math.max(...steps(calls))).toBe(1);
  });

  it('reports 0 of 0 for jobs with no seeds', async () => {
    const { calls, onProgress } = recorder();
    const runs = await runJobs([{ scenario: jobs[0]!.scenario, seeds: [] }], {
      workers: 2,
      onProgress,
    });
    expect(calls).toEqual([[0, 0]]);
    expect(runs[0]!.seeds).toEqual([]);
  });
});
