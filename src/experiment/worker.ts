/**
 * The worker-thread side of the pool (pool.ts): runs one chunk of seeds, and tells the
 * pool as seeds are done when the task carries a progress port. Loaded by
 * piscina from the compiled dist/experiment/worker.js, since worker threads cannot load
 * TypeScript on Node 20 (a scenario's strategy and orchestrator modules come compiled, as
 * code: job.ts). One run at a time: an orchestrator module's (the harness) installs fake
 * timers on this thread's global object for its run.
 */
import { isInputError } from './input-errors.js';
import { scenarioOf, type WorkerTask } from './job.js';
import { concatRuns, runSeedsAsync, type SeedRuns } from './run-seeds.js';

/**
 * What a chunk gives back. An error crossing the thread boundary loses its class, so an
 * input problem (the user's to fix: a runaway run, a latency file that changed or went
 * away since the main thread read it) is sent back as data, for the pool to throw again
 * as a UsageError; anything else is thrown and stays a bug.
 */
export type ChunkResult = { readonly runs: SeedRuns } | { readonly usageError: string };

export default async function runChunk(task: WorkerTask): Promise<ChunkResult> {
  try {
    const scenario = await scenarioOf(task);
    const { progress } = task;
    if (progress === undefined) return { runs: await runSeedsAsync(scenario, task.seeds) };
    // In batches of `every` seeds, to say when each batch is done (runSeeds runs one
    // strategy over all its seeds before the next). Every run depends only on its seed,
    // so the values are the same however the seeds are batched.
    const parts: SeedRuns[] = [];
    for (let i = 0; i < task.seeds.length; i += progress.every) {
      const batch = task.seeds.slice(i, i + progress.every);
      parts.push(await runSeedsAsync(scenario, batch));
      progress.port.postMessage(i + batch.length);
    }
    return { runs: parts.length > 0 ? concatRuns(parts) : await runSeedsAsync(scenario, []) };
  } catch (err) {
    if (isInputError(err)) return { usageError: err.message };
    throw err;
  }
}
