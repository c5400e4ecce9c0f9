import { createHash } from 'node:crypto';
import type { OrderKey } from '../../../ports/broker.port';

/** What an exchange accepts as a client order id. */
export interface ClientOrderIdRules {
  readonly maxLength: number;
  readonly pattern: RegExp;
}

/**
 * Per exchange (ccxt id). Binance: `^[.A-Z:/a-z0-9_-]{1,36}$`; OKX: letters and digits only, up to
 * 32. Unknown exchanges get the strictest: letters and digits, 32 characters.
 */
export const CLIENT_ORDER_ID_RULES: Readonly<Record<string, ClientOrderIdRules>> = {
  binance: { maxLength: 36, pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/ },
  okx: { maxLength: 32, pattern: /^[A-Za-z0-9]{1,32}$/ },
};
export const STRICTEST_RULES: ClientOrderIdRules = { maxLength: 32, pattern: /^[A-Za-z0-9]{1,32}$/ };

const PREFIX = 'rf';

/**
 * `rf` + the base-36 digest of the key, cut to the exchange's length: letters and digits only, so
 * every exchange takes it; 30 base-36 characters carry 155 bits, so two keys never meet; and the
 * same key always gives the same id, so a retried submit finds the order it already sent.
 */
export function ccxtClientOrderId(key: OrderKey, exchangeId: string): string {
  const rules = CLIENT_ORDER_ID_RULES[exchangeId] ?? STRICTEST_RULES;
  const digest = BigInt(`0x${createHash('sha256').update(`${key.workflowId}\u0000${key.leg}`).digest('hex')}`).toString(36);
  const id = (PREFIX + digest.padStart(50, '0')).slice(0, Math.min(rules.maxLength, 32));
  if (!rules.pattern.test(id)) throw new Error(`client order id ${id} does not satisfy ${exchangeId}'s rules`);
  return id;
}
