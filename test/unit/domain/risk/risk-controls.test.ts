import fc from 'fast-check';
import { evaluatePreTradeRisk } from '../../../../src/domain/risk/pre-trade-engine';
import { returnCorrelation, type CloseSeries } from '../../../../src/domain/risk/return-correlation';
import { worstQuantity, buildRiskContext, type RiskContextInput } from '../../../../src/domain/risk/risk-context';
import type { RiskReasonCode } from '../../../../src/domain/risk/risk-decision';
import { NO_ACCOUNT_LIMITS, NO_INSTRUMENT_LIMITS } from '../../../../src/domain/risk/risk-limits';
import { Money } from '../../../../src/domain/values/money';
import { price } from '../../../../src/domain/values/price';
import { quantity } from '../../../../src/domain/values/quantity';
import { ACTIVE_ACCOUNT, d, holding, limits, marks, quote, riskInput, usd } from './risk-fixtures';

const codes = (i: RiskContextInput) => evaluatePreTradeRisk(i).reasons.map((r) => r.code);

/** Closes following the given daily returns from 100, dated consecutive days. */
function closes(returns: readonly number[]): CloseSeries {
  let level = 100;
  const out: Array<{ date: string; close: number }> = [{ date: '2026-01-01', close: 100 }];
  returns.forEach((r, i) => {
    level *= 1 + r;
    out.push({ date: new Date(Date.UTC(2026, 0, 2 + i)).toISOString().slice(0, 10), close: level });
  });
  return out;
}
const wave = (n: number, phase: number) => Array.from({ length: n }, (_, i) => 0.01 * Math.sin(i * 1.7 + phase));
const heldMsft = { holdings: [holding('MSFT', 10, 100)], marks: marks({ MSFT: 100 }), sectors: new Map([['AAPL', 'Technology'], ['MSFT', 'Technology']]) };
const heldAapl = { holdings: [holding('AAPL', 10, 100)], marks: marks({ AAPL: 100 }) };
const day = (pnl: number) => ({ cash: usd(100000 - pnl), depositsSince: usd(0), holdings: new Map(), previousCloses: new Map() });

