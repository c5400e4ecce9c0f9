import { Router, type Request } from 'express';
import { cancelOrderSignedFields, placeOrderSignedFields } from '../../contracts/command-signatures';
import { ORDER_WORKFLOW_REVISION, type PlaceOrderCommand } from '../../contracts/order-contracts';
import { decidedOrderView, type OrderTerms, type OrderView } from '../../contracts/order-views';
import { dec, toWire } from '../../domain/values/decimal';
import { requireRole, principalOf } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { isUnavailable } from '../error-middleware';
import { badRequest, conflict, HttpError, notFound } from '../http-errors';
import type { ExitPlanRequestDto } from '../../contracts/exit-contracts';
import { prepareExitPlan } from '../exit-plan-service';
import { orderIdForClientRequest } from '../order-workflows';
import { orderWorkflowId } from '../../contracts/workflow-ids';
import { parseRequest } from '../request-validation';
import { canSeePortfolio, requireVisiblePortfolio } from '../visible-portfolio';
import { ServerTiming } from '../server-timing';
import { orderEntry, resolveOrderDirection, resolveOrderTerms } from '../order-terms';
import { listOrdersQuery, orderIdParams, placeOrderBody, validateOrdersBody } from '../request-schemas';
import { toRiskDecisionDto } from '../../contracts/wire-mappers';
import { evaluatePreTradeRisk } from '../../domain/risk/pre-trade-engine';
import { NO_COSTS } from '../../domain/risk/execution-cost-estimate';
import { price } from '../../domain/values/price';
import { quantity } from '../../domain/values/quantity';

/** An order's exit plan, checked against the position it would build at the order's reference price (its limit, or the side of the book it takes). */
async function exitPlanForOrder(deps: GatewayDeps, order: { symbol: string; side: 'BUY' | 'SELL'; quantity: string; limitPrice?: string | undefined; exitPlan: ExitPlanRequestDto }): Promise<ExitPlanRequestDto> {
  const { instrument, entry } = await orderEntry(deps, order);
  if (!instrument) throw badRequest([{ field: 'symbol', rule: `${order.symbol} is not a known, active instrument` }]);
  if (entry === null) throw new HttpError(422, 'QUOTE_MISSING', `${order.symbol} has no quote to check the exit plan against`, { field: 'exitPlan' });
  return prepareExitPlan(deps, order.exitPlan, { direction: order.side === 'BUY' ? 'LONG' : 'SHORT', entryPrice: entry, quantity: quantity(order.quantity), openedAt: deps.clock.now(), instrument }, 'exitPlan.');
}

/**
 * A repeated client request id must carry the same order, or it is a client bug worth a 409. A sized
 * order is the same whatever quantity its sizing gives now: the first one's quantity stands.
 */
function assertSameOrder(existing: OrderTerms, command: Pick<PlaceOrderCommand, 'symbol' | 'side' | 'type' | 'quantity' | 'limitPrice' | 'execute'>, sized = false): void {
  const same = existing.symbol === command.symbol && existing.side === command.side && existing.type === command.type
    && (sized || existing.quantity === command.quantity) && existing.limitPrice === command.limitPrice && existing.execute === command.execute;
  if (!same) {
    throw conflict('IDEMPOTENCY_KEY_REUSED', `clientRequestId ${existing.clientRequestId} was already used for a different order`, { orderId: existing.orderId });
  }
}

/** What a client sees of an order no worker has assessed yet: the GET shape, nothing decided. */
function pendingOrderView(command: PlaceOrderCommand): Omit<OrderView, 'createdAt' | 'updatedAt'> {
  return {
    orderId: command.orderId, portfolioId: command.portfolioId, clientRequestId: command.clientRequestId,
    workflowId: orderWorkflowId(command.orderId), symbol: command.symbol, side: command.side, type: command.type,
    quantity: command.quantity, limitPrice: command.limitPrice, execute: command.execute, status: 'PENDING_RISK', decision: null,
    filledQuantity: '0', averageFillPrice: null, fees: '0', rejectionReason: null, requestedBy: command.requestedBy, fills: [],
  };
}

/** "10.50" and "10.5" are the same amount: compare and store the canonical wire form. */
const canonical = (decimal: string) => toWire(dec(decimal));

