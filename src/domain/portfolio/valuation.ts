import { Money, notional } from '../values/money';
import type { Price } from '../values/price';
import type { SignedQuantity } from '../values/quantity';

export interface PositionHolding {
  readonly symbol: string;
  /** Signed: negative is short. */
  readonly quantity: SignedQuantity;
  readonly averageCost: Price;
}

export interface ValuedPosition extends PositionHolding {
  readonly markPrice: Price | null;
  readonly marketValue: Money | null;
  readonly unrealizedPnl: Money | null;
}

export interface PortfolioValuation {
  readonly cash: Money;
  readonly positions: readonly ValuedPosition[];
  /** Σ position market values (signed). */
  readonly positionsValue: Money;
  /** Σ |position market values|. */
  readonly grossExposure: Money;
  readonly equity: Money;
  readonly unrealizedPnl: Money;
}

/**
 * Marks positions to market, in the cash's currency: every holding is priced in the portfolio's
 * base currency (the pre-trade engine admits no other). A position without a mark is carried at
 * average cost and reported, so that one missing quote does not make equity undefined.
 */
export function valuePortfolio(cash: Money, holdings: readonly PositionHolding[], marks: ReadonlyMap<string, Price>): PortfolioValuation {
  const currency = cash.currency;
  const positions: ValuedPosition[] = holdings.map((h) => {
    const mark = marks.get(h.symbol) ?? null;
    if (mark === null) return { ...h, markPrice: null, marketValue: null, unrealizedPnl: null };
    return {
      ...h,
      markPrice: mark,
      marketValue: notional(h.quantity, mark, currency),
      unrealizedPnl: Money.of(mark.minus(h.averageCost).times(h.quantity), currency),
    };
  });
  const carried = positions.map((p) => p.marketValue ?? notional(p.quantity, p.averageCost, currency));
  const positionsValue = Money.sum(carried, currency);
  return {
    cash,
    positions,
    positionsValue,
    grossExposure: Money.sum(carried.map((v) => v.abs()), currency),
    equity: cash.plus(positionsValue),
    unrealizedPnl: Money.sum(positions.map((p) => p.unrealizedPnl ?? Money.zero(currency)), currency),
  };
}