describe('pre-trade controls', () => {
  const table: Array<[string, RiskContextInput, readonly RiskReasonCode[]]> = [
    // account
    ['the account is suspended', riskInput({ account: { ...ACTIVE_ACCOUNT, status: 'SUSPENDED' } }), ['ACCOUNT_NOT_ACTIVE']],
    ['the account is halted', riskInput({ account: { ...ACTIVE_ACCOUNT, tradingState: 'HALTED' } }), ['TRADING_HALTED']],
    ['the account is reducing and the order buys', riskInput({ account: { ...ACTIVE_ACCOUNT, tradingState: 'REDUCING' } }), ['TRADING_REDUCING']],
    // a risk-reducing exit (order.purpose EXIT) passes a halt; nothing else does
    ['the portfolio is halted and an exit sells part of a long', riskInput({ tradingState: 'HALTED', ...heldAapl }, { side: 'SELL', quantity: 5, purpose: 'EXIT' }), []],
    ['the account is halted and an exit closes a long', riskInput({ account: { ...ACTIVE_ACCOUNT, tradingState: 'HALTED' }, ...heldAapl }, { side: 'SELL', quantity: 10, purpose: 'EXIT' }), []],
    ['the portfolio is halted and a sell without the exit purpose reduces', riskInput({ tradingState: 'HALTED', ...heldAapl }, { side: 'SELL', quantity: 5 }), ['TRADING_HALTED']],
    ['the portfolio is halted and an exit would cross zero (not reducing)', riskInput({ tradingState: 'HALTED', ...heldAapl }, { side: 'SELL', quantity: 11, purpose: 'EXIT' }), ['TRADING_HALTED', 'INSUFFICIENT_POSITION']],
    ['the portfolio is halted and an exit buys (not reducing)', riskInput({ tradingState: 'HALTED' }, { purpose: 'EXIT' }), ['TRADING_HALTED']],
    ['the portfolio is reducing and a sell reduces', riskInput({ tradingState: 'REDUCING', ...heldAapl }, { side: 'SELL', quantity: 5 }), []],
    ['the account is not on the allow-list', riskInput({ account: { ...ACTIVE_ACCOUNT, limits: { ...NO_ACCOUNT_LIMITS, allowedSymbols: ['MSFT'] } } }), ['SYMBOL_NOT_ALLOWED']],
    // order size per scope (order value 1000.1 at the ask 100.01, quantity 10)
    ['the quantity is above the portfolio cap', riskInput({ limits: limits({ maxOrderQuantity: d(9) }) }), ['MAX_ORDER_QUANTITY']],
    ['the quantity equals the portfolio cap', riskInput({ limits: limits({ maxOrderQuantity: d(10) }) }), []],
    ['the quantity is above the account cap', riskInput({ account: { ...ACTIVE_ACCOUNT, limits: { ...NO_ACCOUNT_LIMITS, maxOrderQuantity: d(5) } } }), ['MAX_ORDER_QUANTITY']],
    ['the value is above the instrument cap', riskInput({ instrumentLimits: { ...NO_INSTRUMENT_LIMITS, maxOrderValue: d(1000) } }), ['MAX_ORDER_VALUE']],
    ['the value equals the account cap', riskInput({ account: { ...ACTIVE_ACCOUNT, limits: { ...NO_ACCOUNT_LIMITS, maxOrderValue: d('1000.1') } } }), []],
    // price collar (mid 100)
    ['a buy limit is 6 % above the mid', riskInput({}, { type: 'LIMIT', limitPrice: 106 }), ['PRICE_COLLAR']],
    ['a buy limit is 5 % above the mid (the boundary)', riskInput({}, { type: 'LIMIT', limitPrice: 105 }), []],
    ['a buy limit is far below the mid (passive)', riskInput({}, { type: 'LIMIT', limitPrice: 50 }), []],
    ['a market buy meets an ask 8 % above the mid', riskInput({ quote: quote({ bid: price('92'), ask: price('108') }) }), ['PRICE_COLLAR']],
    ['the instrument sets a tighter collar', riskInput({ instrumentLimits: { ...NO_INSTRUMENT_LIMITS, priceCollarPct: d('0.01') } }, { type: 'LIMIT', limitPrice: 102 }), ['PRICE_COLLAR']],
    ['the quote is crossed (no sane mid)', riskInput({ quote: quote({ bid: price('101'), ask: price('99') }) }), ['PRICE_COLLAR']],
    // strategy positions
    ['the strategy already holds its limit', riskInput({ limits: limits({ maxOpenPositionsPerStrategy: 2 }), activity: { portfolioTradesToday: 0, accountTradesToday: 0, portfolioOrdersInWindow: 0, strategySymbols: ['MSFT', 'JPM'] } }), []],
    ['the strategy would open one position too many', riskInput({ order: { ...riskInput().order, strategyId: 'trend' }, limits: limits({ maxOpenPositionsPerStrategy: 2 }), activity: { portfolioTradesToday: 0, accountTradesToday: 0, portfolioOrdersInWindow: 0, strategySymbols: ['MSFT', 'JPM'] } }), ['MAX_OPEN_POSITIONS_PER_STRATEGY']],
    ['the strategy grows a position it holds', riskInput({ order: { ...riskInput().order, strategyId: 'trend' }, limits: limits({ maxOpenPositionsPerStrategy: 1 }), activity: { portfolioTradesToday: 0, accountTradesToday: 0, portfolioOrdersInWindow: 0, strategySymbols: ['AAPL'] } }), []],
    // sector (MSFT 1000 + AAPL 1000.1 of equity 101000)
    ['the sector would pass its cap', riskInput({ ...heldMsft, limits: limits({ maxSectorExposurePct: d('0.019') }) }), ['MAX_SECTOR_EXPOSURE_PCT']],
    ['the sector stays under its cap', riskInput({ ...heldMsft, limits: limits({ maxSectorExposurePct: d('0.02') }) }), []],
    ['the sector of the symbol is unknown', riskInput({ sectors: new Map(), limits: limits({ maxSectorExposurePct: d('0.5') }) }), ['MAX_SECTOR_EXPOSURE_PCT']],
    // correlation
    ['a buy correlates with a long held', riskInput({ ...heldMsft, priceHistory: new Map([['AAPL', closes(wave(60, 0))], ['MSFT', closes(wave(60, 0.1))]]) }), ['MAX_CORRELATION']],
    ['a buy does not correlate with a long held', riskInput({ ...heldMsft, priceHistory: new Map([['AAPL', closes(wave(60, 0))], ['MSFT', closes(wave(60, 1.6))]]) }), []],
    ['a buy correlates with a short held (a hedge)', riskInput({ holdings: [holding('MSFT', -10, 100)], marks: marks({ MSFT: 100 }), limits: limits({ allowShort: true }), priceHistory: new Map([['AAPL', closes(wave(60, 0))], ['MSFT', closes(wave(60, 0))]]) }), []],
    ['too little history and the policy denies', riskInput({ ...heldMsft, limits: limits({ correlationOnShortHistory: 'DENY' }), priceHistory: new Map([['AAPL', closes(wave(10, 0))], ['MSFT', closes(wave(10, 0))]]) }), ['CORRELATION_HISTORY_INSUFFICIENT']],
    ['too little history and the policy allows', riskInput({ ...heldMsft, priceHistory: new Map() }), []],
    // daily loss (limit 500)
    ['the day has lost more than the limit', riskInput({ limits: limits({ maxDailyLoss: d(500) }), dayStart: day(-501) }), ['MAX_DAILY_LOSS']],
    ['the day has lost exactly the limit', riskInput({ limits: limits({ maxDailyLoss: d(500) }), dayStart: day(-500) }), []],
    ['the day\'s P&L cannot be measured', riskInput({ limits: limits({ maxDailyLoss: d(500) }), dayStart: null }), ['MAX_DAILY_LOSS']],
    ['a reducing sell after a loss', riskInput({ ...heldMsft, limits: limits({ maxDailyLoss: d(500) }), dayStart: day(-9000), order: { symbol: 'MSFT', side: 'SELL', type: 'MARKET', quantity: quantity(d(5)) }, quote: quote({ symbol: 'MSFT' }) }), []],
    // counts
    ['the day\'s trades are used up', riskInput({ limits: limits({ maxDailyTrades: 3 }), activity: { portfolioTradesToday: 3, accountTradesToday: 0, portfolioOrdersInWindow: 0, strategySymbols: [] } }), ['MAX_DAILY_TRADES']],
    ['one trade is left today', riskInput({ limits: limits({ maxDailyTrades: 3 }), activity: { portfolioTradesToday: 2, accountTradesToday: 0, portfolioOrdersInWindow: 0, strategySymbols: [] } }), []],
    ['the account\'s trades are used up', riskInput({ account: { ...ACTIVE_ACCOUNT, limits: { ...NO_ACCOUNT_LIMITS, maxDailyTrades: 1 } }, activity: { portfolioTradesToday: 0, accountTradesToday: 1, portfolioOrdersInWindow: 0, strategySymbols: [] } }), ['MAX_DAILY_TRADES']],
    ['the throttle is reached', riskInput({ limits: limits({ maxOrdersPerWindow: 5 }), activity: { portfolioTradesToday: 0, accountTradesToday: 0, portfolioOrdersInWindow: 5, strategySymbols: [] } }), ['MAX_ORDER_RATE']],
    // signals
    ['a confident signal with an edge', riskInput({ order: { ...riskInput().order, signal: { strategyId: 's', confidence: 0.8, probabilities: { up: 0.6, down: 0.2, flat: 0.2 }, expectedReturn: 0.02 } } }), []],
    ['the signal is not confident enough', riskInput({ order: { ...riskInput().order, signal: { strategyId: 's', confidence: 0.59 } } }), ['MIN_SIGNAL_CONFIDENCE']],
    ['the signal favours the other side', riskInput({ order: { ...riskInput().order, signal: { strategyId: 's', confidence: 0.9, probabilities: { up: 0.2, down: 0.4, flat: 0.4 } } } }), ['SIGNAL_DIRECTION_CONFLICT']],
    ['the signal favours the other side within the margin', riskInput({ order: { ...riskInput().order, signal: { strategyId: 's', confidence: 0.9, probabilities: { up: 0.3, down: 0.4, flat: 0.3 } } } }), []],
    ['the expected return does not cover the costs', riskInput({ order: { ...riskInput().order, signal: { strategyId: 's', confidence: 0.9, expectedReturn: 0.0001 } } }), ['SIGNAL_NO_EDGE']],
    ['the signal\'s confidence is NaN', riskInput({ order: { ...riskInput().order, signal: { strategyId: 's', confidence: Number.NaN } } }), ['SIGNAL_INVALID']],
    ['the signal\'s probabilities do not sum to 1', riskInput({ order: { ...riskInput().order, signal: { strategyId: 's', confidence: 0.9, probabilities: { up: 0.5, down: 0.5, flat: 0.5 } } } }), ['SIGNAL_INVALID']],
  ];

  it.each(table)('when %s, then the reasons are as expected', (_name, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });

  it('when a denial names a limit of another scope, then the reason says whose limit it is', () => {
    const [reason] = evaluatePreTradeRisk(riskInput({ account: { ...ACTIVE_ACCOUNT, limits: { ...NO_ACCOUNT_LIMITS, maxOrderValue: d(10) } } })).reasons;
    expect(reason).toMatchObject({ code: 'MAX_ORDER_VALUE', scope: 'account', limit: '10', actual: '1000.1' });
  });

  it('when a correlation cannot be measured and the policy allows, then the decision says so', () => {
    const decision = evaluatePreTradeRisk(riskInput({ ...heldMsft, priceHistory: new Map() }));
    expect(decision.approved).toBe(true);
    expect(decision.notes).toEqual([expect.stringContaining('correlation of AAPL with MSFT not checked')]);
  });

  it('when an order carries a signal, then the decision shows its edge against the round trip\'s costs', () => {
    const decision = evaluatePreTradeRisk(riskInput({ order: { ...riskInput().order, signal: { strategyId: 's', confidence: 0.8, probabilities: { up: 0.6, down: 0.2, flat: 0.2 }, expectedReturn: 0.02 } } }));
    // 1000.1 × 0.02 = 20.002; costs 2 × 1000.1 × 0.0001 = 0.20002 → 0.21 (rounded up); edge 19.79 (rounded down).
    expect(decision.signal).toMatchObject({ strategyId: 's', confidence: 0.8, expectedCost: Money.of('0.21', 'USD') });
    expect(decision.signal?.expectedEdge?.toWire()).toBe('19.79');
    expect(decision.signal?.directionalEdge).toBeCloseTo(0.4, 12);
  });

  it('when the day began with positions, then the daily P&L counts their move from the previous close and not the deposits', () => {
    const ctx = buildRiskContext(riskInput({
      cash: 90000, holdings: [holding('MSFT', 100, 90)], marks: marks({ MSFT: 95 }),
      dayStart: { cash: usd(80000), depositsSince: usd(10000), holdings: new Map([['MSFT', d(100)]]), previousCloses: new Map([['MSFT', price('100')]]) },
    }));
    // equity now 90000 + 9500 = 99500; at the start 80000 + 10000 = 90000; deposits 10000 → −500.
    expect(ctx.dailyPnl?.toWire()).toBe('-500');
  });
});

