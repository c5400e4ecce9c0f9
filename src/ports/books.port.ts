import type { OrderProgress } from '../contracts/order-contracts';
import type { BrokerOrderReport } from './broker.port';

/** The books: fills, positions, cash and the ledger. */
export interface BooksPort {
  /**
   * Books what the broker reported for an order: each execution not booked yet becomes a fill, a
   * position change, cash and ledger entries, in one transaction; a repeated report books nothing
   * twice. Answers the order's progress afterwards.
   */
  bookBrokerReport(orderId: string, report: BrokerOrderReport): Promise<OrderProgress>;
}

export class OrderNotRecordedError extends Error {
  readonly code = 'ORDER_NOT_RECORDED';
  override readonly name = 'OrderNotRecordedError';
  constructor(readonly orderId: string) {
    super(`order ${orderId} is not recorded`);
  }
}
