import { Router } from 'express';
import { toInstrumentView, toQuoteView } from '../../contracts/market-data-views';
import { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { quantity } from '../../domain/values/quantity';
import { principalOf, requireRole } from '../api-key-auth';
import type { GatewayDeps } from '../gateway-deps';
import { badRequest, HttpError, notFound, type FieldProblem } from '../http-errors';
import { parsePriceCsv, preparePriceHistory, PriceImportError, type RawClose } from '../../domain/market/price-history-import';
import { UnknownInstrumentsError } from '../../ports/market-data.port';
import { isMultipleOf, toWire } from '../../domain/values/decimal';
import { parseRequest } from '../request-validation';
import { instrumentBody, priceHistoryBody, setQuoteBody, symbolParams } from '../request-schemas';

export function marketDataRoutes(deps: GatewayDeps): Router {
  const router = Router();

  router.get('/v1/instruments', requireRole('viewer'), async (_req, res) => {
    res.json({ instruments: (await deps.marketData.listInstruments()).map(toInstrumentView) });
  });

  /** Creates or replaces an instrument's trading rules: how production gets its instruments. */
  router.put('/v1/instruments/:symbol', requireRole('admin'), async (req, res) => {
    const { symbol } = parseRequest(symbolParams, req.params, 'params');
    const body = parseRequest(instrumentBody, req.body);
    const instrument = {
      symbol, name: body.name, assetClass: body.assetClass, currency: body.currency, sector: body.sector,
      tickSize: price(body.tickSize), lotSize: quantity(body.lotSize), minNotional: Money.of(body.minNotional, body.currency),
    };
    const { created } = await deps.marketData.upsertInstrument(instrument, principalOf(req).name);
    res.status(created ? 201 : 200).json(toInstrumentView(instrument));
  });

  router.get('/v1/quotes/:symbol', requireRole('viewer'), async (req, res) => {
    const { symbol } = parseRequest(symbolParams, req.params, 'params');
    const sourced = await deps.marketData.findQuote(symbol);
    if (!sourced) throw notFound('quote', symbol);
    res.json(toQuoteView(sourced.quote, sourced.source));
  });

  /** Sets the latest quote (the paper market's price feed) and wakes the resting orders and the exits it crosses. */
  router.put('/v1/quotes/:symbol', requireRole('admin'), async (req, res) => {
    const { symbol } = parseRequest(symbolParams, req.params, 'params');
    const body = parseRequest(setQuoteBody, req.body);
    const instrument = await deps.marketData.findInstrument(symbol);
    if (!instrument) throw notFound('instrument', symbol);
    const last = price(body.last);
    const bid = body.bid ? price(body.bid) : last;
    const ask = body.ask ? price(body.ask) : last;
    const now = deps.clock.now();
    const asOf = body.asOf ? new Date(body.asOf) : now;
    const skew = deps.settings.quoteMaxSkewSeconds;
    const offTick = (['bid', 'ask', 'last'] as const).filter((field) => body[field] !== undefined && !isMultipleOf(price(body[field]!), instrument.tickSize));
    const problems: FieldProblem[] = [
      ...(bid.gt(last) ? [{ field: 'bid', rule: 'bid must not be above last' }] : []),
      ...(last.gt(ask) ? [{ field: 'last', rule: 'last must not be above ask' }] : []),
      ...offTick.map((field) => ({ field, rule: `${field} must be a multiple of the tick size ${toWire(instrument.tickSize)}` })),
      ...(Math.abs(asOf.getTime() - now.getTime()) > skew * 1000 ? [{ field: 'asOf', rule: `asOf must be within ${skew} s of the server's clock` }] : []),
    ];
    if (problems.length > 0) throw badRequest(problems);
    const quote = { symbol, bid, ask, last, asOf };
    const tick = await deps.marketData.upsertQuote(quote, 'api', principalOf(req).name);
    // Wake the orders it crosses now. Should that fail, the stored tick is the outbox: a worker's
    // sweep wakes them; the quote itself is stored either way.
    try {
      await deps.orderWorkflows.notifyMarketMoved([...await deps.orders.restingOrdersCrossedBy(quote), ...await deps.exits.exitsCrossedBy(quote)]);
      await deps.quoteTicks.markWoken(tick.seq);
    } catch (err) {
      deps.logger.warn('resting orders not woken yet: a worker will', { symbol, tick: tick.seq, error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
    }
    res.json(toQuoteView(quote, 'api'));
  });

  /**
   * Loads daily closes: JSON, or CSV (long `symbol,date,close` or wide `date,<SYMBOL>,…`) as text/csv
   * or in `csv`. Unsorted dates are sorted, a repeated date keeps its last close, gaps are reported;
   * a malformed row is a 400 naming it, an unknown symbol a 422, and then nothing is loaded.
   */
  router.post('/v1/price-history', requireRole('admin'), async (req, res) => {
    let raw: RawClose[];
    let emptyCells = new Map<string, number>();
    let where: (i: number) => string;
    try {
      const body = typeof req.body === 'string' ? { csv: req.body } : parseRequest(priceHistoryBody, req.body);
      if ('csv' in body) {
        ({ closes: raw, emptyCells } = parsePriceCsv(body.csv));
        where = (i) => `csv close ${i + 1}`;
      } else {
        raw = body.prices;
        where = (i) => `prices.${i}`;
      }
      const { histories, report } = preparePriceHistory(raw, where, emptyCells);
      const written = await deps.marketData.upsertPriceHistory(histories, principalOf(req).name);
      res.json({ ...written, symbols: report });
    } catch (err) {
      if (err instanceof PriceImportError) throw badRequest(err.problems.map((p) => ({ field: p.at, rule: p.rule })));
      if (err instanceof UnknownInstrumentsError) throw new HttpError(422, err.code, err.message, { symbols: err.symbols });
      throw err;
    }
  });

  return router;
}
