import type { OrderProgress } from '../contracts/order-contracts';
import type { Decimal } from '../domain/values/decimal';
import type { Price } from '../domain/values/price';
import type { Quantity } from '../domain/values/quantity';
import type { BrokerOrderStatus } from './broker.port';

/** One execution as the broker reported it, ready to book. */
export interface ExecutionToBook {
  readonly executionId: string;
  readonly quantity: Quantity;
  readonly price: Price;
  readonly fee: Decimal;
  /** null when the report does not say (reports recorded before fees carried their currency): the portfolio's base currency. */
  readonly feeCurrency: string | null;
  readonly executedAt: Date;
}

/** What the broker reported for an order, as the books take it. */
export interface ReportToBook {
  readonly clientOrderId: string;
  readonly status: BrokerOrderStatus;
  readonly executions: readonly ExecutionToBook[];
  readonly rejectReason: string | null;
}

/** The books: fills, positions, cash and the ledger. */
export interface BooksPort {
  /**
   * Books what the broker reported for an order: each execution not booked yet becomes a fill, a
   * position change, cash and ledger entries, in one transaction; a repeated report books nothing
   * twice. Answers the order's progress afterwards. A cancellation is audited in the name of
   * `actor` (the canceller); every other status change in the system's.
   */
  bookBrokerReport(orderId: string, report: ReportToBook, actor?: string): Promise<OrderProgress>;
  /**
   * Closes an order the venue never received (its workflow ended before submitting it): CANCELLED
   * with the reason, its reservation freed, audited in the name of `actor`. A final order is left as it is.
   */
  closeUnsentOrder(orderId: string, reason: string, actor: string): Promise<OrderProgress>;
}

export class OrderNotRecordedError extends Error {
  readonly code = 'ORDER_NOT_RECORDED';
  override readonly name = 'OrderNotRecordedError';
  constructor(readonly orderId: string) {
    super(`order ${orderId} is not recorded`);
  }
}
