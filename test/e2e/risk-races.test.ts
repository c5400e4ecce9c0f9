import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { apiClient, KEYS, startTestSystem, temporalAddress, TEST_PAPER_FEE_BPS, type TestSystem } from '../support/test-system';
import { startWorkerProcess } from '../support/worker-process';

/**
 * Concurrent orders of one portfolio, decided by two worker processes on one task queue (this
 * test's in-process worker and a separate `npm run worker` process): the limits hold because every
 * decision counts under PostgreSQL row locks, not in a worker's memory.
 */
let system: TestSystem;
let secondWorker: ChildProcess;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;
const ROOT = path.resolve(__dirname, '../..');

async function startSecondWorker(): Promise<ChildProcess> {
  const { child, ready } = startWorkerProcess({
    TEMPORAL_ADDRESS: temporalAddress(), DATABASE_URL: system.databaseUrl,
    TEMPORAL_TASK_QUEUE: system.taskQueue, RISKFLOW_COMMAND_SIGNING_KEY: system.signingKey.toString('hex'), PAPER_FEE_BPS: TEST_PAPER_FEE_BPS,
    LOG_LEVEL: 'info', DEMO_MARKET: 'false', RISKFLOW_DATA_DIR: path.join(ROOT, '.data', 'test-second-worker'),
  });
  await ready;
  return child;
}

beforeAll(async () => {
  system = await startTestSystem('e2e-races');
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
  secondWorker = await startSecondWorker();
  await admin('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
}, 90_000);

afterAll(async () => {
  if (secondWorker && secondWorker.exitCode === null) {
    secondWorker.kill('SIGTERM');
    await new Promise((r) => secondWorker.once('exit', r));
  }
  await system?.stop();
});

async function portfolioWithLimits(limits: Record<string, unknown>, accountId = 'paper'): Promise<string> {
  const created = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'race', initialCash: '100000', accountId });
  expect(created.status).toBe(201);
  const put = await admin('PATCH', `/v1/portfolios/${created.body.portfolioId}/risk-limits`, limits);
  expect(put.status).toBe(200);
  return created.body.portfolioId;
}

type Placed = { status: number; body: { orderId: string; decision: { approved: boolean; reasons: Array<{ code: string }> } } };
const placeAll = (orders: ReadonlyArray<Record<string, unknown>>): Promise<Placed[]> =>
  Promise.all(orders.map((o) => trader('POST', '/v1/orders', { symbol: 'AAPL', side: 'BUY', ...o }) as Promise<Placed>));

function outcome(placed: readonly Placed[]) {
  for (const p of placed) expect(p.status).toBe(201);
  const denied = placed.filter((p) => !p.body.decision.approved);
  return { approved: placed.length - denied.length, deniedFor: new Set(denied.flatMap((p) => p.body.decision.reasons.map((r) => r.code))) };
}

/** The worker identities that completed the orders' first workflow tasks. */
async function decidingWorkers(placed: readonly Placed[]): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const p of placed) {
    const history = await system.client.workflow.getHandle(`order-${p.body.orderId}`).fetchHistory();
    const completed = history.events?.find((e) => e.workflowTaskCompletedEventAttributes);
    if (completed?.workflowTaskCompletedEventAttributes?.identity) identities.add(completed.workflowTaskCompletedEventAttributes.identity);
  }
  return identities;
}

describe('race freedom across two worker processes', () => {
  it('when 30 orders race against a daily-trade limit of 10, then exactly 10 are approved', async () => {
    const portfolioId = await portfolioWithLimits({ maxDailyTrades: 10 });
    const placed = await placeAll(Array.from({ length: 30 }, () => ({ portfolioId, quantity: '1' })));
    expect(outcome(placed)).toEqual({ approved: 10, deniedFor: new Set(['MAX_DAILY_TRADES']) });
    expect((await decidingWorkers(placed)).size).toBe(2);
  });

  it('when 20 buys each at 60 % of the position limit race, then exactly one is approved', async () => {
    // Position limit 10 % of 100 000 = 10 000 = 100 shares at the ask; each buys 60.
    const portfolioId = await portfolioWithLimits({ maxPositionPctOfEquity: '0.1' });
    const placed = await placeAll(Array.from({ length: 20 }, () => ({ portfolioId, quantity: '60' })));
    expect(outcome(placed)).toEqual({ approved: 1, deniedFor: new Set(['MAX_POSITION_PCT_OF_EQUITY']) });
  });

  it('when orders race against the order-rate throttle, then exactly the throttle\'s count is approved', async () => {
    const portfolioId = await portfolioWithLimits({ maxOrdersPerWindow: 4, orderRateWindowSeconds: 3600 });
    const placed = await placeAll(Array.from({ length: 12 }, () => ({ portfolioId, quantity: '1' })));
    expect(outcome(placed)).toEqual({ approved: 4, deniedFor: new Set(['MAX_ORDER_RATE']) });
  });

  it('when two portfolios of one account race against the account\'s daily-trade limit, then exactly its count is approved across both', async () => {
    // An account of its own: the other tests' trades count against the shared paper account.
    await system.db('accounts').insert({ id: 'race-account', name: 'race', kind: 'paper', broker: 'paper' });
    const [a, b] = [await portfolioWithLimits({}, 'race-account'), await portfolioWithLimits({}, 'race-account')];
    expect((await admin('PUT', '/v1/accounts/race-account/risk-limits', { maxDailyTrades: 5 })).status).toBe(200);
    const placed = await placeAll(Array.from({ length: 16 }, (_, i) => ({ portfolioId: i % 2 === 0 ? a : b, quantity: '1' })));
    expect(outcome(placed)).toEqual({ approved: 5, deniedFor: new Set(['MAX_DAILY_TRADES']) });
  });
});
