import type { Decimal } from '../../values/decimal';
import { Money } from '../../values/money';
import type { RiskContext } from '../risk-context';
import { riskReason, type RiskReason } from '../risk-decision';
import type { LimitScope } from '../risk-limits';
import { PASS, type PreTradeRule } from './pre-trade-rule';

type Scoped = Exclude<LimitScope, 'default'>;

/** The same cap set by the portfolio, its account and the instrument: each that is set must hold. */
function capsOf(context: RiskContext, pick: 'maxOrderValue' | 'maxOrderQuantity'): Array<[Scoped, Decimal]> {
  const caps: Array<[Scoped, Decimal | null]> = [
    ['portfolio', context.limits[pick]], ['account', context.account.limits[pick]], ['instrument', context.instrumentLimits[pick]],
  ];
  return caps.filter((c): c is [Scoped, Decimal] => c[1] !== null);
}

export const maxOrderValue: PreTradeRule = (context) => {
  const { pricing, portfolio } = context;
  if (pricing === null) return PASS;
  const reasons: RiskReason[] = [];
  for (const [scope, cap] of capsOf(context, 'maxOrderValue')) {
    const limit = Money.of(cap, portfolio.baseCurrency);
    if (pricing.notional.gt(limit)) reasons.push(riskReason('MAX_ORDER_VALUE', `order value ${pricing.notional.toWire()} exceeds the ${scope}'s limit ${limit.toWire()}`, limit, pricing.notional, scope));
  }
  return reasons;
};

/** Fail-closed: a quantity that is not a finite number exceeds every cap. */
export const maxOrderQuantity: PreTradeRule = (context) => {
  const { order } = context;
  const reasons: RiskReason[] = [];
  for (const [scope, cap] of capsOf(context, 'maxOrderQuantity')) {
    if (!order.quantity.isFinite() || order.quantity.gt(cap)) {
      reasons.push(riskReason('MAX_ORDER_QUANTITY', `quantity ${order.quantity.toString()} exceeds the ${scope}'s limit`, cap, order.quantity, scope));
    }
  }
  return reasons;
};
