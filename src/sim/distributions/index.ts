/**
 * Duration distributions: how long subagents, tools and orchestrator actions take.
 * See distribution.ts for the conventions every distribution follows.
 */
export {
  checkProbability,
  type Distribution,
  DistributionError,
} from './distribution.js';
export { EmpiricalDistribution, type EmpiricalParameters } from './empirical.js';
export { ExponentialDistribution, type ExponentialParameters } from './exponential.js';
export { FixedDistribution, type FixedParameters } from './fixed.js';
export { GammaDistribution, type GammaParameters } from './gamma.js';
export { gammaQuantile, logGamma, regularizedGammaP, regularizedGammaQ } from './gamma-function.js';
export { LognormalDistribution, type LognormalParameters } from './lognormal.js';
export {
  type MixtureComponent,
  MixtureDistribution,
  type NormalizedMixtureComponent,
} from './mixture.js';
export {
  erfc,
  standardNormalCdf,
  standardNormalQuantile,
  Z95,
} from './normal.js';
export { ParetoDistribution, type ParetoParameters } from './pareto.js';
export { ShiftedDistribution, TruncatedDistribution, type TruncationBounds } from './truncated.js';
export { UniformDistribution, type UniformParameters } from './uniform.js';
export { WeibullDistribution, type WeibullParameters } from './weibull.js';