describe('return correlation', () => {
  it('when two series move together, then their correlation is 1; opposite, −1', () => {
    const a = closes(wave(30, 0));
    expect(returnCorrelation(a, a, 60, 20).correlation).toBeCloseTo(1, 12);
    const b = closes(wave(30, 0).map((r) => -r));
    expect(returnCorrelation(a, b, 60, 20).correlation).toBeCloseTo(-1, 3);
  });

  it('when the lookback is shorter than the history, then only the last returns count', () => {
    const a = closes([...wave(50, 0), ...wave(10, 0)]);
    expect(returnCorrelation(a, a, 10, 5).observations).toBe(10);
  });

  it('when a series does not move, then the correlation cannot be measured', () => {
    expect(returnCorrelation(closes(wave(30, 0)), closes(Array(30).fill(0)), 60, 20).correlation).toBeNull();
  });
});

describe('pre-trade invariants (property tests)', () => {
  const qty = fc.integer({ min: 1, max: 2000 });
  it('when an order is approved, then the projected position never exceeds its share of equity', () => {
    fc.assert(fc.property(qty, fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 1, max: 60 }), (q, held, pct) => {
      const input = riskInput({ holdings: held > 0 ? [holding('AAPL', held, 100)] : [], marks: marks({ AAPL: 100 }), limits: limits({ maxPositionPctOfEquity: d(pct).div(100), maxGrossLeverage: d(10) }) }, { quantity: q });
      const decision = evaluatePreTradeRisk(input);
      if (!decision.approved) return;
      const ctx = buildRiskContext(input);
      const own = ctx.pricing!.exposureAfter.get('AAPL')!;
      expect(Money.of(worstQuantity(own).times(ctx.pricing!.referencePrice), 'USD').ratioTo(ctx.pricing!.equity).lte(d(pct).div(100))).toBe(true);
    }));
  });

  it('when the portfolio is REDUCING, then no order that adds exposure is approved', () => {
    fc.assert(fc.property(qty, fc.integer({ min: -500, max: 500 }), fc.constantFrom('BUY', 'SELL'), (q, held, side) => {
      const input = riskInput({ tradingState: 'REDUCING', holdings: held !== 0 ? [holding('AAPL', held, 100)] : [], marks: marks({ AAPL: 100 }), limits: limits({ allowShort: true, maxGrossLeverage: d(100), maxPositionPctOfEquity: d(100) }) }, { side, quantity: q });
      if (!evaluatePreTradeRisk(input).approved) return;
      const after = held + (side === 'BUY' ? q : -q);
      expect(Math.abs(after)).toBeLessThan(Math.abs(held));
      expect(Math.sign(after) === Math.sign(held) || after === 0).toBe(true);
    }));
  });

});
