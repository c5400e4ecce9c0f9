import { toWire, type Decimal } from '../domain/values/decimal';
import type { Money } from '../domain/values/money';

/**
 * How amounts are shown in answers: the one place views round. Money (cash, values, P&L, fees) and
 * average prices to the 12 places PostgreSQL stores; quantities and prices exactly as stored.
 */
export const VIEW_MONEY_PLACES = 12;

export function moneyView(value: Money | Decimal): string {
  const amount = 'currency' in value ? value.amount : value;
  return toWire(amount.toDecimalPlaces(VIEW_MONEY_PLACES));
}

export function exactView(value: Decimal): string {
  return toWire(value);
}

/** Measures computed for an answer and stored nowhere (raw sizes, factors, volatilities): to the same 12 places. */
export function measureView(value: Decimal): string {
  return toWire(value.toDecimalPlaces(VIEW_MONEY_PLACES));
}
