import { WorkflowFailedError } from '@temporalio/client';
import { exitStateQuery, type StartExitCommand } from '../../src/contracts/exit-workflow-contracts';
import { startExitSignedFields } from '../../src/contracts/command-signatures';
import { exitWorkflowId } from '../../src/contracts/workflow-ids';
import { Decimal } from '../../src/domain/values/decimal';
import { price } from '../../src/domain/values/price';
import { EXIT_PRICE_PATHS, type ExitPricePath } from '../unit/domain/exits/exit-price-paths';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;
let symbolCount = 0;
/** Sam trades only the portfolios Sam creates. */
const SAM_KEY = 'sam-scoped-exits-key-0001';

beforeAll(async () => {
  system = await startTestSystem('exits', { apiKeys: [{ key: SAM_KEY, principal: 'sam', roles: ['viewer', 'trader', 'admin'], portfolios: [] }] });
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
});
afterAll(async () => system?.stop());

type Tranche = { trancheId: string; reason: string; quantity: string; filledQuantity: string; averagePrice: string | null; realizedPnl: string; status: string };
type PositionAnswer = { positionId: string; status: string; quantity: string; realizedPnl: string; exit: { status: string; tranches: Tranche[] } | null };
type ExitState = { status: string; tranches: Array<{ id: string; state: string }>; realizedPnl: string };

/** A fresh portfolio holding one position opened through the order path, on its own symbol (quotes are per symbol). */
async function openPosition(direction: 'LONG' | 'SHORT', qty: string, entry: string, tick = '0.01', lot = '1'): Promise<{ portfolioId: string; positionId: string; symbol: string }> {
  const symbol = `EXT${++symbolCount}`;
  expect((await admin('PUT', `/v1/instruments/${symbol}`, { name: symbol, assetClass: 'EQUITY', currency: 'USD', tickSize: tick, lotSize: lot, sector: 'Technology' })).status).toBe(201);
  const portfolioId = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: `exit ${symbol}`, initialCash: '10000000' })).body.portfolioId;
  await admin('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, {
    maxOrderValue: '10000000', maxPositionPctOfEquity: '1', maxOpenPositions: 20, maxGrossLeverage: '2', maxQuoteAgeSeconds: 3600, allowShort: true,
  });
  const e = new Decimal(entry);
  // The entry fills at the side of the book it takes: a buy at the ask, a sell at the bid.
  await setQuote(symbol, direction === 'LONG' ? e.minus(tick).toFixed() : entry, direction === 'LONG' ? entry : e.plus(tick).toFixed());
  const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol, side: direction === 'LONG' ? 'BUY' : 'SELL', quantity: qty });
  expect(await waitForOrderStatus(system.db, placed.body.orderId, ['FILLED', 'DENIED'])).toBe('FILLED');
  const portfolio = await admin<{ positions: Array<{ symbol: string; positionId: string }> }>('GET', `/v1/portfolios/${portfolioId}`);
  return { portfolioId, symbol, positionId: portfolio.body.positions.find((p) => p.symbol === symbol)!.positionId };
}

async function setQuote(symbol: string, bid: string, ask: string): Promise<void> {
  const answer = await admin('PUT', `/v1/quotes/${symbol}`, { bid, ask, last: bid });
  expect(answer.status).toBe(200);
}

const storedExit = async (positionId: string) => system.db('position_exits').where({ position_id: positionId }).first<{ updated_at: Date; state: ExitState; status: string } | undefined>();

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Sends a quote and, when it crosses one of the exit's triggers, waits until the exit has acted on
 * it (stored a newer state with nothing pending): each quote of a scripted path is seen on its own.
 */
async function step(positionId: string, symbol: string, bid: string, ask: string): Promise<void> {
  const crossed = await system.deps.exits.exitsCrossedBy({ symbol, bid: price(bid), ask: price(ask), last: price(bid), asOf: new Date() });
  const before = (await storedExit(positionId))!.updated_at.getTime();
  await setQuote(symbol, bid, ask);
  if (crossed.length === 0) return;
  await until(`the exit to act on ${bid}/${ask}`, async () => {
    const row = await storedExit(positionId);
    return row !== undefined && row.updated_at.getTime() > before && row.state.tranches.every((t) => t.state !== 'PENDING');
  });
}

