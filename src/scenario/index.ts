/** Scenario files: the schema, reading and checking them, their errors and warnings. */
export { formatPath, ScenarioError, type ScenarioIssue } from './errors.js';
export { scenarioJsonSchema } from './json-schema.js';
export { loadScenario, readScenarioData } from './load.js';
export { defaultSeedCount, parseScenario, type Scenario } from './parse.js';
export {
  durationSchema,
  type NormalizedScenarioInput,
  type NormalizedStrategyInput,
  type ScenarioInput,
  type StrategyInput,
  scenarioSchema,
  strategySchema,
} from './schema.js';
export { chooseStrategy } from './strategy-choice.js';
export { scenarioWarnings } from './warnings.js';
