/**
 * Typed failures of the optimiser, each with a stable code. Invalid inputs and infeasible constraints
 * are the caller's to fix (HTTP 400 and 422); a solver that stops early is infrastructure (500).
 */
export class InvalidOptimisationInputError extends Error {
  readonly code = 'INVALID_OPTIMISATION_INPUT';
  constructor(
    /** The offending field, e.g. `covariance`, `expectedReturns`, `constraints.bounds.AAPL`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InvalidOptimisationInputError';
  }
}

export class InfeasibleConstraintsError extends Error {
  readonly code = 'INFEASIBLE_CONSTRAINTS';
  constructor(
    /** One sentence per conflict, naming the constraints, e.g. "bounds sum to at most 0.8 < 1". */
    readonly conflicts: readonly string[],
  ) {
    super(`infeasible constraints: ${conflicts.join('; ')}`);
    this.name = 'InfeasibleConstraintsError';
  }
}

/** HiGHS stopped without an optimum we can trust (time limit, iteration limit, numerical trouble). */
export class OptimisationSolverError extends Error {
  readonly code = 'OPTIMISATION_SOLVER_FAILED';
  constructor(
    readonly solverStatus: string,
    detail: string,
  ) {
    super(`solver stopped with status ${solverStatus}: ${detail}`);
    this.name = 'OptimisationSolverError';
  }
}
