import { sum, toWire } from '../../values/decimal';
import { Money } from '../../values/money';
import { worstQuantity } from '../risk-context';
import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

// Exposure limits never stop an order that only reduces a position.

export const positiveEquity: PreTradeRule = ({ pricing, reducing }) =>
  pricing === null || reducing || pricing.equity.isPositive() ? PASS
    : [riskReason('EQUITY_NOT_POSITIVE', 'the portfolio has no positive equity: only orders that reduce a position are accepted', undefined, pricing.equity)];

export const maxPositionShareOfEquity: PreTradeRule = ({ order, pricing, reducing, limits }) => {
  if (pricing === null || reducing || !pricing.equity.isPositive()) return PASS;
  const own = pricing.exposureAfter.get(order.symbol)!;
  const share = Money.of(worstQuantity(own).times(pricing.referencePrice), pricing.equity.currency).ratioTo(pricing.equity);
  if (!share.gt(limits.maxPositionPctOfEquity)) return PASS;
  const shown = share.toSignificantDigits(6);
  return [riskReason('MAX_POSITION_PCT_OF_EQUITY', `the ${order.symbol} position could reach ${toWire(shown)} of equity`, limits.maxPositionPctOfEquity, shown)];
};

export const maxGrossLeverage: PreTradeRule = ({ pricing, reducing, limits }) => {
  if (pricing === null || reducing || !pricing.equity.isPositive()) return PASS;
  const gross = sum([...pricing.exposureAfter.values()].map((e) => worstQuantity(e).times(e.price)));
  const leverage = Money.of(gross, pricing.equity.currency).ratioTo(pricing.equity);
  if (!leverage.gt(limits.maxGrossLeverage)) return PASS;
  const shown = leverage.toSignificantDigits(6);
  return [riskReason('MAX_GROSS_LEVERAGE', `gross leverage could reach ${toWire(shown)}`, limits.maxGrossLeverage, shown)];
};

/** Only an order that opens a symbol (none held, none pending) can breach the count. */
export const maxOpenPositions: PreTradeRule = ({ order, pricing, reducing, limits }) => {
  if (pricing === null || reducing || !worstQuantity(pricing.exposureBefore.get(order.symbol)!).isZero()) return PASS;
  const open = [...pricing.exposureAfter.values()].filter((e) => !worstQuantity(e).isZero()).length;
  return open > limits.maxOpenPositions
    ? [riskReason('MAX_OPEN_POSITIONS', `the order would open position ${open}`, limits.maxOpenPositions, open)]
    : PASS;
};
