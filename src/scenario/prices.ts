/**
 * A scenario's `prices` as the model's PriceTable: what is left out is free, except the
 * cached price, which is the input price unless given (no discount is the safe default:
 * a cache-hit share without a cached price then changes nothing).
 */
import type { ModelPrice, PriceTable } from '../model/config.js';
import type { NormalizedScenarioInput } from './schema.js';

type PricesInput = NonNullable<NormalizedScenarioInput['prices']>;

function modelPrice(p: PricesInput['orchestrator']): ModelPrice {
  const input = p?.input ?? 0;
  return {
    input,
    cachedInput: p?.cachedInput ?? input,
    cacheHitShare: p?.cacheHitShare ?? 0,
    output: p?.output ?? 0,
  };
}

export function priceTable(prices: PricesInput): PriceTable {
  return {
    orchestrator: modelPrice(prices.orchestrator),
    subagent: { ...modelPrice(prices.subagent), outputShare: prices.subagent?.outputShare ?? 0 },
  };
}
