import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createHmacCommandSignature } from '../../src/adapters/security/hmac-command-signature';
import { cancelOrderSignedFields, placeOrderSignedFields } from '../../src/contracts/command-signatures';
import { cancelOrderUpdate, type PlaceOrderCommand } from '../../src/contracts/order-contracts';
import { orderWorkflowId } from '../../src/contracts/workflow-ids';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let portfolioId: string;

beforeAll(async () => {
  system = await startTestSystem('signed');
  admin = apiClient(system.baseUrl, KEYS.admin);
  portfolioId = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'signed', initialCash: '100000' })).body.portfolioId;
  await admin('PUT', '/v1/quotes/JPM', { bid: '200.00', ask: '200.10', last: '200.05' });
});
afterAll(async () => system?.stop());

/** A command as the gateway would send it: signed with the system's key, unless changed afterwards. */
function signedCommand(over: Partial<PlaceOrderCommand> = {}): PlaceOrderCommand {
  const unsigned: Omit<PlaceOrderCommand, 'signature'> = {
    orderId: randomUUID(), portfolioId, clientRequestId: null, symbol: 'JPM', side: 'BUY', type: 'MARKET', quantity: '1', limitPrice: null,
    execute: true, requestedBy: 'mallory', issuedAt: new Date().toISOString(), ...over,
  };
  return { ...unsigned, signature: createHmacCommandSignature(system.signingKey).sign('place-order', placeOrderSignedFields(unsigned)) };
}

/** Starts the order workflow straight on Temporal, as anyone who can reach the server could. */
async function startDirectly(command: unknown, workflowId: string, reuse: 'ALLOW_DUPLICATE' | 'REJECT_DUPLICATE' = 'REJECT_DUPLICATE'): Promise<string[]> {
  const handle = await system.client.workflow.start('orderWorkflow', { workflowId, taskQueue: system.taskQueue, args: [command], workflowIdReusePolicy: reuse });
  const failure = await handle.result().then(() => null, (err: unknown) => err);
  if (!(failure instanceof WorkflowFailedError)) return [];
  const types: string[] = [];
  for (let e: unknown = failure; e instanceof Error; e = e.cause) if (e instanceof ApplicationFailure && e.type) types.push(e.type);
  return types;
}

const refusals = async (orderId: string) => (await system.db('audit_log').where({ entity_type: 'order', entity_id: orderId, action: 'command.refused' }).select('principal', 'details'))
  .map((r: { principal: string; details: { kind: string; reason: string } }) => ({ principal: r.principal, kind: r.details.kind, reason: r.details.reason }));

describe('commands that cannot be forged', () => {
  it('when an unsigned command is started straight on Temporal, then it is refused at once, audited, and nothing is booked', async () => {
    const { signature: _dropped, ...unsigned } = signedCommand();
    expect(await startDirectly(unsigned, orderWorkflowId(unsigned.orderId))).toContain('CommandRejected');
    expect(await system.db('orders').where({ id: unsigned.orderId })).toHaveLength(0);
    expect(await refusals(unsigned.orderId)).toEqual([{ principal: 'mallory', kind: 'place-order', reason: expect.stringMatching(/signature/) }]);
  });

  const tampered: Array<[string, Partial<PlaceOrderCommand>]> = [
    ['a larger quantity', { quantity: '500' }],
    ['another requester', { requestedBy: 'demo-admin' }],
    ['another portfolio', { portfolioId: randomUUID() }],
  ];
  it.each(tampered)('when a signed command is tampered with (%s) and started straight on Temporal, then it is refused and nothing is booked', async (_name, change) => {
    const command = { ...signedCommand(), ...change };
    expect(await startDirectly(command, orderWorkflowId(command.orderId))).toContain('CommandRejected');
    expect(await system.db('orders').where({ id: command.orderId })).toHaveLength(0);
    expect(await system.db('paper_orders').where('client_order_id', 'like', `order-${command.orderId}%`)).toHaveLength(0);
    expect((await refusals(command.orderId)).map((r) => r.kind)).toEqual(['place-order']);
  });

  it('when a validly signed command is started under another order\'s workflow id, then it is refused', async () => {
    const command = signedCommand();
    const elsewhere = orderWorkflowId(randomUUID());
    expect(await startDirectly(command, elsewhere)).toContain('CommandRejected');
    expect(await system.db('orders').where({ id: command.orderId })).toHaveLength(0);
  });

  it('when a signed command that already ran is started again in a new run, then the replay is refused and audited, and nothing is booked twice', async () => {
    const command = signedCommand();
    const workflowId = orderWorkflowId(command.orderId);
    expect(await startDirectly(command, workflowId)).toEqual([]);
    await waitForOrderStatus(system.db, command.orderId, ['FILLED']);
    expect(await startDirectly(command, workflowId, 'ALLOW_DUPLICATE')).toContain('CommandRejected');
    expect(await system.db('fills').where({ order_id: command.orderId })).toHaveLength(1);
    expect((await refusals(command.orderId)).map((r) => r.reason)).toEqual([expect.stringMatching(/replayed/)]);
  });

  const unprocessable: Array<[string, string, Partial<PlaceOrderCommand>]> = [
    ['an undecimal quantity', 'InvalidCommand', { quantity: '1e3' }],
    ['a negative quantity', 'InvalidCommand', { quantity: '-5' }],
    ['an unknown portfolio', 'PortfolioNotFound', { portfolioId: '00000000-0000-4000-8000-000000000000' }],
  ];
  it.each(unprocessable)('when a signed command with %s is started straight on Temporal, then the workflow fails at once as %s and nothing is recorded', async (_name, type, over) => {
    const command = signedCommand(over);
    expect(await startDirectly(command, orderWorkflowId(command.orderId))).toContain(type);
    expect(await system.db('orders').where({ id: command.orderId })).toHaveLength(0);
  });

  it('when a cancel with a forged or stale signature is sent straight to a resting order, then the update fails, the order keeps resting and the refusal is audited', async () => {
    const placed = await apiClient(system.baseUrl, KEYS.trader)<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol: 'JPM', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '150.00' });
    const orderId = placed.body.orderId;
    await waitForOrderStatus(system.db, orderId, ['WORKING']);
    const handle = system.client.workflow.getHandle(orderWorkflowId(orderId));
    const sign = createHmacCommandSignature(system.signingKey);
    const stale = { requestedBy: 'mallory', issuedAt: new Date(Date.now() - 3_600_000).toISOString() };
    const attempts = [
      { requestedBy: 'mallory', issuedAt: new Date().toISOString(), signature: 'A'.repeat(43) },
      { ...stale, signature: sign.sign('cancel-order', cancelOrderSignedFields(orderId, stale)) },
    ];
    for (const cancel of attempts) {
      await expect(handle.executeUpdate(cancelOrderUpdate, { args: [cancel] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    }
    expect((await system.db('orders').where({ id: orderId }).first()).status).toBe('WORKING');
    expect((await refusals(orderId)).map((r) => r.kind)).toEqual(['cancel-order', 'cancel-order']);
    // The gateway's own cancel still works.
    expect((await apiClient(system.baseUrl, KEYS.trader)<{ status: string }>('POST', `/v1/orders/${orderId}/cancel`)).body.status).toBe('CANCELLED');
  });
});
