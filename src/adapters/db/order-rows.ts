import type { OrderProgress, RiskDecisionDto } from '../../contracts/order-contracts';
import { moneyView, exactView } from '../../contracts/wire-format';
import type { OrderSide, OrderStatus, OrderType } from '../../domain/orders/order';
import { num } from './row-mappers';

export interface OrderRow {
  id: string; portfolio_id: string; client_request_id: string | null; workflow_id: string; symbol: string;
  side: OrderSide; type: OrderType; quantity: string; limit_price: string | null; execute: boolean; status: OrderStatus;
  decision: RiskDecisionDto | null; broker_client_order_id: string | null; filled_quantity: string;
  average_fill_price: string | null; fees: string; rejection_reason: string | null; requested_by: string; workflow_run_id: string | null;
  strategy_id: string | null; stop_loss: string | null; take_profit: string | null;
  /** When it passed the last check before the broker; null before (and for orders older than the check). */
  submission_cleared_at?: Date | null;
  created_at: Date; updated_at: Date;
}

/** The order as its workflow tracks it; the read model's view carries the same figures. */
export function toProgress(row: OrderRow): OrderProgress {
  return {
    orderId: row.id,
    status: row.status,
    decision: row.decision,
    filledQuantity: exactView(num(row.filled_quantity)),
    averageFillPrice: row.average_fill_price === null ? null : moneyView(num(row.average_fill_price)),
    rejectionReason: row.rejection_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
