import type { Price } from '../values/price';
import type { Quantity } from '../values/quantity';

export const ORDER_SIDES = ['BUY', 'SELL'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export const ORDER_TYPES = ['MARKET', 'LIMIT'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/**
 * Lifecycle: PENDING_RISK → DENIED | VALIDATED (validate-only) | APPROVED → WORKING (resting
 * at the broker) → FILLED | CANCELLED | REJECTED; APPROVED goes straight to FILLED when it fills at once.
 */
export const ORDER_STATUSES = [
  'PENDING_RISK', 'DENIED', 'VALIDATED', 'APPROVED', 'WORKING', 'FILLED', 'CANCELLED', 'REJECTED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const FINAL: ReadonlySet<OrderStatus> = new Set(['DENIED', 'VALIDATED', 'FILLED', 'CANCELLED', 'REJECTED']);
export function isFinalOrderStatus(status: OrderStatus): boolean {
  return FINAL.has(status);
}

/** Statuses whose order still holds risk (cash, exposure, a position slot) until it fills or ends. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['APPROVED', 'WORKING'];

/** What an order asks for. The quantity is never negative: the side gives the direction. */
export interface OrderIntent {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  readonly limitPrice?: Price;
}

/** +1 for buys, -1 for sells: signed quantity = sign × quantity. */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === 'BUY' ? 1 : -1;
}
