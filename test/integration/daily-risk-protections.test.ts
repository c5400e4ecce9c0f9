import { createStopOutsRepository } from '../../src/adapters/db/stop-outs.repository';
import { migratedTestDatabase, type TestDatabase } from '../support/test-system';
import { newPortfolio } from './repository-fixtures';

let database: TestDatabase;
beforeAll(async () => {
  database = await migratedTestDatabase('daily_risk_protections');
});
afterAll(async () => database?.close());

const stateOf = async (id: string) => database.db('portfolios').where({ id }).first<{ trading_state: string; trading_state_changed_by: string }>('trading_state', 'trading_state_changed_by');
const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 15, minute));

describe('stop-out cooldown on PostgreSQL', () => {
  it('when three stop-outs fall within the lookback, then the portfolio is REDUCING until the cooldown ends, and its release restores ACTIVE', async () => {
    const stopOuts = createStopOutsRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    await database.db('daily_risk_settings').insert({ portfolio_id: id, stop_out_limit: 3, stop_out_lookback_minutes: 60, cooldown_minutes: 30, updated_by: 'test' });
    expect(await stopOuts.recordStopOut(id, 'AAPL', at(0), 'o-1')).toEqual({ cooldownUntil: null, deliveryIds: [] });
    expect(await stopOuts.recordStopOut(id, 'MSFT', at(10), 'o-2')).toEqual({ cooldownUntil: null, deliveryIds: [] });
    // The same stop order recorded again (a retry) counts once.
    expect(await stopOuts.recordStopOut(id, 'MSFT', at(10), 'o-2')).toEqual({ cooldownUntil: null, deliveryIds: [] });
    const third = await stopOuts.recordStopOut(id, 'JPM', at(20), 'o-3');
    expect(third.cooldownUntil).toEqual(at(50));
    expect(await stateOf(id)).toEqual({ trading_state: 'REDUCING', trading_state_changed_by: 'protection:cooldown' });
    // A release for an earlier cooldown than the one stored does nothing; the right one restores ACTIVE.
    expect(await stopOuts.releaseCooldown(id, at(40))).toEqual({ released: false, deliveryIds: [] });
    expect(await stopOuts.releaseCooldown(id, at(50))).toEqual({ released: true, deliveryIds: [] });
    expect((await stateOf(id)).trading_state).toBe('ACTIVE');
  });

  it('when an admin or the daily run set the state meanwhile, then the cooldown\'s release leaves it as it is', async () => {
    const stopOuts = createStopOutsRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    await database.db('daily_risk_settings').insert({ portfolio_id: id, stop_out_limit: 1, stop_out_lookback_minutes: 60, cooldown_minutes: 5, updated_by: 'test' });
    const { cooldownUntil } = await stopOuts.recordStopOut(id, 'AAPL', at(0));
    await database.db('portfolios').where({ id }).update({ trading_state: 'HALTED', trading_state_changed_by: 'demo-admin' });
    expect(await stopOuts.releaseCooldown(id, cooldownUntil!)).toEqual({ released: false, deliveryIds: [] });
    expect((await stateOf(id)).trading_state).toBe('HALTED');
  });

  it('when the protection is off, then stop-outs are recorded and nothing else happens', async () => {
    const stopOuts = createStopOutsRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    for (let i = 0; i < 5; i++) expect(await stopOuts.recordStopOut(id, 'AAPL', at(i))).toEqual({ cooldownUntil: null, deliveryIds: [] });
    expect((await stateOf(id)).trading_state).toBe('ACTIVE');
    expect(await database.db('stop_outs').where({ portfolio_id: id }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '5' }]);
  });

  it('when webhooks are configured, then a cooldown\'s start and its release are each announced as trading-state.changed, queued with the change, once', async () => {
    const urls = ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'];
    const stopOuts = createStopOutsRepository(database.db, { webhookUrls: urls });
    const id = await newPortfolio(database.db, '100000');
    await database.db('daily_risk_settings').insert({ portfolio_id: id, stop_out_limit: 1, stop_out_lookback_minutes: 60, cooldown_minutes: 5, updated_by: 'test' });
    const events = async () => (await database.db('webhook_deliveries').where('event_id', 'like', `state:portfolio:${id}:%`).orderBy('id').select<Array<{ id: string; event_id: string; url: string; body: string }>>('id', 'event_id', 'url', 'body'))
      .map((d) => ({ id: String(d.id), eventId: d.event_id, url: d.url, body: JSON.parse(d.body) as { id: string; type: string; data: Record<string, unknown> } }));

    const started = await stopOuts.recordStopOut(id, 'AAPL', at(0), `o-${id}`);
    const afterStart = await events();
    // A retried step finds the portfolio REDUCING already: nothing more is queued.
    const repeated = await stopOuts.recordStopOut(id, 'AAPL', at(0), `o-${id}`);
    const released = await stopOuts.releaseCooldown(id, started.cooldownUntil!);
    const all = await events();

    expect(started.deliveryIds).toEqual(afterStart.map((d) => d.id));
    expect(afterStart.map((d) => d.url)).toEqual(urls);
    expect(afterStart[0]!.body).toMatchObject({ id: afterStart[0]!.eventId, type: 'trading-state.changed', data: { portfolioId: id, before: 'ACTIVE', after: 'REDUCING', changedBy: 'protection:cooldown', until: at(5).toISOString() } });
    expect(repeated.deliveryIds).toEqual([]);
    expect(released.deliveryIds).toEqual(all.slice(2).map((d) => d.id));
    expect(all.slice(2).map((d) => d.body)).toEqual(urls.map(() => expect.objectContaining({ type: 'trading-state.changed', data: expect.objectContaining({ portfolioId: id, before: 'REDUCING', after: 'ACTIVE', changedBy: 'protection:cooldown' }) })));
    expect(new Set(all.map((d) => d.eventId)).size).toBe(2);
  });
});