async function runPath(path: ExitPricePath): Promise<{ position: PositionAnswer; state: ExitState }> {
  const { positionId, symbol } = await openPosition(path.position.direction, path.position.quantity, path.position.entryPrice);
  const started = await trader('POST', `/v1/positions/${positionId}/exit-plan`, path.request);
  expect(started.status).toBe(201);
  for (const q of path.quotes) await step(positionId, symbol, q.bid, q.ask);
  const state = (await until('the exit to close', async () => {
    const row = await storedExit(positionId);
    return row?.status === 'CLOSED' ? row : undefined;
  })).state;
  const position = (await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body;
  return { position, state };
}

const plain = (v: string | null) => (v === null ? null : new Decimal(v).toFixed());

describe('exit workflows on scripted price paths (real Temporal, PostgreSQL and paper venue)', () => {
  it.each(EXIT_PRICE_PATHS.filter((p) => p.quotes.length > 0 && !p.name.includes('time')).map((p) => [p.name, p] as const))('%s', async (_name, path) => {
    const { position, state } = await runPath(path);
    expect(position.exit!.tranches.map((t) => ({ id: t.trancheId, reason: t.reason, quantity: plain(t.filledQuantity), price: plain(t.averagePrice) })))
      .toEqual(path.expected.tranches.map((t) => ({ id: t.id, reason: t.reason, quantity: plain(t.quantity), price: plain(t.price) })));
    expect(plain(state.realizedPnl)).toBe(plain(path.expected.realizedPnl));
    expect(position.status).toBe('CLOSED');
    expect(plain(position.quantity)).toBe('0');
  }, 60_000);
});

const ARBITRAGE_LADDER = { preset: 'arbitrage' };

describe('exit workflows while they run', () => {
  it('when the time exit comes, then everything left is sold at the bid without any quote waking the exit', async () => {
    const { positionId, symbol } = await openPosition('LONG', '10', '50.00');
    await setQuote(symbol, '50.10', '50.11');
    expect((await trader('POST', `/v1/positions/${positionId}/exit-plan`, { stopLoss: { pct: '0.05' }, timeExit: { maxHoldingSeconds: 2 } })).status).toBe(201);
    const row = await until('the time exit', async () => ((await storedExit(positionId))?.status === 'CLOSED' ? storedExit(positionId) : undefined));
    const position = (await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body;
    expect(position.exit!.tranches.map((t) => [t.reason, plain(t.filledQuantity), plain(t.averagePrice)])).toEqual([['TIME_EXIT', '10', '50.1']]);
    expect(plain(row!.state.realizedPnl)).toBe('1');
  });

  it('when an exit is paused, then a quote through its stop sells nothing; resumed, the next quote does', async () => {
    const { positionId, symbol } = await openPosition('LONG', '10', '100.00');
    expect((await trader('POST', `/v1/positions/${positionId}/exit-plan`, { stopLoss: { price: '98.00' } })).status).toBe(201);
    const paused = await trader<{ state: ExitState }>('POST', `/v1/positions/${positionId}/exit-plan/pause`);
    expect(paused.body.state.status).toBe('PAUSED');
    expect(await system.deps.exits.exitsCrossedBy({ symbol, bid: price('97.00'), ask: price('97.01'), last: price('97.00'), asOf: new Date() })).toEqual([]);
    await setQuote(symbol, '97.00', '97.01');
    await new Promise((r) => setTimeout(r, 500));
    expect((await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body.exit!.tranches).toEqual([]);
    expect((await trader<{ state: ExitState }>('POST', `/v1/positions/${positionId}/exit-plan/resume`)).body.state.status).toBe('ACTIVE');
    await step(positionId, symbol, '96.90', '96.91');
    const position = (await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body;
    expect(position.exit!.tranches.map((t) => [t.reason, plain(t.filledQuantity), plain(t.averagePrice)])).toEqual([['STOP_LOSS', '10', '96.9']]);
  });

  it('when a stop sells and the portfolio protects itself after one stop-out, then the stop-out is recorded and the portfolio cools down in REDUCING', async () => {
    const { portfolioId, positionId, symbol } = await openPosition('LONG', '10', '100.00');
    expect((await admin('PUT', `/v1/portfolios/${portfolioId}/daily-risk-settings`, { stopOutLimit: 1, stopOutLookbackMinutes: 60, cooldownMinutes: 60 })).status).toBe(200);
    expect((await trader('POST', `/v1/positions/${positionId}/exit-plan`, { stopLoss: { price: '98.00' } })).status).toBe(201);
    await step(positionId, symbol, '97.90', '97.91');
    await until('the stop-out', async () => (await system.db('stop_outs').where({ portfolio_id: portfolioId }).first()) !== undefined);
    const state = await until('the cooldown', async () => {
      const answer = (await admin<{ state: string }>('GET', `/v1/portfolios/${portfolioId}/trading-state`)).body;
      return answer.state === 'REDUCING' ? answer : undefined;
    });
    expect(state.state).toBe('REDUCING');
  });

  it('when a position is closed now, then its exit sells everything at once and the position is CLOSED', async () => {
    const { positionId } = await openPosition('SHORT', '7', '100.00');
    expect((await trader('POST', `/v1/positions/${positionId}/exit-plan`, ARBITRAGE_LADDER)).status).toBe(201);
    expect((await trader('POST', `/v1/positions/${positionId}/close`)).status).toBe(202);
    // The books close the position as the tranche fills; the exit records the tranche just after.
    const position = await until('the close', async () => {
      const p = (await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body;
      return p.exit?.status === 'CLOSED' ? p : undefined;
    });
    expect(position.exit!.tranches.map((t) => [t.reason, plain(t.filledQuantity)])).toEqual([['MANUAL_CLOSE', '7']]);
    expect((await trader('PATCH', `/v1/positions/${positionId}/exit-plan`, { stopLoss: { pct: '0.01' } })).status).toBe(409);
  });

  it('when a trader sells part of a position by hand while its exit runs, then the exit sells only what is still held', async () => {
    const { portfolioId, positionId, symbol } = await openPosition('LONG', '10', '50.00');
    expect((await trader('POST', `/v1/positions/${positionId}/exit-plan`, ARBITRAGE_LADDER)).status).toBe(201);
    const sold = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol, side: 'SELL', quantity: '6' });
    expect(await waitForOrderStatus(system.db, sold.body.orderId, ['FILLED'])).toBe('FILLED');
    expect((await trader('POST', `/v1/positions/${positionId}/close`)).status).toBe(202);
    const position = await until('the close', async () => {
      const p = (await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body;
      return p.exit?.status === 'CLOSED' ? p : undefined;
    });
    expect(position.exit!.tranches.map((t) => [t.reason, plain(t.filledQuantity)])).toEqual([['MANUAL_CLOSE', '4']]);
    expect(position.status).toBe('CLOSED');
  });

  it('when a position without an exit workflow is closed, then one starts for the purpose and closes it', async () => {
    const { positionId } = await openPosition('LONG', '3', '20.00');
    expect((await trader('POST', `/v1/positions/${positionId}/close`)).status).toBe(202);
    await until('the close', async () => (await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body.status === 'CLOSED');
  });

  it('when an amendment would move the stop against the position, then it is refused (422, naming the field) and the plan is unchanged', async () => {
    const { positionId } = await openPosition('LONG', '10', '100.00');
    const started = await trader<{ state: { stop: string } }>('POST', `/v1/positions/${positionId}/exit-plan`, { stopLoss: { price: '98.00' } });
    const refused = await trader<{ error: { code: string; details: Array<{ field: string }> } }>('PATCH', `/v1/positions/${positionId}/exit-plan`, { stopLoss: { price: '97.00' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('EXIT_AMENDMENT_REFUSED');
    expect(refused.body.error.details[0]!.field).toBe('stopLoss');
    const tightened = await trader<{ state: { stop: string } }>('PATCH', `/v1/positions/${positionId}/exit-plan`, { stopLoss: { price: '99.00' } });
    expect(tightened.status).toBe(200);
    expect(plain(tightened.body.state.stop)).toBe('99');
    expect(plain(started.body.state.stop)).toBe('98');
  });

  it.each([
    ['a fraction above 1', { ladder: [{ profitTarget: '0.01', fraction: '1.5' }] }, 'ladder.0.fraction'],
    ['an unknown preset', { preset: 'moonshot' }, 'preset'],
    ['a take-profit below a long\'s entry', { takeProfit: { price: '99.00' } }, 'takeProfit'],
  ])('when an exit plan has %s, then it is a 400 naming the field and no workflow starts', async (_name, body, field) => {
    const { positionId } = await openPosition('LONG', '10', '100.00');
    const answer = await trader<{ error: { details: Array<{ field: string }> } }>('POST', `/v1/positions/${positionId}/exit-plan`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0]!.field).toBe(field);
    expect((await trader('GET', `/v1/positions/${positionId}/exit-plan`)).status).toBe(404);
  });

  it('when an exit plan asks for dynamic stops, then they are measured from the stored closes and carried as distances from the entry; without enough history it is refused naming the field', async () => {
    const portfolioId = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'dynamic exit', initialCash: '1000000' })).body.portfolioId;
    await admin('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, { maxOrderValue: '1000000', maxPositionPctOfEquity: '1', maxOpenPositions: 20, maxGrossLeverage: '1', maxQuoteAgeSeconds: 3600, maxCorrelation: '1' });
    await setQuote('MSFT', '399.99', '400.00');
    const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol: 'MSFT', side: 'BUY', quantity: '10' });
    expect(await waitForOrderStatus(system.db, placed.body.orderId, ['FILLED', 'DENIED'])).toBe('FILLED');
    const positionId = (await admin<{ positions: Array<{ symbol: string; positionId: string }> }>('GET', `/v1/portfolios/${portfolioId}`)).body.positions.find((p) => p.symbol === 'MSFT')!.positionId;
    const started = await trader<{ state: { stop: string; plan: { takeProfit: string; entryPrice: string } } }>('POST', `/v1/positions/${positionId}/exit-plan`, { stopLoss: { dynamic: { method: 'STDDEV', multiplier: '2' } }, takeProfit: 'dynamic' });
    expect(started.status).toBe(201);
    expect(new Decimal(started.body.state.stop).lt(started.body.state.plan.entryPrice)).toBe(true);
    expect(new Decimal(started.body.state.plan.takeProfit).gt(started.body.state.plan.entryPrice)).toBe(true);

    const { positionId: noHistory } = await openPosition('LONG', '10', '100.00');
    const refused = await trader<{ error: { details: { field: string } } }>('POST', `/v1/positions/${noHistory}/exit-plan`, { stopLoss: { dynamic: { method: 'ATR' } } });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('stopLoss.dynamic.lookbackDays');
  });

  it('when a position already has an exit workflow, then a second plan is a 409 pointing at PATCH', async () => {
    const { positionId } = await openPosition('LONG', '10', '100.00');
    expect((await trader('POST', `/v1/positions/${positionId}/exit-plan`, ARBITRAGE_LADDER)).status).toBe(201);
    const again = await trader<{ error: { code: string } }>('POST', `/v1/positions/${positionId}/exit-plan`, ARBITRAGE_LADDER);
    expect([again.status, again.body.error.code]).toEqual([409, 'EXIT_EXISTS']);
  });

  it('when a viewer, or a principal outside the portfolio\'s scope, sets an exit plan, then it is refused (403, 404) and nothing starts', async () => {
    const { positionId } = await openPosition('LONG', '10', '100.00');
    expect((await apiClient(system.baseUrl, KEYS.viewer)('POST', `/v1/positions/${positionId}/exit-plan`, ARBITRAGE_LADDER)).status).toBe(403);
    const sam = apiClient(system.baseUrl, SAM_KEY);
    expect((await sam('POST', `/v1/positions/${positionId}/exit-plan`, ARBITRAGE_LADDER)).status).toBe(404);
    expect((await sam('GET', `/v1/positions/${positionId}`)).status).toBe(404);
    expect((await sam('POST', `/v1/positions/${positionId}/close`)).status).toBe(404);
    expect((await trader('GET', `/v1/positions/${positionId}/exit-plan`)).status).toBe(404);
  });

  it('when an exit workflow is started straight through Temporal without the gateway\'s signature, then it sells nothing and the refusal is audited', async () => {
    const { positionId, portfolioId, symbol } = await openPosition('LONG', '10', '100.00');
    const forged: StartExitCommand = {
      positionId, portfolioId, symbol, plan: {}, closeNow: true, requestedBy: 'mallory', issuedAt: new Date().toISOString(), signature: 'f'.repeat(64),
    };
    const handle = await system.client.workflow.start('exitWorkflow', { workflowId: exitWorkflowId(positionId), taskQueue: system.taskQueue, args: [forged] });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await system.db('audit_log').where({ action: 'command.refused', entity_id: positionId, principal: 'mallory' })).toHaveLength(1);
    expect((await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body.status).toBe('OPEN');
  });

  it('when an order carries an exit plan, then its position gets an exit workflow once it fills', async () => {
    const symbol = `EXT${++symbolCount}`;
    await admin('PUT', `/v1/instruments/${symbol}`, { name: symbol, assetClass: 'EQUITY', currency: 'USD', tickSize: '0.01', lotSize: '1', sector: 'Energy' });
    const portfolioId = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'order exit', initialCash: '1000000' })).body.portfolioId;
    await admin('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, { maxOrderValue: '1000000', maxPositionPctOfEquity: '1', maxOpenPositions: 20, maxGrossLeverage: '1', maxQuoteAgeSeconds: 3600 });
    await setQuote(symbol, '39.99', '40.00');
    const bad = await trader<{ error: { details: Array<{ field: string }> } }>('POST', '/v1/orders', { portfolioId, symbol, side: 'BUY', quantity: '100', exitPlan: { ladder: [{ profitTarget: '-0.01', fraction: '0.5' }] } });
    expect([bad.status, bad.body.error.details[0]!.field]).toEqual([400, 'exitPlan.ladder.0.profitTarget']);
    const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol, side: 'BUY', quantity: '100', exitPlan: { preset: 'trend-following' } });
    expect(await waitForOrderStatus(system.db, placed.body.orderId, ['FILLED'])).toBe('FILLED');
    const positionId = (await admin<{ positions: Array<{ symbol: string; positionId: string }> }>('GET', `/v1/portfolios/${portfolioId}`)).body.positions[0]!.positionId;
    const view = await until('the exit to start', async () => {
      const answer = await trader<{ state: { stop: string; plan: { preset: string } } }>('GET', `/v1/positions/${positionId}/exit-plan`);
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(view.state.plan.preset).toBe('trend-following');
    expect(plain(view.state.stop)).toBe('38.8'); // 40.00 × (1 − 3 %)
    const described = await system.client.workflow.getHandle(exitWorkflowId(positionId)).describe();
    expect(described.searchAttributes).toMatchObject({ PortfolioId: [portfolioId], Symbol: [symbol], ExitStatus: ['ACTIVE'] });
  });

  it('when a long path forces the exit to continue as new, then no tranche is lost or repeated', async () => {
    const { positionId, portfolioId, symbol } = await openPosition('LONG', '100', '100.00');
    const unsigned: Omit<StartExitCommand, 'signature'> = {
      positionId, portfolioId, symbol, plan: { preset: 'arbitrage', stopLoss: { pct: '0.05' }, takeProfit: null, trailing: null }, closeNow: false,
      requestedBy: 'demo-trader', issuedAt: new Date().toISOString(), historyEventLimit: 40,
    };
    await system.deps.exitWorkflows.start({ ...unsigned, signature: system.deps.signer.sign('start-exit', startExitSignedFields(unsigned)) });
    // Up in small steps through every level (each wakes the exit: a level, then the next), then down into the moved stop.
    const bids = Array.from({ length: 16 }, (_, i) => new Decimal('100.10').plus(new Decimal('0.10').times(i)).toFixed(2));
    for (const bid of bids) await step(positionId, symbol, bid, new Decimal(bid).plus('0.01').toFixed(2));
    const handle = system.client.workflow.getHandle(exitWorkflowId(positionId));
    const first = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    const row = await until('the exit to close', async () => ((await storedExit(positionId))?.status === 'CLOSED' ? storedExit(positionId) : undefined));
    expect(first.continuedExecutionRunId).toBeTruthy();
    const position = (await admin<PositionAnswer>('GET', `/v1/positions/${positionId}`)).body;
    expect(position.exit!.tranches.map((t) => [t.trancheId, plain(t.filledQuantity)])).toEqual([['L1', '25'], ['L2', '25'], ['L3', '25'], ['L4', '25']]);
    expect(await system.db('paper_orders').whereIn('client_order_id', system.db('orders').select('broker_client_order_id').where({ portfolio_id: portfolioId, side: 'SELL' }))).toHaveLength(4);
    expect(row!.state.status).toBe('CLOSED');
    await expect(handle.query(exitStateQuery)).resolves.toMatchObject({ positionId });
  });
});
