import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/**
 * A missing or stale price denies: an order is never valued against a price nobody vouches for.
 * A quote whose age cannot be told (an unreadable time) counts as stale.
 */
export const freshQuote: PreTradeRule = ({ order, instrument, quote, quoteAgeSeconds, limits }) => {
  if (instrument === null) return PASS;
  if (quote === null || quoteAgeSeconds === null) return [riskReason('QUOTE_MISSING', `no quote for ${order.symbol}`)];
  if (!Number.isFinite(quoteAgeSeconds)) return [riskReason('QUOTE_STALE', `the ${order.symbol} quote has no readable time`, limits.maxQuoteAgeSeconds)];
  if (quoteAgeSeconds > limits.maxQuoteAgeSeconds) {
    const age = Math.floor(quoteAgeSeconds);
    return [riskReason('QUOTE_STALE', `the ${order.symbol} quote is ${age} s old`, limits.maxQuoteAgeSeconds, age)];
  }
  return PASS;
};
