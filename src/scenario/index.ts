/**
 * Scenario files: the schema, reading and checking them, their errors and warnings; the
 * distributions they describe as plain objects, the latency files they read, and the
 * modules they name: users' own strategies, and users' own orchestrators for the harness.
 */
export {
  DISTRIBUTION_FIELDS,
  DISTRIBUTION_KEYS,
  DISTRIBUTION_KINDS,
  DISTRIBUTION_REQUIRED,
  type DistributionKind,
  type DistributionSpecOptions,
  type DistributionWarning,
  distributionFromSpec,
  type FieldInfo,
  type FieldType,
  MODIFIER_FIELDS,
} from './distributions/spec.js';
export { DurationError, parseDuration } from './duration.js';
export { formatPath, ScenarioError, type ScenarioIssue } from './errors.js';
export { scenarioJsonSchema } from './json-schema.js';
export {
  type EmpiricalFileData,
  type LoadEmpiricalOptions,
  loadEmpiricalSamples,
  readEmpiricalFile,
  type UnitSource,
} from './latency-file/read.js';
export { loadScenario, readScenarioData } from './load.js';
export {
  isModuleStrategy,
  type JsonObject,
  type JsonValue,
  type ModuleStrategyConfig,
  type ModuleStrategyInput,
  moduleKind,
  type ScenarioStrategy,
  strategyOf,
} from './module-strategy.js';
export {
  type DeclaredSettings,
  declaredDispatchSettings,
  isOrchestratorModule,
  type OrchestratorCode,
  type OrchestratorModuleConfig,
  type OrchestratorModuleInput,
  orchestratorKind,
} from './orchestrator-module.js';
export { type AnyScenario, defaultSeedCount, parseScenario, type Scenario } from './parse.js';
export {
  durationSchema,
  moduleEntrySchema,
  type NormalizedScenarioInput,
  type NormalizedStrategyInput,
  orchestratorEntrySchema,
  type ScenarioInput,
  type StrategyInput,
  scenarioSchema,
  scenarioSchemaFor,
  strategySchema,
  strategySchemaFor,
} from './schema.js';
export { chooseStrategy } from './strategy-choice.js';
export {
  type CompiledModule,
  compileStrategyModule,
  importStrategyModule,
  type LoadedModules,
  loadStrategyModules,
  type ModuleProblem,
  type ModuleRole,
  moduleExtensions,
  type StrategyModule,
} from './strategy-modules.js';
export { scenarioWarnings } from './warnings.js';
