import type { OrderSide, OrderStatus, OrderType } from '../domain/orders/order';
import type { OrderFillDto, RiskDecisionDto } from './order-contracts';

/** An order as the gateway answers it: the terms, the decision, the fills so far. */
export interface OrderView {
  readonly orderId: string;
  readonly portfolioId: string;
  readonly clientRequestId: string | null;
  readonly workflowId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly execute: boolean;
  readonly status: OrderStatus;
  readonly decision: RiskDecisionDto | null;
  readonly filledQuantity: string;
  readonly averageFillPrice: string | null;
  readonly fees: string;
  readonly rejectionReason: string | null;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly fills: readonly OrderFillDto[];
}

/** The terms that identify what a client asked for: a repeated client request id must carry the same. */
export type OrderTerms = Pick<OrderView, 'orderId' | 'clientRequestId' | 'symbol' | 'side' | 'type' | 'quantity' | 'limitPrice' | 'execute'>;
