/**
 * The worker-thread side of the pool (pool.ts): runs one chunk of seeds. Loaded by
 * piscina from the compiled dist/experiment/worker.js, since worker threads cannot load
 * TypeScript on Node 20.
 */
import { scenarioOf, type WorkerTask } from './job.js';
import { runSeeds, type SeedRuns } from './run-seeds.js';

export default function runChunk(task: WorkerTask): SeedRuns {
  return runSeeds(scenarioOf(task), task.seeds);
}
