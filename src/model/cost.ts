/**
 * What a run's tokens cost under a price table (docs/model.md, "Money"). Prices
 * are per million tokens; the tokens read are billed partly at the cached price, in the
 * share the table gives. Cache writes are not billed apart: a provider that charges more
 * for them is approximated by raising `input`.
 */
import type { ModelPrice, PriceTable } from './config.js';

/** The tokens a run used, as the metrics count them. */
export interface TokensUsed {
  readonly orchestratorInput: number;
  readonly orchestratorOutput: number;
  readonly subagent: number;
}

/** The price of one token read, averaged over cache hits and misses. */
function perTokenRead(price: ModelPrice): number {
  return ((1 - price.cacheHitShare) * price.input + price.cacheHitShare * price.cachedInput) / 1e6;
}

/** The cost of the orchestrator's tokens and the subagents' together; 0 without a price table. */
export function tokenCost(prices: PriceTable | undefined, used: TokensUsed): number {
  if (prices === undefined) return 0;
  const { orchestrator, subagent } = prices;
  const orchestratorCost =
    used.orchestratorInput * perTokenRead(orchestrator) +
    (used.orchestratorOutput * orchestrator.output) / 1e6;
  const subagentPerToken =
    (1 - subagent.outputShare) * perTokenRead(subagent) +
    (subagent.outputShare * subagent.output) / 1e6;
  return orchestratorCost + used.subagent * subagentPerToken;
}
