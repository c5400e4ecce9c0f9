import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../ports/logger.port';
import { HttpError } from './http-errors';

/** What the body parser and the router raise for a request that cannot be read, as answers. */
function clientErrorOf(err: unknown): HttpError | null {
  if (err instanceof URIError) return new HttpError(400, 'MALFORMED_PATH', 'the path holds a malformed %-escape');
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown; charset?: unknown; encoding?: unknown } | null;
  switch (e?.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'MALFORMED_JSON', 'the request body is not valid JSON', { field: 'body' });
    case 'entity.too.large':
      return new HttpError(413, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
    case 'charset.unsupported':
      return new HttpError(415, 'UNSUPPORTED_CHARSET', `the body's charset ${String(e.charset ?? '')} is not supported: send UTF-8`.replace('  ', ' '));
    case 'encoding.unsupported':
      return new HttpError(415, 'UNSUPPORTED_CONTENT_ENCODING', `the content encoding ${String(e.encoding ?? '')} is not supported: send identity, gzip or deflate`.replace('  ', ' '));
  }
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) return new HttpError(400, 'MALFORMED_BODY', 'the request body could not be read (a corrupt compressed body?)');
  return null;
}

/** The one place errors become responses: `{ error: { code, message, details } }`, never a stack trace. */
export function errorMiddleware(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const answer = err instanceof HttpError ? err : clientErrorOf(err);
    if (answer) {
      // A client's mistake: one line at most, never at error level.
      if (!(err instanceof HttpError)) logger.info('unreadable request', { method: req.method, status: answer.status, code: answer.code });
      res.status(answer.status).json({ error: { code: answer.code, message: answer.message, details: answer.details ?? null } });
      return;
    }
    if (isUnavailable(err)) {
      logger.warn('a dependency is unavailable', { method: req.method, path: req.path, error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
      res.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Temporal or the database is unavailable; retry shortly', details: null } });
      return;
    }
    logger.error('request failed', { method: req.method, path: req.path, error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) });
    res.status(500).json({ error: { code: 'INTERNAL', message: 'the request could not be completed; it has been logged', details: null } });
  };
}

/** PostgreSQL's "come back later": shutting down, starting up or recovering, or the connection failed. */
const DATABASE_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** Temporal unreachable (gRPC UNAVAILABLE / deadline exceeded) or the database unavailable. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
  // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4); other Temporal errors are bugs, answered 500.
  return code === 14 || code === 4 || (typeof code === 'string' && DATABASE_UNAVAILABLE.has(code))
    || /Knex: Timeout acquiring a connection|Connection terminated|timeout exceeded when trying to connect/i.test(err.message);
}
