import { Router } from 'express';
import { toSizingSettingsView } from '../../contracts/position-sizing-views';
import { DEFAULT_DYNAMIC_STOPS, STOP_METHODS, type StopMethod } from '../../domain/sizing/dynamic-stops';
import { SIZING_METHODS, type SizingMethod } from '../../domain/sizing/position-sizing';
import { DEFAULT_SIZING_SETTINGS } from '../../domain/sizing/sizing-settings';
import { dec, toWire } from '../../domain/values/decimal';
import { SizingSettingsVersionConflictError } from '../../ports/sizing.port';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { conflict } from '../http-errors';
import { effectiveSizingSettings, sizePositionFor, toPositionSizingView } from '../position-sizing-service';
import { parseRequest } from '../request-validation';
import { portfolioIdParams, positionSizingBody, sizingMethodFields, sizingSettingsBody, stopsSpecSchema, type SizingSpec } from '../request-schemas';
import { requireVisiblePortfolio } from '../visible-portfolio';

/** What each input field of a sizing request means (the schema says whether a method requires it). */
const FIELD_DESCRIPTIONS: Record<string, string> = {
  amount: 'Money to put in the position, in the portfolio\'s currency (decimal string > 0).',
  percent: 'Share of equity, in (0, 1] (0.05 = 5 %).',
  winProbability: 'Probability p that a trade wins, in [0, 1].',
  payoffRatio: 'Average win / average loss b (> 0).',
  fraction: 'Fraction of full Kelly, in (0, 1]; default the portfolio\'s kellyFraction.',
  assetVolatility: 'The asset\'s volatility (> 0), in the same units as the others (annualised, say).',
  otherVolatilities: 'Volatilities of the portfolio\'s other positions (array of decimal strings > 0; may be empty).',
  targetVolatility: 'The volatility the position should contribute (> 0).',
  confidence: 'A signal\'s confidence in [0, 1]: the input of CONFIDENCE_WEIGHTED; for other methods it scales the size (below minConfidence: nothing).',
  tradeResults: 'P&L per unit of past trades (array of signed decimal strings, at least one loss).',
  stopLoss: 'The stop the position will carry (decimal string): below the ask for a BUY, above the bid for a SELL. The risk caps are measured at it. Not with stops.',
  openRisk: 'What the portfolio\'s open positions may already lose at their stops, in its currency (default 0).',
  stops: 'A dynamic stop loss and take profit from price history: { method: ATR|STDDEV, lookbackDays?, stopMultiplier?, takeProfitMultiplier?, minDistancePct?, maxDistancePct? }. Not with stopLoss.',
};

function methodsView() {
  const fields = sizingMethodFields();
  const stopsFields = Object.entries(stopsSpecSchema.shape).map(([name, schema]) => ({ name, required: !schema.isOptional() }));
  return {
    requestFields: ['portfolioId', 'symbol', 'side', 'method'],
    methods: (Object.keys(SIZING_METHODS) as SizingMethod[]).map((method) => {
      const own = [...(fields[method] ?? []), { name: 'stops', required: false }];
      return {
        method,
        description: SIZING_METHODS[method],
        requiredFields: own.filter((f) => f.required).map((f) => f.name),
        optionalFields: own.filter((f) => !f.required).map((f) => f.name),
        fields: own.map((f) => ({ ...f, description: FIELD_DESCRIPTIONS[f.name] ?? '' })),
      };
    }),
    stopMethods: (Object.keys(STOP_METHODS) as StopMethod[]).map((method) => ({
      method,
      description: STOP_METHODS[method],
      fields: stopsFields,
      defaults: {
        lookbackDays: DEFAULT_DYNAMIC_STOPS.lookbackDays[method], stopMultiplier: toWire(DEFAULT_DYNAMIC_STOPS.stopMultiplier),
        takeProfitMultiplier: toWire(DEFAULT_DYNAMIC_STOPS.takeProfitMultiplier), minDistancePct: toWire(DEFAULT_DYNAMIC_STOPS.minDistancePct),
        maxDistancePct: toWire(DEFAULT_DYNAMIC_STOPS.maxDistancePct),
      },
    })),
    defaultSettings: Object.fromEntries(Object.entries(DEFAULT_SIZING_SETTINGS).map(([k, v]) => [k, toWire(v)])),
  };
}

/** Position sizing, dynamic stops and each portfolio's sizing settings. */
export function positionSizingRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.get('/v1/position-sizing/methods', requireRole('viewer'), (_req, res) => {
    res.json(methodsView());
  });

  /** Sizes a position without placing anything: a trader's question before an order. */
  router.post('/v1/position-sizing', requireRole('trader'), async (req, res) => {
    const body = parseRequest(positionSizingBody, req.body);
    await requireVisiblePortfolio(deps, req, body.portfolioId);
    // What is left of the body is the method's spec, as sizingSpecSchema parses it (the union's rest type loses its discriminant).
    const { portfolioId, symbol, side, stops, ...sizing } = body;
    const request = { portfolioId, symbol, side, sizing: sizing as SizingSpec, ...(stops && { stops }) };
    res.json(toPositionSizingView(request, await sizePositionFor(deps, request)));
  });

  router.get('/v1/portfolios/:id/sizing-settings', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    await requireVisiblePortfolio(deps, req, id);
    res.json(toSizingSettingsView(await effectiveSizingSettings(deps, id)));
  });

  router.put('/v1/portfolios/:id/sizing-settings', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(sizingSettingsBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    const settings = {
      maxPortfolioRisk: dec(body.maxPortfolioRisk), maxPositionRisk: dec(body.maxPositionRisk), baseSize: dec(body.baseSize),
      confidenceMultiplier: dec(body.confidenceMultiplier), kellyFraction: dec(body.kellyFraction), minConfidence: dec(body.minConfidence),
    };
    try {
      const stored = await deps.sizingSettings.replace(id, settings, principalOf(req).name, body.expectedVersion);
      res.json(toSizingSettingsView({ ...stored, source: 'portfolio' }));
    } catch (err) {
      if (err instanceof SizingSettingsVersionConflictError) {
        throw conflict('SIZING_SETTINGS_VERSION_CONFLICT', err.message, { expectedVersion: err.expectedVersion, currentVersion: err.currentVersion });
      }
      throw err;
    }
  });

  return router;
}
