import { ApplicationFailure } from '@temporalio/activity';
import { failFast, toActivityFailure } from '../../../activities/activity-failures';
import { FAILURE_TYPES } from '../../../src/contracts/failure-types';
import { dec } from '../../../src/domain/values/decimal';
import { Money } from '../../../src/domain/values/money';
import { quantity } from '../../../src/domain/values/quantity';
import { OrderNotRecordedError } from '../../../src/ports/books.port';
import { BrokerOrderNotFoundError } from '../../../src/ports/broker.port';
import { PortfolioNotFoundError } from '../../../src/ports/risk-context.port';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
};

describe('activity failures', () => {
  const neverRetried: Array<[string, unknown, string]> = [
    ['an amount is no decimal', thrown(() => dec('1e3')), FAILURE_TYPES.InvalidCommand],
    ['a quantity is negative', thrown(() => quantity('-1')), FAILURE_TYPES.InvalidCommand],
    ['a currency is no code', thrown(() => Money.of('1', 'dollars')), FAILURE_TYPES.InvalidCommand],
    ['the portfolio does not exist', new PortfolioNotFoundError('p'), FAILURE_TYPES.PortfolioNotFound],
    ['the books do not hold the order', new OrderNotRecordedError('o'), FAILURE_TYPES.OrderNotRecorded],
    ['the venue does not know the order', new BrokerOrderNotFoundError('c'), FAILURE_TYPES.BrokerOrderNotFound],
    ['two currencies meet', thrown(() => Money.of('1', 'USD').plus(Money.of('1', 'EUR'))), FAILURE_TYPES.CurrencyMismatch],
    ['the database refuses a value (22003)', Object.assign(new Error('numeric field overflow'), { code: '22003' }), FAILURE_TYPES.DataRejected],
    ['the database refuses a row (23505)', Object.assign(new Error('duplicate key'), { code: '23505' }), FAILURE_TYPES.DataRejected],
  ];

  it.each(neverRetried)('when %s, then the activity fails non-retryably as that type', (_name, err, type) => {
    const failure = toActivityFailure(err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type, nonRetryable: true });
  });

  const retried: Array<[string, unknown]> = [
    ['the database is unreachable', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['the database is shutting down (57P01)', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a serialization failure (40001)', Object.assign(new Error('could not serialize'), { code: '40001' })],
    ['an unexpected error', new Error('boom')],
  ];

  it.each(retried)('when %s, then the error passes unchanged and is retried', (_name, err) => {
    expect(toActivityFailure(err)).toBe(err);
  });

  it('when the work succeeds, then failFast answers its value', async () => {
    await expect(failFast(async () => 42)).resolves.toBe(42);
  });
});
