import { Router } from 'express';
import { toStrategyWeightsView } from '../../contracts/signal-views';
import { DEFAULT_SIGNAL_COMBINATION_SETTINGS, type SignalCombinationSettings } from '../../domain/signals/signal-combination';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { notFound } from '../http-errors';
import { evaluateSignalsBody, portfolioIdParams, strategyWeightsBody } from '../request-schemas';
import { parseRequest } from '../request-validation';
import { effectiveSignalSettings, evaluateStrategySignals } from '../signal-evaluation-service';
import { canSeePortfolio, requireVisiblePortfolio } from '../visible-portfolio';

/** Strategy weights per portfolio, and the combination of strategy signals into one decision. */
export function signalsRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.get('/v1/portfolios/:id/strategy-weights', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    if (!(await canSeePortfolio(deps, req, id)) || !(await deps.portfolios.exists(id))) throw notFound('portfolio', id);
    const effective = await effectiveSignalSettings(deps, id);
    res.json(toStrategyWeightsView(id, effective.source, effective.settings, effective.updatedBy, effective.updatedAt));
  });

  router.put('/v1/portfolios/:id/strategy-weights', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(strategyWeightsBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    const settings: SignalCombinationSettings = {
      weights: new Map(Object.entries(body.weights)),
      minStrength: body.minStrength ?? DEFAULT_SIGNAL_COMBINATION_SETTINGS.minStrength,
      minConfidence: body.minConfidence ?? DEFAULT_SIGNAL_COMBINATION_SETTINGS.minConfidence,
      minAgreement: body.minAgreement ?? DEFAULT_SIGNAL_COMBINATION_SETTINGS.minAgreement,
    };
    const stored = await deps.signalSettings.replace(id, settings, principalOf(req).name);
    res.json(toStrategyWeightsView(id, 'portfolio', stored.settings, stored.updatedBy, stored.updatedAt));
  });

  router.post('/v1/signals/evaluate', requireRole('trader'), async (req, res) => {
    const body = parseRequest(evaluateSignalsBody, req.body);
    await requireVisiblePortfolio(deps, req, body.portfolioId);
    const { evaluation, weightsSource } = await evaluateStrategySignals(deps, body);
    res.json({ portfolioId: body.portfolioId, symbol: body.symbol ?? null, weightsSource, ...evaluation });
  });

  return router;
}
