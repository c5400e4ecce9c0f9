import type { BrokerOrderReportDto } from '../src/contracts/broker-contracts';
import type { OrderProgress } from '../src/contracts/order-contracts';
import { toReportToBook } from '../src/contracts/wire-mappers';
import type { BooksPort } from '../src/ports/books.port';
import { failFast } from './activity-failures';

export interface BooksActivityDeps {
  readonly books: BooksPort;
}

/** Books activities: what the broker reports becomes fills, positions, cash and ledger entries. */
export function createBooksActivities({ books }: BooksActivityDeps) {
  return {
    /** Books the broker's report in one transaction, each execution once; `actor` asked for what it shows (a cancel). */
    async bookBrokerReport(orderId: string, report: BrokerOrderReportDto, actor?: string): Promise<OrderProgress> {
      return failFast(() => books.bookBrokerReport(orderId, toReportToBook(report), actor));
    },

    /** Closes an order the venue never received: CANCELLED with the reason, reservation freed, audited. */
    async closeUnsentOrder(orderId: string, reason: string, actor: string): Promise<OrderProgress> {
      return failFast(() => books.closeUnsentOrder(orderId, reason, actor));
    },
  };
}

export type BooksActivities = ReturnType<typeof createBooksActivities>;
