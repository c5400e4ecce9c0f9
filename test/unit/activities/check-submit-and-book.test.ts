import { createBrokerActivities } from '../../../activities/broker.activities';
import type { OrderProgress } from '../../../src/contracts/order-contracts';
import type { OrderStatus } from '../../../src/domain/orders/order';
import { dec } from '../../../src/domain/values/decimal';
import { Money } from '../../../src/domain/values/money';
import { price } from '../../../src/domain/values/price';
import { quantity } from '../../../src/domain/values/quantity';
import type { BooksPort, ReportToBook } from '../../../src/ports/books.port';
import type { BrokerOrderReport, BrokerPort } from '../../../src/ports/broker.port';
import type { CheckAtSubmission, RiskContextPort } from '../../../src/ports/risk-context.port';

const progress = (status: OrderStatus, over: Partial<OrderProgress> = {}): OrderProgress => ({
  orderId: 'o-1', status, decision: null, filledQuantity: '0', averageFillPrice: null, rejectionReason: null, ...over,
});

const filled: BrokerOrderReport = {
  clientOrderId: 'c-1', brokerOrderId: 'b-1', status: 'FILLED', rejectReason: null,
  executions: [{ executionId: 'x-1', quantity: quantity('10'), price: price('100'), fee: Money.of(dec('1'), 'USD'), executedAt: new Date(0) }],
};

const submission = { orderKey: { workflowId: 'order-o-1', leg: 1 }, symbol: 'AAPL', side: 'BUY' as const, type: 'MARKET' as const, quantity: '10', limitPrice: null };

/** The activity over fakes: the check answers `checked`; the calls each port received, in order. */
function activityWith(checked: OrderProgress) {
  const calls: string[] = [];
  const riskContext = {
    confirmAtSubmission: async (_orderId: string, _check: CheckAtSubmission) => {
      calls.push('check');
      return checked;
    },
  } as unknown as RiskContextPort;
  const broker = {
    submitOrder: async () => {
      calls.push('broker');
      return filled;
    },
  } as unknown as BrokerPort;
  const booked: ReportToBook[] = [];
  const books = {
    bookBrokerReport: async (_orderId: string, report: ReportToBook) => {
      calls.push('books');
      booked.push(report);
      return progress('FILLED', { filledQuantity: '10', averageFillPrice: '100' });
    },
  } as unknown as BooksPort;
  const { checkSubmitAndBook } = createBrokerActivities({ broker, riskContext, books, clock: { now: () => new Date(0) } });
  return { checkSubmitAndBook, calls, booked };
}

describe('the step from an approved order to the broker and the books', () => {
  it('when the check at submission clears the order, then it is sent and what the broker answers is booked in the same step', async () => {
    const { checkSubmitAndBook, calls, booked } = activityWith(progress('APPROVED'));
    expect(await checkSubmitAndBook('o-1', submission)).toEqual({ kind: 'SENT', progress: progress('FILLED', { filledQuantity: '10', averageFillPrice: '100' }) });
    expect(calls).toEqual(['check', 'broker', 'books']);
    expect(booked[0]?.executions.map((e) => e.executionId)).toEqual(['x-1']);
  });

  const stopped: Array<[string, OrderStatus]> = [
    ['the check rejects the order', 'REJECTED'],
    ['the order was rejected by an earlier attempt', 'REJECTED'],
    ['the order was denied', 'DENIED'],
  ];
  it.each(stopped)('when %s, then the step stops: the broker is never called and nothing is booked', async (_case, status) => {
    const { checkSubmitAndBook, calls } = activityWith(progress(status, { rejectionReason: 'PRICE_COLLAR: moved' }));
    expect(await checkSubmitAndBook('o-1', submission)).toEqual({ kind: 'STOPPED', progress: progress(status, { rejectionReason: 'PRICE_COLLAR: moved' }) });
    expect(calls).toEqual(['check']);
  });

  const alreadySent: OrderStatus[] = ['WORKING', 'FILLED', 'CANCELLED'];
  it.each(alreadySent)('when a retry finds the order %s (an earlier attempt sent and booked it), then the booked progress stands as sent and nothing is sent or booked again', async (status) => {
    const { checkSubmitAndBook, calls } = activityWith(progress(status, { filledQuantity: status === 'WORKING' ? '0' : '4' }));
    expect(await checkSubmitAndBook('o-1', submission)).toEqual({ kind: 'SENT', progress: progress(status, { filledQuantity: status === 'WORKING' ? '0' : '4' }) });
    expect(calls).toEqual(['check']);
  });
});
