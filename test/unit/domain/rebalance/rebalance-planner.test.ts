import { planRebalance, RebalancePlanError, type RebalanceInput, type RebalancePlan } from '../../../../src/domain/rebalance';
import { Decimal } from '../../../../src/domain/values/decimal';
import { price } from '../../../../src/domain/values/price';
import { signedQuantity } from '../../../../src/domain/values/quantity';
import { FREE, d, instrument, portfolio, usd, weights } from './rebalance-fixtures';

const legsOf = (plan: RebalancePlan) => plan.legs.map((l) => `${l.side} ${l.symbol} ${l.quantity.toFixed()}`);
const asset = (plan: RebalancePlan, symbol: string) => plan.assets.find((a) => a.symbol === symbol);
const codes = (plan: RebalancePlan) => plan.notes.map((n) => n.code);

/** Cash 10 000; AAA 100 @ 100; BBB none @ 50: equity 20 000, AAA 50 %. */
const base = (): RebalanceInput => ({
  portfolio: portfolio('10000', [['AAA', '100', '100'], ['BBB', '0', '50']]),
  targets: weights({ AAA: '0.3', BBB: '0.6' }),
  strategy: { type: 'threshold' },
  settings: { ...FREE, costs: { feeRate: d('0.001'), minFee: d(0), slippageRate: d(0) } },
});

