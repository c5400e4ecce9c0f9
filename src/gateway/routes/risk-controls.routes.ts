import { Router } from 'express';
import {
  toAccountLimitsView, toEffectiveLimitsView, toInstrumentLimitsView, toRiskLimitsView, toTradingStateView,
} from '../../contracts/risk-limit-views';
import { RISK_REASON_TABLE } from '../../domain/risk/risk-reason-codes';
import { resolveRiskLimits, RISK_LIMIT_KINDS, type RiskLimits, type RiskLimitSettings } from '../../domain/risk/risk-limits';
import { dec } from '../../domain/values/decimal';
import { InstrumentNotFoundError, RiskLimitRejectedError } from '../../ports/risk-limits.port';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { badRequest, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import {
  accountIdParams, accountLimitsBody, accountStatusBody, effectiveLimitsQuery, instrumentLimitsBody, portfolioIdParams,
  riskLimitsBody, symbolParams, tradingStateBody, type RiskLimitsBody,
} from '../request-schemas';
import { canSeePortfolio, requireVisiblePortfolio } from '../visible-portfolio';
import { announceStateChange } from '../state-change-announcement';

const decimalOrNull = (v: string | null) => (v === null ? null : dec(v));

function toSettings(body: RiskLimitsBody): RiskLimitSettings {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, v !== null && RISK_LIMIT_KINDS[k as keyof RiskLimits] === 'decimal' ? dec(v as string) : v])) as RiskLimitSettings;
}

/** Rules across fields, on the limits as they will apply (defaults filled in). */
function assertConsistent(settings: RiskLimitSettings): void {
  const l = resolveRiskLimits(settings);
  const problems = [];
  // A position larger than equity needs borrowed money: only with leverage allowed.
  if (l.maxPositionPctOfEquity.gt(1) && !l.maxGrossLeverage.gt(1)) {
    problems.push({ field: 'maxPositionPctOfEquity', rule: 'maxPositionPctOfEquity must be at most 1 unless maxGrossLeverage is above 1' });
  }
  if (l.correlationMinObservations > l.correlationLookbackDays) {
    problems.push({ field: 'correlationMinObservations', rule: `correlationMinObservations must be at most correlationLookbackDays (${l.correlationLookbackDays})` });
  }
  if (problems.length > 0) throw badRequest(problems);
}

