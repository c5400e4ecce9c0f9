import { Router } from 'express';
import { z } from 'zod';
import { reconcileOrdersSignedFields } from '../../contracts/command-signatures';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { HttpError } from '../http-errors';
import { parseRequest } from '../request-validation';

const reconcileBody = z.strictObject({
  graceSeconds: z.number({ error: 'graceSeconds must be a number of seconds' }).int('graceSeconds must be a whole number').min(0).max(86_400).default(60),
});

export function adminRoutes(deps: GatewayDeps): Router {
  const router = Router();

  /**
   * Reconciles stranded orders now: open orders whose workflow ended are settled with their venue
   * (booked, cancelled there, or cancelled as never sent), freeing their reservations. Audited.
   */
  router.post('/v1/admin/reconciliations', requireRole('admin'), async (req, res) => {
    const principal = principalOf(req);
    // It looks at every portfolio: only for a principal who may see them all.
    if (principal.portfolios !== 'all') throw new HttpError(403, 'FORBIDDEN', 'reconciling orders needs a key with every portfolio in scope');
    const { graceSeconds } = parseRequest(reconcileBody, req.body ?? {});
    const unsigned = { graceSeconds, requestedBy: principal.name, issuedAt: deps.clock.now().toISOString() };
    const outcome = await deps.reconciliations.run({ ...unsigned, signature: deps.signer.sign('reconcile-orders', reconcileOrdersSignedFields(unsigned)) });
    if (outcome.kind === 'running') {
      res.status(202).json({ workflowId: outcome.workflowId, status: 'RUNNING' });
      return;
    }
    res.json({ workflowId: outcome.workflowId, ...outcome.report });
  });

  return router;
}
