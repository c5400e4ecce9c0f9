import { rebalanceWorkflowId, type RebalanceState } from '../../src/contracts/rebalance-contracts';
import { nextClose, nextOpen } from '../../src/domain/market/trading-calendar';
import type { Clock } from '../../src/ports/clock.port';
import { apiClient, KEYS, startTestSystem, type TestSystem } from '../support/test-system';

/**
 * An approved rebalance waits durably for its market to open (policy respectMarketHours). The
 * system's clock is set a few seconds before a real NYSE open, so the wait is short: the calendar
 * is the exchange's own, only the instant it is asked about is chosen.
 */
let system: TestSystem;
let offsetMs = 0;
const shiftedClock: Clock = { now: () => new Date(Date.now() + offsetMs) };
const trader = () => apiClient(system.baseUrl, KEYS.trader);
const approver = () => apiClient(system.baseUrl, KEYS.approver);
const admin = () => apiClient(system.baseUrl, KEYS.admin);

beforeAll(async () => {
  system = await startTestSystem('e2e-rebalance-market-hours', { clock: shiftedClock });
}, 60_000);
afterAll(async () => system?.stop());

/**
 * Sets the system's clock `secondsBefore` an NYSE open at least a day ahead, then quotes and a
 * portfolio at that time. The open follows a close, so the market is closed before it whatever the
 * hour the test runs at.
 */
async function closedMarket(secondsBefore: number): Promise<{ portfolioId: string; opensAt: Date }> {
  const closed = new Date(nextClose('EQUITY', new Date(Date.now() + 24 * 3600_000))!.getTime() + 60_000);
  const opensAt = nextOpen('EQUITY', closed);
  offsetMs = opensAt.getTime() - secondsBefore * 1000 - Date.now();
  await admin()('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
  await admin()('PUT', '/v1/quotes/MSFT', { bid: '199.98', ask: '200.02', last: '200' });
  const { body } = await admin()<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'market-hours', initialCash: '70000' });
  await system.db('positions').insert({ portfolio_id: body.portfolioId, symbol: 'AAPL', quantity: '300', average_cost: '100', realized_pnl: '0' });
  await admin()('PUT', `/v1/portfolios/${body.portfolioId}/rebalance-policy`, { respectMarketHours: true });
  return { portfolioId: body.portfolioId, opensAt };
}

const finalState = (rebalanceId: string) => system.client.workflow.getHandle(rebalanceWorkflowId(rebalanceId)).result() as Promise<RebalanceState>;

describe('rebalance and market hours', () => {
  it('when a plan is approved while its market is closed, then it waits for the open, then trades', async () => {
    const { portfolioId, opensAt } = await closedMarket(8);
    const { body } = await trader()<RebalanceState>('POST', `/v1/portfolios/${portfolioId}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.1', MSFT: '0.2' } } });
    const approved = await approver()<RebalanceState>('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', reason: expect.stringContaining(`to open at ${opensAt.toISOString()}`) });
    expect(await system.db('orders').where({ portfolio_id: portfolioId })).toHaveLength(0);
    // Recorded (the workflow answers as it moves; the record follows at once).
    let recorded: { status: string; reason: string } | undefined;
    for (let i = 0; i < 40 && recorded?.status !== 'APPROVED'; i++) {
      recorded = await system.db('rebalances').where({ id: body.rebalanceId }).first();
      if (recorded?.status !== 'APPROVED') await new Promise((r) => setTimeout(r, 50));
    }
    expect(recorded).toMatchObject({ status: 'APPROVED', reason: expect.stringContaining('waiting for the market of AAPL, MSFT') });

    const done = await finalState(body.rebalanceId);
    // It traded only once the (shifted) clock had passed the open.
    expect(shiftedClock.now().getTime()).toBeGreaterThanOrEqual(opensAt.getTime());
    expect(done.status).toBe('COMPLETED');
    expect(done.legs.map((l) => [l.side, l.symbol, l.status])).toEqual([['SELL', 'AAPL', 'FILLED'], ['BUY', 'MSFT', 'FILLED']]);
    const history = await system.client.workflow.getHandle(rebalanceWorkflowId(body.rebalanceId)).fetchHistory();
    expect(history.events?.some((e) => e.timerStartedEventAttributes?.startToFireTimeout)).toBe(true);
  }, 60_000);

  it('when the market opens after the approval deadline, then the approved plan expires untraded', async () => {
    const { portfolioId, opensAt } = await closedMarket(3600);
    const { body } = await trader()<RebalanceState>('POST', `/v1/portfolios/${portfolioId}/rebalances`, {
      method: { type: 'target-weights', targets: { AAPL: '0.1', MSFT: '0.2' } }, approvalDeadlineSeconds: 60,
    });
    await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    const done = await finalState(body.rebalanceId);
    expect(done).toMatchObject({ status: 'EXPIRED', legs: [], reason: expect.stringContaining(`opens at ${opensAt.toISOString()}, after the approval deadline`) });
    expect(await system.db('orders').where({ portfolio_id: portfolioId })).toHaveLength(0);
  }, 60_000);
});
