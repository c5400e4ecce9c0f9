import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { orderWorkflowId } from '../../src/contracts/workflow-ids';
import { nextClose, nextOpen } from '../../src/domain/market/trading-calendar';
import * as workflows from '../../workflows';
import { WORKFLOWS_PATH } from '../../workers/compose-worker';
import { HISTORIES, recordHistory, RECORDING_LABEL } from '../support/recorded-histories';
import { apiClient, installQuietRuntime, KEYS, sharedWorkflowBundle, startTestSystem, waitForOrderStatus } from '../support/test-system';

/** RISKFLOW_RECORD_HISTORIES=<label> records every scenario (recorded-histories.ts); RISKFLOW_RECORD_SCENARIOS=<name,…> only those. */
const RECORD_ONLY = process.env.RISKFLOW_RECORD_SCENARIOS?.split(',');

beforeAll(() => installQuietRuntime());

type RecordedHistory = { events: Array<{ workflowExecutionStartedEventAttributes: { workflowType: { name: string } } }> };

/**
 * Recorded histories of every workflow type replayed against today's code: a change that would
 * break a running workflow's replay fails here. Record anew (RISKFLOW_RECORD_HISTORIES=<label>)
 * only together with a patched, compatible workflow change, and keep the older recordings: they
 * stand for orders still running on the code before the patch.
 */
