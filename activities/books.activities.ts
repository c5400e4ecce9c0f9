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
    /** Books the broker's report in one transaction, each execution once. */
    async bookBrokerReport(orderId: string, report: BrokerOrderReportDto): Promise<OrderProgress> {
      return failFast(() => books.bookBrokerReport(orderId, toReportToBook(report)));
    },
  };
}

export type BooksActivities = ReturnType<typeof createBooksActivities>;
