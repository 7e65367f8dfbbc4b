/**
 * Two nested fan-outs, each kept to 3 subagents at once, that together run 6. The code
 * splits its tasks into sections and works on the sections in parallel; each section makes
 * its own limiter of 3 inside the function that handles it, so every section runs 3
 * subagents and two sections run 6, against the limit of 3 the provider allows and the
 * code declares (`settings: { wip: 3 }`). The fix makes one limiter for the whole run and
 * hands it to every section: `nestedFanoutFixed`.
 */
import type { OrchestratorRuntime } from '../../../src/harness/index.js';

const sleep = (seconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

export interface NestedFanoutOptions {
  /** Sections the tasks are split into, worked on in parallel. */
  readonly sections: number;
  /** Most subagents a limiter lets run at once: what the code means to be the run's limit. */
  readonly limit: number;
  /** Seconds between two checks of a running subagent. */
  readonly pollEvery: number;
  /** Times a failed task is dispatched again before it is given up. */
  readonly retries: number;
}

/** What the code declares: the limit it means to keep, and how it learns of ends. */
export function nestedFanoutSettings(o: NestedFanoutOptions) {
  return { wip: o.limit, pollInterval: o.pollEvery, retries: o.retries, timeout: null };
}

/** Runs `job`s with at most `n` running at once; the others wait their turn, in order. */
type Limiter = <T>(job: () => Promise<T>) => Promise<T>;

function limiter(n: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (running < n) running++;
    // A finishing job hands its slot straight to the next in line: `running` stays as is.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}

/** One task, start to end: dispatch, poll until it ends, process its result or retry. */
async function runTask(rt: OrchestratorRuntime, task: number, o: NestedFanoutOptions) {
  let failures = 0;
  for (;;) {
    await rt.work('dispatch', rt.costs.dispatch);
    const id = rt.start(task);
    let outcome = rt.check(id);
    while (outcome.status === 'running') {
      await sleep(o.pollEvery);
      await rt.work('poll', rt.costs.poll);
      outcome = rt.check(id);
    }
    if (outcome.status === 'success') {
      // False: validation caught the result wrong, and the task is to be done again.
      if (await rt.work('process', rt.costs.process, { result: id })) return;
      continue;
    }
    if (++failures > o.retries) {
      rt.giveUp(task);
      return;
    }
  }
}

/** The tasks of section `s` of `count`, as contiguous runs of task numbers. */
function section(tasks: number, s: number, count: number): number[] {
  const from = Math.floor((tasks * s) / count);
  const to = Math.floor((tasks * (s + 1)) / count);
  return Array.from({ length: to - from }, (_, k) => from + k);
}

function orchestrator(o: NestedFanoutOptions, shared: boolean) {
  return async (rt: OrchestratorRuntime): Promise<void> => {
    const runLimit = shared ? limiter(o.limit) : null;
    const runSection = async (tasks: readonly number[]) => {
      // The bug: a limiter per section, where the limit was meant for the whole run.
      const limit = runLimit ?? limiter(o.limit);
      await Promise.all(tasks.map((task) => limit(() => runTask(rt, task, o))));
    };
    const sections = Array.from({ length: o.sections }, (_, s) => section(rt.tasks, s, o.sections));
    await Promise.all(sections.map(runSection));
    await rt.work('synthesize', rt.costs.synthesize);
  };
}

/** The buggy orchestrator: a limiter per section. */
export function nestedFanout(o: NestedFanoutOptions) {
  return orchestrator(o, false);
}

/** Its fixed twin: one limiter, shared by every section. */
export function nestedFanoutFixed(o: NestedFanoutOptions) {
  return orchestrator(o, true);
}
