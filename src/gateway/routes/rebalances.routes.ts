import { Router, type Request } from 'express';
import { decideRebalanceSignedFields, scheduledRebalanceSignedFields, startRebalanceSignedFields } from '../../contracts/command-signatures';
import { rebalanceScheduleId, type RebalanceDecisionCommand, type RebalanceState, type ScheduledRebalanceCommand, type StartRebalanceCommand } from '../../contracts/rebalance-contracts';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { conflict, HttpError, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import {
  approveRebalanceBody, listRebalancesQuery, portfolioIdParams, rebalanceIdParams, rebalancePolicyBody, rebalanceScheduleBody, rebalanceTargetsBody, rejectRebalanceBody, startRebalanceBody,
} from '../request-schemas';
import type { TargetSetDto } from '../../ports/rebalance-policies.port';
import { canSeePortfolio, requireVisiblePortfolio } from '../visible-portfolio';
import { checkAdjustmentHistory } from '../rebalance-adjustment-check';

/** Rebalances: a plan from the books, an approver's decision (four eyes, the version they saw), execution leg by leg. */
export function rebalancesRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.post('/v1/portfolios/:id/rebalances', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(startRebalanceBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    if (body.method.type === 'stored' && (await deps.rebalancePolicies.targetSet(id)) === null) {
      throw new HttpError(422, 'NO_STORED_TARGETS', `portfolio ${id} has no stored target set: PUT /v1/portfolios/${id}/targets first, or give the targets in the method`);
    }
    await checkAdjustmentHistory(deps, id, body.method, body.adjustment);
    const unsigned: Omit<StartRebalanceCommand, 'signature'> = {
      rebalanceId: deps.newId(), portfolioId: id, mode: body.mode, method: body.method,
      settings: Object.fromEntries(Object.entries(body.settings).filter(([, v]) => v !== undefined)),
      ...(body.adjustment !== undefined && { adjustment: body.adjustment }),
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

  const decide = async (req: Request, id: string, { planVersion, ...decision }: Omit<RebalanceDecisionCommand, 'signature' | 'rebalanceId' | 'decidedBy' | 'issuedAt' | 'planVersion'> & { planVersion: string | undefined }) => {
    const current = await visibleRebalance(req, id);
    if (current.status !== 'PENDING_APPROVAL') throw conflict('REBALANCE_NOT_PENDING', `the rebalance is ${current.status}`);
    const unsigned = { ...decision, planVersion: planVersion ?? current.planVersion ?? '', rebalanceId: id, decidedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString() };
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
    res.json(await decide(req, id, { decision: 'reject', planVersion: body.planVersion, comment: body.reason }));
  });

  // The portfolio's rebalance policy: approvers, automatic mode, market hours (admin; audited).
  router.get('/v1/portfolios/:id/rebalance-policy', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    await requireVisiblePortfolio(deps, req, id);
    res.json(await deps.rebalancePolicies.policy(id));
  });

  router.put('/v1/portfolios/:id/rebalance-policy', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(rebalancePolicyBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    res.json(await deps.rebalancePolicies.putPolicy(id, body, principalOf(req).name));
  });

  // The portfolio's stored target set, which method { "type": "stored" } plans from (traders in scope; audited).
  router.get('/v1/portfolios/:id/targets', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    await requireVisiblePortfolio(deps, req, id);
    const stored = await deps.rebalancePolicies.targetSet(id);
    if (stored === null) throw notFound('target set of portfolio', id);
    res.json(stored);
  });

  router.put('/v1/portfolios/:id/targets', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(rebalanceTargetsBody, req.body) as TargetSetDto;
    await requireVisiblePortfolio(deps, req, id);
    res.json(await deps.rebalancePolicies.putTargetSet(id, body, principalOf(req).name));
  });

  // The portfolio's rebalance schedule: a Temporal Schedule whose runs plan rebalances that wait for approval.
  router.get('/v1/portfolios/:id/rebalance-schedule', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    await requireVisiblePortfolio(deps, req, id);
    const stored = await deps.rebalancePolicies.schedule(id);
    if (stored === null) throw notFound('rebalance schedule of portfolio', id);
    res.json({ ...stored, nextRuns: await deps.rebalanceSchedules.nextRuns(id) });
  });

  router.put('/v1/portfolios/:id/rebalance-schedule', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(rebalanceScheduleBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    if (body.method.type === 'stored' && (await deps.rebalancePolicies.targetSet(id)) === null) {
      throw new HttpError(422, 'NO_STORED_TARGETS', `portfolio ${id} has no stored target set: PUT /v1/portfolios/${id}/targets first, or give the targets in the method`);
    }
    await checkAdjustmentHistory(deps, id, body.method, body.adjustment);
    const unsigned: Omit<ScheduledRebalanceCommand, 'signature'> = {
      scheduleId: rebalanceScheduleId(id), portfolioId: id, mode: body.mode, method: body.method,
      settings: Object.fromEntries(Object.entries(body.settings).filter(([, v]) => v !== undefined)),
      ...(body.adjustment !== undefined && { adjustment: body.adjustment }),
      approvalDeadlineSeconds: body.approvalDeadlineSeconds, dca: body.dca ?? null, requestedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString(),
    };
    // Stored first: from then on only runs of this command are honoured (a run of the previous one is refused by the worker).
    const stored = await deps.rebalancePolicies.putSchedule(id, unsigned.scheduleId, body, principalOf(req).name, unsigned.issuedAt);
    await deps.rebalanceSchedules.put({ ...unsigned, signature: deps.signer.sign('scheduled-rebalance', scheduledRebalanceSignedFields(unsigned)) }, body.calendar, body.timeZone);
    res.json({ ...stored, nextRuns: await deps.rebalanceSchedules.nextRuns(id) });
  });

  router.delete('/v1/portfolios/:id/rebalance-schedule', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    await requireVisiblePortfolio(deps, req, id);
    const removed = await deps.rebalanceSchedules.remove(id);
    const deleted = await deps.rebalancePolicies.deleteSchedule(id, principalOf(req).name);
    if (!removed && !deleted) throw notFound('rebalance schedule of portfolio', id);
    res.status(204).end();
  });

  return router;
}
