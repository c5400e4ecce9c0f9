import { rebalanceScheduleId, type RebalanceState } from '../../src/contracts/rebalance-contracts';
import { apiClient, KEYS, startTestSystem, type TestSystem } from '../support/test-system';

/**
 * Momentum tilt, mean-reversion tilt and risk parity over HTTP: the planning activity measures
 * trailing returns and volatilities from the stored daily closes and the plan shows them.
 */
let system: TestSystem;
const trader = () => apiClient(system.baseUrl, KEYS.trader);
const admin = () => apiClient(system.baseUrl, KEYS.admin);
const viewer = () => apiClient(system.baseUrl, KEYS.viewer);

const CLOSES = 80;
/** Weekdays ending on Friday 2026-01-30, oldest first. */
const DATES = (() => {
  const out: string[] = [];
  for (let t = Date.UTC(2026, 0, 30); out.length < CLOSES; t -= 86_400_000) if (![0, 6].includes(new Date(t).getUTCDay())) out.unshift(new Date(t).toISOString().slice(0, 10));
  return out;
})();
/** Every series ends at 100 (the quote): RISE grows 0.4 % a day, FALL loses 0.4 %, CALM swings 1 %, WILD 3 %. */
const SERIES: Record<string, (k: number) => number> = {
  RISE: (k) => 100 * 1.004 ** (k - (CLOSES - 1)),
  FALL: (k) => 100 * 0.996 ** (k - (CLOSES - 1)),
  CALM: (k) => ((CLOSES - 1 - k) % 2 === 0 ? 100 : 101),
  WILD: (k) => ((CLOSES - 1 - k) % 2 === 0 ? 100 : 103),
};
const closesOf = (symbol: string) => DATES.map((_d, k) => Number(SERIES[symbol]!(k).toFixed(4)));

beforeAll(async () => {
  system = await startTestSystem('e2e-rebalance-tilts');
  for (const symbol of Object.keys(SERIES)) {
    await admin()('PUT', `/v1/instruments/${symbol}`, { name: symbol, assetClass: 'EQUITY', currency: 'USD', tickSize: '0.01', lotSize: '1', sector: 'Tech' });
    await admin()('PUT', `/v1/quotes/${symbol}`, { bid: '99.99', ask: '100.01', last: '100' });
  }
  // An instrument with a quote and no stored closes.
  await admin()('PUT', '/v1/instruments/NOHIST', { name: 'NOHIST', assetClass: 'EQUITY', currency: 'USD', tickSize: '0.01', lotSize: '1', sector: 'Tech' });
  await admin()('PUT', '/v1/quotes/NOHIST', { bid: '99.99', ask: '100.01', last: '100' });
  const loaded = await admin()('POST', '/v1/price-history', {
    prices: Object.keys(SERIES).flatMap((symbol) => closesOf(symbol).map((close, k) => ({ symbol, date: DATES[k]!, close: close.toFixed(4) }))),
  });
  expect(loaded.status).toBe(200);
}, 60_000);
afterAll(async () => system?.stop());

/** 100 000 USD in cash. */
async function portfolio(): Promise<string> {
  const { body } = await admin()<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'rebalance-tilts', initialCash: '100000' });
  return body.portfolioId;
}

const dryRun = (portfolioId: string, targets: Record<string, string>, adjustment?: Record<string, unknown>) =>
  trader()<RebalanceState>('POST', `/v1/portfolios/${portfolioId}/rebalances`, { mode: 'dry_run', method: { type: 'target-weights', targets }, ...(adjustment && { adjustment }) });

const targetWeights = (state: RebalanceState): Record<string, number> =>
  Object.fromEntries((state.plan!['assets'] as Array<{ symbol: string; targetWeight: string }>).map((a) => [a.symbol, Number(a.targetWeight)]));

interface AdjustmentView {
  type: string; strength?: string; lookbackDays: number; returns?: Record<string, string>; volatilities?: Record<string, string>;
  closes: Record<string, { from: string; to: string }>; targetsBefore: Record<string, string>;
}
const adjustmentOf = (state: RebalanceState) => state.plan!['adjustment'] as AdjustmentView;

/** Trailing return over `days` trading days, from the closes as loaded. */
const trailing = (symbol: string, days: number) => closesOf(symbol)[CLOSES - 1]! / closesOf(symbol)[CLOSES - 1 - days]! - 1;