describe('workflow replay', () => {
  (RECORDING_LABEL !== undefined ? it : it.skip)('when recording, then each scenario writes its history', async () => {
    const system = await startTestSystem('record');
    try {
      const admin = apiClient(system.baseUrl, KEYS.admin);
      const trader = apiClient(system.baseUrl, KEYS.trader);
      const { body: p } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay', initialCash: '100000' });
      await admin('PUT', '/v1/quotes/AAPL', { bid: '100.00', ask: '100.02', last: '100.01' });
      const order = async (body: Record<string, unknown>) => orderWorkflowId((await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: p.portfolioId, symbol: 'AAPL', ...body })).body.orderId);
      const resting = async (limitPrice: string) => {
        const workflowId = await order({ side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice });
        await waitForOrderStatus(system.db, workflowId.replace(/^order-/, ''), ['WORKING']);
        return workflowId;
      };
      const { body: e } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay-exit', initialCash: '100000' });
      const exitPortfolio = e.portfolioId;
      const tradeWithExitPlan = async (symbol: string, exitPlan: Record<string, unknown>) => {
        const { body: placed } = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: exitPortfolio, symbol, side: 'BUY', quantity: '10', exitPlan });
        await waitForOrderStatus(system.db, placed.orderId, ['FILLED']);
        return orderWorkflowId(placed.orderId);
      };
      const until = async <T>(probe: () => Promise<T | undefined | false>): Promise<T> => {
        for (let i = 0; i < 400; i++) {
          const value = await probe();
          if (value) return value;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('the recording scenario did not settle');
      };
      /** Each scenario answers the id of the workflow whose history it records. */
      const scenarios: Record<string, () => Promise<string>> = {
        'order-market-buy-filled': () => order({ side: 'BUY', quantity: '5' }),
        'order-denied': () => order({ side: 'BUY', quantity: '100000' }),
        'order-validate-only': () => order({ side: 'BUY', quantity: '1', execute: false }),
        'order-limit-rests-then-fills': async () => {
          const workflowId = await resting('99.00');
          await admin('PUT', '/v1/quotes/AAPL', { bid: '98.90', ask: '98.95', last: '98.92' });
          return workflowId;
        },
        'order-limit-cancelled': async () => {
          const workflowId = await resting('90.00');
          await trader('POST', `/v1/orders/${workflowId.replace(/^order-/, '')}/cancel`);
          return workflowId;
        },
        'analytics-performance': async () => {
          const res = await admin<{ workflowId: string; runId: string }>('POST', '/v1/analytics/performance', { returns: [0.01, -0.02, 0.015, 0.003] });
          return res.body.workflowId ?? (res.body as unknown as { error: { details: { workflowId: string } } }).error.details.workflowId;
        },
        'analytics-portfolio-risk': async () => {
          await system.db('positions').insert({ portfolio_id: p.portfolioId, symbol: 'MSFT', quantity: '10', average_cost: '300', realized_pnl: '0' });
          const res = await admin<{ workflowId: string }>('POST', '/v1/analytics/risk', { portfolioId: p.portfolioId, lookbackDays: 60 });
          return res.body.workflowId;
        },
        'rebalance-approved': async () => {
          const { body: r } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay-rebalance', initialCash: '70000' });
          await system.db('positions').insert({ portfolio_id: r.portfolioId, symbol: 'AAPL', quantity: '300', average_cost: '100', realized_pnl: '0' });
          const { body: started } = await trader<{ rebalanceId: string; planVersion: string }>('POST', `/v1/portfolios/${r.portfolioId}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.1', MSFT: '0.2' } } });
          await apiClient(system.baseUrl, KEYS.approver)('POST', `/v1/rebalances/${started.rebalanceId}/approve`, { planVersion: started.planVersion });
          return `rebalance-${started.rebalanceId}`;
        },
        'order-with-exit-plan': async () => {
          await admin('PUT', '/v1/quotes/XOM', { bid: '110.00', ask: '110.02', last: '110.01' });
          const workflowId = await tradeWithExitPlan('XOM', { preset: 'trend-following' });
          return workflowId;
        },
        'exit-ladder-then-stop': async () => {
          await admin('PUT', '/v1/quotes/JPM', { bid: '199.99', ask: '200.00', last: '199.99' });
          await tradeWithExitPlan('JPM', { ladder: [{ profitTarget: '0.01', fraction: '0.5', moveStopTo: '0' }], stopLoss: { pct: '0.02' } });
          const positionId = await until(async () => (await system.db('positions').where({ portfolio_id: exitPortfolio, symbol: 'JPM' }).first())?.position_id as string | undefined);
          await until(async () => (await system.db('position_exits').where({ position_id: positionId }).first()) !== undefined);
          await admin('PUT', '/v1/quotes/JPM', { bid: '202.00', ask: '202.01', last: '202.00' });
          await until(async () => (await system.db('exit_tranches').where({ position_id: positionId, tranche_id: 'L1', status: 'FILLED' }).first()) !== undefined);
          await admin('PUT', '/v1/quotes/JPM', { bid: '199.00', ask: '199.01', last: '199.00' });
          return `exit-${positionId}`;
        },
        'daily-risk-run': async () => {
          await admin('PATCH', `/v1/portfolios/${p.portfolioId}/risk-limits`, { maxDailyLoss: '1' });
          const res = await admin<{ workflowId: string }>('POST', '/v1/risk/daily-checks/run', { from: '2026-03-05', to: '2026-03-06', portfolioIds: [p.portfolioId] });
          return res.body.workflowId;
        },
        'daily-risk-day': async () => {
          const res = await admin<{ workflowId: string }>('POST', '/v1/risk/daily-checks/run', { date: '2026-03-09', portfolioIds: [p.portfolioId] });
          return `${res.body.workflowId}-2026-03-09`;
        },
        'daily-risk-day-de-risking': async () => {
          // SPY (which no other scenario trades) closes at 100, then falls 10 % on the day: the loss
          // halts a portfolio that asks for de-risking proposals, and the day starts a rebalance.
          const day = '2025-06-16';
          const closes: Array<{ symbol: string; date: string; close: string }> = [];
          for (let t = Date.parse(`${day}T00:00:00Z`) - 100 * 86_400_000; t < Date.parse(`${day}T00:00:00Z`); t += 86_400_000) {
            if (![0, 6].includes(new Date(t).getUTCDay())) closes.push({ symbol: 'SPY', date: new Date(t).toISOString().slice(0, 10), close: '100' });
          }
          closes.push({ symbol: 'SPY', date: day, close: '90' });
          await system.db('price_history').insert(closes).onConflict(['symbol', 'date']).merge();
          await admin('PUT', '/v1/quotes/SPY', { bid: '89.99', ask: '90.01', last: '90' });
          const { body: d } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay-de-risking', initialCash: '100000' });
          await system.db('positions').insert({ portfolio_id: d.portfolioId, symbol: 'SPY', quantity: '100', average_cost: '100', realized_pnl: '0' });
          await admin('PATCH', `/v1/portfolios/${d.portfolioId}/risk-limits`, { maxDailyLoss: '500' });
          await admin('PUT', `/v1/portfolios/${d.portfolioId}/daily-risk-settings`, { deRiskingScale: '0.5' });
          const res = await admin<{ workflowId: string; dates: Array<{ proposed?: unknown[] }> }>('POST', '/v1/risk/daily-checks/run', { date: day, portfolioIds: [d.portfolioId] });
          if (res.body.dates[0]?.proposed === undefined) throw new Error(`the day proposed no de-risking: ${JSON.stringify(res.body)}`);
          return `${res.body.workflowId}-${day}`;
        },
        'webhook-delivery-unknown': async () => (await system.client.workflow.start('webhookDeliveryWorkflow', {
          workflowId: 'webhooks-replay', taskQueue: system.taskQueue, args: [{ deliveryIds: ['0'] }],
        })).workflowId,
        'stop-out-without-protection': async () => (await system.client.workflow.start('stopOutWorkflow', {
          workflowId: 'stop-out-replay', taskQueue: system.taskQueue, args: [{ portfolioId: p.portfolioId, symbol: 'AAPL', at: '2026-03-09T15:00:00Z', orderId: 'replay-stop' }],
        })).workflowId,
        'rebalance-two-approvers': async () => {
          const { body: r } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay-rebalance-two', initialCash: '70000' });
          await system.db('positions').insert({ portfolio_id: r.portfolioId, symbol: 'AAPL', quantity: '300', average_cost: '100', realized_pnl: '0' });
          await admin('PUT', `/v1/portfolios/${r.portfolioId}/rebalance-policy`, { twoApproversAbove: '1000' });
          const { body: started } = await trader<{ rebalanceId: string; planVersion: string }>('POST', `/v1/portfolios/${r.portfolioId}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.2' } } });
          await apiClient(system.baseUrl, KEYS.approver)('POST', `/v1/rebalances/${started.rebalanceId}/approve`, { planVersion: started.planVersion });
          await admin('POST', `/v1/rebalances/${started.rebalanceId}/approve`, { planVersion: started.planVersion });
          return `rebalance-${started.rebalanceId}`;
        },
        'rebalance-automatic': async () => {
          const { body: r } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay-rebalance-automatic', initialCash: '70000' });
          await system.db('positions').insert({ portfolio_id: r.portfolioId, symbol: 'AAPL', quantity: '300', average_cost: '100', realized_pnl: '0' });
          await admin('PUT', `/v1/portfolios/${r.portfolioId}/rebalance-policy`, { automaticAllowed: true, automaticMaxTradedValue: '50000' });
          const { body: started } = await trader<{ rebalanceId: string }>('POST', `/v1/portfolios/${r.portfolioId}/rebalances`, { mode: 'automatic', method: { type: 'target-weights', targets: { AAPL: '0.2' } } });
          return `rebalance-${started.rebalanceId}`;
        },
        'scheduled-rebalance-dca': async () => {
          const { body: r } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay-rebalance-schedule', initialCash: '70000' });
          await system.db('positions').insert({ portfolio_id: r.portfolioId, symbol: 'AAPL', quantity: '300', average_cost: '100', realized_pnl: '0' });
          await admin('PUT', `/v1/portfolios/${r.portfolioId}/rebalance-policy`, { automaticAllowed: true, automaticMaxTradedValue: '50000' });
          await trader('PUT', `/v1/portfolios/${r.portfolioId}/rebalance-schedule`, {
            calendar: { hour: [3] }, timeZone: 'UTC', mode: 'automatic', dca: { tranches: 2, intervalSeconds: 1 }, method: { type: 'target-weights', targets: { AAPL: '0.2' } },
          });
          const schedule = system.client.schedule.getHandle(`rebalance-schedule-${r.portfolioId}`);
          await schedule.trigger();
          for (let i = 0; i < 100; i++) {
            const started = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
            if (started) {
              await schedule.delete();
              return started;
            }
            await new Promise((done) => setTimeout(done, 100));
          }
          throw new Error('the schedule started nothing');
        },
        'kill-switch-portfolio': async () => {
          const { body: k } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay-kill', initialCash: '100000' });
          const { body: placed } = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: k.portfolioId, symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '90.00' });
          await waitForOrderStatus(system.db, placed.orderId, ['WORKING']);
          const { body: killed } = await admin<{ killId: string }>('POST', '/v1/kill-switch', { portfolioId: k.portfolioId, reason: 'recording' });
          return `kill-switch-${killed.killId}`;
        },
        'rebalance-market-open': async () => {
          // Its own system, its clock 8 s before a real NYSE open: the approved plan waits on a durable timer, then trades.
          // An open that follows a close: the market is closed before it whatever the hour of the recording.
          const opensAt = nextOpen('EQUITY', new Date(nextClose('EQUITY', new Date(Date.now() + 24 * 3600_000))!.getTime() + 60_000));
          const offsetMs = opensAt.getTime() - 8000 - Date.now();
          const hours = await startTestSystem('record-market-hours', { clock: { now: () => new Date(Date.now() + offsetMs) } });
          try {
            const hoursAdmin = apiClient(hours.baseUrl, KEYS.admin);
            await hoursAdmin('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
            await hoursAdmin('PUT', '/v1/quotes/MSFT', { bid: '199.98', ask: '200.02', last: '200' });
            const { body: r } = await hoursAdmin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay-rebalance-market-open', initialCash: '70000' });
            await hours.db('positions').insert({ portfolio_id: r.portfolioId, symbol: 'AAPL', quantity: '300', average_cost: '100', realized_pnl: '0' });
            await hoursAdmin('PUT', `/v1/portfolios/${r.portfolioId}/rebalance-policy`, { respectMarketHours: true });
            const { body: started } = await apiClient(hours.baseUrl, KEYS.trader)<{ rebalanceId: string; planVersion: string }>('POST', `/v1/portfolios/${r.portfolioId}/rebalances`, {
              method: { type: 'target-weights', targets: { AAPL: '0.1', MSFT: '0.2' } },
            });
            await apiClient(hours.baseUrl, KEYS.approver)('POST', `/v1/rebalances/${started.rebalanceId}/approve`, { planVersion: started.planVersion });
            await hours.client.workflow.getHandle(`rebalance-${started.rebalanceId}`).result(); // its worker must see it through
            return `rebalance-${started.rebalanceId}`;
          } finally {
            await hours.stop();
          }
        },
        'reconcile-orders-stranded': async () => {
          await system.client.workflow.getHandle(await resting('80.00')).terminate('stranded for the recording');
          return (await admin<{ workflowId: string }>('POST', '/v1/admin/reconciliations', { graceSeconds: 0 })).body.workflowId;
        },
      };
      for (const [name, scenario] of Object.entries(scenarios)) {
        if (RECORD_ONLY && !RECORD_ONLY.includes(name)) continue;
        const handle = system.client.workflow.getHandle(await scenario());
        await handle.result().catch(() => undefined); // a failed run is a history too
        await recordHistory(handle, name);
      }
    } finally {
      await system.stop();
    }
  });

  it('when the recorded histories are replayed, then every one replays without nondeterminism, and every workflow type has one', async () => {
    const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(16);
    const recordedTypes = new Set(await Promise.all(files.map(async (f) => (JSON.parse(await readFile(path.join(HISTORIES, f), 'utf8')) as RecordedHistory).events[0]!.workflowExecutionStartedEventAttributes.workflowType.name)));
    expect([...recordedTypes].sort()).toEqual(Object.keys(workflows).sort());
    const bundle = await sharedWorkflowBundle();
    const histories = await Promise.all(files.map(async (file) => ({
      workflowId: file, history: historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8'))),
    })));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(bundle ? { workflowBundle: bundle } : { workflowsPath: WORKFLOWS_PATH }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
