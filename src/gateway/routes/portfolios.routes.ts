import { Router } from 'express';
import { Money } from '../../domain/values/money';
import { AccountNotFoundError } from '../../ports/portfolios.port';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { notFound } from '../http-errors';
import { canSeePortfolio } from '../visible-portfolio';
import { parseRequest } from '../request-validation';
import { createPortfolioBody, listPortfoliosQuery, portfolioIdParams } from '../request-schemas';

export function portfoliosRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.post('/v1/portfolios', requireRole('admin'), async (req, res) => {
    const body = parseRequest(createPortfolioBody, req.body);
    const id = deps.newId();
    try {
      await deps.portfolios.createPortfolio({
        id, accountId: body.accountId, name: body.name, initialCash: Money.of(body.initialCash, body.baseCurrency), createdBy: principalOf(req).name,
      });
    } catch (err) {
      if (err instanceof AccountNotFoundError) throw notFound('account', body.accountId);
      throw err;
    }
    res.status(201).json(await deps.portfolios.findPortfolio(id));
  });

  router.get('/v1/portfolios', requireRole('viewer'), async (req, res) => {
    const { limit } = parseRequest(listPortfoliosQuery, req.query, 'query');
    const visible = await deps.access.visible(principalOf(req));
    res.json({ portfolios: await deps.portfolios.listPortfolios(limit, visible === 'all' ? undefined : visible) });
  });

  router.get('/v1/portfolios/:id', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const view = (await canSeePortfolio(deps, req, id)) ? await deps.portfolios.findPortfolio(id) : null;
    if (!view) throw notFound('portfolio', id);
    res.json(view);
  });

  return router;
}
