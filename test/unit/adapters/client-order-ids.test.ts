import { randomUUID } from 'node:crypto';
import { ccxtClientOrderId, CLIENT_ORDER_ID_RULES, STRICTEST_RULES } from '../../../src/adapters/broker/ccxt/ccxt-client-order-id';
import { ibOrderRef } from '../../../src/adapters/broker/ib/ib-order-ref';
import { paperClientOrderId } from '../../../src/adapters/broker/paper/paper-client-order-id';
import type { OrderKey } from '../../../src/ports/broker.port';

const keys: OrderKey[] = Array.from({ length: 2000 }, (_, i) => ({ workflowId: `order-${randomUUID()}`, leg: (i % 7) + 1 }));
const key: OrderKey = { workflowId: 'order-0b9c6f4e-2a7d-4c55-8f1e-3d2a1b0c9e8f', leg: 1 };

describe('client order ids per venue', () => {
  const encoders: Array<[string, (k: OrderKey) => string, RegExp]> = [
    ['paper', paperClientOrderId, /^.+$/],
    ['binance (ccxt)', (k) => ccxtClientOrderId(k, 'binance'), CLIENT_ORDER_ID_RULES.binance!.pattern],
    ['okx (ccxt)', (k) => ccxtClientOrderId(k, 'okx'), CLIENT_ORDER_ID_RULES.okx!.pattern],
    ['an exchange without known rules (ccxt)', (k) => ccxtClientOrderId(k, 'kraken'), STRICTEST_RULES.pattern],
    ['Interactive Brokers', ibOrderRef, /^.+$/],
  ];

  it.each(encoders)('when %s encodes 2000 keys, then each id is accepted by the venue, the same key gives the same id and no two keys share one', (_venue, encode, accepted) => {
    const ids = keys.map(encode);
    expect(ids.every((id) => accepted.test(id))).toBe(true);
    expect(keys.map(encode)).toEqual(ids);
    expect(new Set(ids).size).toBe(keys.length);
  });

  it('when the paper venue and IB encode a key, then the id reads as the workflow and the leg', () => {
    expect(paperClientOrderId(key)).toBe('order-0b9c6f4e-2a7d-4c55-8f1e-3d2a1b0c9e8f-leg1');
    expect(ibOrderRef({ ...key, leg: 3 })).toBe('order-0b9c6f4e-2a7d-4c55-8f1e-3d2a1b0c9e8f-leg3');
  });

  it('when ccxt encodes a key, then the id is rf plus 30 base-36 characters, within Binance\'s 36 and OKX\'s 32', () => {
    const id = ccxtClientOrderId(key, 'binance');
    expect(id).toMatch(/^rf[0-9a-z]{30}$/);
    expect(ccxtClientOrderId(key, 'okx')).toBe(id);
    expect(ccxtClientOrderId({ ...key, leg: 2 }, 'okx')).not.toBe(id);
  });
});
