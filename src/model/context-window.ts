/**
 * The orchestrator's context window, in tokens (docs/model.md, "Context and compaction"): a base, a
 * few tokens per in-flight subagent handle, each unprocessed result in full and each processed
 * result as a summary.
 *
 * Compaction summarizes the conversation: everything but the base and the live handles
 * (results in full, summaries, what earlier compactions left) shrinks to the share
 * `compactionKeeps`. The handles themselves are the orchestrator's business: with a
 * volatile registry some are lost. A compaction runs only when the context is over budget
 * *and* has grown since the last one, so a context whose fixed part alone exceeds the
 * budget does not compact after every action.
 */
import type { ContextConfig } from './config.js';

export class ContextWindow {
  /** Results received, not yet processed, still held in full. */
  private fullResults = 0;
  /** Results received, not yet processed, whose text a compaction already shrank. */
  private compactedResults = 0;
  /** Summaries of processed results since the last compaction. */
  private summaryTokens = 0;
  /** What compactions left of everything they shrank. */
  private compactedTokens = 0;
  private afterLastCompaction = Number.NEGATIVE_INFINITY;
  peak: number;

  /** `handles` is the orchestrator's registry: the handles in context are exactly its size. */
  constructor(
    private readonly config: ContextConfig,
    private readonly handles: { readonly size: number },
  ) {
    this.peak = config.base;
  }

  get tokens(): number {
    const c = this.config;
    return (
      c.base +
      this.handles.size * c.perHandle +
      this.fullResults * c.perResult +
      this.summaryTokens +
      this.compactedTokens
    );
  }

  /** Over budget and grown since the last compaction. */
  get needsCompaction(): boolean {
    const t = this.tokens;
    return t > this.config.budget && t > this.afterLastCompaction;
  }

  /** Call after every change, so the peak is exact. */
  observe(): void {
    const t = this.tokens;
    if (t > this.peak) this.peak = t;
  }

  resultArrived(): void {
    this.fullResults++;
  }

  /** A result was processed (results are processed oldest first: compacted ones first). */
  summarize(): void {
    if (this.compactedResults > 0) this.compactedResults--;
    else this.fullResults--;
    this.summaryTokens += this.config.perSummary;
  }

  compact(): { before: number; after: number } {
    const c = this.config;
    const before = this.tokens;
    this.compactedTokens =
      c.compactionKeeps *
      (this.compactedTokens + this.summaryTokens + this.fullResults * c.perResult);
    this.summaryTokens = 0;
    this.compactedResults += this.fullResults;
    this.fullResults = 0;
    const after = this.tokens;
    this.afterLastCompaction = after;
    return { before, after };
  }
}
