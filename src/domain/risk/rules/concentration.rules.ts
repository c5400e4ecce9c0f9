import { sum, toWire } from '../../values/decimal';
import { Money } from '../../values/money';
import { correlationOfReturns, dailyReturns } from '../return-correlation';
import { worstQuantity, type RiskContext } from '../risk-context';
import { riskReason, type RiskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** Gross value of the order's sector (every symbol in it, held and on order, this order included) / equity. */
export const maxSectorExposure: PreTradeRule = ({ order, pricing, reducing, limits, sectors }) => {
  if (limits.maxSectorExposurePct === null || pricing === null || reducing || !pricing.equity.isPositive()) return PASS;
  const sector = sectors.get(order.symbol);
  // Fail-closed: a symbol whose sector is unknown cannot be shown to respect the cap.
  if (sector === undefined) return [riskReason('MAX_SECTOR_EXPOSURE_PCT', `the sector of ${order.symbol} is unknown`, limits.maxSectorExposurePct)];
  const gross = sum([...pricing.exposureAfter].filter(([symbol]) => sectors.get(symbol) === sector).map(([, e]) => worstQuantity(e).times(e.price)));
  const share = Money.of(gross, pricing.equity.currency).ratioTo(pricing.equity);
  if (!share.gt(limits.maxSectorExposurePct)) return PASS;
  const shown = share.toSignificantDigits(6);
  return [riskReason('MAX_SECTOR_EXPOSURE_PCT', `the ${sector} sector could reach ${toWire(shown)} of equity`, limits.maxSectorExposurePct, shown)];
};

interface CorrelationFinding {
  readonly symbol: string;
  readonly correlation: number | null;
  readonly observations: number;
}

/**
 * The order's symbol against every other symbol held the direction the order takes it (a buy makes
 * or grows a long, a sell a short). Only a new or growing position is measured.
 */
function correlationsOf(context: RiskContext): readonly CorrelationFinding[] {
  let found = measured.get(context);
  if (!found) measured.set(context, (found = measure(context)));
  return found;
}

/** The context is immutable: the rule and the decision's notes share one measurement. */
const measured = new WeakMap<RiskContext, readonly CorrelationFinding[]>();

function measure({ order, reducing, limits, holdings, priceHistory }: RiskContext): CorrelationFinding[] {
  if (limits.maxCorrelation === null || reducing) return [];
  const direction = order.side === 'BUY' ? 1 : -1;
  const others = holdings.filter((h) => h.symbol !== order.symbol && h.quantity.s === direction && !h.quantity.isZero());
  if (others.length === 0) return [];
  const own = dailyReturns(priceHistory.get(order.symbol) ?? [], limits.correlationLookbackDays);
  return others.map((h) => ({
    symbol: h.symbol,
    ...correlationOfReturns(own, dailyReturns(priceHistory.get(h.symbol) ?? [], limits.correlationLookbackDays), limits.correlationMinObservations),
  }));
}

export const maxCorrelation: PreTradeRule = (context) => {
  const { order, limits } = context;
  const cap = limits.maxCorrelation;
  if (cap === null) return PASS;
  const side = order.side === 'BUY' ? 'long' : 'short';
  const reasons: RiskReason[] = [];
  for (const f of correlationsOf(context)) {
    if (f.correlation === null) {
      if (limits.correlationOnShortHistory === 'DENY') {
        reasons.push(riskReason('CORRELATION_HISTORY_INSUFFICIENT', `only ${f.observations} common daily returns of ${order.symbol} and ${f.symbol}: too little to measure their correlation`, limits.correlationMinObservations, f.observations));
      }
    } else if (f.correlation > cap.toNumber()) {
      const shown = f.correlation.toFixed(4);
      reasons.push(riskReason('MAX_CORRELATION', `${order.symbol}'s daily returns correlate ${shown} with ${f.symbol}, also held ${side}, over ${f.observations} days`, cap, shown));
    }
  }
  return reasons;
};

/** What the decision states when the correlation cap could not measure a pair and lets the order pass. */
export function correlationNotes(context: RiskContext): string[] {
  if (context.limits.correlationOnShortHistory !== 'ALLOW') return [];
  return correlationsOf(context).filter((f) => f.correlation === null)
    .map((f) => `correlation of ${context.order.symbol} with ${f.symbol} not checked: ${f.observations} common daily returns, fewer than ${context.limits.correlationMinObservations} (correlationOnShortHistory ALLOW)`);
}
