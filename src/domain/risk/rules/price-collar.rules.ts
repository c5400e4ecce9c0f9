import type { AssetClass } from '../../instruments/instrument';
import type { Quote } from '../../market/quote';
import type { OrderIntent } from '../../orders/order';
import { Decimal, toWire } from '../../values/decimal';
import type { RiskContext } from '../risk-context';
import { riskReason, type RiskReason } from '../risk-decision';
import { DEFAULT_PRICE_COLLAR, type InstrumentLimits, type RiskLimits } from '../risk-limits';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** The collar an order of this instrument meets: the tighter of the portfolio's and the instrument's, else its asset class's default. */
export function collarBand(limits: RiskLimits, instrumentLimits: InstrumentLimits, assetClass: AssetClass): Decimal {
  const set = [limits.priceCollarPct, instrumentLimits.priceCollarPct].filter((b): b is Decimal => b !== null);
  return set.length > 0 ? Decimal.min(...set) : DEFAULT_PRICE_COLLAR[assetClass];
}

/**
 * How far the order's price lies beyond the quote's mid on the aggressive side, as a fraction of
 * the mid: a buy's limit (or, at market, the ask) above it, a sell's limit (or the bid) below it. A
 * passive price (a buy limit below the mid) is no fat finger and measures 0. Null: no sane mid.
 */
export function collarDeviation(order: Pick<OrderIntent, 'side' | 'type' | 'limitPrice'>, quote: Pick<Quote, 'bid' | 'ask'>): Decimal | null {
  const mid = quote.bid.plus(quote.ask).div(2);
  if (!mid.isFinite() || !mid.gt(0) || quote.bid.gt(quote.ask)) return null;
  const at = order.type === 'LIMIT' && order.limitPrice !== undefined ? order.limitPrice : order.side === 'BUY' ? quote.ask : quote.bid;
  if (!at.isFinite()) return null;
  const away = order.side === 'BUY' ? at.minus(mid) : mid.minus(at);
  return Decimal.max(away, 0).div(mid);
}

/** The reason an order breaks its collar against this quote, or null. `when` says at which check. */
export function collarBreach(order: Pick<OrderIntent, 'side' | 'type' | 'limitPrice' | 'symbol'>, quote: Pick<Quote, 'bid' | 'ask'>, band: Decimal, when: 'decision' | 'submission'): RiskReason | null {
  const deviation = collarDeviation(order, quote);
  if (deviation === null) return riskReason('PRICE_COLLAR', `the ${order.symbol} quote (bid ${toWire(quote.bid)}, ask ${toWire(quote.ask)}) gives no sane mid to collar against at ${when}`, band);
  if (!deviation.gt(band)) return null;
  const shown = deviation.toSignificantDigits(6);
  const what = order.type === 'LIMIT' ? 'the limit price' : 'the expected fill';
  return riskReason('PRICE_COLLAR', `${what} is ${toWire(shown)} beyond the mid at ${when}, outside the collar`, band, shown);
}

/** Price collar at decision: against the fresh quote the order is valued at (no fresh quote: QUOTE_* deny already). */
export const priceCollar: PreTradeRule = ({ order, instrument, quote, pricing, limits, instrumentLimits }: RiskContext) => {
  if (instrument === null || quote === null || pricing === null) return PASS;
  const breach = collarBreach(order, quote, collarBand(limits, instrumentLimits, instrument.assetClass), 'decision');
  return breach === null ? PASS : [breach];
};
