import { Router, type Request } from 'express';
import { z } from 'zod';
import { exitCommandSignedFields, startExitSignedFields } from '../../contracts/command-signatures';
import type { ExitPlanRequestDto } from '../../contracts/exit-contracts';
import type { ExitAction, ExitCommand, ExitView, StartExitCommand } from '../../contracts/exit-workflow-contracts';
import { quantity } from '../../domain/values/quantity';
import type { PositionForExit } from '../../ports/exits.port';
import { principalOf, requireRole } from '../api-key-auth';
import { prepareExitPlan } from '../exit-plan-service';
import type { GatewayDeps } from '../gateway-deps';
import { conflict, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import { positionIdParams } from '../request-schemas';
import { canSeePortfolio } from '../visible-portfolio';

/** The plan's fields are checked by the exit domain itself (it names the field at fault); here only its shape. */
const exitPlanBody = z.record(z.string(), z.unknown());

/** A position's lifecycle and its exit: the plan, its progress and every tranche. */
export function positionsRoutes(deps: GatewayDeps): Router {
  const router = Router();

  const visiblePosition = async (req: Request, id: string): Promise<PositionForExit> => {
    const position = await deps.exits.findPosition(id);
    if (!position || !(await canSeePortfolio(deps, req, position.portfolioId))) throw notFound('position', id);
    return position;
  };
  const openPosition = async (req: Request, id: string): Promise<PositionForExit> => {
    const position = await visiblePosition(req, id);
    if (position.status === 'CLOSED') throw conflict('POSITION_CLOSED', `position ${id} closed at ${position.closedAt?.toISOString()}`);
    return position;
  };
  const exitView = async (id: string): Promise<ExitView | null> => {
    const running = await deps.exitWorkflows.current(id);
    if (running) return running;
    const stored = await deps.exits.findExit(id);
    return stored && { positionId: id, portfolioId: stored.exit.portfolioId, symbol: stored.exit.symbol, workflowId: stored.exit.workflowId, state: stored.exit.state };
  };
  const start = async (req: Request, position: PositionForExit, plan: ExitPlanRequestDto, closeNow: boolean) => {
    const unsigned: Omit<StartExitCommand, 'signature'> = {
      positionId: position.positionId, portfolioId: position.portfolioId, symbol: position.symbol, plan, closeNow,
      requestedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString(),
    };
    return deps.exitWorkflows.start({ ...unsigned, signature: deps.signer.sign('start-exit', startExitSignedFields(unsigned)) });
  };
  const command = async (req: Request, positionId: string, action: ExitAction, amendment: ExitPlanRequestDto | null) => {
    const unsigned: Omit<ExitCommand, 'signature'> = { positionId, action, amendment, requestedBy: principalOf(req).name, issuedAt: deps.clock.now().toISOString() };
    return deps.exitWorkflows.command({ ...unsigned, signature: deps.signer.sign('exit-command', exitCommandSignedFields(unsigned)) });
  };
  const asPosition = (p: PositionForExit) => ({ direction: p.direction, entryPrice: p.entryPrice, quantity: quantity(p.openedQuantity), openedAt: p.openedAt, instrument: p.instrument });

  router.get('/v1/positions/:id', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(positionIdParams, req.params, 'params');
    const p = await visiblePosition(req, id);
    const stored = await deps.exits.findExit(id);
    res.json({
      positionId: p.positionId, portfolioId: p.portfolioId, symbol: p.symbol, direction: p.direction, status: p.status,
      entryPrice: p.entryPrice.toFixed(), openedQuantity: p.openedQuantity.toFixed(), quantity: p.quantity.toFixed(), realizedPnl: p.realizedPnl.toFixed(),
      openedAt: p.openedAt.toISOString(), closedAt: p.closedAt?.toISOString() ?? null,
      exit: stored && {
        workflowId: stored.exit.workflowId, status: stored.exit.status,
        tranches: stored.tranches.map((t) => ({
          trancheId: t.trancheId, orderId: t.orderId, reason: t.reason, quantity: t.quantity.toFixed(), triggerPrice: t.triggerPrice?.toFixed() ?? null,
          filledQuantity: t.filledQuantity.toFixed(), averagePrice: t.averagePrice?.toFixed() ?? null, realizedPnl: t.realizedPnl.toFixed(), status: t.status,
        })),
      },
    });
  });

  /** Starts the position's exit workflow; 409 when it already has one (amend it instead). */
  router.post('/v1/positions/:id/exit-plan', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(positionIdParams, req.params, 'params');
    const body = parseRequest(exitPlanBody, req.body) as ExitPlanRequestDto;
    const position = await openPosition(req, id);
    const plan = await prepareExitPlan(deps, body, asPosition(position));
    const view = await start(req, position, plan, false);
    res.status(201).location(`/v1/positions/${id}/exit-plan`).json(view);
  });

  router.get('/v1/positions/:id/exit-plan', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(positionIdParams, req.params, 'params');
    await visiblePosition(req, id);
    const view = await exitView(id);
    if (!view) throw notFound('exit plan', id);
    res.json(view);
  });

  /** Amends the running plan: the workflow refuses a stop moved against the position or fractions above what remains (422). */
  router.patch('/v1/positions/:id/exit-plan', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(positionIdParams, req.params, 'params');
    const body = parseRequest(exitPlanBody, req.body) as ExitPlanRequestDto;
    const position = await openPosition(req, id);
    const amendment = await prepareExitPlan(deps, body, asPosition(position));
    res.json(await command(req, id, 'amend', amendment));
  });

  for (const action of ['pause', 'resume'] as const) {
    router.post(`/v1/positions/:id/exit-plan/${action}`, requireRole('trader'), async (req, res) => {
      const { id } = parseRequest(positionIdParams, req.params, 'params');
      await openPosition(req, id);
      res.json(await command(req, id, action, null));
    });
  }

  /** Closes the position now: through its exit workflow, or one started for the purpose. */
  router.post('/v1/positions/:id/close', requireRole('trader'), async (req, res) => {
    const { id } = parseRequest(positionIdParams, req.params, 'params');
    const position = await openPosition(req, id);
    const running = await deps.exitWorkflows.current(id);
    const view = running ? await command(req, id, 'close', null) : await start(req, position, {}, true);
    res.status(202).location(`/v1/positions/${id}/exit-plan`).json(view);
  });

  return router;
}

