import type { AssetClass } from '../instruments/instrument';
import { quoteAgeSeconds, type Quote } from '../market/quote';
import type { OrderIntent } from '../orders/order';
import { riskReason, type RiskReason } from './risk-decision';
import type { InstrumentLimits, RiskLimits } from './risk-limits';
import { collarBand, collarBreach } from './rules/price-collar.rules';

/** What the last check before the broker reads: the approved order and the quote as it is now. */
export interface SubmissionCheckInput {
  readonly order: Pick<OrderIntent, 'symbol' | 'side' | 'type' | 'limitPrice'>;
  readonly quote: Quote | null;
  readonly assetClass: AssetClass;
  readonly limits: RiskLimits;
  readonly instrumentLimits: InstrumentLimits;
  readonly asOf: Date;
}

/**
 * The price collar again, at submission: the quote may have moved since the decision (a worker
 * that died in between, a retry). A quote that is missing or stale now stops the order too.
 */
export function checkAtSubmission(input: SubmissionCheckInput): RiskReason[] {
  const { order, quote, limits } = input;
  if (quote === null) return [riskReason('QUOTE_MISSING', `no quote for ${order.symbol} at submission`)];
  const age = quoteAgeSeconds(quote, input.asOf);
  if (!Number.isFinite(age) || age > limits.maxQuoteAgeSeconds) {
    return [riskReason('QUOTE_STALE', `the ${order.symbol} quote is ${Number.isFinite(age) ? Math.floor(age) : 'of unknown age'} s old at submission`, limits.maxQuoteAgeSeconds)];
  }
  const breach = collarBreach(order, quote, collarBand(limits, input.instrumentLimits, input.assetClass), 'submission');
  return breach === null ? [] : [breach];
}
