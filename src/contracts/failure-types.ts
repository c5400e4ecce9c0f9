/**
 * Failure types that cross the Temporal seam. Activities raise them as ApplicationFailure types;
 * workflows list the non-retryable ones in their retry policies; the gateway recognises the rest.
 */
export const FAILURE_TYPES = {
  /** A command that can never be processed as sent (an undecimal amount, a negative quantity). */
  InvalidCommand: 'InvalidCommand',
  /** The command names a portfolio that does not exist. */
  PortfolioNotFound: 'PortfolioNotFound',
  /** A broker report arrived for an order the books do not hold. */
  OrderNotRecorded: 'OrderNotRecorded',
  /** The venue does not know the order. */
  BrokerOrderNotFound: 'BrokerOrderNotFound',
  /** PostgreSQL refused the data itself (SQLSTATE class 22 or 23): retrying cannot help. */
  DataRejected: 'DataRejected',
  /** Amounts in two currencies met without a conversion. */
  CurrencyMismatch: 'CurrencyMismatch',
  /** A command without a valid gateway signature, bound to another workflow, or replayed (audited). */
  CommandRejected: 'CommandRejected',
} as const;

export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

/** Every activity failure type above is one the same call would meet again: never retried. */
export const NON_RETRYABLE_FAILURE_TYPES: readonly FailureType[] = Object.values(FAILURE_TYPES);

/** Failure types of the daily risk run that retrying cannot cure (beside the ones above). */
export const DAILY_RISK_FAILURES = {
  /** A portfolio's data cannot be analysed (a zero close, a broken series): that portfolio fails, the run goes on. */
  DailyRiskInputInvalid: 'DailyRiskInputInvalid',
  DailyRiskDatesInvalid: 'DailyRiskDatesInvalid',
} as const;

/** Failures of workflow messages (queries, update validators): the gateway answers a client by their type. */
export const ORDER_MESSAGE_FAILURES = {
  /** The order has no risk decision yet. */
  OrderPending: 'OrderPending',
  /** The order cannot be cancelled in its current state. */
  OrderNotCancellable: 'OrderNotCancellable',
} as const;
