import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { createJsonLogger } from '../../src/adapters/logging/json-logger';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

let system: TestSystem;
const logLines: string[] = [];
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;

beforeAll(async () => {
  system = await startTestSystem('mistakes', { logger: createJsonLogger('debug', {}, (line) => logLines.push(line)) });
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
});
afterAll(async () => system?.stop());

/** A request exactly as given: raw path, headers and body bytes (fetch would normalise some of them). */
function raw(method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; body: { error?: { code: string; message: string; details: unknown } } }> {
  const url = new URL(system.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: { authorization: `Bearer ${KEYS.admin}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function newPortfolio(): Promise<string> {
  const res = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'mistakes', initialCash: '100000' });
  return res.body.portfolioId;
}

const json = '{"name":"x","initialCash":"100"}';

describe('client mistakes get a 4xx, never a 500', () => {
  const cases: Array<[string, number, string, () => ReturnType<typeof raw>]> = [
    ['the body declares an unsupported charset', 415, 'UNSUPPORTED_CHARSET', () => raw('POST', '/v1/portfolios', { 'content-type': 'application/json; charset=latin1' }, json)],
    ['the body has an unsupported content encoding', 415, 'UNSUPPORTED_CONTENT_ENCODING', () => raw('POST', '/v1/portfolios', { 'content-type': 'application/json', 'content-encoding': 'compress' }, json)],
    ['a gzip body is corrupt', 400, 'MALFORMED_BODY', () => raw('POST', '/v1/portfolios', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(json).subarray(0, 12))],
    ['the body is not JSON by its content type', 415, 'UNSUPPORTED_MEDIA_TYPE', () => raw('POST', '/v1/portfolios', { 'content-type': 'text/plain' }, json)],
    ['a path has a malformed %-escape', 400, 'MALFORMED_PATH', () => raw('GET', '/v1/orders/%E0%A4%A', {})],
    ['a path has a %-escape that is no hex', 400, 'MALFORMED_PATH', () => raw('GET', '/v1/portfolios/%zz', {})],
  ];

  it.each(cases)('when %s, then the answer is %s %s and nothing is logged at error level', async (_name, status, code, send) => {
    const before = logLines.length;
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error?.code).toBe(code);
    const logged = logLines.slice(before).map((l) => JSON.parse(l) as { level: string });
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
    expect(logged.length).toBeLessThanOrEqual(1);
  });

  const badText: Array<[string, string]> = [
    ['a NUL character', '"a\\u0000b"'],
    ['a lone surrogate', '"a\\ud800b"'],
  ];
  it.each(badText)('when a text field holds %s, then the answer is 400 naming the field', async (_name, value) => {
    const res = await raw('POST', '/v1/portfolios', { 'content-type': 'application/json' }, `{"name":${value},"initialCash":"100"}`);
    expect(res.status).toBe(400);
    expect(res.body.error?.details).toEqual([{ field: 'name', rule: expect.stringMatching(/NUL|surrogate/) }]);
  });

  it('when a query value holds a NUL character, then the answer is 400 naming it', async () => {
    const portfolioId = await newPortfolio();
    const res = await raw('GET', `/v1/orders?portfolioId=${portfolioId}&status=FILLED%00`, {});
    expect(res.status).toBe(400);
    expect(res.body.error?.details).toEqual([{ field: 'status', rule: expect.stringMatching(/NUL/) }]);
  });
});

describe('canonical ids', () => {
  it('when one clientRequestId comes with two casings of the portfolio id at once, then both name one order', async () => {
    const portfolioId = await newPortfolio();
    const body = { symbol: 'AAPL', side: 'BUY', quantity: '1', clientRequestId: 'casing-1' };
    const answers = await Promise.all([
      trader<{ orderId: string }>('POST', '/v1/orders', { ...body, portfolioId }),
      trader<{ orderId: string }>('POST', '/v1/orders', { ...body, portfolioId: portfolioId.toUpperCase() }),
      trader<{ orderId: string }>('POST', '/v1/orders', { ...body, portfolioId }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);
    expect(await system.db('orders').where({ portfolio_id: portfolioId })).toHaveLength(1);
  });

  it('when an order is placed with an upper-cased portfolio id, then the Temporal search attribute holds the canonical id', async () => {
    const portfolioId = await newPortfolio();
    const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: portfolioId.toUpperCase(), symbol: 'AAPL', side: 'BUY', quantity: '1' });
    expect(placed.status).toBe(201);
    let found: string[] = [];
    for (let attempt = 0; attempt < 50 && found.length === 0; attempt++) {
      found = [];
      for await (const wf of system.client.workflow.list({ query: `PortfolioId = "${portfolioId}"` })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual([`order-${placed.body.orderId}`]);
  });

  it('when an order id comes upper-cased, then it is found and can be cancelled', async () => {
    const portfolioId = await newPortfolio();
    await admin('PUT', '/v1/quotes/XOM', { bid: '110.00', ask: '110.10', last: '110.05' });
    const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol: 'XOM', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '100.00' });
    await waitForOrderStatus(system.db, placed.body.orderId, ['WORKING']);
    const upper = placed.body.orderId.toUpperCase();
    expect((await trader<{ orderId: string }>('GET', `/v1/orders/${upper}`)).body.orderId).toBe(placed.body.orderId);
    const cancelled = await trader<{ status: string }>('POST', `/v1/orders/${upper}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    // A retry after a lost answer finds it cancelled: the same answer, not a conflict.
    expect(await trader<{ status: string }>('POST', `/v1/orders/${placed.body.orderId}/cancel`)).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
  });
});

