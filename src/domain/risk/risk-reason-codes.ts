/**
 * Every reason the pre-trade engine can give, with what it means. Codes are stable: clients and
 * dashboards match on them, so a code is never renamed or reused for another meaning. The README's
 * table is checked against this one by a test.
 */
export const RISK_REASONS = {
  TRADING_HALTED: 'The portfolio\'s trading state is HALTED: no order is accepted.',
  TRADING_REDUCING: 'The portfolio\'s trading state is REDUCING: only orders that reduce a position are accepted.',
  INVALID_QUANTITY: 'Quantity is not greater than zero.',
  INVALID_PRICE: 'A limit order has no limit price greater than zero.',
  SYMBOL_NOT_ALLOWED: 'The symbol is not on the portfolio\'s `allowedSymbols` list.',
  UNKNOWN_INSTRUMENT: 'The symbol is not a known, active instrument.',
  CURRENCY_MISMATCH: 'The instrument is quoted in another currency than the portfolio\'s base currency (no conversion is configured).',
  LOT_SIZE: 'The quantity is not a multiple of the instrument\'s lot size.',
  PRICE_TICK_SIZE: 'The limit price is not a multiple of the instrument\'s tick size.',
  QUOTE_MISSING: 'The symbol has no quote.',
  QUOTE_STALE: 'The quote is older than `maxQuoteAgeSeconds`.',
  MIN_NOTIONAL: 'The order\'s value is below the instrument\'s minimum notional (closing a position is exempt).',
  MAX_ORDER_VALUE: 'The order\'s value is above `maxOrderValue`.',
  INSUFFICIENT_CASH: 'A buy, with slippage and its fee (at least the minimum fee), needs more cash than is free after the open buys.',
  INSUFFICIENT_POSITION: 'A sell is larger than the free position (held less open sells) while `allowShort` is false.',
  EQUITY_NOT_POSITIVE: 'The portfolio\'s equity is zero or negative: only orders that reduce a position are accepted.',
  MAX_POSITION_PCT_OF_EQUITY: 'The position, if this and the open orders on the symbol fill, could be a larger fraction of equity than `maxPositionPctOfEquity`.',
  MAX_GROSS_LEVERAGE: 'Gross exposure / equity after the order (and the open orders) could exceed `maxGrossLeverage`.',
  MAX_OPEN_POSITIONS: 'The order would open a position beyond `maxOpenPositions`.',
} as const;

export type RiskReasonCode = keyof typeof RISK_REASONS;
