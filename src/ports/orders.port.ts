import type { OrderView } from '../contracts/order-views';
import type { Quote } from '../domain/market/quote';
import type { OrderStatus } from '../domain/orders/order';

export interface OrderListFilter {
  readonly portfolioId: string;
  readonly status?: OrderStatus;
  readonly limit: number;
}

/** Client request ids, claimed once: the first request under an id is told apart from its repeats. */
export interface OrderRequestClaims {
  /** 'first' for the one request that claims the id, 'repeat' for every other (concurrent or later). */
  claim(portfolioId: string, clientRequestId: string, orderId: string): Promise<'first' | 'repeat'>;
}

/** The order read model: what the gateway shows of orders. */
export interface OrderReadModel {
  /** One order with its fills. */
  findOrder(orderId: string): Promise<OrderView | null>;
  findOrderByClientRequestId(portfolioId: string, clientRequestId: string): Promise<OrderView | null>;
  /** A portfolio's orders, newest first, without their fills. */
  listOrders(filter: OrderListFilter): Promise<OrderView[]>;
  /**
   * Workflow ids of the limit orders on a symbol that a quote crosses (a buy limit at or above its
   * ask, a sell limit at or below its bid) and that may rest at the broker: WORKING, and APPROVED
   * too, since a venue order can rest before its booking records WORKING.
   */
  restingOrdersCrossedBy(quote: Pick<Quote, 'symbol' | 'bid' | 'ask'>): Promise<string[]>;
}