/** Limits per portfolio, account and instrument; trading states; account status; the reason codes. */
export function riskControlsRoutes(deps: GatewayDeps): Router {
  const router = Router();
  const { riskLimits } = deps;

  router.get('/v1/risk/reason-codes', requireRole('viewer'), (_req, res) => {
    res.json({ reasonCodes: RISK_REASON_TABLE });
  });

  router.get('/v1/portfolios/:id/risk-limits', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const stored = (await canSeePortfolio(deps, req, id)) ? await riskLimits.findPortfolioLimits(id) : null;
    if (!stored) throw notFound('portfolio', id);
    res.json(toRiskLimitsView(stored));
  });

  for (const [method, mode] of [['put', 'replace'], ['patch', 'merge']] as const) {
    router[method]('/v1/portfolios/:id/risk-limits', requireRole('admin'), async (req, res) => {
      const { id } = parseRequest(portfolioIdParams, req.params, 'params');
      const settings = toSettings(parseRequest(riskLimitsBody, req.body));
      await requireVisiblePortfolio(deps, req, id);
      const current = mode === 'merge' ? (await riskLimits.findPortfolioLimits(id))?.limits ?? {} : {};
      assertConsistent({ ...current, ...settings });
      try {
        res.json(toRiskLimitsView(await riskLimits.writePortfolioLimits(id, settings, mode, principalOf(req).name)));
      } catch (err) {
        if (err instanceof RiskLimitRejectedError) throw badRequest([{ field: err.field, rule: err.message }]);
        throw err;
      }
    });
  }

  router.get('/v1/portfolios/:id/risk-limits/effective', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const { symbol } = parseRequest(effectiveLimitsQuery, req.query, 'query');
    if (!(await canSeePortfolio(deps, req, id))) throw notFound('portfolio', id);
    const [portfolio, state, account] = await Promise.all([
      riskLimits.findPortfolioLimits(id), riskLimits.findTradingState('portfolio', id), riskLimits.findAccountOfPortfolio(id)]);
    if (!portfolio || !state || !account) throw notFound('portfolio', id);
    let instrument;
    if (symbol !== undefined) {
      const [found, limits] = await Promise.all([deps.marketData.findInstrument(symbol), riskLimits.findInstrumentLimits(symbol)]);
      if (!found || !limits) throw notFound('instrument', symbol);
      instrument = { symbol, assetClass: found.assetClass, limits: limits.limits };
    }
    res.json(toEffectiveLimitsView({
      portfolioId: id, portfolio, portfolioState: state, account: account.account, accountLimits: account.limits.limits, ...(instrument && { instrument }),
    }));
  });

  router.get('/v1/portfolios/:id/trading-state', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const state = (await canSeePortfolio(deps, req, id)) ? await riskLimits.findTradingState('portfolio', id) : null;
    if (!state) throw notFound('portfolio', id);
    res.json({ portfolioId: id, ...toTradingStateView(state) });
  });

  router.post('/v1/portfolios/:id/trading-state', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(tradingStateBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    const state = await riskLimits.setTradingState('portfolio', id, body.state, body.reason, principalOf(req).name);
    if (!state) throw notFound('portfolio', id);
    await announceStateChange(deps, state.deliveryIds);
    res.json({ portfolioId: id, ...toTradingStateView(state) });
  });

  // Accounts span portfolios: only admins read or change them.
  router.get('/v1/accounts/:id', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(accountIdParams, req.params, 'params');
    const found = await riskLimits.findAccount(id);
    if (!found) throw notFound('account', id);
    res.json({ accountId: id, status: found.account.status, tradingState: toTradingStateView(found.account.tradingState), riskLimits: toAccountLimitsView(found.limits) });
  });

  router.put('/v1/accounts/:id/risk-limits', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(accountIdParams, req.params, 'params');
    const body = parseRequest(accountLimitsBody, req.body);
    if (!(await riskLimits.findAccount(id))) throw notFound('account', id);
    const written = await riskLimits.writeAccountLimits(id, {
      maxOrderValue: decimalOrNull(body.maxOrderValue), maxOrderQuantity: decimalOrNull(body.maxOrderQuantity),
      maxDailyTrades: body.maxDailyTrades, allowedSymbols: body.allowedSymbols,
    }, principalOf(req).name);
    res.json(toAccountLimitsView(written));
  });

  router.post('/v1/accounts/:id/trading-state', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(accountIdParams, req.params, 'params');
    const body = parseRequest(tradingStateBody, req.body);
    const state = await riskLimits.setTradingState('account', id, body.state, body.reason, principalOf(req).name);
    if (!state) throw notFound('account', id);
    await announceStateChange(deps, state.deliveryIds);
    res.json({ accountId: id, ...toTradingStateView(state) });
  });

  router.post('/v1/accounts/:id/status', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(accountIdParams, req.params, 'params');
    const body = parseRequest(accountStatusBody, req.body);
    const account = await riskLimits.setAccountStatus(id, body.status, body.reason, principalOf(req).name);
    if (!account) throw notFound('account', id);
    res.json({ accountId: id, status: account.status });
  });

  router.get('/v1/instruments/:symbol/risk-limits', requireRole('viewer'), async (req, res) => {
    const { symbol } = parseRequest(symbolParams, req.params, 'params');
    const limits = await riskLimits.findInstrumentLimits(symbol);
    if (!limits) throw notFound('instrument', symbol);
    res.json(toInstrumentLimitsView(symbol, limits));
  });

  router.put('/v1/instruments/:symbol/risk-limits', requireRole('admin'), async (req, res) => {
    const { symbol } = parseRequest(symbolParams, req.params, 'params');
    const body = parseRequest(instrumentLimitsBody, req.body);
    try {
      const written = await riskLimits.writeInstrumentLimits(symbol, {
        maxOrderValue: decimalOrNull(body.maxOrderValue), maxOrderQuantity: decimalOrNull(body.maxOrderQuantity), priceCollarPct: decimalOrNull(body.priceCollarPct),
      }, principalOf(req).name);
      res.json(toInstrumentLimitsView(symbol, written));
    } catch (err) {
      if (err instanceof InstrumentNotFoundError) throw notFound('instrument', symbol);
      throw err;
    }
  });

  return router;
}
