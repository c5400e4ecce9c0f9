import { Router, type Request } from 'express';
import { decideRebalanceSignedFields, startRebalanceSignedFields } from '../../contracts/command-signatures';
import type { RebalanceDecisionCommand, RebalanceState, StartRebalanceCommand } from '../../contracts/rebalance-contracts';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { conflict, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import { approveRebalanceBody, listRebalancesQuery, portfolioIdParams, rebalanceIdParams, rejectRebalanceBody, startRebalanceBody } from '../request-schemas';
import { canSeePortfolio, requireVisiblePortfolio } from '../visible-portfolio';

/** Rebalances: a plan from the books, an approver's decision (four eyes, the version they saw), execution leg by leg. */
export function rebalancesRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.post('/v1/portfolios/:id/rebalances', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(startRebalanceBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    const unsigned: Omit<StartRebalanceCommand, 'signature'> = {
      rebalanceId: deps.newId(), portfolioId: id, mode: body.mode === 'dry_run' ? 'dry_run' : 'manual', method: body.method,
      settings: Object.fromEntries(Object.entries(body.settings).filter(([, v]) => v !== undefined)),
      approvalDeadlineSeconds: body.approvalDeadlineSeconds, requestedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString(),
    };
    const state = await deps.rebalanceWorkflows.start({ ...unsigned, signature: deps.signer.sign('start-rebalance', startRebalanceSignedFields(unsigned)) });
    res.status(201).location(`/v1/rebalances/${state.rebalanceId}`).json(state);
  });

  const visibleRebalance = async (req: Request, id: string): Promise<RebalanceState> => {
    const found = await deps.rebalances.find(id);
    if (!found || !(await canSeePortfolio(deps, req, found.portfolioId))) throw notFound('rebalance', id);
    return found;
  };

  router.get('/v1/rebalances/:id', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(rebalanceIdParams, req.params, 'params');
    res.json(await visibleRebalance(req, id));
  });

  router.get('/v1/rebalances', requireRole('viewer'), async (req, res) => {
    const query = parseRequest(listRebalancesQuery, req.query, 'query');
    await requireVisiblePortfolio(deps, req, query.portfolioId);
    res.json({ rebalances: await deps.rebalances.list(query.portfolioId, query.status, query.limit) });
  });

  const decide = async (req: Request, id: string, decision: Omit<RebalanceDecisionCommand, 'signature' | 'rebalanceId' | 'decidedBy' | 'issuedAt'>) => {
    const current = await visibleRebalance(req, id);
    if (current.status !== 'PENDING_APPROVAL') throw conflict('REBALANCE_NOT_PENDING', `the rebalance is ${current.status}`);
    const unsigned = { ...decision, rebalanceId: id, decidedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString() };
    return deps.rebalanceWorkflows.decide({ ...unsigned, signature: deps.signer.sign('decide-rebalance', decideRebalanceSignedFields(unsigned)) });
  };

  router.post('/v1/rebalances/:id/approve', requireRole('approver'), async (req, res) => {
    const { id } = parseRequest(rebalanceIdParams, req.params, 'params');
    const body = parseRequest(approveRebalanceBody, req.body);
    res.json(await decide(req, id, { decision: 'approve', planVersion: body.planVersion, comment: body.comment ?? null }));
  });

  router.post('/v1/rebalances/:id/reject', requireRole('approver'), async (req, res) => {
    const { id } = parseRequest(rebalanceIdParams, req.params, 'params');
    const body = parseRequest(rejectRebalanceBody, req.body);
    const current = await visibleRebalance(req, id);
    res.json(await decide(req, id, { decision: 'reject', planVersion: body.planVersion ?? current.planVersion ?? '', comment: body.reason }));
  });

  return router;
}