describe('rebalance target adjustments', () => {
  it.each([
    ['momentum-tilt', 60, 1, 'RISE'],
    ['mean-reversion-tilt', 20, 1, 'FALL'],
  ])('when a %s (default lookback %i days, strength %i) is asked, then weight moves toward %s versus plain target weights, and the plan shows the measured returns', async (type, lookbackDays, strength, favoured) => {
    const id = await portfolio();
    const plain = await dryRun(id, { RISE: '0.4', FALL: '0.4' });
    expect(plain.status).toBe(201);
    expect(targetWeights(plain.body)).toEqual({ RISE: 0.4, FALL: 0.4 });
    expect(plain.body.plan).not.toHaveProperty('adjustment');

    const tilted = await dryRun(id, { RISE: '0.4', FALL: '0.4' }, { type });
    expect(tilted.status).toBe(201);
    expect(tilted.body.status).toBe('DRY_RUN');
    const shown = adjustmentOf(tilted.body);
    expect(shown).toMatchObject({ type, strength: String(strength), lookbackDays, targetsBefore: { RISE: '0.4', FALL: '0.4' } });
    expect(shown.closes).toEqual({ RISE: { from: DATES[CLOSES - 1 - lookbackDays], to: DATES[CLOSES - 1] }, FALL: { from: DATES[CLOSES - 1 - lookbackDays], to: DATES[CLOSES - 1] } });
    const r = { RISE: Number(shown.returns!['RISE']), FALL: Number(shown.returns!['FALL']) };
    expect(r.RISE).toBeCloseTo(trailing('RISE', lookbackDays), 9);
    expect(r.FALL).toBeCloseTo(trailing('FALL', lookbackDays), 9);
    expect(r.RISE).toBeGreaterThan(0);
    expect(r.FALL).toBeLessThan(0);

    // Each weight × (1 ± strength × return), rescaled to the same 80 % invested.
    const sign = type === 'momentum-tilt' ? 1 : -1;
    const raw = { RISE: 0.4 * (1 + sign * r.RISE), FALL: 0.4 * (1 + sign * r.FALL) };
    const weights = targetWeights(tilted.body);
    expect(weights['RISE']).toBeCloseTo((0.8 * raw.RISE) / (raw.RISE + raw.FALL), 10);
    expect(weights['FALL']).toBeCloseTo((0.8 * raw.FALL) / (raw.RISE + raw.FALL), 10);
    expect(weights[favoured]).toBeGreaterThan(0.4);
    expect(weights[favoured === 'RISE' ? 'FALL' : 'RISE']).toBeLessThan(0.4);
    const bought = (s: RebalanceState, symbol: string) => Number(s.plan!.legs.find((l) => l['symbol'] === symbol)!['quantity']);
    expect(bought(tilted.body, favoured)).toBeGreaterThan(bought(plain.body, favoured));
    expect(tilted.body.planVersion).not.toBe(plain.body.planVersion);

    // An approver reading the rebalance sees the same adjustment.
    const read = await viewer()<RebalanceState>('GET', `/v1/rebalances/${tilted.body.rebalanceId}`);
    expect(read.body.plan!['adjustment']).toEqual(shown);
    expect(read.body.planVersion).toBe(tilted.body.planVersion);
  });

  it('when risk parity is asked, then the targets are inverse-volatility weights of the same invested total, with the measured volatilities shown', async () => {
    const id = await portfolio();
    const { status, body } = await dryRun(id, { CALM: '0.45', WILD: '0.45' }, { type: 'risk-parity', lookbackDays: 30 });
    expect(status).toBe(201);
    const shown = adjustmentOf(body);
    expect(shown).toMatchObject({ type: 'risk-parity', lookbackDays: 30, targetsBefore: { CALM: '0.45', WILD: '0.45' } });
    expect(shown).not.toHaveProperty('strength');
    // Sample stdev of the last 30 daily returns, annualised.
    const vol = (symbol: string) => {
      const c = closesOf(symbol).slice(-31);
      const rets = c.slice(1).map((p, i) => p / c[i]! - 1);
      const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
      return Math.sqrt(rets.reduce((a, b) => a + (b - mean) ** 2, 0) / (rets.length - 1)) * Math.sqrt(252);
    };
    const v = { CALM: Number(shown.volatilities!['CALM']), WILD: Number(shown.volatilities!['WILD']) };
    expect(v.CALM).toBeCloseTo(vol('CALM'), 9);
    expect(v.WILD).toBeCloseTo(vol('WILD'), 9);
    const weights = targetWeights(body);
    expect(weights['CALM']! + weights['WILD']!).toBeCloseTo(0.9, 10);
    expect(weights['CALM']).toBeCloseTo((0.9 * (1 / v.CALM)) / (1 / v.CALM + 1 / v.WILD), 10);
    // A 1 % swing against a 3 % one: about three times the weight.
    expect(weights['CALM']! / weights['WILD']!).toBeCloseTo(v.WILD / v.CALM, 8);
    expect(weights['CALM']! / weights['WILD']!).toBeGreaterThan(2.8);
  });

  it.each<[string, Record<string, string>, Record<string, unknown>, string, RegExp]>([
    ['a lookback longer than the stored closes', { RISE: '0.4', FALL: '0.4' }, { type: 'momentum-tilt', lookbackDays: 200 }, 'adjustment.lookbackDays', /FALL has 80 stored daily closes: a lookback of 200 days needs 201/],
    ['a target symbol without stored closes', { CALM: '0.3', NOHIST: '0.3' }, { type: 'risk-parity' }, 'adjustment.lookbackDays', /NOHIST has 0 stored daily closes: a lookback of 60 days needs 61/],
    ['a negative strength', { RISE: '0.4' }, { type: 'mean-reversion-tilt', strength: -1 }, 'adjustment.strength', /at least 0/],
    ['a lookback below the minimum', { RISE: '0.4' }, { type: 'risk-parity', lookbackDays: 1 }, 'adjustment.lookbackDays', /at least 5/],
    ['an unknown type', { RISE: '0.4' }, { type: 'black-swan' }, 'adjustment', /momentum-tilt/],
  ])('when the adjustment has %s, then 400 names the field and the rule, and no rebalance starts', async (_name, targets, adjustment, field, rule) => {
    const id = await portfolio();
    const res = await dryRun(id, targets, adjustment);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
    expect(JSON.stringify(res.body)).toMatch(rule);
    expect(await system.db('rebalances').where({ portfolio_id: id })).toHaveLength(0);
  });

  it('when a rebalance schedule carries an adjustment, then its runs plan with it', async () => {
    const id = await portfolio();
    const put = await trader()('PUT', `/v1/portfolios/${id}/rebalance-schedule`, {
      calendar: { hour: [3] }, timeZone: 'UTC', method: { type: 'target-weights', targets: { RISE: '0.4', FALL: '0.4' } }, adjustment: { type: 'momentum-tilt', lookbackDays: 10, strength: 2 },
    });
    expect(put.status).toBe(200);
    expect((put.body as { definition: Record<string, unknown> }).definition['adjustment']).toEqual({ type: 'momentum-tilt', lookbackDays: 10, strength: 2 });
    await system.client.schedule.getHandle(rebalanceScheduleId(id)).trigger();
    let proposed: RebalanceState | undefined;
    for (let i = 0; i < 200 && proposed === undefined; i++) {
      const { body } = await viewer()<{ rebalances: RebalanceState[] }>('GET', `/v1/rebalances?portfolioId=${id}`);
      proposed = body.rebalances.find((r) => r.status === 'PENDING_APPROVAL');
      if (proposed === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(adjustmentOf(proposed!)).toMatchObject({ type: 'momentum-tilt', strength: '2', lookbackDays: 10 });
    expect(targetWeights(proposed!)['RISE']).toBeGreaterThan(0.4);
    await trader()('DELETE', `/v1/portfolios/${id}/rebalance-schedule`);
  });

  it('when the closes are gone by the time a scheduled run plans, then that rebalance is FAILED with the reason naming adjustment.lookbackDays', async () => {
    const id = await portfolio();
    await admin()('PUT', '/v1/instruments/GONE', { name: 'GONE', assetClass: 'EQUITY', currency: 'USD', tickSize: '0.01', lotSize: '1', sector: 'Tech' });
    await admin()('PUT', '/v1/quotes/GONE', { bid: '99.99', ask: '100.01', last: '100' });
    await admin()('POST', '/v1/price-history', { prices: closesOf('WILD').map((close, k) => ({ symbol: 'GONE', date: DATES[k]!, close: close.toFixed(4) })) });
    const put = await trader()('PUT', `/v1/portfolios/${id}/rebalance-schedule`, {
      calendar: { hour: [3] }, timeZone: 'UTC', method: { type: 'target-weights', targets: { GONE: '0.4', CALM: '0.4' } }, adjustment: { type: 'risk-parity', lookbackDays: 30 },
    });
    expect(put.status).toBe(200);
    await system.db('price_history').where({ symbol: 'GONE' }).delete();
    await system.client.schedule.getHandle(rebalanceScheduleId(id)).trigger();
    let failed: RebalanceState | undefined;
    for (let i = 0; i < 200 && failed === undefined; i++) {
      const { body } = await viewer()<{ rebalances: RebalanceState[] }>('GET', `/v1/rebalances?portfolioId=${id}`);
      failed = body.rebalances.find((r) => r.status === 'FAILED');
      if (failed === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed?.reason).toMatch(/^adjustment\.lookbackDays: GONE has 0 stored daily closes: a lookback of 30 days needs 31/);
    await trader()('DELETE', `/v1/portfolios/${id}/rebalance-schedule`);
  });

  it('when a schedule\'s adjustment needs more closes than are stored, then the PUT is 400 naming adjustment.lookbackDays', async () => {
    const id = await portfolio();
    const put = await trader()('PUT', `/v1/portfolios/${id}/rebalance-schedule`, {
      calendar: { hour: [3] }, timeZone: 'UTC', method: { type: 'target-weights', targets: { RISE: '0.4' } }, adjustment: { type: 'risk-parity', lookbackDays: 100 },
    });
    expect(put.status).toBe(400);
    expect(JSON.stringify(put.body)).toContain('adjustment.lookbackDays');
  });
});
