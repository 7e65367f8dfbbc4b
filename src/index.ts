/**
 * dispatchlab: simulate how an LLM orchestrator should dispatch its subagents.
 *
 *   - the agent model and one run of a strategy: `runStrategy`, `world`, and the
 *     strategy API (`Strategy`, `Orchestrator`);
 *   - the built-in strategies: `blocking`, `batch`, `asyncDispatch`;
 *   - experiments over seeds: `compare`, `sweep`, shards and `merge`, and the statistics
 *     behind them (`summarize`, `pairedDifference`);
 *   - the safety invariants checked on traces: `invariants`, `checkRecords`,
 *     `TraceChecker`; `checkScenario` runs a scenario's strategies and checks every run;
 *     `expectSafe` is `dispatchlab check` as an assertion for a test of one's own;
 *   - scenario files: `loadScenario`, `parseScenario`, `scenarioJsonSchema`, and what they
 *     are written with: `distributionFromSpec`, `loadEmpiricalSamples`, `parseDuration`;
 *     users' strategies as modules (`loadStrategyModules`; `strategyProblems` checks one);
 *   - the simulation kernel is its own entry point: `dispatchlab/sim`.
 */

export * from './experiment/index.js';
export * from './invariants/index.js';
export * from './model/index.js';
export {
  checkSafety,
  expectSafe,
  type SafetyCheckOptions,
  UnsafeStrategyError,
} from './report/expect-safe.js';
export * from './scenario/index.js';
export * from './strategies/index.js';
