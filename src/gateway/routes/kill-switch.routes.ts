import { Router } from 'express';
import { z } from 'zod';
import { killSwitchSignedFields, startRebalanceSignedFields } from '../../contracts/command-signatures';
import type { KillSwitchCommand, KillSwitchScope } from '../../contracts/kill-switch-contracts';
import type { StartRebalanceCommand } from '../../contracts/rebalance-contracts';
import { toTradingStateView } from '../../contracts/risk-limit-views';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { HttpError, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import { killSwitchBody, portfolioIdParams, startRebalanceBody } from '../request-schemas';
import { requireVisiblePortfolio } from '../visible-portfolio';
import { announceStateChange } from '../state-change-announcement';

const reasonBody = z.strictObject({ reason: z.string({ error: 'reason is required' }).trim().min(1, 'reason must not be empty').max(500, 'reason must be at most 500 characters') });

/**
 * The kill switch: one action halts a portfolio, an account or everything (audited trading-state
 * changes, announced by webhook), then cancels the scope's open orders at the broker through each
 * order's workflow (a signed cancel), all in one durable workflow (`kill-switch-<killId>`). New orders meet TRADING_HALTED; a risk-reducing exit (purpose EXIT) still passes.
 * Pause and resume set a portfolio's trading state (HALTED, ACTIVE) in one word.
 */
export function killSwitchRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.post('/v1/kill-switch', requireRole('admin'), async (req, res) => {
    const body = parseRequest(killSwitchBody, req.body);
    const principal = principalOf(req);
    let scope: KillSwitchScope;
    if (body.portfolioId !== undefined) {
      await requireVisiblePortfolio(deps, req, body.portfolioId);
      scope = { portfolioId: body.portfolioId };
    } else {
      // Accounts span portfolios: a key limited to some portfolios cannot halt them.
      if (principal.portfolios !== 'all') throw new HttpError(403, 'FORBIDDEN', 'halting an account or everything needs a key for all portfolios');
      if (body.accountId !== undefined && !(await deps.riskLimits.findAccount(body.accountId))) throw notFound('account', body.accountId);
      scope = body.accountId !== undefined ? { accountId: body.accountId } : { all: true };
    }
    const unsigned: Omit<KillSwitchCommand, 'signature'> = {
      killId: deps.newId(), scope, reason: body.reason, requestedBy: principal.name, issuedAt: deps.clock.now().toISOString(),
    };
    // A workflow halts and cancels: a crash of this process mid-way loses nothing.
    const run = await deps.killSwitchWorkflows.engage({ ...unsigned, signature: deps.signer.sign('kill-switch', killSwitchSignedFields(unsigned)) });
    deps.logger.warn('kill switch engaged', { principal: principal.name, scope, reason: body.reason, killId: unsigned.killId,
      ...(run.kind === 'done' && { openOrders: run.report.orders.length, failed: run.report.orders.filter((o) => o.outcome === 'failed').length }) });
    if (run.kind === 'running') {
      res.status(202).json({ killId: unsigned.killId, workflowId: run.workflowId, scope, status: 'RUNNING' });
      return;
    }
    res.json({ killId: unsigned.killId, ...run.report });
  });

  for (const [action, state] of [['pause', 'HALTED'], ['resume', 'ACTIVE']] as const) {
    router.post(`/v1/portfolios/:id/${action}`, requireRole('admin'), async (req, res) => {
      const { id } = parseRequest(portfolioIdParams, req.params, 'params');
      const { reason } = parseRequest(reasonBody, req.body);
      await requireVisiblePortfolio(deps, req, id);
      const changed = await deps.riskLimits.setTradingState('portfolio', id, state, `${action}: ${reason}`, principalOf(req).name);
      if (!changed) throw notFound('portfolio', id);
      await announceStateChange(deps, changed.deliveryIds);
      res.json({ portfolioId: id, ...toTradingStateView(changed) });
    });
  }

  /**
   * Liquidate: a rebalance to all cash (every held symbol's target 0) through the approval path, so
   * an approver sees the plan and its costs before anything is sold. Its legs are exits (purpose
   * EXIT): they pass a HALTED state too, as long as each only reduces a position.
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
      purpose: 'REDUCE_RISK',
    };
    const state = await deps.rebalanceWorkflows.start({ ...unsigned, signature: deps.signer.sign('start-rebalance', startRebalanceSignedFields(unsigned)) });
    deps.logger.warn('liquidation proposed', { portfolioId: id, rebalanceId: state.rebalanceId, principal: principalOf(req).name, reason });
    res.status(201).location(`/v1/rebalances/${state.rebalanceId}`).json({ ...state, reason });
  });

  return router;
}
