/**
 * The worker-thread side of the pool (pool.ts): runs one chunk of seeds. Loaded by
 * piscina from the compiled dist/experiment/worker.js, since worker threads cannot load
 * TypeScript on Node 20.
 */
import { UsageError } from './errors.js';
import { scenarioOf, type WorkerTask } from './job.js';
import { runSeeds, type SeedRuns } from './run-seeds.js';

/**
 * What a chunk gives back. An error crossing the thread boundary loses its class, so an
 * input problem (a UsageError: the user's to fix) is sent back as data, for the pool to
 * throw again as a UsageError; anything else is thrown and stays a bug.
 */
export type ChunkResult = { readonly runs: SeedRuns } | { readonly usageError: string };

export default function runChunk(task: WorkerTask): ChunkResult {
  try {
    return { runs: runSeeds(scenarioOf(task), task.seeds) };
  } catch (err) {
    if (err instanceof UsageError) return { usageError: err.message };
    throw err;
  }
}
