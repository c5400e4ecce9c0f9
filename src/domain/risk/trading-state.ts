/**
 * A portfolio's trading state: ACTIVE trades normally, REDUCING accepts only orders that reduce a
 * position, HALTED accepts none. (The daily risk check will move it; until then it is ACTIVE.)
 */
export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export type TradingState = (typeof TRADING_STATES)[number];
