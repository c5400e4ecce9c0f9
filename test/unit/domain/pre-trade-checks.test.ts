import type { Instrument } from '../../../src/domain/instruments/instrument';
import type { Quote } from '../../../src/domain/market/quote';
import { evaluatePreTradeRisk, type PreTradeInput } from '../../../src/domain/risk/pre-trade-checks';
import type { RiskReasonCode } from '../../../src/domain/risk/risk-decision';
import { DEFAULT_RISK_LIMITS } from '../../../src/domain/risk/risk-limits';
import { Decimal } from '../../../src/domain/values/decimal';

const d = (v: string | number) => new Decimal(v);
const asOf = new Date('2026-11-20T15:00:00Z');
const AAPL: Instrument = { symbol: 'AAPL', name: 'Apple', assetClass: 'EQUITY', currency: 'USD', tickSize: d('0.01'), lotSize: d(1), minNotional: d(10), sector: 'Technology' };
const quote = (over: Partial<Quote> = {}): Quote => ({ symbol: 'AAPL', bid: d('99.99'), ask: d('100.01'), last: d(100), asOf, ...over });

function input(over: Partial<PreTradeInput> = {}, order: Partial<PreTradeInput['order']> = {}): PreTradeInput {
  return {
    order: { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: d(10), ...order },
    instrument: AAPL,
    quote: quote(),
    cash: d(100000),
    holdings: [],
    marks: new Map(),
    openOrders: [],
    limits: DEFAULT_RISK_LIMITS,
    costs: { feeRate: d('0.0001'), minFee: d(0), slippageRate: d(0) },
    asOf,
    ...over,
  };
}

const codes = (i: PreTradeInput) => evaluatePreTradeRisk(i).reasons.map((r) => r.code);

