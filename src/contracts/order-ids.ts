import { createHash } from 'node:crypto';

/**
 * The same portfolio and client request id always name the same order (a UUID-shaped digest): a
 * retried request, or a rebalance leg started again, finds the order it already placed.
 * (Not for workflow code: it hashes with Node's crypto.)
 */
export function orderIdForClientRequest(portfolioId: string, clientRequestId: string): string {
  const h = createHash('sha256').update(`${portfolioId}\u0000${clientRequestId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
