/**
 * The task graph: which tasks must have their results processed before a task can be
 * dispatched. Built once per seed from the stream (seed, "dependencies"), so every
 * strategy sees the same graph.
 */
import { RandomStream, type Seed } from '../sim/random.js';
import type { DependencyShape } from './config.js';

export interface TaskGraph {
  readonly count: number;
  /** dependsOn[i]: the tasks whose processed results task i needs, ascending. */
  readonly dependsOn: readonly (readonly number[])[];
  /** dependents[i]: the tasks that need task i, ascending. */
  readonly dependents: readonly (readonly number[])[];
}

/** Shared by every task without edges: most graphs are 'none', and a run may hold 10^6 tasks. */
const noEdges: readonly number[] = Object.freeze([]);

export function buildTaskGraph(count: number, shape: DependencyShape, seed: Seed): TaskGraph {
  if (shape.shape === 'none') {
    const none = new Array<readonly number[]>(count).fill(noEdges);
    return { count, dependsOn: none, dependents: none };
  }
  const dependsOn: number[][] = Array.from({ length: count }, () => []);
  switch (shape.shape) {
    case 'chain':
      for (let i = 1; i < count; i++) dependsOn[i]!.push(i - 1);
      break;
    case 'layered': {
      const width = shape.width;
      for (let i = width; i < count; i++) {
        const layerStart = Math.floor(i / width) * width;
        for (let j = layerStart - width; j < layerStart; j++) dependsOn[i]!.push(j);
      }
      break;
    }
    case 'random': {
      // One draw per ordered pair (i < j), in a fixed order: the graph depends on the seed only.
      const draws = new RandomStream(seed, 'dependencies');
      for (let j = 1; j < count; j++) {
        for (let i = 0; i < j; i++) {
          if (draws.next() < shape.edgeProbability) dependsOn[j]!.push(i);
        }
      }
      break;
    }
  }
  const dependents: number[][] = Array.from({ length: count }, () => []);
  dependsOn.forEach((deps, task) => {
    for (const d of deps) dependents[d]!.push(task);
  });
  return { count, dependsOn, dependents };
}
