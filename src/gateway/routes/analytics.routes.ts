import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  ANALYTICS_KINDS, analyticsWorkflowId, INLINE_PAYLOAD_LIMIT_BYTES,
  type AnalyticsCommand, type AnalyticsKind, type AnalyticsOutcome, type AnalyticsPayload,
} from '../../contracts/analytics-contracts';
import { analyticsSignedFields } from '../../contracts/command-signatures';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { HttpError, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import { requireVisiblePortfolio } from '../visible-portfolio';
import { attributionBody, efficientFrontierBody, optimizeBody, performanceBody, riskBody, riskBudgetBody } from '../request-schemas';

const BODIES: Readonly<Record<AnalyticsKind, z.ZodType>> = {
  optimize: optimizeBody,
  'efficient-frontier': efficientFrontierBody,
  risk: riskBody,
  performance: performanceBody,
  attribution: attributionBody,
  'risk-budget': riskBudgetBody,
};

const runIdParams = z.object({ runId: z.string().uuid('must be a UUID').transform((id) => id.toLowerCase()) });

/**
 * The analytics engine over HTTP: each computation runs as a short workflow (inspectable in the
 * Temporal UI) around one math activity, answered synchronously when it finishes within the wait,
 * else `202` with where to find it. Large inputs travel by reference (see analytics-contracts.ts).
 */
export function analyticsRoutes(deps: GatewayDeps): Router {
  const router = Router();

  const answer = async (res: Response, runId: string, outcome: AnalyticsOutcome) => {
    const json = 'json' in outcome.result ? outcome.result.json : await deps.analyticsPayloads.load(outcome.result.ref);
    if (json === null) throw new Error(`the result of analytics run ${runId} is missing`);
    res.json({ runId, workflowId: analyticsWorkflowId(runId), kind: outcome.kind, computeMs: Math.round(outcome.computeMs * 1000) / 1000, ...JSON.parse(json) as object });
  };
  const pending = (res: Response, runId: string) =>
    res.status(202).location(`/v1/analytics/runs/${runId}`).json({ runId, workflowId: analyticsWorkflowId(runId), status: 'RUNNING' });

  for (const kind of ANALYTICS_KINDS) {
    router.post(`/v1/analytics/${kind}`, requireRole('viewer'), async (req, res) => {
      const input = parseRequest(BODIES[kind], req.body) as { portfolioId?: string };
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
      if (run.kind === 'done') await answer(res, runId, run.outcome);
      else pending(res, runId);
    });
  }

  router.get('/v1/analytics/runs/:runId', requireRole('viewer'), async (req, res) => {
    const { runId } = parseRequest(runIdParams, req.params, 'params');
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
