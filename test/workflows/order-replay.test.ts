import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { orderWorkflowId } from '../../src/contracts/workflow-ids';
import { WORKFLOWS_PATH } from '../../workers/compose-worker';
import { apiClient, installQuietRuntime, KEYS, sharedWorkflowBundle, startTestSystem, waitForOrderStatus } from '../support/test-system';

const HISTORIES = path.resolve(__dirname, '../fixtures/histories');
/** RISKFLOW_RECORD_HISTORIES=<label> records every scenario as order-<scenario>.<label>.json, beside the older recordings. */
const RECORD_LABEL = process.env.RISKFLOW_RECORD_HISTORIES;
const RECORD = RECORD_LABEL !== undefined && /^[a-z0-9-]+$/.test(RECORD_LABEL);

beforeAll(() => installQuietRuntime());

/**
 * Recorded histories of the order workflow replayed against today's code: a change that would
 * break a running workflow's replay fails here. Record anew (RISKFLOW_RECORD_HISTORIES=<label>)
 * only together with a patched, compatible workflow change, and keep the older recordings: they
 * stand for orders still running on the code before the patch.
 */
describe('order workflow replay', () => {
  (RECORD ? it : it.skip)('when recording, then each scenario writes its history', async () => {
    const system = await startTestSystem('record');
    try {
      const admin = apiClient(system.baseUrl, KEYS.admin);
      const trader = apiClient(system.baseUrl, KEYS.trader);
      const { body: p } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'replay', initialCash: '100000' });
      await admin('PUT', '/v1/quotes/AAPL', { bid: '100.00', ask: '100.02', last: '100.01' });
      const scenarios: Record<string, () => Promise<string>> = {
        'market-buy-filled': async () => (await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: p.portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '5' })).body.orderId,
        'denied': async () => (await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: p.portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '100000' })).body.orderId,
        'validate-only': async () => (await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: p.portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '1', execute: false })).body.orderId,
        'limit-rests-then-fills': async () => {
          const { body } = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: p.portfolioId, symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: '2', limitPrice: '99.00' });
          await waitForOrderStatus(system.db, body.orderId, ['WORKING']);
          await admin('PUT', '/v1/quotes/AAPL', { bid: '98.90', ask: '98.95', last: '98.92' });
          return body.orderId;
        },
        'limit-cancelled': async () => {
          const { body } = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: p.portfolioId, symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '90.00' });
          await waitForOrderStatus(system.db, body.orderId, ['WORKING']);
          await trader('POST', `/v1/orders/${body.orderId}/cancel`);
          return body.orderId;
        },
      };
      await mkdir(HISTORIES, { recursive: true });
      for (const [name, scenario] of Object.entries(scenarios)) {
        const orderId = await scenario();
        const handle = system.client.workflow.getHandle(orderWorkflowId(orderId));
        await handle.result();
        const history = await handle.fetchHistory();
        await writeFile(path.join(HISTORIES, `order-${name}.${RECORD_LABEL}.json`), historyToJSON(history));
      }
    } finally {
      await system.stop();
    }
  });

  it('when the recorded order histories are replayed, then every one replays without nondeterminism', async () => {
    const files = (await readdir(HISTORIES)).filter((f) => f.startsWith('order-') && f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(15);
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
