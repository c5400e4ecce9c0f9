import { toWire, type Decimal } from '../values/decimal';
import type { Money } from '../values/money';
import { applyFill, cashAfterFill, type Fill, type FillEffect, type PositionState } from './fill-accounting';

export type LedgerEntryType = 'DEPOSIT' | 'TRADE_CASH' | 'FEE' | 'TRADE_POSITION';

/** One line of the ledger. A null symbol is the cash account in the portfolio's base currency. */
export interface LedgerEntry {
  readonly type: LedgerEntryType;
  readonly symbol: string | null;
  readonly amount: Decimal;
  readonly balanceAfter: Decimal;
  readonly description: string;
}

export interface BookableFill extends Fill {
  readonly symbol: string;
  readonly executionId: string;
}

export interface FillBooking {
  readonly effect: FillEffect;
  readonly cashAfter: Money;
  readonly entries: readonly LedgerEntry[];
}

/**
 * Everything one fill does to the books: the new position, the cash after it, and the ledger
 * entries that explain both (the trade's cash, the fee, the position change), each carrying the
 * balance it leaves.
 */
export function bookFill(cashBefore: Money, position: PositionState, fill: BookableFill): FillBooking {
  const effect = applyFill(position, fill);
  const cashAfterTrade = cashBefore.plus(effect.tradeCash);
  const cashAfter = cashAfterFill(cashBefore, effect);
  const trade = `${fill.side} ${toWire(fill.quantity)} ${fill.symbol}`;
  return {
    effect,
    cashAfter,
    entries: [
      { type: 'TRADE_CASH', symbol: null, amount: effect.tradeCash.amount, balanceAfter: cashAfterTrade.amount, description: `${trade} @ ${toWire(fill.price)}` },
      { type: 'FEE', symbol: null, amount: effect.fee.neg().amount, balanceAfter: cashAfter.amount, description: `fee on ${fill.executionId}` },
      {
        type: 'TRADE_POSITION', symbol: fill.symbol, amount: effect.position.quantity.minus(position.quantity),
        balanceAfter: effect.position.quantity, description: trade,
      },
    ],
  };
}
