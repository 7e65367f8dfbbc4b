/**
 * What a strategy is, for the model: a label, the dispatch settings it needs, and the
 * orchestrator's program. Built-in strategies (src/strategies) and users' own are the
 * same kind of object.
 */
import type { ProcessGenerator } from '../sim/process.js';
import type { Orchestrator } from './orchestrator.js';
import type { DispatchSettings } from './settings.js';

export interface Strategy {
  /** Shown in tables and traces, e.g. `batch(k=10)`. */
  readonly label: string;
  readonly settings: DispatchSettings;
  /** The orchestrator's program; the run's makespan ends when it returns. */
  run(o: Orchestrator): ProcessGenerator<void>;
}
