import type { OrderSide, OrderType } from '../domain/orders/order';
import type { Decimal } from '../domain/values/decimal';

export interface BrokerOrderRequest {
  /** Derived from the workflow id and leg: submitting it twice must not create two orders. */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Decimal;
  readonly limitPrice: Decimal | null;
}

export interface BrokerExecution {
  /** Unique at the broker; the books record each one once. */
  readonly executionId: string;
  readonly quantity: Decimal;
  readonly price: Decimal;
  readonly fee: Decimal;
  readonly executedAt: Date;
}

export type BrokerOrderStatus = 'WORKING' | 'FILLED' | 'CANCELLED' | 'REJECTED';

export interface BrokerOrderReport {
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly status: BrokerOrderStatus;
  readonly executions: readonly BrokerExecution[];
  readonly rejectReason: string | null;
}

/** One port, one adapter per venue (paper, ccxt, Interactive Brokers). */
export interface BrokerPort {
  readonly name: string;
  /** Idempotent on clientOrderId: a repeated submit reports the existing order. */
  submitOrder(request: BrokerOrderRequest): Promise<BrokerOrderReport>;
  /** Brings the order up to date with the venue and reports it; null when the venue does not know it. */
  refreshOrder(clientOrderId: string): Promise<BrokerOrderReport | null>;
  /** Cancels what is still open; reports the order afterwards (it may have filled first). */
  cancelOrder(clientOrderId: string): Promise<BrokerOrderReport>;
}

export class BrokerOrderNotFoundError extends Error {
  readonly code = 'BROKER_ORDER_NOT_FOUND';
  override readonly name = 'BrokerOrderNotFoundError';
  constructor(readonly clientOrderId: string) {
    super(`the broker has no order ${clientOrderId}`);
  }
}
