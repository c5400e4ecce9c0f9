import { Decimal, ZERO, sum } from '../values/decimal';

export interface PositionHolding {
  readonly symbol: string;
  /** Signed: negative is short. */
  readonly quantity: Decimal;
  readonly averageCost: Decimal;
}

export interface ValuedPosition extends PositionHolding {
  readonly markPrice: Decimal | null;
  readonly marketValue: Decimal | null;
  readonly unrealizedPnl: Decimal | null;
}

export interface PortfolioValuation {
  readonly cash: Decimal;
  readonly positions: readonly ValuedPosition[];
  /** Σ position market values (signed). */
  readonly positionsValue: Decimal;
  /** Σ |position market values|. */
  readonly grossExposure: Decimal;
  readonly equity: Decimal;
  readonly unrealizedPnl: Decimal;
}

/**
 * Marks positions to market. A position without a mark is carried at average cost and reported,
 * so that one missing quote does not make equity undefined.
 */
export function valuePortfolio(cash: Decimal, holdings: readonly PositionHolding[], marks: ReadonlyMap<string, Decimal>): PortfolioValuation {
  const positions: ValuedPosition[] = holdings.map((h) => {
    const mark = marks.get(h.symbol) ?? null;
    if (mark === null) return { ...h, markPrice: null, marketValue: null, unrealizedPnl: null };
    return {
      ...h,
      markPrice: mark,
      marketValue: h.quantity.times(mark),
      unrealizedPnl: mark.minus(h.averageCost).times(h.quantity),
    };
  });
  const carried = positions.map((p) => p.marketValue ?? p.quantity.times(p.averageCost));
  const positionsValue = sum(carried);
  return {
    cash,
    positions,
    positionsValue,
    grossExposure: sum(carried.map((v) => v.abs())),
    equity: cash.plus(positionsValue),
    unrealizedPnl: sum(positions.map((p) => p.unrealizedPnl ?? ZERO)),
  };
}
