import { approvalRequirement, DEFAULT_REBALANCE_POLICY, grossTradedValue, type RebalancePolicy } from '../../../../src/domain/rebalance';
import { d } from './rebalance-fixtures';

const policy = (p: Partial<RebalancePolicy>): RebalancePolicy => ({ ...DEFAULT_REBALANCE_POLICY, ...p });
/** A plan trading 30 000 USD gross at 0.1 % of equity. */
const size = { grossTradedValue: d('30000'), expectedCostFraction: d('0.001'), currency: 'USD' };

describe('approvalRequirement', () => {
  it.each<[string, Partial<RebalancePolicy>, 'manual' | 'automatic', number, boolean, RegExp | null]>([
    ['no policy, manual', {}, 'manual', 1, false, null],
    ['a plan above twoApproversAbove', { twoApproversAbove: d('20000') }, 'manual', 2, false, /30000 USD is above 20000: two distinct approvers/],
    ['a plan exactly at twoApproversAbove', { twoApproversAbove: d('30000') }, 'manual', 1, false, null],
    ['automatic not allowed', {}, 'automatic', 1, false, /fell back to manual approval: the portfolio's rebalance policy does not allow automatic mode/],
    ['automatic allowed and under both limits', { automaticAllowed: true, automaticMaxTradedValue: d('50000'), automaticMaxCostPct: d('0.5') }, 'automatic', 0, true, /approved automatically/],
    ['automatic above the traded-value limit', { automaticAllowed: true, automaticMaxTradedValue: d('10000') }, 'automatic', 1, false, /above the automatic limit 10000/],
    ['automatic above the cost limit (0.1 % > 0.05 %)', { automaticAllowed: true, automaticMaxTradedValue: d('50000'), automaticMaxCostPct: d('0.05') }, 'automatic', 1, false, /expected cost 0.1 % of equity is above the automatic limit 0.05 %/],
    ['automatic but above twoApproversAbove', { automaticAllowed: true, automaticMaxTradedValue: d('50000'), twoApproversAbove: d('20000') }, 'automatic', 2, false, /fell back.*two distinct approvers/],
  ])('when %s, then %i approvers (automatic %s)', (_name, p, mode, approvals, automatic, reason) => {
    const need = approvalRequirement(policy(p), size, mode);
    expect(need.approvalsRequired).toBe(approvals);
    expect(need.automatic).toBe(automatic);
    if (reason === null) expect(need.reason).toBeNull();
    else expect(need.reason).toMatch(reason);
  });

  it('when legs sell and buy, then the gross traded value adds their absolute notionals', () => {
    expect(grossTradedValue([d('20000'), d('-10000'), d('0.5')]).toFixed()).toBe('30000.5');
  });
});