describe('pre-trade risk checks', () => {
  it('when an order is within every limit, then it is approved at the ask with its notional', () => {
    const decision = evaluatePreTradeRisk(input());
    expect(decision.approved).toBe(true);
    expect(decision.reasons).toEqual([]);
    expect(decision.referencePrice?.toFixed()).toBe('100.01');
    expect(decision.estimatedNotional?.toFixed()).toBe('1000.1');
  });

  const denials: Array<[string, PreTradeInput, RiskReasonCode]> = [
    ['the quantity is zero', input({}, { quantity: d(0) }), 'INVALID_QUANTITY'],
    ['a limit order has no price', input({}, { type: 'LIMIT' }), 'INVALID_PRICE'],
    ['the limit price is off the tick grid', input({}, { type: 'LIMIT', limitPrice: d('100.005') }), 'PRICE_TICK_SIZE'],
    ['the quantity is not a whole lot', input({}, { quantity: d('1.5') }), 'LOT_SIZE'],
    ['the order value is below the minimum notional', input({ instrument: { ...AAPL, minNotional: d(5000) } }), 'MIN_NOTIONAL'],
    ['the order value exceeds the maximum order value', input({ limits: { ...DEFAULT_RISK_LIMITS, maxOrderValue: d(500) } }), 'MAX_ORDER_VALUE'],
    ['the position would exceed its share of equity', input({}, { quantity: d(300) }), 'MAX_POSITION_PCT_OF_EQUITY'],
    ['gross leverage would exceed the limit', input({ limits: { ...DEFAULT_RISK_LIMITS, maxGrossLeverage: d('0.005') } }), 'MAX_GROSS_LEVERAGE'],
    ['cash does not cover price and fee', input({ cash: d(1000) }), 'INSUFFICIENT_CASH'],
    ['a sell exceeds the position and shorting is off', input({}, { side: 'SELL' }), 'INSUFFICIENT_POSITION'],
    ['the symbol is not on the allow-list', input({ limits: { ...DEFAULT_RISK_LIMITS, allowedSymbols: ['MSFT'] } }), 'SYMBOL_NOT_ALLOWED'],
    ['the instrument is unknown', input({ instrument: null }), 'UNKNOWN_INSTRUMENT'],
    ['there is no quote', input({ quote: null }), 'QUOTE_MISSING'],
    ['the quote is older than allowed', input({ quote: quote({ asOf: new Date(asOf.getTime() - 301_000) }) }), 'QUOTE_STALE'],
    ['a new symbol would exceed the open-position count', input({
      holdings: [{ symbol: 'MSFT', quantity: d(1), averageCost: d(10) }], marks: new Map([['MSFT', d(10)]]),
      limits: { ...DEFAULT_RISK_LIMITS, maxOpenPositions: 1 },
    }), 'MAX_OPEN_POSITIONS'],
  ];

  it.each(denials)('when %s, then the order is denied with its code', (_name, i, code) => {
    const decision = evaluatePreTradeRisk(i);
    expect(decision.approved).toBe(false);
    expect(decision.reasons.map((r) => r.code)).toContain(code);
  });

  it('when several rules fail, then every failing rule is reported', () => {
    expect(codes(input({ cash: d(10), limits: { ...DEFAULT_RISK_LIMITS, maxOrderValue: d(10) } }))).toEqual(
      expect.arrayContaining(['MAX_ORDER_VALUE', 'INSUFFICIENT_CASH']),
    );
  });

  it('when open orders already reserve the cash, then a second order that alone would pass is denied', () => {
    const limits = { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1), maxGrossLeverage: d(10) };
    const alone = input({ cash: d(1500), limits });
    expect(evaluatePreTradeRisk(alone).approved).toBe(true);
    const withOpen = input({ cash: d(1500), limits, openOrders: [{ symbol: 'MSFT', side: 'BUY', quantity: d(1), price: d(1000) }] });
    expect(codes(withOpen)).toContain('INSUFFICIENT_CASH');
  });

  it('when the position already held covers a sell, then the sell is approved', () => {
    const i = input({ holdings: [{ symbol: 'AAPL', quantity: d(10), averageCost: d(90) }], marks: new Map([['AAPL', d(100)]]) }, { side: 'SELL' });
    expect(evaluatePreTradeRisk(i).approved).toBe(true);
  });

  it('when a limit buy is valued, then its limit price is the reference price', () => {
    const decision = evaluatePreTradeRisk(input({}, { type: 'LIMIT', limitPrice: d('95.00') }));
    expect(decision.referencePrice?.toFixed()).toBe('95');
  });

  it('when a denial names a limit, then the limit and the actual value are decimal strings', () => {
    const [reason] = evaluatePreTradeRisk(input({ limits: { ...DEFAULT_RISK_LIMITS, maxOrderValue: d(500) } })).reasons;
    expect(reason).toMatchObject({ code: 'MAX_ORDER_VALUE', limit: '500', actual: '1000.1' });
  });

  describe('open orders count only against the portfolio', () => {
    const loose = { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(10), maxGrossLeverage: d(10) };

    it('when a resting buy has not filled, then it does not make shares available to sell', () => {
      const i = input({ limits: loose, openOrders: [{ symbol: 'AAPL', side: 'BUY', quantity: d(100), price: d(150) }] }, { side: 'SELL', quantity: d(100) });
      expect(codes(i)).toContain('INSUFFICIENT_POSITION');
    });

    it('when a resting sell has not filled, then its proceeds do not pay for a buy', () => {
      const i = input({
        cash: d(1000), limits: loose,
        holdings: [{ symbol: 'MSFT', quantity: d(100), averageCost: d(250) }], marks: new Map([['MSFT', d(250)]]),
        openOrders: [{ symbol: 'MSFT', side: 'SELL', quantity: d(100), price: d(250) }],
      }, { quantity: d(41) });
      expect(codes(i)).toContain('INSUFFICIENT_CASH');
    });

    it('when shares are already promised to a resting sell, then they cannot be sold twice', () => {
      const i = input({
        holdings: [{ symbol: 'AAPL', quantity: d(10), averageCost: d(90) }], marks: new Map([['AAPL', d(100)]]),
        openOrders: [{ symbol: 'AAPL', side: 'SELL', quantity: d(8), price: d(100) }],
      }, { side: 'SELL', quantity: d(5) });
      expect(codes(i)).toContain('INSUFFICIENT_POSITION');
    });
  });

  it('when a sell limit is far below the bid, then it is valued at the bid it would fill at', () => {
    const i = input({
      holdings: [{ symbol: 'AAPL', quantity: d(1000), averageCost: d(90) }], marks: new Map([['AAPL', d(100)]]),
      limits: { ...DEFAULT_RISK_LIMITS, maxOrderValue: d(50000) },
    }, { side: 'SELL', type: 'LIMIT', limitPrice: d('0.01'), quantity: d(1000) });
    const decision = evaluatePreTradeRisk(i);
    expect(decision.referencePrice?.toFixed()).toBe('99.99');
    expect(decision.reasons.map((r) => r.code)).toContain('MAX_ORDER_VALUE');
  });

  it('when fees have a minimum and prices slip, then the cash check reserves both', () => {
    const costs = { feeRate: d('0.0001'), minFee: d(5), slippageRate: d('0.0005') };
    // 10 × 100.01 = 1000.10; slipped 1000.60005; fee the minimum 5: needs 1005.61 up to the cent.
    expect(codes(input({ cash: d('1005.60'), costs, limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1) } }))).toContain('INSUFFICIENT_CASH');
    expect(evaluatePreTradeRisk(input({ cash: d('1005.61'), costs, limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1) } })).approved).toBe(true);
  });

  describe('orders that only reduce a position', () => {
    const held = (quantity: number, mark: number) => ({ holdings: [{ symbol: 'AAPL', quantity: d(quantity), averageCost: d(100) }], marks: new Map([['AAPL', d(mark)]]) });

    it('when equity is negative, then a closing sell is still approved', () => {
      expect(evaluatePreTradeRisk(input({ ...held(10, 100), cash: d(-5000) }, { side: 'SELL', quantity: d(10) })).approved).toBe(true);
    });

    it('when a position is over its share of equity, then trimming it is approved', () => {
      expect(evaluatePreTradeRisk(input({ ...held(500, 100), cash: d(0) }, { side: 'SELL', quantity: d(100) })).approved).toBe(true);
    });

    it('when a dust position is below the minimum notional, then closing it is approved', () => {
      const i = input({ ...held(1, 100), instrument: { ...AAPL, minNotional: d(500) } }, { side: 'SELL', quantity: d(1) });
      expect(evaluatePreTradeRisk(i).approved).toBe(true);
    });

    it('when a buy would add to an over-weight position, then it is still denied', () => {
      expect(codes(input({ ...held(500, 100), cash: d(0) }, { quantity: d(1) }))).toContain('MAX_POSITION_PCT_OF_EQUITY');
    });
  });

  it('when a held symbol has no quote, then it counts at cost in gross leverage', () => {
    const i = input({
      cash: d(10000), holdings: [{ symbol: 'MSFT', quantity: d(100), averageCost: d(100) }], marks: new Map(),
      limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1), maxGrossLeverage: d('0.6') },
    }, { quantity: d(10) });
    // Equity 20000; gross 10000 (MSFT at cost) + 1000.1 = 11000.1: within 0.6 × 20000, over 0.5 × 20000.
    expect(evaluatePreTradeRisk(i).approved).toBe(true);
    expect(codes({ ...i, limits: { ...i.limits, maxGrossLeverage: d('0.5') } })).toContain('MAX_GROSS_LEVERAGE');
  });
});

