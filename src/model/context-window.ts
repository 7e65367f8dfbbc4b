/**
 * The orchestrator's context window, in tokens (DESIGN.md §2): a base, a few tokens per
 * in-flight subagent handle, each unprocessed result in full and each processed result
 * as a summary. Compaction shrinks the summaries; what it does to the handles depends on
 * the registry and is the orchestrator's business.
 */
import type { ContextConfig } from './config.js';

export class ContextWindow {
  handles = 0;
  unprocessed = 0;
  private summaryTokens = 0;
  peak: number;

  constructor(private readonly config: ContextConfig) {
    this.peak = config.base;
  }

  get tokens(): number {
    const c = this.config;
    return c.base + this.handles * c.perHandle + this.unprocessed * c.perResult + this.summaryTokens;
  }

  get overBudget(): boolean {
    return this.tokens > this.config.budget;
  }

  /** Call after every change, so the peak is exact. */
  observe(): void {
    const t = this.tokens;
    if (t > this.peak) this.peak = t;
  }

  summarize(): void {
    this.unprocessed--;
    this.summaryTokens += this.config.perSummary;
  }

  /** Compaction keeps a share of the summaries. Returns the size before and after. */
  compact(): { before: number; after: number } {
    const before = this.tokens;
    this.summaryTokens *= this.config.compactionKeeps;
    return { before, after: this.tokens };
  }
}
