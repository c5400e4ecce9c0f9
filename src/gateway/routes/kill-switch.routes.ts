import { Router } from 'express';
import { z } from 'zod';
import { cancelOrderSignedFields, startRebalanceSignedFields } from '../../contracts/command-signatures';
import type { StartRebalanceCommand } from '../../contracts/rebalance-contracts';
import { toTradingStateView } from '../../contracts/risk-limit-views';
import type { KillSwitchScope } from '../../ports/daily-risk.port';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { HttpError, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import { killSwitchBody, portfolioIdParams, startRebalanceBody } from '../request-schemas';
import { requireVisiblePortfolio } from '../visible-portfolio';

/** Cancels at most this many orders at once. */
const CANCEL_CONCURRENCY = 8;

const reasonBody = z.strictObject({ reason: z.string({ error: 'reason is required' }).trim().min(1, 'reason must not be empty').max(500, 'reason must be at most 500 characters') });

type CancelOutcome = 'cancelled' | 'requested' | 'already-closed' | 'failed';

/**
 * The kill switch: one action halts a portfolio, an account or everything (audited trading-state
 * changes), then cancels the scope's open orders at the broker through each order's workflow
 * (a signed cancel). New orders meet TRADING_HALTED; a risk-reducing exit (purpose EXIT) still passes.
 * Pause and resume set a portfolio's trading state (HALTED, ACTIVE) in one word.
 */
export function killSwitchRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.post('/v1/kill-switch', requireRole('admin'), async (req, res) => {
    const body = parseRequest(killSwitchBody, req.body);
    const principal = principalOf(req);
    const reason = `kill switch: ${body.reason}`;
    let scope: KillSwitchScope;
    const halted: { portfolios: unknown[]; accounts: unknown[] } = { portfolios: [], accounts: [] };
    if (body.portfolioId !== undefined) {
      await requireVisiblePortfolio(deps, req, body.portfolioId);
      scope = { portfolioId: body.portfolioId };
      const state = await deps.riskLimits.setTradingState('portfolio', body.portfolioId, 'HALTED', reason, principal.name);
      if (!state) throw notFound('portfolio', body.portfolioId);
      halted.portfolios.push({ portfolioId: body.portfolioId, ...toTradingStateView(state) });
    } else {
      // Accounts span portfolios: a key limited to some portfolios cannot halt them.
      if (principal.portfolios !== 'all') throw new HttpError(403, 'FORBIDDEN', 'halting an account or everything needs a key for all portfolios');
      const accounts = body.accountId !== undefined ? [body.accountId] : await deps.killSwitch.accountIds();
      scope = body.accountId !== undefined ? { accountId: body.accountId } : { all: true };
      for (const accountId of accounts) {
        const state = await deps.riskLimits.setTradingState('account', accountId, 'HALTED', reason, principal.name);
        if (!state) throw notFound('account', accountId);
        halted.accounts.push({ accountId, ...toTradingStateView(state) });
      }
    }

    const open = await deps.killSwitch.openOrders(scope);
    const outcomes: Array<{ orderId: string; portfolioId: string; outcome: CancelOutcome; error?: string }> = [];
    let next = 0;
    const lane = async () => {
      while (next < open.length) {
        const { orderId, portfolioId } = open[next++]!;
        const cancel = { requestedBy: principal.name, issuedAt: deps.clock.now().toISOString() };
        try {
          const result = await deps.orderWorkflows.cancel(orderId, { ...cancel, signature: deps.signer.sign('cancel-order', cancelOrderSignedFields(orderId, cancel)) });
          outcomes.push({ orderId, portfolioId, outcome: result === 'requested' ? 'requested' : 'cancelled' });
        } catch (err) {
          // Filled or ended before the cancel reached it: nothing rests any more.
          if (err instanceof HttpError && err.status === 409) outcomes.push({ orderId, portfolioId, outcome: 'already-closed', error: err.message });
          else outcomes.push({ orderId, portfolioId, outcome: 'failed', error: err instanceof Error ? err.message : String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CANCEL_CONCURRENCY, open.length) }, lane));
    deps.logger.warn('kill switch engaged', { principal: principal.name, scope, reason: body.reason, openOrders: open.length,
      failed: outcomes.filter((o) => o.outcome === 'failed').length });
    res.json({ scope, reason, halted, orders: outcomes });
  });

  for (const [action, state] of [['pause', 'HALTED'], ['resume', 'ACTIVE']] as const) {
    router.post(`/v1/portfolios/:id/${action}`, requireRole('admin'), async (req, res) => {
      const { id } = parseRequest(portfolioIdParams, req.params, 'params');
      const { reason } = parseRequest(reasonBody, req.body);
      await requireVisiblePortfolio(deps, req, id);
      const changed = await deps.riskLimits.setTradingState('portfolio', id, state, `${action}: ${reason}`, principalOf(req).name);
      if (!changed) throw notFound('portfolio', id);
      res.json({ portfolioId: id, ...toTradingStateView(changed) });
    });
  }

  /**
   * Liquidate: a rebalance to all cash (every held symbol's target 0) through the approval path, so
   * an approver sees the plan and its costs before anything is sold. Its legs are ordinary orders:
   * they pass ACTIVE and REDUCING; under HALTED they need the exit purpose (see README).
   */
  router.post('/v1/portfolios/:id/liquidate', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const { reason } = parseRequest(reasonBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    const portfolio = await deps.portfolios.findPortfolio(id);
    if (!portfolio) throw notFound('portfolio', id);
    const held = portfolio.positions.filter((p) => !/^-?0(\.0*)?$/.test(p.quantity)).map((p) => p.symbol);
    if (held.length === 0) throw new HttpError(409, 'NOTHING_TO_LIQUIDATE', 'the portfolio holds no position');
    // Any holding is drift from an all-cash target: a zero threshold sells it all.
    const body = parseRequest(startRebalanceBody, { method: { type: 'target-weights', targets: Object.fromEntries(held.map((s) => [s, '0'])) }, settings: { driftThreshold: '0' } });
    const unsigned: Omit<StartRebalanceCommand, 'signature'> = {
      rebalanceId: deps.newId(), portfolioId: id, mode: 'manual', method: body.method,
      settings: Object.fromEntries(Object.entries(body.settings).filter(([, v]) => v !== undefined)),
      approvalDeadlineSeconds: body.approvalDeadlineSeconds, requestedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString(),
    };
    const state = await deps.rebalanceWorkflows.start({ ...unsigned, signature: deps.signer.sign('start-rebalance', startRebalanceSignedFields(unsigned)) });
    deps.logger.warn('liquidation proposed', { portfolioId: id, rebalanceId: state.rebalanceId, principal: principalOf(req).name, reason });
    res.status(201).location(`/v1/rebalances/${state.rebalanceId}`).json({ ...state, reason });
  });

  return router;
}
