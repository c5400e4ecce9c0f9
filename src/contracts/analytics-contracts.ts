/**
 * The analytics computations run as a short workflow (so each is inspectable in the Temporal UI)
 * around one math activity. Inputs and results travel as JSON text: inline when small, else by
 * reference to a compressed row in PostgreSQL (Temporal refuses payloads of a few MB; 500 assets ×
 * 1,260 days of returns is about 12 MB of JSON).
 */
export const ANALYTICS_KINDS = ['optimize', 'efficient-frontier', 'risk', 'risk-budget', 'performance', 'attribution'] as const;
export type AnalyticsKind = (typeof ANALYTICS_KINDS)[number];

/** JSON text, inline or stored under a reference. */
export type AnalyticsPayload = { readonly json: string } | { readonly ref: string };

/** Payloads up to this size travel inline in the workflow's history; larger ones by reference. */
export const INLINE_PAYLOAD_LIMIT_BYTES = 256 * 1024;

export interface AnalyticsCommand {
  readonly runId: string;
  readonly kind: AnalyticsKind;
  readonly input: AnalyticsPayload;
  /** SHA-256 (hex) of the input's JSON text: the signature covers it, so a stored input cannot be swapped. */
  readonly inputDigest: string;
  readonly requestedBy: string;
  readonly issuedAt: string;
  /** The portfolio whose holdings and stored closes complete the input (scope checked by the gateway). */
  readonly portfolioId?: string;
  readonly signature: string;
}

export interface AnalyticsOutcome {
  readonly kind: AnalyticsKind;
  readonly result: AnalyticsPayload;
  /** Time of the computation alone, inside the activity. */
  readonly computeMs: number;
}

/** Failures a computation answers instead of a result; the gateway maps them to 400 and 422. */
export const ANALYTICS_FAILURES = {
  /** The input is malformed for the math (a matrix not square, symmetric or PSD, NaN, mismatched assets): 400. */
  AnalyticsInputInvalid: 'AnalyticsInputInvalid',
  /** The constraints admit no solution (bounds that cannot sum to 1, caps too tight): 422. */
  InfeasibleConstraints: 'InfeasibleConstraints',
  /** The solver did not reach an optimum in its time limit: 422, with its status. */
  SolverFailed: 'SolverFailed',
} as const;

export const analyticsWorkflowId = (runId: string) => `analytics-${runId}`;
