import type { OrderSide, OrderStatus, OrderType } from '../domain/orders/order';
import { dec } from '../domain/values/decimal';
import type { OrderFillDto, OrderProgress, PlaceOrderCommand, RiskDecisionDto } from './order-contracts';
import { exactView, moneyView } from './wire-format';
import { orderWorkflowId } from './workflow-ids';

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

/**
 * The order as GET shows it at the moment of its decision, from the command it was placed with and
 * the decision's progress: nothing is filled or charged before it leaves for the broker. Null when
 * the progress does not say when the books recorded the order (progress from an older worker).
 */
export function decidedOrderView(command: PlaceOrderCommand, progress: OrderProgress): OrderView | null {
  if (progress.createdAt === undefined || progress.updatedAt === undefined) return null;
  return {
    orderId: command.orderId, portfolioId: command.portfolioId, clientRequestId: command.clientRequestId, workflowId: orderWorkflowId(command.orderId),
    symbol: command.symbol, side: command.side, type: command.type, quantity: exactView(dec(command.quantity)),
    limitPrice: command.limitPrice === null ? null : exactView(dec(command.limitPrice)), execute: command.execute, status: progress.status,
    decision: progress.decision, filledQuantity: progress.filledQuantity, averageFillPrice: progress.averageFillPrice,
    fees: moneyView(dec('0')), rejectionReason: progress.rejectionReason, requestedBy: command.requestedBy,
    createdAt: progress.createdAt, updatedAt: progress.updatedAt, fills: [],
  };
}
