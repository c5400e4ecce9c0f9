import { evaluatePreTradeRisk } from '../../../../src/domain/risk/pre-trade-engine';
import type { RiskContextInput } from '../../../../src/domain/risk/risk-context';
import type { RiskReasonCode } from '../../../../src/domain/risk/risk-decision';
import { price } from '../../../../src/domain/values/price';
import { AAPL, asOf, d, holding, limits, marks, openOrder, quote, riskInput, usd } from './risk-fixtures';

const codes = (i: RiskContextInput) => evaluatePreTradeRisk(i).reasons.map((r) => r.code);

describe('pre-trade risk engine', () => {
  it('when an order is within every limit, then it is approved at the ask with its notional', () => {
    const decision = evaluatePreTradeRisk(riskInput());
    expect(decision.approved).toBe(true);
    expect(decision.reasons).toEqual([]);
    expect(decision.referencePrice?.toFixed()).toBe('100.01');
    expect(decision.estimatedNotional?.toString()).toBe('1000.1 USD');
  });

  const denials: Array<[string, RiskContextInput, RiskReasonCode]> = [
    ['the quantity is zero', riskInput({}, { quantity: 0 }), 'INVALID_QUANTITY'],
    ['a limit order has no price', riskInput({}, { type: 'LIMIT' }), 'INVALID_PRICE'],
    ['the limit price is off the tick grid', riskInput({}, { type: 'LIMIT', limitPrice: '100.005' }), 'PRICE_TICK_SIZE'],
    ['the quantity is not a whole lot', riskInput({}, { quantity: '1.5' }), 'LOT_SIZE'],
    ['the order value is below the minimum notional', riskInput({ instrument: { ...AAPL, minNotional: usd(5000) } }), 'MIN_NOTIONAL'],
    ['the order value exceeds the maximum order value', riskInput({ limits: limits({ maxOrderValue: d(500) }) }), 'MAX_ORDER_VALUE'],
    ['the position would exceed its share of equity', riskInput({}, { quantity: 300 }), 'MAX_POSITION_PCT_OF_EQUITY'],
    ['gross leverage would exceed the limit', riskInput({ limits: limits({ maxGrossLeverage: d('0.005') }) }), 'MAX_GROSS_LEVERAGE'],
    ['cash does not cover price and fee', riskInput({ cash: 1000, limits: limits({ maxPositionPctOfEquity: d(10), maxGrossLeverage: d(10) }) }), 'INSUFFICIENT_CASH'],
    ['a sell exceeds the position and shorting is off', riskInput({}, { side: 'SELL' }), 'INSUFFICIENT_POSITION'],
    ['the symbol is not on the allow-list', riskInput({ limits: limits({ allowedSymbols: ['MSFT'] }) }), 'SYMBOL_NOT_ALLOWED'],
    ['the instrument is unknown', riskInput({ instrument: null }), 'UNKNOWN_INSTRUMENT'],
    ['the instrument is quoted in another currency', riskInput({ instrument: { ...AAPL, currency: 'EUR' } }), 'CURRENCY_MISMATCH'],
    ['there is no quote', riskInput({ quote: null }), 'QUOTE_MISSING'],
    ['the quote is older than allowed', riskInput({ quote: quote({ asOf: new Date(asOf.getTime() - 301_000) }) }), 'QUOTE_STALE'],
    ['the quote\'s time cannot be read', riskInput({ quote: quote({ asOf: new Date(Number.NaN) }) }), 'QUOTE_STALE'],
    ['a new symbol would exceed the open-position count', riskInput({ holdings: [holding('MSFT', 1, 10)], marks: marks({ MSFT: 10 }), limits: limits({ maxOpenPositions: 1 }) }), 'MAX_OPEN_POSITIONS'],
    ['equity is negative and the order adds exposure', riskInput({ cash: -1000, holdings: [holding('MSFT', 1, 10)], marks: marks({ MSFT: 10 }), limits: limits({ allowShort: true }) }, { side: 'SELL', quantity: 1 }), 'EQUITY_NOT_POSITIVE'],
    ['the portfolio is halted', riskInput({ tradingState: 'HALTED' }), 'TRADING_HALTED'],
    ['the portfolio is reducing and the order adds exposure', riskInput({ tradingState: 'REDUCING' }), 'TRADING_REDUCING'],
  ];

  it.each(denials)('when %s, then the order is denied with exactly that code', (_name, i, code) => {
    const decision = evaluatePreTradeRisk(i);
    expect(decision.approved).toBe(false);
    expect(decision.reasons.map((r) => r.code)).toEqual([code]);
  });

  it('when several rules fail, then every failing rule is reported in order', () => {
    expect(codes(riskInput({ cash: 10, limits: limits({ maxOrderValue: d(10) }) }))).toEqual(['MAX_ORDER_VALUE', 'INSUFFICIENT_CASH', 'MAX_POSITION_PCT_OF_EQUITY', 'MAX_GROSS_LEVERAGE']);
  });

  it('when the instrument is unknown and off the allow-list, then both are reported and nothing is priced', () => {
    const decision = evaluatePreTradeRisk(riskInput({ instrument: null, limits: limits({ allowedSymbols: ['MSFT'] }) }));
    expect(decision.reasons.map((r) => r.code)).toEqual(['SYMBOL_NOT_ALLOWED', 'UNKNOWN_INSTRUMENT']);
    expect(decision.referencePrice).toBeUndefined();
  });

  it('when the portfolio is halted, then the gate reason comes first and every other failure is listed too', () => {
    expect(codes(riskInput({ tradingState: 'HALTED', cash: 10, limits: limits({ maxOrderValue: d(10) }) })))
      .toEqual(['TRADING_HALTED', 'MAX_ORDER_VALUE', 'INSUFFICIENT_CASH', 'MAX_POSITION_PCT_OF_EQUITY', 'MAX_GROSS_LEVERAGE']);
  });

  it('when the portfolio is reducing, then an order that reduces a position passes the gate', () => {
    expect(evaluatePreTradeRisk(riskInput({ tradingState: 'REDUCING', holdings: [holding('AAPL', 10, 90)], marks: marks({ AAPL: 100 }) }, { side: 'SELL', quantity: 5 })).approved).toBe(true);
  });

  it('when open orders already reserve the cash, then a second order that alone would pass is denied', () => {
    const loose = limits({ maxPositionPctOfEquity: d(1), maxGrossLeverage: d(10) });
    expect(evaluatePreTradeRisk(riskInput({ cash: 1500, limits: loose })).approved).toBe(true);
    expect(codes(riskInput({ cash: 1500, limits: loose, openOrders: [openOrder('MSFT', 'BUY', 1, 1000)] }))).toEqual(['INSUFFICIENT_CASH']);
  });

  it('when the position already held covers a sell, then the sell is approved', () => {
    expect(evaluatePreTradeRisk(riskInput({ holdings: [holding('AAPL', 10, 90)], marks: marks({ AAPL: 100 }) }, { side: 'SELL' })).approved).toBe(true);
  });

  it('when a limit buy is valued, then its limit price is the reference price', () => {
    expect(evaluatePreTradeRisk(riskInput({}, { type: 'LIMIT', limitPrice: '95.00' })).referencePrice?.toFixed()).toBe('95');
  });

  it('when a denial names a limit, then the limit and the actual value are decimal strings', () => {
    const [reason] = evaluatePreTradeRisk(riskInput({ limits: limits({ maxOrderValue: d(500) }) })).reasons;
    expect(reason).toMatchObject({ code: 'MAX_ORDER_VALUE', limit: '500', actual: '1000.1' });
  });

  describe('open orders count only against the portfolio', () => {
    const loose = limits({ maxPositionPctOfEquity: d(10), maxGrossLeverage: d(10) });

    it('when a resting buy has not filled, then it does not make shares available to sell', () => {
      expect(codes(riskInput({ limits: loose, openOrders: [openOrder('AAPL', 'BUY', 100, 150)] }, { side: 'SELL', quantity: 100 }))).toEqual(['INSUFFICIENT_POSITION']);
    });

    it('when a resting sell has not filled, then its proceeds do not pay for a buy', () => {
      const i = riskInput({
        cash: 1000, limits: loose, holdings: [holding('MSFT', 100, 250)], marks: marks({ MSFT: 250 }), openOrders: [openOrder('MSFT', 'SELL', 100, 250)],
      }, { quantity: 41 });
      expect(codes(i)).toEqual(['INSUFFICIENT_CASH']);
    });

    it('when shares are already promised to a resting sell, then they cannot be sold twice', () => {
      const i = riskInput({ holdings: [holding('AAPL', 10, 90)], marks: marks({ AAPL: 100 }), openOrders: [openOrder('AAPL', 'SELL', 8, 100)] }, { side: 'SELL', quantity: 5 });
      expect(codes(i)).toEqual(['INSUFFICIENT_POSITION']);
    });
  });

  it('when a sell limit is far below the bid, then it is valued at the bid it would fill at', () => {
    const i = riskInput({ holdings: [holding('AAPL', 1000, 90)], marks: marks({ AAPL: 100 }), limits: limits({ maxOrderValue: d(50000) }) },
      { side: 'SELL', type: 'LIMIT', limitPrice: '0.01', quantity: 1000 });
    const decision = evaluatePreTradeRisk(i);
    expect(decision.referencePrice?.toFixed()).toBe('99.99');
    // Far below the bid is also far outside the price collar: a fat finger.
    expect(decision.reasons.map((r) => r.code)).toEqual(['PRICE_COLLAR', 'MAX_ORDER_VALUE']);
  });

  it('when fees have a minimum and prices slip, then the cash check reserves both', () => {
    const costs = { feeRate: d('0.0001'), minFee: d(5), slippageRate: d('0.0005') };
    const loose = limits({ maxPositionPctOfEquity: d(1) });
    // 10 × 100.01 = 1000.10; slipped 1000.60005; fee the minimum 5: needs 1005.61 up to the cent.
    expect(codes(riskInput({ cash: '1005.60', costs, limits: loose }))).toEqual(['INSUFFICIENT_CASH']);
    expect(evaluatePreTradeRisk(riskInput({ cash: '1005.61', costs, limits: loose })).approved).toBe(true);
  });

  describe('orders that only reduce a position', () => {
    const held = (qty: number, mark: number) => ({ holdings: [holding('AAPL', qty, 100)], marks: marks({ AAPL: mark }) });

    it('when equity is negative, then a closing sell is still approved', () => {
      expect(evaluatePreTradeRisk(riskInput({ ...held(10, 100), cash: -5000 }, { side: 'SELL', quantity: 10 })).approved).toBe(true);
    });

    it('when a position is over its share of equity, then trimming it is approved', () => {
      expect(evaluatePreTradeRisk(riskInput({ ...held(500, 100), cash: 0 }, { side: 'SELL', quantity: 100 })).approved).toBe(true);
    });

    it('when a dust position is below the minimum notional, then closing it is approved', () => {
      expect(evaluatePreTradeRisk(riskInput({ ...held(1, 100), instrument: { ...AAPL, minNotional: usd(500) } }, { side: 'SELL', quantity: 1 })).approved).toBe(true);
    });

    it('when a buy would add to an over-weight position, then it is still denied', () => {
      expect(codes(riskInput({ ...held(500, 100), cash: 0 }, { quantity: 1 }))).toEqual(['INSUFFICIENT_CASH', 'MAX_POSITION_PCT_OF_EQUITY', 'MAX_GROSS_LEVERAGE']);
    });
  });

  it('when a held symbol has no quote, then it counts at cost in gross leverage', () => {
    const i = riskInput({ cash: 10000, holdings: [holding('MSFT', 100, 100)], marks: new Map(), limits: limits({ maxPositionPctOfEquity: d(1), maxGrossLeverage: d('0.6') }) });
    // Equity 20000; gross 10000 (MSFT at cost) + 1000.1 = 11000.1: within 0.6 × 20000, over 0.5 × 20000.
    expect(evaluatePreTradeRisk(i).approved).toBe(true);
    expect(codes({ ...i, limits: { ...i.limits, maxGrossLeverage: d('0.5') } })).toEqual(['MAX_GROSS_LEVERAGE']);
  });

  it('when a share of equity is just over the limit, then it is denied even though the reported value rounds to the limit', () => {
    // 25 × 100.0000004 / 10 000 = 0.25000001 > 0.25, reported to six digits as 0.25.
    const [reason, ...others] = evaluatePreTradeRisk(riskInput({ cash: 10000, quote: quote({ ask: price('100.0000004') }) }, { quantity: 25 })).reasons;
    expect(others).toEqual([]);
    expect(reason).toMatchObject({ code: 'MAX_POSITION_PCT_OF_EQUITY', limit: '0.25', actual: '0.25' });
  });
});
