/**
 * Runs jobs (a scenario and its seeds) on a pool of worker threads, or in-process
 * when `workers` is 1. Each job is cut into chunks of consecutive seeds; the chunks'
 * results are put back in seed order, whatever order they finish in, so the assembled
 * runs — and every document built from them — are the same whatever `workers` is.
 * Progress is counted in seeds as they are done, in-process and on workers alike (a
 * worker posts its count on a port passed with the task), so a bar moves steadily
 * rather than by whole chunks.
 */
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { buildState, projectRoot } from './build-check.js';
import { UsageError } from './errors.js';
import { type SeedJob, type WorkerTask, workerTask } from './job.js';
import { concatRuns, runSeeds, runSeedsAsync, type SeedRuns } from './run-seeds.js';
import type { ChunkResult } from './worker.js';

/** Called with the seeds done so far (one seed = every strategy of one job on it) and the total. */
export type ProgressCallback = (done: number, total: number) => void;

export interface PoolOptions {
  /** Worker threads; 1 (the default) runs in this thread, without a pool. */
  readonly workers?: number | undefined;
  readonly onProgress?: ProgressCallback | undefined;
}

/** A share of one job's seeds: what one in-process step or one worker task runs. */
interface Chunk {
  readonly job: number;
  readonly seeds: readonly number[];
}

/**
 * Checks a worker count given by a user, and caps it at the cores this process may use:
 * more threads than cores only add memory and switching (the results are the same
 * whatever the count, so the cap changes nothing but the time).
 */
function checkWorkers(workers: number | undefined): number {
  const w = workers ?? 1;
  if (!Number.isInteger(w) || w < 1) {
    throw new UsageError(`workers must be a whole number >= 1, got ${String(workers)}`);
  }
  return Math.min(w, maxWorkers());
}

/** The most worker threads a pool starts: the cores available to this process. */
export function maxWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Cuts every job into chunks of at most `size` consecutive seeds, in job order. Chunks
 * never span two jobs: a chunk is one scenario.
 */
function chunk(jobs: readonly SeedJob[], size: number): Chunk[] {
  const chunks: Chunk[] = [];
  jobs.forEach((job, j) => {
    for (let i = 0; i < job.seeds.length; i += size) {
      chunks.push({ job: j, seeds: job.seeds.slice(i, i + size) });
    }
  });
  return chunks;
}

/** Puts the chunk results back together, one SeedRuns per job, each in seed order. */
function assemble(
  jobs: readonly SeedJob[],
  chunks: readonly Chunk[],
  results: readonly SeedRuns[],
) {
  return jobs.map((job, j) => {
    const parts = results.filter((_, i) => chunks[i]!.job === j);
    // A job with no seeds (a shard whose share is empty) still has its strategies.
    return parts.length > 0 ? concatRuns(parts) : runSeeds(job.scenario, []);
  });
}

/** Runs every job over its seeds; returns one SeedRuns per job, in job order, seeds in the order given. */
export async function runJobs(
  jobs: readonly SeedJob[],
  options: PoolOptions = {},
): Promise<SeedRuns[]> {
  const workers = checkWorkers(options.workers);
  const total = jobs.reduce((n, job) => n + job.seeds.length, 0);
  const progress = options.onProgress ?? (() => {});
  progress(0, total);
  let done = 0;

  if (workers === 1 || total === 0) {
    // In-process: chunks only so that progress is reported and the event loop (timers,
    // signals) gets a turn now and then.
    const chunks = chunk(jobs, Math.max(1, Math.ceil(total / 100)));
    const results: SeedRuns[] = [];
    for (const c of chunks) {
      // Awaited one at a time: an orchestrator module's runs (the harness) may not overlap.
      results.push(await runSeedsAsync(jobs[c.job]!.scenario, c.seeds));
      done += c.seeds.length;
      progress(done, total);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return assemble(jobs, chunks, results);
  }

  // About four chunks per worker: enough to even out slow chunks, few enough that
  // messaging and re-parsing stay negligible. Progress does not wait for a chunk to end:
  // each task carries a port on which its worker counts the seeds done (runChunk).
  const chunks = chunk(jobs, Math.max(1, Math.ceil(total / (4 * workers))));
  const threads = Math.max(1, Math.min(workers, chunks.length));
  // Counted every 1% of the whole, as in-process: often enough for a bar, seldom enough
  // that the messages and the smaller batches a worker then runs cost nothing to speak of.
  const every = Math.max(1, Math.ceil(total / 100));
  const pool = new Piscina<WorkerTask, ChunkResult>({
    filename: pathToFileURL(workerFile()).href,
    minThreads: threads,
    maxThreads: threads,
  });
  // When a chunk fails (a strategy that throws), the pool is destroyed with other chunks
  // still running; a worker may then answer for a task the pool has already dropped, and
  // the pool reports that as an 'error' event, which would crash the process. Such a late
  // answer is expected once the pool is closing; at any other time it is a bug, and
  // thrown.
  let closing = false;
  pool.on('error', (error: unknown) => {
    if (!closing) throw error;
  });
  try {
    const results = await Promise.all(
      chunks.map(async (c) => {
        let reported = 0;
        const advance = (n: number) => {
          if (n <= reported) return;
          done += n - reported;
          reported = n;
          progress(done, total);
        };
        const { port1, port2 } = new MessageChannel();
        // The last count is posted before the result is returned, but on another channel:
        // it may arrive after the result, so the result waits for it (or for the port to
        // close, should the worker die), and the count never jumps by a whole chunk.
        const counted = new Promise<void>((resolve) => {
          port1.on('message', (n: number) => {
            advance(n);
            if (reported === c.seeds.length) resolve();
          });
          port1.on('close', () => resolve());
        });
        try {
          // Only the plain input crosses: the worker parses it again (scenarioOf).
          const task = workerTask(jobs[c.job]!.scenario, c.seeds, { port: port2, every });
          const result = await pool.run(task, { transferList: [port2] });
          if ('usageError' in result) throw new UsageError(result.usageError);
          await counted;
          advance(c.seeds.length);
          return result.runs;
        } finally {
          port1.close();
        }
      }),
    );
    return assemble(jobs, chunks, results);
  } finally {
    closing = true;
    await pool.destroy();
  }
}

/**
 * The compiled worker. From dist/ it sits next to this file; from the TypeScript
 * sources (tests, tsx) it is the build output in dist/, which must exist and be newer
 * than every source file — a stale build would silently simulate old code.
 */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return join(dirname(here), 'worker.js');
  const build = buildState();
  if (build.state === 'missing') {
    throw new Error(
      `running with workers needs the compiled code in dist/, but ${relative(process.cwd(), build.file) || build.file} does not exist; run \`npm run build\` first (or use workers: 1)`,
    );
  }
  if (build.state === 'stale') {
    throw new Error(
      `the compiled code in dist/ is older than ${relative(projectRoot, build.source)}; run \`npm run build\` so the worker threads simulate the current sources (or use workers: 1)`,
    );
  }
  return join(projectRoot, 'dist', 'experiment', 'worker.js');
}
