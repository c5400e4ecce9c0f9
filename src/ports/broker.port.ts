import type { Instrument } from '../domain/instruments/instrument';
import type { OrderSide, OrderType } from '../domain/orders/order';
import type { ExecutionCostEstimate } from '../domain/risk/execution-cost-estimate';
import type { Money } from '../domain/values/money';
import type { Price } from '../domain/values/price';
import type { Quantity } from '../domain/values/quantity';

/**
 * Names one leg of an order, whatever the venue: the workflow that owns it and the leg number.
 * Each adapter encodes it deterministically into a client order id its venue accepts, so a retry
 * finds the order it already sent instead of sending another.
 */
export interface OrderKey {
  readonly workflowId: string;
  readonly leg: number;
}

export interface BrokerOrderRequest {
  readonly orderKey: OrderKey;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  readonly limitPrice: Price | null;
}

export interface BrokerExecution {
  /** Unique at the broker; the books record each one once. */
  readonly executionId: string;
  readonly quantity: Quantity;
  readonly price: Price;
  readonly fee: Money;
  readonly executedAt: Date;
}

export type BrokerOrderStatus = 'WORKING' | 'FILLED' | 'CANCELLED' | 'REJECTED';

export interface BrokerOrderReport {
  /** The venue's client order id, as the adapter encoded the order key. */
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly status: BrokerOrderStatus;
  readonly executions: readonly BrokerExecution[];
  readonly rejectReason: string | null;
}

/** One port, one adapter per venue (paper, ccxt, Interactive Brokers). */
export interface BrokerPort {
  readonly name: string;
  /** What the pre-trade engine reserves for an execution of this instrument at this venue. */
  executionCosts(instrument: Instrument): ExecutionCostEstimate;
  /** Idempotent on the order key: a repeated submit reports the existing order. */
  submitOrder(request: BrokerOrderRequest): Promise<BrokerOrderReport>;
  /** Brings the order up to date with the venue and reports it; null when the venue does not know it. */
  refreshOrder(orderKey: OrderKey): Promise<BrokerOrderReport | null>;
  /** Cancels what is still open; reports the order afterwards (it may have filled first). */
  cancelOrder(orderKey: OrderKey): Promise<BrokerOrderReport>;
}

export class BrokerOrderNotFoundError extends Error {
  readonly code = 'BROKER_ORDER_NOT_FOUND';
  override readonly name = 'BrokerOrderNotFoundError';
  constructor(readonly clientOrderId: string) {
    super(`the broker has no order ${clientOrderId}`);
  }
}
