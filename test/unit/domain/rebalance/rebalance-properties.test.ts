import fc from 'fast-check';
import { planRebalance, type RebalanceInput } from '../../../../src/domain/rebalance';
import { Decimal } from '../../../../src/domain/values/decimal';
import { d, portfolio, weights } from './rebalance-fixtures';

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD'];
const LOTS = ['1', '0.1', '5', '10', '0.001'];

const arbInput: fc.Arbitrary<RebalanceInput> = fc.record({
  cash: fc.integer({ min: 1000, max: 200000 }),
  rows: fc.tuple(...SYMBOLS.map(() => fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 50000 }), fc.constantFrom(...LOTS), fc.integer({ min: 0, max: 100 })))),
  rawTargets: fc.tuple(...SYMBOLS.map(() => fc.integer({ min: 0, max: 100 }))),
  invested: fc.integer({ min: 0, max: 100 }),
  feeBps: fc.integer({ min: 0, max: 50 }),
  minFee: fc.integer({ min: 0, max: 5 }),
  slipBps: fc.integer({ min: 0, max: 20 }),
  bufferPct: fc.integer({ min: 0, max: 10 }),
  cap: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
  strategy: fc.constantFrom<RebalanceInput['strategy']>(
    { type: 'threshold' }, { type: 'threshold', scope: 'DRIFTED_ONLY' }, { type: 'calendar' }, { type: 'dca', tranches: 4, tranche: 2 },
  ),
}).map(({ cash, rows, rawTargets, invested, feeBps, minFee, slipBps, bufferPct, cap, strategy }) => {
  const total = rawTargets.reduce((a, b) => a + b, 0);
  const targets: Record<string, string> = {};
  SYMBOLS.forEach((s, i) => {
    // Σ targets = invested % exactly or less (rounded down to 6 places).
    targets[s] = total === 0 ? '0' : new Decimal(rawTargets[i] ?? 0).times(invested).div(total).div(100).toDecimalPlaces(6, Decimal.ROUND_DOWN).toFixed();
  });
  return {
    portfolio: portfolio(String(cash), SYMBOLS.map((s, i) => {
      const [lots, cents, lot, minN] = rows[i] as [number, number, string, number];
      return [s, new Decimal(lots).times(lot).toFixed(), new Decimal(cents).div(100).toFixed(), lot, String(minN)];
    })),
    targets: weights(targets),
    strategy,
    settings: {
      costs: { feeRate: d(feeBps).div(10000), minFee: d(minFee), slippageRate: d(slipBps).div(10000) },
      cashBuffer: d(bufferPct).div(100),
      turnoverCap: cap === null ? null : d(cap).div(100),
    },
  };
});

describe('planRebalance properties', () => {
  it('when planning any portfolio, then legs stay on the lot grid, sells come before buys, turnover respects the cap and buys keep the cash buffer', () => {
    fc.assert(fc.property(arbInput, (input) => {
      const plan = planRebalance(input);
      const instruments = input.portfolio.instruments;
      for (const leg of plan.legs) {
        const lot = instruments[leg.symbol]?.lotSize as Decimal;
        expect(leg.quantity.mod(lot).isZero()).toBe(true);
        expect(leg.quantity.gt(0)).toBe(true);
      }
      const sides = plan.legs.map((l) => l.side);
      expect(sides).toEqual([...sides].sort((a, b) => (a === b ? 0 : a === 'SELL' ? -1 : 1)));
      const cap = input.settings?.turnoverCap;
      if (cap !== undefined && cap !== null) expect(plan.turnover.lte(cap)).toBe(true);
      if (plan.legs.some((l) => l.side === 'BUY')) {
        const buffer = plan.preTradeEquity.times(input.settings?.cashBuffer ?? d('0.02'));
        expect(plan.postTradeCash.gte(buffer)).toBe(true);
      }
      // Post-trade equity is pre-trade equity less the costs.
      expect(plan.postTradeEquity.eq(plan.preTradeEquity.minus(plan.expectedCost))).toBe(true);
      expect(planRebalance(input).version).toBe(plan.version);
    }), { numRuns: 200 });
  });
});