export function ordersRoutes(deps: GatewayDeps): Router {
  const router = Router();

  /** Checks up to 100 orders against the books as they stand, each on its own: nothing recorded, reserved or sent. */
  router.post('/v1/orders/validate', requireRole('trader'), async (req, res) => {
    const { orders } = parseRequest(validateOrdersBody, req.body);
    for (const id of new Set(orders.map((o) => o.portfolioId))) await requireVisiblePortfolio(deps, req, id);
    const asOf = deps.clock.now();
    const decisions = await deps.riskContext.evaluateOrders(orders.map((o) => ({
      portfolioId: o.portfolioId, symbol: o.symbol, side: o.side!, type: o.type, quantity: quantity(o.quantity!),
      limitPrice: o.limitPrice === undefined ? null : price(o.limitPrice), strategyId: o.strategyId ?? null, signal: o.signal ?? null,
      stopLoss: null, takeProfit: null,
    })), (snapshot) => evaluatePreTradeRisk({ ...snapshot, costs: snapshot.instrument ? deps.executionCosts(snapshot.instrument) : NO_COSTS, asOf }));
    res.json({
      evaluatedAt: asOf.toISOString(),
      approved: decisions.filter((d) => d.approved).length,
      results: decisions.map((d, index) => ({ index, ...toRiskDecisionDto(d) })),
    });
  });

  router.post('/v1/orders', requireRole('trader'), async (req, res) => {
    const timing = new ServerTiming();
    const request = parseRequest(placeOrderBody, req.body);
    await requireVisiblePortfolio(deps, req, request.portfolioId);
    const body = await resolveOrderDirection(deps, request);
    const sized = body.sizing !== undefined;
    if (sized && body.clientRequestId !== undefined) {
      // A retry of a sized order answers the order placed, not a size taken again.
      const existing = await deps.orders.findOrderByClientRequestId(body.portfolioId, body.clientRequestId);
      if (existing) {
        assertSameOrder(existing, { ...body, quantity: existing.quantity, limitPrice: body.limitPrice === undefined ? null : canonical(body.limitPrice) }, true);
        res.status(200).json(existing);
        return;
      }
    }
    const terms = await resolveOrderTerms(deps, body);
    const exitPlan = body.exitPlan === undefined ? undefined : await exitPlanForOrder(deps, { ...body, quantity: terms.quantity, exitPlan: body.exitPlan as ExitPlanRequestDto });
    const unsigned: Omit<PlaceOrderCommand, 'signature'> = {
      orderId: body.clientRequestId !== undefined ? orderIdForClientRequest(body.portfolioId, body.clientRequestId) : deps.newId(),
      portfolioId: body.portfolioId,
      clientRequestId: body.clientRequestId ?? null,
      symbol: body.symbol,
      side: body.side,
      type: body.type,
      quantity: terms.quantity,
      limitPrice: body.limitPrice === undefined ? null : canonical(body.limitPrice),
      execute: body.execute,
      requestedBy: principalOf(req).name,
      ...(body.strategyId !== undefined && { strategyId: body.strategyId }),
      ...(body.signal !== undefined && { signal: body.signal }),
      ...(terms.stops !== undefined && { stops: terms.stops }),
      ...(exitPlan !== undefined && { exitPlan }),
      workflowRevision: ORDER_WORKFLOW_REVISION,
      issuedAt: deps.clock.now().toISOString(),
    };
    const command: PlaceOrderCommand = { ...unsigned, signature: deps.signer.sign('place-order', placeOrderSignedFields(unsigned)) };
    let claim: 'first' | 'repeat' = 'first';
    if (command.clientRequestId !== null) {
      const existing = await deps.orders.findOrderByClientRequestId(command.portfolioId, command.clientRequestId);
      if (existing) {
        assertSameOrder(existing, command, sized);
        res.status(200).json(existing);
        return;
      }
      // Of concurrent requests under one id, one is first (201); the others are repeats (200).
      claim = await deps.orderRequests.claim(command.portfolioId, command.clientRequestId, command.orderId);
    }
    timing.mark('checks');
    const result = await deps.orderWorkflows.place(command).catch((err: unknown) => {
      if (!isUnavailable(err)) throw err;
      // The start may have reached Temporal before it stopped answering: say so, and how to find out.
      throw new HttpError(503, 'SERVICE_UNAVAILABLE', command.clientRequestId !== null
        ? 'Temporal did not answer: the order may have been placed. Sending the same request again with the same clientRequestId is safe: it answers the order if it exists and places it once if not.'
        : 'Temporal did not answer: the order may have been placed. A retry without a clientRequestId could place a second order: look for it first, and send clientRequestId to make retries safe.',
      { orderId: command.orderId, mayHaveBeenPlaced: true, retrySafe: command.clientRequestId !== null });
    });
    timing.mark('decision');
    if (result.kind === 'already-closed') {
      const existing = await deps.orders.findOrder(command.orderId);
      if (!existing) throw notFound('order', command.orderId);
      assertSameOrder(existing, command, sized);
      res.status(200).json(existing);
      return;
    }
    if (result.kind === 'pending') {
      // The workflow may have been started by an earlier request under the same key.
      const started = command.clientRequestId !== null ? await deps.orderWorkflows.startedCommand(command.orderId) : null;
      if (started) assertSameOrder(started, command, sized);
      res.status(202).location(`/v1/orders/${command.orderId}`).json(pendingOrderView(command));
      return;
    }
    // Without a client request id the order's id is new, so the workflow runs this command: its
    // decision is the answer, the order as GET shows it then. Under a client request id another
    // request may have started it: the order is read back, and its terms must match this one's.
    const decided = command.clientRequestId === null ? decidedOrderView(command, result.progress) : null;
    const placed = decided ?? await deps.orders.findOrder(command.orderId);
    if (!placed) throw new Error(`order ${command.orderId} was decided but is not in the books`);
    if (decided === null) {
      if (command.clientRequestId !== null) assertSameOrder(placed, command, sized);
      timing.mark('readback');
    }
    timing.writeTo(res);
    res.status(claim === 'first' ? 201 : 200).json(placed);
  });

  /**
   * The order as the books hold it, or, started but not yet decided (a 202 answer to POST), as its
   * workflow's command; null when it does not exist or its portfolio is out of the principal's scope.
   */
  const visibleOrder = async (req: Request, id: string): Promise<{ recorded: OrderView } | { pending: PlaceOrderCommand } | null> => {
    const recorded = await deps.orders.findOrder(id);
    if (recorded) return (await canSeePortfolio(deps, req, recorded.portfolioId)) ? { recorded } : null;
    const pending = (await deps.orderWorkflows.exists(id)) ? await deps.orderWorkflows.startedCommand(id) : null;
    return pending && (await canSeePortfolio(deps, req, pending.portfolioId)) ? { pending } : null;
  };

  router.get('/v1/orders/:id', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(orderIdParams, req.params, 'params');
    const order = await visibleOrder(req, id);
    if (!order) throw notFound('order', id);
    res.json('recorded' in order ? order.recorded : { orderId: id, status: 'PENDING_RISK', decision: null });
  });

  router.get('/v1/orders', requireRole('viewer'), async (req, res) => {
    const query = parseRequest(listOrdersQuery, req.query, 'query');
    await requireVisiblePortfolio(deps, req, query.portfolioId);
    const orders = await deps.orders.listOrders(query);
    res.json({ orders });
  });

  router.post('/v1/orders/:id/cancel', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(orderIdParams, req.params, 'params');
    const visible = await visibleOrder(req, id);
    if (!visible) throw notFound('order', id);
    if (!('recorded' in visible)) throw conflict('ORDER_NOT_CANCELLABLE', 'the order is still waiting for its risk decision; cancel it once it is decided');
    const before = visible.recorded;
    // A cancel repeated after a lost answer gets the same answer.
    if (before.status === 'CANCELLED') {
      res.json(before);
      return;
    }
    const cancel = { requestedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString() };
    const signed = { ...cancel, signature: deps.signer.sign('cancel-order', cancelOrderSignedFields(id, cancel)) };
    const outcome = await deps.orderWorkflows.cancel(id, signed).catch(async (err: unknown) => {
      // Cancelled by a concurrent request meanwhile: the same outcome as ours.
      if (err instanceof HttpError && err.status === 409 && (await deps.orders.findOrder(id))?.status === 'CANCELLED') return 'cancelled-meanwhile' as const;
      throw err;
    });
    const order = await deps.orders.findOrder(id);
    if (outcome === 'requested') {
      res.status(202).json({ ...order, cancelRequested: true });
      return;
    }
    res.json(order);
  });

  return router;
}
