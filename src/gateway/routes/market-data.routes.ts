import { Router } from 'express';
import { dec, toWire } from '../../domain/values/decimal';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { badRequest, notFound } from '../http-errors';
import { parseRequest } from '../request-validation';
import { instrumentBody, setQuoteBody, symbolParams } from '../request-schemas';

const MAX_CLOCK_SKEW_MS = 60_000;

export function marketDataRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.get('/v1/instruments', requireRole('viewer'), async (_req, res) => {
    const instruments = await deps.marketData.listInstruments();
    res.json({
      instruments: instruments.map((i) => ({
        symbol: i.symbol, name: i.name, assetClass: i.assetClass, currency: i.currency, sector: i.sector,
        tickSize: toWire(i.tickSize), lotSize: toWire(i.lotSize), minNotional: toWire(i.minNotional),
      })),
    });
  });

  /** Creates or replaces an instrument's trading rules: how production gets its instruments. */
  router.put('/v1/instruments/:symbol', requireRole('admin'), async (req, res) => {
    const { symbol } = parseRequest(symbolParams, req.params, 'params');
    const body = parseRequest(instrumentBody, req.body);
    const { created } = await deps.marketData.upsertInstrument({
      symbol, name: body.name, assetClass: body.assetClass, currency: body.currency, sector: body.sector,
      tickSize: dec(body.tickSize), lotSize: dec(body.lotSize), minNotional: dec(body.minNotional),
    }, principalOf(req).name);
    res.status(created ? 201 : 200).json({ symbol, ...body, tickSize: toWire(dec(body.tickSize)), lotSize: toWire(dec(body.lotSize)), minNotional: toWire(dec(body.minNotional)) });
  });

  router.get('/v1/quotes/:symbol', requireRole('viewer'), async (req, res) => {
    const { symbol } = parseRequest(symbolParams, req.params, 'params');
    const quote = await deps.marketData.findQuote(symbol);
    if (!quote) throw notFound('quote', symbol);
    res.json(quote);
  });

  /** Sets the latest quote (the paper market's price feed) and wakes resting orders on the symbol. */
  router.put('/v1/quotes/:symbol', requireRole('admin'), async (req, res) => {
    const { symbol } = parseRequest(symbolParams, req.params, 'params');
    const body = parseRequest(setQuoteBody, req.body);
    const last = dec(body.last);
    const bid = body.bid ? dec(body.bid) : last;
    const ask = body.ask ? dec(body.ask) : last;
    const now = deps.clock.now();
    const asOf = body.asOf ? new Date(body.asOf) : now;
    const problems = [
      ...(bid.gt(ask) ? [{ field: 'bid', rule: 'bid must not be above ask' }] : []),
      ...(asOf.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS ? [{ field: 'asOf', rule: 'asOf must not be in the future' }] : []),
    ];
    if (problems.length > 0) throw badRequest(problems);
    if (!(await deps.marketData.findInstrument(symbol))) throw notFound('instrument', symbol);
    const quote = await deps.marketData.upsertQuote({ symbol, bid, ask, last, asOf }, 'api', principalOf(req).name);
    await deps.orderWorkflows.notifyMarketMoved(await deps.orders.restingOrderWorkflowIds(symbol));
    res.json(quote);
  });

  return router;
}
