/** Public surface of the optimiser for activities and the HTTP layer. */
export { createOptimiser, type Optimiser, type FrontierPoint, type FrontierRequest, type ConsensusRequest, type ConsensusResult } from './optimiser';
export type { HighsSolver } from './highs-solver';
export type * from './optimisation-types';
export { InfeasibleConstraintsError, InvalidOptimisationInputError, OptimisationSolverError } from './optimisation-errors';
export { blackLittermanPosterior, blackLittermanWeights, marketImpliedPriorReturns, marketImpliedRiskAversion, DEFAULT_DELTA, DEFAULT_TAU } from './black-litterman';
export { riskBudgetWeights } from './risk-parity';
export { portfolioMetrics } from './portfolio-metrics';
export { kktResiduals, type KktResiduals } from './active-set-polish';