describe('planRebalance: hand-computed plans', () => {
  it('when AAA is 20 points over target and BBB 60 under, then it sells 40 AAA before buying 240 BBB, with fees, drift and turnover as computed by hand', () => {
    const plan = planRebalance(base());
    expect(plan.status).toBe('READY');
    expect(legsOf(plan)).toEqual(['SELL AAA 40', 'BUY BBB 240']);
    expect(asset(plan, 'AAA')?.drift.toFixed()).toBe('0.2');
    expect(asset(plan, 'BBB')?.drift.toFixed()).toBe('-0.6');
    expect(plan.maxDrift.toFixed()).toBe('0.6');
    expect(plan.legs.map((l) => l.estimatedFee.toWire())).toEqual(['4', '12']);
    expect(plan.expectedCost.toWire()).toBe('16');
    expect(plan.expectedCostFraction.toFixed()).toBe('0.0008');
    expect(plan.turnover.toFixed()).toBe('0.8');
    // 10 000 + (4 000 − 4) − (12 000 + 12) = 1 984; equity 20 000 − 16.
    expect(plan.postTradeCash.toWire()).toBe('1984');
    expect(plan.postTradeEquity.toWire()).toBe('19984');
    expect(asset(plan, 'AAA')?.postTradeWeight.toFixed()).toBe(new Decimal(6000).div(19984).toDecimalPlaces(12).toFixed());
    expect(plan.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('when the lot is 10 and the move is 39 units, then the leg is rounded toward less trading to 30', () => {
    const input = base();
    const plan = planRebalance({ ...input, portfolio: portfolio('10000', [['AAA', '100', '100', '10'], ['BBB', '0', '50', '7']]), targets: weights({ AAA: '0.305', BBB: '0.6' }) });
    // AAA: 0.305 × 20 000 / 100 = 61 → sell 39 → 30; BBB: 240 → 34 lots of 7 = 238.
    expect(legsOf(plan)).toEqual(['SELL AAA 30', 'BUY BBB 238']);
  });

  it('when quotes and slippage are given, then each leg costs fee + slippage + half spread, and the estimated price moves against us', () => {
    const input = base();
    const plan = planRebalance({
      ...input,
      portfolio: { ...input.portfolio, quotes: { AAA: { bid: price('99.9'), ask: price('100.1') }, BBB: { bid: price('49.98'), ask: price('50.02') } } },
      settings: { ...FREE, costs: { feeRate: d('0.001'), minFee: d('5'), slippageRate: d('0.0005') } },
    });
    const [sell, buy] = plan.legs;
    // Sell 40: fee max(4, 5) = 5, slippage 2, half spread 0.1 × 40 = 4 → 11; price 100 − 0.1 − 0.05.
    expect([sell?.estimatedFee.toWire(), sell?.estimatedSlippage.toWire(), sell?.estimatedHalfSpread.toWire(), sell?.estimatedCost.toWire()]).toEqual(['5', '2', '4', '11']);
    expect(sell?.estimatedPrice.toFixed()).toBe('99.85');
    // Buy 240: fee 12, slippage 6, half spread 0.02 × 240 = 4.8 → 22.8; price 50 + 0.02 + 0.025.
    expect(buy?.estimatedCost.toWire()).toBe('22.8');
    expect(buy?.estimatedPrice.toFixed()).toBe('50.045');
    expect(plan.expectedCost.toWire()).toBe('33.8');
  });

  it('when no asset drifts beyond the 5 % threshold, then the plan is NO_ACTION_NEEDED with no legs', () => {
    const plan = planRebalance({ ...base(), targets: weights({ AAA: '0.48' }) });
    expect(plan.status).toBe('NO_ACTION_NEEDED');
    expect(plan.legs).toEqual([]);
    expect(codes(plan)).toContain('NO_DRIFT_BEYOND_THRESHOLD');
    expect(asset(plan, 'AAA')?.drift.toFixed()).toBe('0.02');
  });

  it('when the strategy is calendar, then even a small drift is traded', () => {
    const plan = planRebalance({ ...base(), targets: weights({ AAA: '0.48' }), strategy: { type: 'calendar' } });
    expect(legsOf(plan)).toEqual(['SELL AAA 4']);
  });

  describe('threshold scope (AAA 20 points over, BBB 3 points under)', () => {
    const input = (scope: 'ALL_WHEN_ANY' | 'DRIFTED_ONLY'): RebalanceInput => ({
      portfolio: portfolio('7000', [['AAA', '100', '100'], ['BBB', '60', '50']]),
      targets: weights({ AAA: '0.3', BBB: '0.18' }),
      strategy: { type: 'threshold', scope },
      settings: FREE,
    });
    it('when the scope is ALL_WHEN_ANY (the default), then every asset goes to target', () => {
      expect(legsOf(planRebalance(input('ALL_WHEN_ANY')))).toEqual(['SELL AAA 40', 'BUY BBB 12']);
    });
    it('when the scope is DRIFTED_ONLY, then only the asset beyond the threshold trades', () => {
      expect(legsOf(planRebalance(input('DRIFTED_ONLY')))).toEqual(['SELL AAA 40']);
    });
  });

  it('when the buys would leave less than the 2 % cash buffer, then buys are scaled down to keep it, and the plan says so', () => {
    // Targets sum to 1: sell 20 AAA (2 000 − 2 fee), buy BBB. Cash must stay ≥ 400.
    // 231 × 50 × 1.001 = 11 561.55 → cash 436.45; 232 would leave 386.40.
    const plan = planRebalance({ ...base(), targets: weights({ AAA: '0.4', BBB: '0.6' }), settings: { costs: { feeRate: d('0.001'), minFee: d(0), slippageRate: d(0) } } });
    expect(legsOf(plan)).toEqual(['SELL AAA 20', 'BUY BBB 231']);
    expect(plan.postTradeCash.toWire()).toBe('436.45');
    expect(codes(plan)).toContain('BUYS_SCALED_FOR_CASH_BUFFER');
  });

  it('when the expected cost is above the 0.5 % cap, then the plan is flagged COST_CAP_EXCEEDED (not thrown) with its legs', () => {
    const plan = planRebalance({ ...base(), settings: { ...FREE, costs: { feeRate: d('0.01'), minFee: d(0), slippageRate: d(0) } } });
    // 1 % of 16 000 = 160 = 0.8 % of equity.
    expect(plan.status).toBe('COST_CAP_EXCEEDED');
    expect(plan.expectedCostFraction.toFixed()).toBe('0.008');
    expect(legsOf(plan)).toEqual(['SELL AAA 40', 'BUY BBB 240']);
    expect(codes(plan)).toContain('COST_CAP_EXCEEDED');
  });

  it('when a leg is below its instrument minimum notional, then it is dropped and reported', () => {
    const plan = planRebalance({ ...base(), portfolio: portfolio('10000', [['AAA', '100', '100'], ['BBB', '0', '50', '1', '15000']]) });
    expect(legsOf(plan)).toEqual(['SELL AAA 40']);
    expect(plan.notes.find((n) => n.code === 'LEG_BELOW_MIN_NOTIONAL')?.symbol).toBe('BBB');
  });

  it('when a settings minimum notional overrides the instrument, then the override applies (and without the sell, cash only buys 200)', () => {
    const plan = planRebalance({ ...base(), settings: { ...FREE, minNotional: { AAA: usd('5000') } } });
    expect(legsOf(plan)).toEqual(['BUY BBB 200']);
    expect(codes(plan)).toEqual(['LEG_BELOW_MIN_NOTIONAL', 'BUYS_SCALED_FOR_CASH_BUFFER']);
  });

  it('when turnover would be 0.8 and the cap is 0.4, then every move is halved', () => {
    const plan = planRebalance({ ...base(), settings: { ...FREE, turnoverCap: d('0.4') } });
    expect(legsOf(plan)).toEqual(['SELL AAA 20', 'BUY BBB 120']);
    expect(plan.turnover.toFixed()).toBe('0.4');
    expect(codes(plan)).toContain('TURNOVER_CAPPED');
  });

  it('when a position is short and its target is zero, then it is bought back', () => {
    const plan = planRebalance({ ...base(), portfolio: portfolio('30000', [['AAA', '-100', '100'], ['BBB', '0', '50']]), targets: weights({}), strategy: { type: 'calendar' } });
    expect(legsOf(plan)).toEqual(['BUY AAA 100']);
  });
});

describe('planRebalance: DCA', () => {
  it('when three tranches are executed in turn at unchanged prices, then they add up to the full move', () => {
    let pf = portfolio('10000', [['AAA', '100', '100'], ['BBB', '0', '50']]);
    const traded = new Map<string, Decimal>();
    const perTranche: string[][] = [];
    for (let k = 1; k <= 3; k++) {
      const plan = planRebalance({ portfolio: pf, targets: weights({ AAA: '0.3', BBB: '0.6' }), strategy: { type: 'dca', tranches: 3, tranche: k }, settings: FREE });
      perTranche.push(legsOf(plan));
      const qty = new Map(pf.positions.map((p) => [p.symbol, new Decimal(p.quantity)]));
      let cash = pf.cash;
      for (const l of plan.legs) {
        const signed = l.side === 'BUY' ? l.quantity : l.quantity.neg();
        qty.set(l.symbol, (qty.get(l.symbol) ?? new Decimal(0)).plus(signed));
        traded.set(l.symbol, (traded.get(l.symbol) ?? new Decimal(0)).plus(signed));
        cash = cash.minus(l.notional.times(l.side === 'BUY' ? 1 : -1));
      }
      pf = { ...pf, cash, positions: [...qty].map(([symbol, q]) => ({ symbol, quantity: signedQuantity(q) })) };
    }
    expect(perTranche).toEqual([['SELL AAA 13', 'BUY BBB 80'], ['SELL AAA 13', 'BUY BBB 80'], ['SELL AAA 14', 'BUY BBB 80']]);
    expect(traded.get('AAA')?.toFixed()).toBe('-40');
    expect(traded.get('BBB')?.toFixed()).toBe('240');
  });
});

describe('planRebalance: strategy bands (default table)', () => {
  // Equity 100 000. arbitrage 40 % (> max 35 %), trend 20 %, market making 15 %, htf 10 % (exactly 5 points off: inside),
  // news 5 % (inside the band but 10 points off), stat-arb has no symbol.
  const input: RebalanceInput = {
    portfolio: portfolio('10000', [['ARB1', '300', '100'], ['ARB2', '100', '100'], ['TF', '200', '100'], ['MM', '150', '100'], ['HTF', '100', '100'], ['ND', '50', '100']]),
    targets: { type: 'strategy-bands', strategyOf: { ARB1: 'arbitrage', ARB2: 'arbitrage', TF: 'trend_following', MM: 'market_making', HTF: 'htf', ND: 'news_driven' } },
    strategy: { type: 'threshold' },
    settings: FREE,
  };
  it('when arbitrage is above its band and news-driven beyond its threshold, then both go back to target pro rata and the rest stays', () => {
    const plan = planRebalance(input);
    // arbitrage 40 % → 25 %: ARB1 3/4 → 18.75 % = 187.5 units (sell 112), ARB2 1/4 → 62.5 units (sell 37); news 5 % → 15 %: buy 100.
    expect(legsOf(plan)).toEqual(['SELL ARB1 112', 'SELL ARB2 37', 'BUY ND 100']);
    expect(asset(plan, 'ARB1')?.targetWeight.toFixed()).toBe('0.1875');
    expect(asset(plan, 'HTF')?.targetWeight.toFixed()).toBe('0.1');
    expect(asset(plan, 'HTF')?.beyondThreshold).toBe(false);
    expect(asset(plan, 'ND')?.strategy).toBe('news_driven');
    expect(codes(plan).filter((c) => c === 'STRATEGY_OUT_OF_BAND')).toHaveLength(2);
    expect(codes(plan)).toContain('STRATEGY_EMPTY');
  });

  it('when every strategy is within its band and threshold, then no action is needed', () => {
    const plan = planRebalance({ ...input, targets: { type: 'strategy-bands', strategyOf: { TF: 'trend_following' } }, portfolio: portfolio('80000', [['TF', '200', '100']]),
      settings: { ...FREE } });
    // Only TF is mapped; the stat-arb etc. bands have no symbol (noted) and trigger nothing.
    expect(plan.status).toBe('NO_ACTION_NEEDED');
  });
});

describe('planRebalance: target adjustments', () => {
  const two = (adjustment: RebalanceInput['adjustment']): RebalancePlan => planRebalance({
    portfolio: portfolio('100000', [['A', '0', '10'], ['B', '0', '10']]),
    targets: weights({ A: '0.4', B: '0.4' }),
    adjustment,
    strategy: { type: 'calendar' },
    settings: FREE,
  });
  const targetsOf = (p: RebalancePlan) => p.assets.map((a) => `${a.symbol} ${a.targetWeight.toFixed()}`);
  it('when tilting by momentum at strength 1 with returns +10 % / −10 %, then A goes to 44 % and B to 36 %', () => {
    expect(targetsOf(two({ type: 'momentum-tilt', returns: { A: 0.1, B: -0.1 }, strength: 1 }))).toEqual(['A 0.44', 'B 0.36']);
  });
  it('when tilting for mean reversion, then the loser gains weight', () => {
    expect(targetsOf(two({ type: 'mean-reversion-tilt', returns: { A: 0.1, B: -0.1 }, strength: 1 }))).toEqual(['A 0.36', 'B 0.44']);
  });
  it('when using risk parity with volatilities 10 % and 30 %, then the invested 80 % splits 60 / 20', () => {
    const plan = two({ type: 'risk-parity', volatilities: { A: 0.1, B: 0.3 } });
    expect(targetsOf(plan)).toEqual(['A 0.6', 'B 0.2']);
    expect(legsOf(plan)).toEqual(['BUY A 6000', 'BUY B 2000']);
  });
});

describe('planRebalance: invalid input', () => {
  const cases: Array<[string, (i: RebalanceInput) => RebalanceInput, string, string]> = [
    ['a negative weight', (i) => ({ ...i, targets: weights({ AAA: '-0.1' }) }), 'REBALANCE_WEIGHT_NEGATIVE', 'targets.weights.AAA'],
    ['weights summing above 1', (i) => ({ ...i, targets: weights({ AAA: '0.6', BBB: '0.5' }) }), 'REBALANCE_WEIGHTS_EXCEED_ONE', 'targets.weights'],
    ['a NaN weight', (i) => ({ ...i, targets: { type: 'optimizer', weights: { AAA: new Decimal(NaN) } } }), 'REBALANCE_VALUE_NOT_FINITE', 'targets.weights.AAA'],
    ['a target without an instrument', (i) => ({ ...i, targets: weights({ ZZZ: '0.1' }) }), 'REBALANCE_UNKNOWN_INSTRUMENT', 'portfolio.instruments.ZZZ'],
    ['a target without a price', (i) => ({ ...i, portfolio: { ...i.portfolio, marks: { AAA: price('100') } } }), 'REBALANCE_MISSING_PRICE', 'portfolio.marks.BBB'],
    ['a DCA tranche out of range', (i) => ({ ...i, strategy: { type: 'dca', tranches: 3, tranche: 4 } }), 'REBALANCE_TRANCHE_INVALID', 'strategy.tranche'],
    ['a cash buffer above 1', (i) => ({ ...i, settings: { cashBuffer: d('1.5') } }), 'REBALANCE_SETTING_INVALID', 'settings.cashBuffer'],
    ['risk parity without a volatility', (i) => ({ ...i, adjustment: { type: 'risk-parity', volatilities: { AAA: 0.2 } } }), 'REBALANCE_MISSING_INPUT', 'adjustment.volatilities.BBB'],
    ['a NaN return in a tilt', (i) => ({ ...i, adjustment: { type: 'momentum-tilt', returns: { AAA: NaN, BBB: 0 }, strength: 1 } }), 'REBALANCE_VALUE_NOT_FINITE', 'adjustment.returns.AAA'],
    ['a strategy without a band', (i) => ({ ...i, targets: { type: 'strategy-bands', strategyOf: { AAA: 'astrology' } } }), 'REBALANCE_BAND_INVALID', 'targets.strategyOf.AAA'],
    ['an instrument in another currency', (i) => ({ ...i, portfolio: { ...i.portfolio, instruments: { ...i.portfolio.instruments, BBB: { ...instrument('BBB'), currency: 'EUR' } } } }), 'REBALANCE_CURRENCY_MISMATCH', 'portfolio.instruments.BBB.currency'],
  ];
  it.each(cases)('when the input has %s, then it throws RebalancePlanError %s naming %s', (_name, mutate, code, field) => {
    let caught: unknown;
    try {
      planRebalance(mutate(base()));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RebalancePlanError);
    expect((caught as RebalancePlanError).code).toBe(code);
    expect((caught as RebalancePlanError).field).toBe(field);
  });
});

describe('plan version', () => {
  it('when the same content is given with keys in another order, then the version is the same', () => {
    const a = planRebalance(base());
    const i = base();
    const reordered: RebalanceInput = {
      settings: i.settings,
      strategy: i.strategy,
      targets: { weights: { BBB: d('0.6'), AAA: d('0.3') }, type: 'target-weights' },
      portfolio: {
        instruments: { BBB: instrument('BBB'), AAA: instrument('AAA') },
        marks: { BBB: price('50'), AAA: price('100') },
        positions: i.portfolio.positions,
        cash: i.portfolio.cash,
      },
    };
    expect(planRebalance(reordered).version).toBe(a.version);
    expect(planRebalance(base()).version).toBe(a.version);
  });

  const changes: Array<[string, (i: RebalanceInput) => RebalanceInput]> = [
    ['a mark', (i) => ({ ...i, portfolio: { ...i.portfolio, marks: { ...i.portfolio.marks, BBB: price('50.01') } } })],
    ['a target', (i) => ({ ...i, targets: weights({ AAA: '0.3', BBB: '0.59' }) })],
    ['the fee rate', (i) => ({ ...i, settings: { ...i.settings, costs: { feeRate: d('0.002'), minFee: d(0), slippageRate: d(0) } } })],
    ['the cash', (i) => ({ ...i, portfolio: { ...i.portfolio, cash: usd('10000.01') } })],
  ];
  it.each(changes)('when %s changes, then the version changes', (_name, mutate) => {
    expect(planRebalance(mutate(base())).version).not.toBe(planRebalance(base()).version);
  });
});
