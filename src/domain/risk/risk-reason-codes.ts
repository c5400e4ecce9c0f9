/**
 * Every reason the pre-trade engine can give, with what it means and the limit it checks (`—` for
 * a check without a configurable limit). Codes are stable: clients and dashboards match on them, so
 * a code is never renamed or reused for another meaning. The README's table is checked against this
 * one by a test, and `GET /v1/risk/reason-codes` serves it.
 */
export const RISK_REASONS = {
  TRADING_HALTED: ['The portfolio\'s or its account\'s trading state is HALTED: no order is accepted.', 'trading state'],
  TRADING_REDUCING: ['The portfolio\'s or its account\'s trading state is REDUCING: only orders that reduce a position are accepted.', 'trading state'],
  ACCOUNT_NOT_ACTIVE: ['The broker account is SUSPENDED or CLOSED.', 'account status'],
  INVALID_QUANTITY: ['Quantity is not greater than zero.', '—'],
  INVALID_PRICE: ['A limit order has no limit price greater than zero.', '—'],
  SYMBOL_NOT_ALLOWED: ['The symbol is not on the portfolio\'s or the account\'s allow-list.', '`allowedSymbols`'],
  UNKNOWN_INSTRUMENT: ['The symbol is not a known, active instrument.', '—'],
  CURRENCY_MISMATCH: ['The instrument is quoted in another currency than the portfolio\'s base currency (no conversion is configured).', '—'],
  LOT_SIZE: ['The quantity is not a multiple of the instrument\'s lot size.', 'instrument lot size'],
  PRICE_TICK_SIZE: ['The limit price is not a multiple of the instrument\'s tick size.', 'instrument tick size'],
  QUOTE_MISSING: ['The symbol has no quote.', '—'],
  QUOTE_STALE: ['The quote is older than `maxQuoteAgeSeconds`.', '`maxQuoteAgeSeconds`'],
  PRICE_COLLAR: ['A limit price, or a market order\'s expected fill, is further from the quote\'s mid than the collar, at decision or at submission.', '`priceCollarPct` (default 5 % equities, 10 % crypto)'],
  MIN_NOTIONAL: ['The order\'s value is below the instrument\'s minimum notional (closing a position is exempt).', 'instrument minimum notional'],
  MAX_ORDER_VALUE: ['The order\'s value is above the portfolio\'s, the account\'s or the instrument\'s limit.', '`maxOrderValue`'],
  MAX_ORDER_QUANTITY: ['The order\'s quantity is above the portfolio\'s, the account\'s or the instrument\'s limit.', '`maxOrderQuantity`'],
  INSUFFICIENT_CASH: ['A buy, with slippage and its fee (at least the minimum fee), needs more cash than is free after the open buys.', '—'],
  INSUFFICIENT_POSITION: ['A sell is larger than the free position (held less open sells) while `allowShort` is false.', '`allowShort`'],
  EQUITY_NOT_POSITIVE: ['The portfolio\'s equity is zero or negative: only orders that reduce a position are accepted.', '—'],
  MAX_POSITION_PCT_OF_EQUITY: ['The position, if this and the open orders on the symbol fill, could be a larger fraction of equity than the limit.', '`maxPositionPctOfEquity`'],
  MAX_GROSS_LEVERAGE: ['Gross exposure / equity after the order (and the open orders) could exceed the limit.', '`maxGrossLeverage`'],
  MAX_OPEN_POSITIONS: ['The order would open a position beyond the limit.', '`maxOpenPositions`'],
  MAX_OPEN_POSITIONS_PER_STRATEGY: ['The order would open a position for its strategy beyond the limit.', '`maxOpenPositionsPerStrategy`'],
  MAX_SECTOR_EXPOSURE_PCT: ['The gross value of the order\'s sector / equity after the order (and the open orders) could exceed the limit.', '`maxSectorExposurePct`'],
  MAX_CORRELATION: ['A new or growing position\'s daily-return correlation with a position held the same direction exceeds the limit.', '`maxCorrelation` over `correlationLookbackDays`'],
  CORRELATION_HISTORY_INSUFFICIENT: ['Too little common price history to measure a correlation, and `correlationOnShortHistory` is DENY.', '`correlationMinObservations`'],
  MAX_DAILY_LOSS: ['The loss since the trading day began is beyond the limit: only orders that reduce a position are accepted.', '`maxDailyLoss` in `tradingDayTimeZone`'],
  MAX_DAILY_TRADES: ['The portfolio (trading day) or the account (UTC day) has had as many orders approved as its limit allows.', '`maxDailyTrades`'],
  MAX_ORDER_RATE: ['The portfolio has had as many orders approved within the rolling window as the throttle allows.', '`maxOrdersPerWindow` per `orderRateWindowSeconds`'],
  SIGNAL_INVALID: ['The order\'s signal has a confidence or a probability outside [0, 1], or probabilities that do not sum to 1.', '—'],
  MIN_SIGNAL_CONFIDENCE: ['The order\'s signal is less confident than the limit.', '`minSignalConfidence`'],
  SIGNAL_DIRECTION_CONFLICT: ['The signal\'s probabilities favour a move against the order by more than the margin.', '`signalProbabilityMargin`'],
  SIGNAL_NO_EDGE: ['The signal\'s expected return does not cover the order\'s expected costs (fees and slippage).', '—'],
} as const satisfies Record<string, readonly [meaning: string, limit: string]>;

export type RiskReasonCode = keyof typeof RISK_REASONS;

/** The table as it is served and documented. */
export const RISK_REASON_TABLE: ReadonlyArray<{ code: RiskReasonCode; meaning: string; limit: string }> = Object.freeze(
  (Object.entries(RISK_REASONS) as Array<[RiskReasonCode, readonly [string, string]]>).map(([code, [meaning, limit]]) => ({ code, meaning, limit })),
);
