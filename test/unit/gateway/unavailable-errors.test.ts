import { isUnavailable } from '../../../src/gateway/error-middleware';

const withCode = (code: unknown, message = 'x') => Object.assign(new Error(message), { code });

describe('errors that mean "unavailable, retry shortly" (503)', () => {
  it.each([
    ['PostgreSQL recovering after a crash (57P03)', withCode('57P03', 'the database system is in recovery mode')],
    ['PostgreSQL shutting down (57P01)', withCode('57P01')],
    ['a refused database connection', withCode('ECONNREFUSED')],
    ['no pool connection in time', new Error('Knex: Timeout acquiring a connection. The pool is probably full.')],
    ['Temporal unavailable (gRPC 14)', withCode(14)],
    ['a Temporal deadline exceeded (gRPC 4)', withCode(4)],
  ])('when %s, then it is unavailable', (_name, err) => {
    expect(isUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a bug', new TypeError('x is undefined')],
    ['a gRPC invalid argument (3)', withCode(3)],
  ])('when %s, then it is not', (_name, err) => {
    expect(isUnavailable(err)).toBe(false);
  });
});
