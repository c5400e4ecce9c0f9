import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../ports/logger.port';
import { HttpError } from './http-errors';

/** The one place errors become responses: `{ error: { code, message, details } }`, never a stack trace. */
export function errorMiddleware(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details ?? null } });
      return;
    }
    // express.json() marks malformed bodies with a status and type.
    const parseError = err as { type?: string; status?: number };
    if (parseError?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'MALFORMED_JSON', message: 'the request body is not valid JSON', details: { field: 'body' } } });
      return;
    }
    if (parseError?.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large', details: null } });
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

/** Temporal unreachable (gRPC UNAVAILABLE / deadline) or the database refusing connections. */
function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
  // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4); other Temporal errors are bugs, answered 500.
  return code === 14 || code === 4 || code === 'ECONNREFUSED' || code === '57P01'
    || /Knex: Timeout acquiring a connection/.test(err.message);
}
