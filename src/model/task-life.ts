/**
 * The life of the job's tasks (docs/model.md, "Tasks" and "Quality"): which are ready to
 * dispatch, which the orchestrator believes are out (its handles), how a processed result
 * is judged, and how tasks succeed, open their dependents, or are given up with everything
 * that needs them.
 */
import type { Simulation } from '../sim/simulation.js';
import type { Attempt } from './attempt.js';
import type { QualityConfig } from './config.js';
import type { TaskGraph } from './dependencies.js';
import type { RunFacts } from './facts.js';
import { Fifo } from './fifo.js';
import type { HandleRegistry } from './handle-registry.js';
import { DONE, GIVEN_UP, OPEN, TaskTable, WAITING } from './task-table.js';

/**
 * How many times one task may be dispatched again after validation caught a wrong
 * result. A safeguard against endless loops when quality is very low; past it the wrong
 * result is accepted.
 */
export const maxRedispatches = 3;

/**
 * Whether a processed result is correct (docs/model.md, "Quality"): one uniform against a
 * probability that learning raises and a denied permission or a wrong upstream result
 * lowers, so that worlds stay coupled across strategies. Shared with the real-code harness.
 */
export function resultIsCorrect(a: Attempt, q: QualityConfig, wrongUpstream: boolean): boolean {
  let pRight = 1 - (1 - q.base) * Math.exp(-q.learningRate * a.processedAtDispatch);
  if (a.denied) pRight *= 1 - q.deniedPenalty;
  if (wrongUpstream) pRight *= 1 - q.propagation;
  return a.correctnessDraw < pRight;
}

/** Whether processing catches a wrong result, with `validation` its chance, after `redispatches` of its task. */
export function validationCatches(
  a: Attempt,
  correct: boolean,
  validation: number,
  redispatches: number,
): boolean {
  return !correct && a.validationDraw < validation && redispatches < maxRedispatches;
}

export class TaskLife {
  readonly table: TaskTable;
  /** Tasks that became open, in that order; entries may be stale (checked when read). */
  private readonly readyQueue = new Fifo<number>();
  /** Results processed so far (drives quality learning): each succeeded or was caught wrong. */
  private processedCount = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly graph: TaskGraph,
    private readonly quality: QualityConfig,
    /** The chance that processing catches a wrong result. */
    private readonly validation: number,
    /** The handles the orchestrator tracks, in dispatch order. */
    readonly tracked: HandleRegistry,
    private readonly facts: RunFacts,
  ) {
    this.table = new TaskTable(graph.dependsOn);
    for (let i = 0; i < graph.count; i++) {
      if (this.table.status[i] === OPEN) this.table.readyAt[i] = this.readyQueue.push(i);
    }
  }

  get processed(): number {
    return this.processedCount;
  }

  isResolved(task: number): boolean {
    return this.table.isResolved(task);
  }

  /** Open, not believed to be out, no result of it waiting to be processed. */
  isDispatchable(task: number): boolean {
    const t = this.table;
    return t.status[task] === OPEN && t.handle[task] === null && t.buffered[task] === 0;
  }

  /**
   * Tasks that can be dispatched now, in the order they became dispatchable; at most
   * `limit`.
   */
  readyTasks(limit: number): number[] {
    const queue = this.readyQueue;
    // Entries go stale once their task is dispatched or resolved, or opened again (then a
    // newer entry counts); drop them from the front so repeated calls stay proportional
    // to what they return, not to all tasks.
    while (queue.length > 0 && !this.isReadyEntry(queue.at(0), queue.positionAt(0))) queue.shift();
    const out: number[] = [];
    for (let i = 0; i < queue.length && out.length < limit; i++) {
      const task = queue.at(i);
      if (this.isReadyEntry(task, queue.positionAt(i))) out.push(task);
    }
    return out;
  }

  /** A ready-queue entry counts if it is its task's latest and the task can be dispatched. */
  private isReadyEntry(task: number, position: number): boolean {
    return this.table.readyAt[task] === position && this.isDispatchable(task);
  }

  /** The task is dispatchable again (or for the first time). */
  open(task: number): void {
    this.table.status[task] = OPEN;
    this.table.readyAt[task] = this.readyQueue.push(task);
  }

  /** The orchestrator holds `a`'s handle: its task is out. */
  track(a: Attempt): void {
    this.table.handle[a.task] = a;
    this.table.status[a.task] = OPEN;
    this.tracked.add(a);
  }

  /** The orchestrator no longer holds `a`'s handle (its outcome is known, or forgotten). */
  untrack(a: Attempt): void {
    this.tracked.delete(a);
    const handles = this.table.handle;
    if (handles[a.task] === a) handles[a.task] = null;
  }

  /**
   * A processed result, judged (docs/model.md, "Quality"): validation may catch a wrong
   * one, and its task opens again; otherwise the task succeeds.
   */
  judgeResult(a: Attempt): void {
    const tasks = this.table;
    tasks.buffered[a.task] = 0;
    const correct = resultIsCorrect(a, this.quality, tasks.wrongUpstream[a.task] === 1);
    const caught = validationCatches(a, correct, this.validation, tasks.redispatches[a.task]!);
    this.processedCount++;
    this.facts.processed(this.sim.now, a, correct, caught);
    if (caught) tasks.redispatches[a.task]!++;
    a.settle(); // done with it: its numbers go
    if (caught) this.open(a.task);
    else this.succeed(a.task, a, correct);
  }

  private succeed(taskId: number, a: Attempt, correct: boolean): void {
    const tasks = this.table;
    tasks.resolve(taskId, DONE);
    this.facts.succeeded(this.sim.now, taskId, a, correct);
    const dependents = this.graph.dependents[taskId]!;
    for (let i = 0; i < dependents.length; i++) {
      const d = dependents[i]!;
      if (!correct) tasks.wrongUpstream[d] = 1;
      if (--tasks.unprocessedDeps[d]! === 0 && tasks.status[d] === WAITING) this.open(d);
    }
  }

  /** Gives a task up, and with it every task that (transitively) needs it. */
  giveUp(taskId: number): void {
    const stack: [number, 'retries-exhausted' | 'upstream-given-up'][] = [
      [taskId, 'retries-exhausted'],
    ];
    const tasks = this.table;
    while (stack.length > 0) {
      const [id, why] = stack.pop()!;
      if (tasks.isResolved(id)) continue;
      tasks.resolve(id, GIVEN_UP);
      this.facts.givenUp(this.sim.now, id, why, tasks.attempts[id]!);
      for (const d of this.graph.dependents[id]!) stack.push([d, 'upstream-given-up']);
    }
  }
}
