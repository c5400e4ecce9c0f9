import type { PositionHolding } from '../portfolio/valuation';
import { Decimal, sum } from '../values/decimal';
import { Money } from '../values/money';
import type { Price } from '../values/price';

/** The books as they stood when the portfolio's trading day began. */
export interface DayStartBook {
  /** Cash at the start of the day. */
  readonly cash: Money;
  /** Money deposited (or withdrawn, negative) since: not profit or loss. */
  readonly depositsSince: Money;
  /** Signed quantity held at the start of the day, per symbol held then or traded since. */
  readonly holdings: ReadonlyMap<string, Decimal>;
  /** The previous business day's close per symbol: what the day's P&L is measured from. */
  readonly previousCloses: ReadonlyMap<string, Price>;
}

/**
 * Realised plus unrealised P&L since the trading day began, fees included: equity now less equity at
 * the start of the day and less the deposits since. A symbol held at the start of the day without a
 * previous close is valued at its current mark (it contributes no P&L it cannot measure), else at `fallback`.
 */
export function dailyPnl(equityNow: Money, day: DayStartBook, currentMarks: ReadonlyMap<string, Price>, fallback: readonly PositionHolding[]): Money {
  const cost = new Map(fallback.map((h) => [h.symbol, h.averageCost]));
  const startValue = sum([...day.holdings].map(([symbol, qty]) => {
    if (qty.isZero()) return new Decimal(0);
    const at = day.previousCloses.get(symbol) ?? currentMarks.get(symbol) ?? cost.get(symbol);
    return at === undefined ? new Decimal(0) : qty.times(at);
  }));
  const equityAtStart = day.cash.plus(Money.of(startValue, day.cash.currency));
  return equityNow.minus(equityAtStart).minus(day.depositsSince);
}
