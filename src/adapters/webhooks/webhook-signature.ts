import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a webhook carries: when it was signed, and the signature. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-riskflow-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-riskflow-signature';

/**
 * `sha256=<hex>` of HMAC-SHA256 with the configured secret over `<timestamp>.<body>`: the body's
 * exact bytes, bound to the Unix time (seconds) in X-Riskflow-Timestamp, so a captured delivery
 * cannot be replayed later under a fresh timestamp.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time, and refuse an old timestamp. */
export function verifyWebhook(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds || headers.signature === undefined) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
