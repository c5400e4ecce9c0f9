/**
 * The optimiser's inputs and outputs. Matrices are row-major `number[][]` at the edge (what JSON
 * carries) and Float64Array inside. Every number is annual (returns, covariance, volatility) unless
 * the caller deliberately passes another period consistently (the optimiser is scale-free).
 */

export type Objective =
  | 'min_variance'
  | 'max_sharpe'
  | 'max_return'
  | 'efficient_return'
  | 'risk_parity'
  | 'max_diversification'
  | 'black_litterman';

/**
 * What to do with a covariance that is not positive semi-definite: `reject` (default) answers
 * INVALID_OPTIMISATION_INPUT; `spectral` clips negative eigenvalues to 0 (PyPortfolioOpt's
 * fix_nonpositive_semidefinite); `none` uses it as given, so the QP is non-convex and the answer is
 * a KKT point (local optimum) only — for reproducing textbook fixtures whose matrices are indefinite.
 */
export type CovarianceRepair = 'reject' | 'spectral' | 'none';

export interface PortfolioConstraints {
  /** Default true. false without bounds means weights in [−1, 1] (PyPortfolioOpt's (None, None)). */
  readonly longOnly?: boolean;
  /** Global lower bound of every weight (default 0 when long-only, −1 otherwise). */
  readonly minWeight?: number;
  /** Global upper bound of every weight (default 1). */
  readonly maxWeight?: number;
  /** Per-asset [min, max], overriding the global bounds for that asset. */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Sector of each asset; assets without one are not sector-capped. */
  readonly sectors?: Readonly<Record<string, string>>;
  /** One cap for every sector, or a cap per sector (sectors not named are uncapped). */
  readonly maxSectorWeight?: number | Readonly<Record<string, number>>;
  /** Current weights w0 for the turnover limit (missing assets count as 0). */
  readonly currentWeights?: Readonly<Record<string, number>>;
  /** Σ|w − w0| ≤ maxTurnover. */
  readonly maxTurnover?: number;
}

export interface BlackLittermanViews {
  /** K × N picking matrix (rows are view portfolios over `assets`). */
  readonly P: readonly (readonly number[])[];
  /** K view returns (annual). */
  readonly Q: readonly number[];
  /** Optional K × K view uncertainty; default diag(P τΣ Pᵀ) (He & Litterman). */
  readonly omega?: readonly (readonly number[])[];
}

export interface OptimisationRequest {
  readonly assets: readonly string[];
  /** Annual expected returns; required by max_sharpe, max_return, efficient_return. */
  readonly expectedReturns?: readonly number[];
  /** Annual covariance, N × N, symmetric PSD. */
  readonly covariance: readonly (readonly number[])[];
  readonly objective: Objective;
  /** Annual risk-free rate (default 0), used by max_sharpe and in every reported Sharpe ratio. */
  readonly riskFreeRate?: number;
  /** max_return: the volatility cap. */
  readonly targetVolatility?: number;
  /** efficient_return: the return floor (μᵀw ≥ target, as PyPortfolioOpt). */
  readonly targetReturn?: number;
  readonly constraints?: PortfolioConstraints;
  /** risk_parity: risk budgets per asset (normalised to sum 1); default equal. */
  readonly riskBudgets?: readonly number[];
  /** black_litterman: market-cap weights for the implied prior δΣw_mkt (+ riskFreeRate). */
  readonly marketWeights?: readonly number[];
  readonly views?: BlackLittermanViews;
  /** black_litterman: default 0.05. */
  readonly tau?: number;
  /** black_litterman: risk aversion δ, default 2.5. */
  readonly delta?: number;
  readonly covarianceRepair?: CovarianceRepair;
  /** Solver wall-clock limit per QP in seconds (default 10). */
  readonly timeLimitSeconds?: number;
}

export interface RiskContributions {
  /** w_i (Σw)_i / σ_p: sums to the volatility. */
  readonly absolute: Readonly<Record<string, number>>;
  /** w_i (Σw)_i / σ_p²: sums to 1. */
  readonly percent: Readonly<Record<string, number>>;
}

export interface SolverReport {
  /** HiGHS model status of the last QP ("Optimal"), or the method for non-QP objectives. */
  readonly status: string;
  readonly solver: 'highs' | 'newton' | 'closed_form';
  /** QP (active-set) or Newton iterations, summed over every solve this objective needed. */
  readonly iterations: number;
  /** Number of QP/LP solves (efficient risk bisection, diagnostics). */
  readonly solves: number;
  /** Solver wall time reported by HiGHS, seconds. */
  readonly solverSeconds: number;
  /** Whether the KKT active-set polish replaced HiGHS's point. */
  readonly polished: boolean;
  /** Largest KKT residual of the returned point (stationarity, feasibility, sign, complementarity). */
  readonly kktResidual: number;
}

export interface OptimisationResult {
  readonly objective: Objective;
  readonly weights: Readonly<Record<string, number>>;
  /** Null when no expected returns were given. */
  readonly expectedReturn: number | null;
  readonly volatility: number;
  readonly sharpe: number | null;
  readonly riskContributions: RiskContributions;
  readonly solver: SolverReport;
  /** Notes about the inputs (a repaired or indefinite covariance). */
  readonly warnings: readonly string[];
  /** black_litterman only: the posterior returns and covariance the weights were optimised on. */
  readonly posterior?: { readonly expectedReturns: Readonly<Record<string, number>>; readonly covariance: readonly (readonly number[])[] };
}
