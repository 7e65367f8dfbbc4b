/**
 * The worker-thread side of the pool (pool.ts): runs one chunk of seeds. Loaded by
 * piscina from the compiled dist/experiment/worker.js, since worker threads cannot load
 * TypeScript on Node 20.
 */
import { type SeedJob, scenarioOf } from './job.js';
import { runSeeds, type SeedRuns } from './run-seeds.js';

export default function runChunk(job: SeedJob): SeedRuns {
  return runSeeds(scenarioOf(job), job.seeds);
}
