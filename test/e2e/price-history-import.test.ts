import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiClient, KEYS, startTestSystem, type TestSystem } from '../support/test-system';

const run = promisify(execFile);
let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let dir: string;

beforeAll(async () => {
  system = await startTestSystem('e2e-prices', { worker: false });
  admin = apiClient(system.baseUrl, KEYS.admin);
  dir = await mkdtemp(path.join(os.tmpdir(), 'riskflow-prices-'));
  for (const symbol of ['IMPA', 'IMPB']) {
    expect((await admin('PUT', `/v1/instruments/${symbol}`, { name: symbol, assetClass: 'EQUITY', currency: 'USD', tickSize: '0.01', lotSize: '1', sector: 'Test' })).status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await system?.stop();
});

const closesOf = async (symbol: string) => (await system.db('price_history').where({ symbol }).orderBy('date').select<Array<{ date: Date | string; close: string }>>('date', 'close'))
  .map((r) => [typeof r.date === 'string' ? r.date : r.date.toISOString().slice(0, 10), r.close]);

describe('loading daily closes', () => {
  it('when closes arrive as JSON, unsorted with a gap, then they are stored sorted and the report says so', async () => {
    const res = await admin<{ inserted: number; replaced: number; symbols: Array<{ symbol: string; unsorted: boolean; gapCount: number }> }>('POST', '/v1/price-history', { prices: [
      { symbol: 'IMPA', date: '2026-01-09', close: '12' }, { symbol: 'IMPA', date: '2026-01-05', close: '10' },
    ] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ inserted: 2, replaced: 0, symbols: [{ symbol: 'IMPA', unsorted: true, gapCount: 1 }] });
    expect((await closesOf('IMPA')).map(([d]) => d)).toEqual(['2026-01-05', '2026-01-09']);
  });

  it('when a wide CSV arrives as text/csv, then each symbol is loaded and a repeat replaces rather than duplicates', async () => {
    const csv = 'date,IMPA,IMPB\n2026-02-02,20,\n2026-02-03,21,30\n';
    const send = () => fetch(`${system.baseUrl}/v1/price-history`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'text/csv' }, body: csv });
    const first = await send();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ inserted: 3, symbols: [{ symbol: 'IMPA', rows: 2 }, { symbol: 'IMPB', rows: 1, emptyCells: 1 }] });
    expect(await (await send()).json()).toMatchObject({ inserted: 0, replaced: 3 });
  });

  it('when a symbol is not an instrument, then 422 names it and nothing is loaded', async () => {
    const res = await admin<{ error: { code: string; details: { symbols: string[] } } }>('POST', '/v1/price-history', { prices: [
      { symbol: 'IMPA', date: '2026-03-02', close: '1' }, { symbol: 'NOPE', date: '2026-03-02', close: '1' },
    ] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_INSTRUMENTS', details: { symbols: ['NOPE'] } });
    expect(await closesOf('IMPA')).not.toContainEqual(['2026-03-02', expect.anything()]);
  });

  it.each([
    [{ prices: [{ symbol: 'IMPA', date: '2026-13-01', close: '1' }] }, 'prices.0.date'],
    [{ prices: [{ symbol: 'IMPA', date: '2026-01-05', close: '-2' }] }, 'prices.0.close'],
    [{ csv: 'when,what\n1,2' }, 'line 1'],
    [{ rows: [] }, 'body'],
  ])('when the body is malformed (%j), then 400 names %s', async (body, field) => {
    const res = await admin('POST', '/v1/price-history', body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('when a trader loads prices, then 403', async () => {
    expect((await apiClient(system.baseUrl, KEYS.trader)('POST', '/v1/price-history', { prices: [{ symbol: 'IMPA', date: '2026-01-05', close: '1' }] })).status).toBe(403);
  });

  it('when npm run import-prices is given a long CSV, then it loads it and reports each symbol', async () => {
    const file = path.join(dir, 'long.csv');
    await writeFile(file, 'symbol,date,close\nIMPB,2026-04-01,40\nIMPB,2026-04-02,41\n');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/import-prices.ts', file], {
      cwd: path.resolve(__dirname, '../..'), env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: system.databaseUrl, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toContain('2 closes inserted');
    expect(stdout).toMatch(/IMPB: 2 closes 2026-04-01 … 2026-04-02/);
    expect(await closesOf('IMPB')).toContainEqual(['2026-04-02', expect.stringMatching(/^41(\.0+)?$/)]);
  });
});
