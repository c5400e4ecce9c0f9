import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  ANALYTICS_KINDS, analyticsWorkflowId, INLINE_PAYLOAD_LIMIT_BYTES,
  type AnalyticsCommand, type AnalyticsKind, type AnalyticsOutcome, type AnalyticsPayload,
} from '../../contracts/analytics-contracts';
import { analyticsSignedFields } from '../../contracts/command-signatures';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { badRequest, HttpError, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import { canSeePortfolio, requireVisiblePortfolio } from '../visible-portfolio';
import type { StoredRiskBudget } from '../../ports/risk-budgets.port';
import {
  attributionBody, createRiskBudgetBody, efficientFrontierBody, evaluateRiskBudgetBody, optimizeBody, performanceBody, riskBody, riskBudgetBody,
} from '../request-schemas';

const BODIES: Readonly<Record<AnalyticsKind, z.ZodType>> = {
  optimize: optimizeBody,
  'efficient-frontier': efficientFrontierBody,
  risk: riskBody,
  performance: performanceBody,
  attribution: attributionBody,
  'risk-budget': riskBudgetBody,
};

const budgetIdParams = z.object({ id: z.string().uuid('must be a UUID').transform((id) => id.toLowerCase()) });

const toRiskBudgetView = (b: StoredRiskBudget) => ({
  id: b.id, name: b.name, portfolioId: b.portfolioId, entityType: b.entityType, lookbackDays: b.lookbackDays, budget: b.definition,
  createdBy: b.createdBy, createdAt: b.createdAt.toISOString(),
});

const runIdParams = z.object({ runId: z.string().uuid('must be a UUID').transform((id) => id.toLowerCase()) });

/**
 * The analytics engine over HTTP: each computation runs as a short workflow (inspectable in the
 * Temporal UI) around one math activity, answered synchronously when it finishes within the wait,
 * else `202` with where to find it. Large inputs travel by reference (see analytics-contracts.ts).
 */
export function analyticsRoutes(deps: GatewayDeps): Router {
  const router = Router();

  const answer = async (res: Response, runId: string, outcome: AnalyticsOutcome, extra: object = {}) => {
    const json = 'json' in outcome.result ? outcome.result.json : await deps.analyticsPayloads.load(outcome.result.ref);
    if (json === null) throw new Error(`the result of analytics run ${runId} is missing`);
    res.json({ runId, workflowId: analyticsWorkflowId(runId), kind: outcome.kind, computeMs: Math.round(outcome.computeMs * 1000) / 1000, ...extra, ...JSON.parse(json) as object });
  };
  const pending = (res: Response, runId: string) =>
    res.status(202).location(`/v1/analytics/runs/${runId}`).json({ runId, workflowId: analyticsWorkflowId(runId), status: 'RUNNING' });

  /** Starts a run of `kind` over a checked input and answers its result, or 202 while it runs. */
  const startRun = async (req: Request, res: Response, kind: AnalyticsKind, input: { portfolioId?: string }, extra: object = {}) => {
    if (input.portfolioId !== undefined) await requireVisiblePortfolio(deps, req, input.portfolioId);
    const runId = deps.newId();
    const json = JSON.stringify(input);
    let payload: AnalyticsPayload = { json };
    if (Buffer.byteLength(json, 'utf8') > INLINE_PAYLOAD_LIMIT_BYTES) {
      await deps.analyticsPayloads.store(`${runId}:input`, json);
      payload = { ref: `${runId}:input` };
    }
    const unsigned: Omit<AnalyticsCommand, 'signature' | 'input'> = {
      runId, kind, inputDigest: createHash('sha256').update(json, 'utf8').digest('hex'), requestedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString(),
      ...(input.portfolioId !== undefined && { portfolioId: input.portfolioId }),
    };
    const command: AnalyticsCommand = { ...unsigned, input: payload, signature: deps.signer.sign('analytics', analyticsSignedFields(unsigned)) };
    const run = await deps.analyticsWorkflows.run(command).catch((err: unknown) => {
      // The computation's own answer to a bad input: say which run, so it can be found in the Temporal UI.
      if (err instanceof HttpError) throw new HttpError(err.status, err.code, err.message, { runId, workflowId: analyticsWorkflowId(runId), ...(err.details as object | undefined) });
      throw err;
    });
    if (run.kind === 'done') await answer(res, runId, run.outcome, extra);
    else pending(res, runId);
  };

  for (const kind of ANALYTICS_KINDS) {
    router.post(`/v1/analytics/${kind}`, requireRole('viewer'), async (req, res) => {
      await startRun(req, res, kind, parseRequest(BODIES[kind], req.body) as { portfolioId?: string });
    });
  }

  router.post('/v1/risk-budgets', requireRole('admin'), async (req, res) => {
    const body = parseRequest(createRiskBudgetBody, req.body);
    if (body.portfolioId !== undefined) await requireVisiblePortfolio(deps, req, body.portfolioId);
    const budget = await deps.riskBudgets.create({
      id: deps.newId(), name: body.name, portfolioId: body.portfolioId ?? null, entityType: body.entityType, lookbackDays: body.lookbackDays ?? null,
      definition: body.budget, createdBy: principalOf(req).name,
    });
    res.status(201).location(`/v1/risk-budgets/${budget.id}`).json(toRiskBudgetView(budget));
  });

  router.get('/v1/risk-budgets', requireRole('viewer'), async (req, res) => {
    res.json({ riskBudgets: (await deps.riskBudgets.list(await deps.access.visible(principalOf(req)))).map(toRiskBudgetView) });
  });

  const visibleBudget = async (req: Request, id: string) => {
    const budget = await deps.riskBudgets.find(id);
    if (!budget || (budget.portfolioId !== null && !(await canSeePortfolio(deps, req, budget.portfolioId)))) throw notFound('risk budget', id);
    return budget;
  };

  router.get('/v1/risk-budgets/:id', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(budgetIdParams, req.params, 'params');
    res.json(toRiskBudgetView(await visibleBudget(req, id)));
  });

  /** Evaluates a stored budget: over its portfolio's holdings now, or over the entities given. */
  router.post('/v1/risk-budgets/:id/evaluate', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(budgetIdParams, req.params, 'params');
    const body = parseRequest(evaluateRiskBudgetBody, req.body);
    const budget = await visibleBudget(req, id);
    if (budget.portfolioId === null && body.entities === undefined) throw badRequest([{ field: 'entities', rule: 'this budget has no portfolio: give its entities with their returns' }]);
    if (budget.portfolioId !== null && body.entities !== undefined) throw badRequest([{ field: 'entities', rule: `this budget evaluates portfolio ${budget.portfolioId}'s holdings: entities are not taken` }]);
    const input = parseRequest(riskBudgetBody, {
      budget: budget.definition, entityType: budget.entityType,
      ...(budget.portfolioId !== null ? { portfolioId: budget.portfolioId, ...(budget.lookbackDays !== null && { lookbackDays: budget.lookbackDays }) } : { entities: body.entities }),
      ...(body.benchmarkReturns && { benchmarkReturns: body.benchmarkReturns }),
    });
    await startRun(req, res, 'risk-budget', input, { riskBudget: { id: budget.id, name: budget.name } });
  });

  router.get('/v1/analytics/runs/:runId', requireRole('viewer'), async (req, res) => {
    const { runId } = parseRequest(runIdParams, req.params, 'params');
    // A run over a portfolio is seen only by those who see the portfolio.
    const portfolioId = await deps.analyticsWorkflows.portfolioOf(runId);
    if (portfolioId === undefined || (portfolioId !== null && !(await canSeePortfolio(deps, req, portfolioId)))) throw notFound('analytics run', runId);
    const run = await deps.analyticsWorkflows.find(runId);
    if (run.kind === 'unknown') throw notFound('analytics run', runId);
    if (run.kind === 'running') pending(res, runId);
    else await answer(res, runId, run.outcome);
  });

  router.all('/v1/analytics/:kind', (req, _res, next) => {
    next(new HttpError(404, 'NOT_FOUND', `no analytics ${req.params.kind}: one of ${ANALYTICS_KINDS.join(', ')}`));
  });

  return router;
}
