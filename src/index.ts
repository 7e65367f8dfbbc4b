/**
 * dispatchlab: simulate how an LLM orchestrator should dispatch its subagents.
 *
 *   - the agent model and one run of a strategy: `runStrategy`, `world`, `Orchestrator`;
 *   - the built-in strategies: `blocking`, `batch`, `asyncDispatch`;
 *   - statistics over seeds: `summarize`, `pairedDifference`;
 *   - the simulation kernel is its own entry point: `dispatchlab/sim`.
 */
export * from './experiment/stats.js';
export * from './model/index.js';
export * from './strategies/index.js';
