import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES, type FailureType } from '../src/contracts/failure-types';
import { InvalidOrderRefError } from '../src/contracts/wire-mappers';
import { CommandRejectedError } from './command-acceptance';
import { InvalidDecimalError } from '../src/domain/values/decimal';
import { CurrencyMismatchError, InvalidCurrencyError } from '../src/domain/values/money';
import { NegativeQuantityError } from '../src/domain/values/quantity';
import { OrderNotRecordedError } from '../src/ports/books.port';
import { BrokerOrderNotFoundError } from '../src/ports/broker.port';
import { PortfolioNotFoundError } from '../src/ports/risk-context.port';

/** Typed errors that the same call would meet again, by the failure type they travel as. */
const NEVER_RETRIED: ReadonlyArray<readonly [new (...args: never[]) => Error, FailureType]> = [
  [InvalidDecimalError, FAILURE_TYPES.InvalidCommand],
  [NegativeQuantityError, FAILURE_TYPES.InvalidCommand],
  [InvalidCurrencyError, FAILURE_TYPES.InvalidCommand],
  [InvalidOrderRefError, FAILURE_TYPES.InvalidCommand],
  [PortfolioNotFoundError, FAILURE_TYPES.PortfolioNotFound],
  [OrderNotRecordedError, FAILURE_TYPES.OrderNotRecorded],
  [BrokerOrderNotFoundError, FAILURE_TYPES.BrokerOrderNotFound],
  [CurrencyMismatchError, FAILURE_TYPES.CurrencyMismatch],
  [CommandRejectedError, FAILURE_TYPES.CommandRejected],
];

/** SQLSTATE class 22 (data exception) or 23 (integrity violation): the database refuses the data itself. */
const isRejectedData = (err: unknown) => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
};

/** The failure an error becomes at the activity boundary: non-retryable when retrying cannot help, else unchanged. */
export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof ApplicationFailure) return err;
  const known = NEVER_RETRIED.find(([type]) => err instanceof type);
  if (known) return ApplicationFailure.create({ type: known[1], message: err.message, nonRetryable: true, cause: err });
  if (isRejectedData(err)) {
    return ApplicationFailure.create({ type: FAILURE_TYPES.DataRejected, message: `the database refused the data (SQLSTATE ${(err as unknown as { code: string }).code}): ${err.message}`, nonRetryable: true });
  }
  return err; // infrastructure: retried
}

/** Runs an activity body, failing at once and visibly on what can never succeed instead of retrying forever. */
export async function failFast<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
