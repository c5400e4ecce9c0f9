/**
 * A trading state, of a portfolio or of an account: ACTIVE trades normally, REDUCING accepts only
 * orders that reduce a position, HALTED accepts none. An admin sets it with a reason; the daily
 * risk check will move it on a breach. An order meets the stricter of its portfolio's and account's.
 */
export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export type TradingState = (typeof TRADING_STATES)[number];

/** A broker account's standing: only an ACTIVE account takes orders. */
export const ACCOUNT_STATUSES = ['ACTIVE', 'SUSPENDED', 'CLOSED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