describe('input that makes no sense is refused', () => {
  const quotes: Array<[string, string, Record<string, string>]> = [
    ['the bid is above the last', 'bid', { bid: '110.06', ask: '110.10', last: '110.05' }],
    ['the last is above the ask', 'last', { bid: '110.00', ask: '110.04', last: '110.05' }],
    ['a price is off the tick grid', 'bid', { bid: '110.001', ask: '110.10', last: '110.05' }],
    ['asOf is an hour ago', 'asOf', { last: '110.05', asOf: new Date(Date.now() - 3_600_000).toISOString() }],
    ['asOf is an hour ahead', 'asOf', { last: '110.05', asOf: new Date(Date.now() + 3_600_000).toISOString() }],
  ];
  it.each(quotes)('when a quote is set and %s, then the answer is 400 naming %s', async (_name, field, body) => {
    const res = await admin<{ error: { details: Array<{ field: string }> } }>('PUT', '/v1/quotes/XOM', body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.field)).toEqual([field]);
  });

  it.each([['baseCurrency', 'ABC', 'POST', '/v1/portfolios', { name: 'x', initialCash: '1' }], ['currency', 'XYZ', 'PUT', '/v1/instruments/NEW1', { name: 'x', assetClass: 'EQUITY', tickSize: '0.01', lotSize: '1', sector: 'x' }]] as const)(
    'when %s is %s, which ISO 4217 does not know, then the answer is 400', async (field, code, method, path, body) => {
      const res = await admin<{ error: { details: Array<{ field: string }> } }>(method, path, { ...body, [field]: code });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d) => d.field)).toEqual([field]);
    });

  it.each(['1e2', '10.0', ' 10', '0x10', '-1'])('when limit is %j, then the answer is 400: limits are plain integers', async (limit) => {
    const res = await admin('GET', `/v1/portfolios?limit=${encodeURIComponent(limit)}`);
    expect(res.status).toBe(400);
  });

  it('when maxPositionPctOfEquity exceeds 1 without leverage, or the allow-list repeats a symbol, then the answer is 400 naming the field', async () => {
    const portfolioId = await newPortfolio();
    const limits = { maxOrderValue: '1000', maxPositionPctOfEquity: '1.5', maxOpenPositions: 5, maxGrossLeverage: '1', maxQuoteAgeSeconds: 300 };
    const overOne = await admin<{ error: { details: Array<{ field: string }> } }>('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, limits);
    expect(overOne.body.error.details.map((d) => d.field)).toEqual(['maxPositionPctOfEquity']);
    expect((await admin('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, { ...limits, maxGrossLeverage: '2' })).status).toBe(200);
    const duplicate = await admin<{ error: { details: Array<{ field: string }> } }>('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, { ...limits, maxPositionPctOfEquity: '0.5', allowedSymbols: ['AAPL', 'MSFT', 'AAPL'] });
    expect(duplicate.body.error.details.map((d) => d.field)).toEqual(['allowedSymbols']);
  });

  it('when money has 12 decimal places, then answers keep all 12', async () => {
    const res = await admin<{ cash: string; portfolioId: string }>('POST', '/v1/portfolios', { name: 'precise', initialCash: '100.123456789012' });
    expect(res.body.cash).toBe('100.123456789012');
    expect((await admin<{ cash: string }>('GET', `/v1/portfolios/${res.body.portfolioId}`)).body.cash).toBe('100.123456789012');
  });

  it('when the scheme is written "bearer" or "BEARER", then the key is accepted', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      expect((await raw('GET', '/v1/instruments', { authorization: `${scheme} ${KEYS.viewer}` })).status).toBe(200);
    }
  });

  it('when orders of an unknown portfolio are listed, then the answer is 404', async () => {
    expect((await admin('GET', '/v1/orders?portfolioId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
