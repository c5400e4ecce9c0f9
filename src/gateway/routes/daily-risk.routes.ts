import { Router } from 'express';
import { dailyRiskSignedFields } from '../../contracts/command-signatures';
import type { DailyRiskCommand } from '../../contracts/daily-risk-contracts';
import type { RiskSnapshotRecord } from '../../ports/daily-risk.port';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { HttpError, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import { dailyRiskRunBody, dailyRiskSettingsBody, portfolioIdParams, riskReportQuery, riskSnapshotsQuery } from '../request-schemas';
import { DEFAULT_DAILY_RISK_SETTINGS, type DailyRiskSettings } from '../../domain/daily-risk';
import { dec, toWire } from '../../domain/values/decimal';
import { canSeePortfolio, requireVisiblePortfolio } from '../visible-portfolio';

const settingsView = (portfolioId: string, s: DailyRiskSettings) => ({
  portfolioId, maxDrawdownPct: s.maxDrawdownPct === null ? null : toWire(s.maxDrawdownPct), maxVar95Pct: s.maxVar95Pct === null ? null : toWire(s.maxVar95Pct),
  actions: s.actions, stopOutLimit: s.stopOutLimit, stopOutLookbackMinutes: s.stopOutLookbackMinutes, cooldownMinutes: s.cooldownMinutes,
  benchmarkSymbol: s.benchmarkSymbol, minObservations: s.minObservations, deRiskingScale: s.deRiskingScale === null ? null : toWire(s.deRiskingScale),
});

const snapshotView = (s: RiskSnapshotRecord) => ({ ...s, computedAt: s.computedAt.toISOString() });

/** The daily risk run (run now, backfill), its snapshots, and a portfolio's risk report. */
export function dailyRiskRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.post('/v1/risk/daily-checks/run', requireRole('admin'), async (req, res) => {
    const body = parseRequest(dailyRiskRunBody, req.body);
    const principal = principalOf(req);
    // A key limited to some portfolios runs only those.
    let portfolioIds = body.portfolioIds;
    if (principal.portfolios !== 'all') {
      const visible = await deps.access.visible(principal);
      const allowed = visible === 'all' ? null : new Set(visible);
      if (allowed !== null) portfolioIds = (portfolioIds ?? [...allowed]).filter((id) => allowed.has(id));
      for (const id of body.portfolioIds ?? []) if (allowed !== null && !allowed.has(id)) throw notFound('portfolio', id);
    }
    const unsigned: Omit<DailyRiskCommand, 'signature'> = {
      runId: deps.newId(), requestedBy: principal.name, issuedAt: deps.clock.now().toISOString(),
      ...(body.date !== undefined && { date: body.date }),
      ...(body.from !== undefined && { from: body.from }),
      ...(body.to !== undefined && { to: body.to }),
      ...(portfolioIds !== undefined && { portfolioIds }),
    };
    const command: DailyRiskCommand = { ...unsigned, signature: deps.signer.sign('daily-risk', dailyRiskSignedFields(unsigned)) };
    const run = await deps.dailyRiskWorkflows.run(command);
    if (run.kind === 'running') {
      res.status(202).json({ runId: command.runId, workflowId: run.workflowId, status: 'RUNNING' });
      return;
    }
    res.json({ runId: command.runId, workflowId: run.report.runId, status: 'COMPLETED', dates: run.report.dates });
  });

  router.get('/v1/risk/snapshots', requireRole('viewer'), async (req, res) => {
    const q = parseRequest(riskSnapshotsQuery, req.query, 'query');
    let portfolioIds: 'all' | string[];
    if (q.portfolioId !== undefined) {
      if (!(await canSeePortfolio(deps, req, q.portfolioId))) throw notFound('portfolio', q.portfolioId);
      portfolioIds = [q.portfolioId];
    } else {
      portfolioIds = await deps.access.visible(principalOf(req));
    }
    const snapshots = await deps.riskSnapshots.listSnapshots({ portfolioIds, ...(q.from !== undefined && { from: q.from }), ...(q.to !== undefined && { to: q.to }), limit: q.limit });
    res.json({ snapshots: snapshots.map(snapshotView) });
  });

  router.get('/v1/portfolios/:id/risk-report', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const { days } = parseRequest(riskReportQuery, req.query, 'query');
    await requireVisiblePortfolio(deps, req, id);
    const recent = await deps.riskSnapshots.latestSnapshots(id, days);
    const latest = recent[0];
    if (!latest) throw new HttpError(404, 'NO_RISK_SNAPSHOT', `portfolio ${id} has no risk snapshot yet: run the daily check (POST /v1/risk/daily-checks/run)`);
    const figure = (s: RiskSnapshotRecord, path: readonly string[]) => path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), s.risk) ?? null;
    res.json({
      portfolioId: id,
      latest: snapshotView(latest),
      // Oldest first, for charts.
      trend: [...recent].reverse().map((s) => ({
        date: s.date, equity: s.equity, dailyPnl: s.dailyPnl, tradingState: s.tradingState,
        var95: figure(s, ['var', 'historical', '0.95']), var99: figure(s, ['var', 'historical', '0.99']),
        volatility: figure(s, ['volatility']), currentDrawdown: figure(s, ['currentDrawdown']), betaAdjustedNet: figure(s, ['betaAdjustedExposure', 'net']),
        breaches: s.breaches.map((b) => b.kind),
      })),
    });
  });

  router.get('/v1/portfolios/:id/daily-risk-settings', requireRole('viewer'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    await requireVisiblePortfolio(deps, req, id);
    res.json(settingsView(id, await deps.riskSnapshots.findSettings(id)));
  });

  router.put('/v1/portfolios/:id/daily-risk-settings', requireRole('admin'), async (req, res) => {
    const { id } = parseRequest(portfolioIdParams, req.params, 'params');
    const body = parseRequest(dailyRiskSettingsBody, req.body);
    await requireVisiblePortfolio(deps, req, id);
    const benchmarkSymbol = body.benchmarkSymbol ?? null;
    if (benchmarkSymbol !== null && (await deps.marketData.findInstrument(benchmarkSymbol)) === null) {
      throw new HttpError(422, 'UNKNOWN_INSTRUMENT', `benchmarkSymbol ${benchmarkSymbol} is not a known instrument`, { field: 'benchmarkSymbol', symbol: benchmarkSymbol });
    }
    const d = DEFAULT_DAILY_RISK_SETTINGS;
    const written = await deps.riskSnapshots.writeSettings(id, {
      maxDrawdownPct: body.maxDrawdownPct ? dec(body.maxDrawdownPct) : null, maxVar95Pct: body.maxVar95Pct ? dec(body.maxVar95Pct) : null,
      actions: body.actions ?? {}, stopOutLimit: body.stopOutLimit ?? null,
      stopOutLookbackMinutes: body.stopOutLookbackMinutes ?? d.stopOutLookbackMinutes, cooldownMinutes: body.cooldownMinutes ?? d.cooldownMinutes,
      benchmarkSymbol, minObservations: body.minObservations ?? d.minObservations, deRiskingScale: body.deRiskingScale ? dec(body.deRiskingScale) : null,
    }, principalOf(req).name);
    res.json(settingsView(id, written));
  });

  return router;
}
