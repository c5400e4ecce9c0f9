import { planRebalance, RebalancePlanError, type AssetBand, type RebalanceInput, type RebalancePlan } from '../../../../src/domain/rebalance';
import { FREE, d, portfolio } from './rebalance-fixtures';

const legsOf = (plan: RebalancePlan) => plan.legs.map((l) => `${l.side} ${l.symbol} ${l.quantity.toFixed()}`);
const bands = (b: Record<string, [string, string?, string?]>): RebalanceInput['targets'] => ({
  type: 'asset-bands',
  bands: Object.fromEntries(Object.entries(b).map(([s, [target, min, max]]): [string, AssetBand] => [s, { target: d(target), ...(min !== undefined && { min: d(min) }), ...(max !== undefined && { max: d(max) }) }])),
});
/** Cash 4 000; AAA 40 @ 100 (40 %), BBB 20 @ 100 (20 %), CCC none @ 50: equity 10 000. */
const input = (targets: RebalanceInput['targets']): RebalanceInput => ({
  portfolio: portfolio('4000', [['AAA', '40', '100'], ['BBB', '20', '100'], ['CCC', '0', '50']]), targets, strategy: { type: 'threshold' }, settings: FREE,
});

describe('planRebalance with stored asset bands', () => {
  it('when AAA is inside its band and BBB outside, then only BBB trades, to its target', () => {
    // AAA 40 % within [30 %, 45 %] stays; BBB 20 % below [25 %, 35 %] → 30 % = 30 units: buy 10.
    const plan = planRebalance(input(bands({ AAA: ['0.35', '0.3', '0.45'], BBB: ['0.3', '0.25', '0.35'] })));
    expect(legsOf(plan)).toEqual(['BUY BBB 10']);
    expect(plan.assets.find((a) => a.symbol === 'AAA')?.beyondThreshold).toBe(false);
  });

  it('when an asset has no band, then the drift threshold (5 %) decides for it; a holding outside the set has target 0', () => {
    // CCC target 10 % (drift 10 % > 5 %) → 1 000 / 50 = 20 units; BBB is not in the set: 20 % over 0 → sell all 20; AAA within its band.
    const plan = planRebalance(input(bands({ AAA: ['0.4', '0.35', '0.45'], CCC: ['0.1'] })));
    expect(legsOf(plan)).toEqual(['SELL BBB 20', 'BUY CCC 20']);
  });

  it('when every asset is inside its band, then no action is needed', () => {
    const plan = planRebalance(input(bands({ AAA: ['0.35', '0.3', '0.45'], BBB: ['0.22', '0.15', '0.25'] })));
    expect(plan.status).toBe('NO_ACTION_NEEDED');
  });

  it('when an asset outside its band is above it, then it is sold back to its target before any buy', () => {
    const plan = planRebalance(input(bands({ AAA: ['0.25', '0.2', '0.3'], BBB: ['0.3', '0.25', '0.35'] })));
    expect(legsOf(plan)).toEqual(['SELL AAA 15', 'BUY BBB 10']);
  });

  it.each<[string, Record<string, [string, string?, string?]>, RegExp]>([
    ['min above target', { AAA: ['0.3', '0.35', '0.4'] }, /targets.bands.AAA: needs min ≤ target ≤ max/],
    ['only min', { AAA: ['0.3', '0.2'] }, /give min and max together/],
    ['a weight above 1', { AAA: ['1.2'] }, /targets.bands.AAA.target: must be within \[0, 1\]/],
    ['targets summing above 1', { AAA: ['0.6'], BBB: ['0.5'] }, /sum to more than 1/],
  ])('when the bands have %s, then the plan is refused naming the field', (_name, b, message) => {
    expect(() => planRebalance(input(bands(b)))).toThrow(RebalancePlanError);
    expect(() => planRebalance(input(bands(b)))).toThrow(message);
  });
});
