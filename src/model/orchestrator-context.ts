/**
 * The orchestrator's context and its compaction (docs/model.md, "Context and
 * compaction"): the window's size stated as it changes, and compactions when it is over
 * budget. With a volatile registry a compaction may forget handles: the orchestrator then
 * believes the task was never dispatched, while the subagent runs on in the world.
 */
import type { ProcessGenerator } from '../sim/process.js';
import { type Seed, StreamFactory, type StreamFamily } from '../sim/random.js';
import type { Simulation } from '../sim/simulation.js';
import type { Action } from './action.js';
import type { ContextConfig } from './config.js';
import { ContextWindow } from './context-window.js';
import type { RunFacts } from './facts.js';
import type { DispatchSettings } from './settings.js';
import type { SubagentRuntime } from './subagent-runtime.js';
import type { TaskLife } from './task-life.js';

export class OrchestratorContext {
  private readonly window: ContextWindow;
  private compactions = 0;
  private forgetCount = 0;
  /** Made at the first compaction that may forget (volatile registries only): a family costs its prefix's hashing. */
  private forgetStreams: StreamFamily | null = null;
  private readonly mayForget: boolean;

  constructor(
    private readonly sim: Simulation,
    private readonly config: ContextConfig,
    settings: DispatchSettings,
    private readonly seed: Seed,
    private readonly tasks: TaskLife,
    private readonly runtime: SubagentRuntime,
    private readonly facts: RunFacts,
    /** Pays `seconds` of `kind`: the orchestrator's time. */
    private readonly pay: (kind: 'compaction', seconds: number) => Action<void>,
  ) {
    this.window = new ContextWindow(config, tasks.tracked);
    this.mayForget = settings.registry === 'volatile' && settings.mode === 'background';
  }

  /** Handles compactions have forgotten so far. */
  get forgets(): number {
    return this.forgetCount;
  }

  /** The context's size now, in tokens. */
  get tokens(): number {
    return this.window.tokens;
  }

  get needsCompaction(): boolean {
    return this.window.needsCompaction;
  }

  /** States the context's size after a change. */
  observe(): void {
    this.facts.context(this.sim.now, this.window.tokens);
  }

  /** A result arrived, in full. */
  resultArrived(): void {
    this.window.resultArrived();
    this.observe();
  }

  /** A result was processed: a summary of it stays. */
  summarized(): void {
    this.window.summarize();
    this.observe();
  }

  *compact(): ProcessGenerator<void> {
    const c = this.config;
    yield* this.pay('compaction', c.compactionCost);
    this.compactions++;
    const { before, after } = this.window.compact();
    this.facts.compacted(this.sim.now, before, after);
    if (!this.mayForget) return;
    this.forgetStreams ??= new StreamFactory(this.seed).family('forget');
    // The registry lets the current handle be deleted while iterating (HandleRegistry).
    for (const a of this.tasks.tracked) {
      const draw = this.forgetStreams.get2(a.agent, this.compactions).next();
      if (draw >= c.forgetProbability) continue;
      // The orchestrator believes the task was never dispatched: it will dispatch it again.
      a.forgotten = true;
      this.tasks.untrack(a);
      this.forgetCount++;
      this.tasks.table.forgotten[a.task] = 1;
      this.facts.forgot(this.sim.now, a);
      this.tasks.open(a.task);
      this.runtime.forgotten(a);
    }
    this.observe(); // the forgotten handles left it
  }
}
