import { deRiskingProposal, type DeRiskingInput, type LimitBreach } from '../../../../src/domain/daily-risk';
import { Decimal } from '../../../../src/domain/values/decimal';

const breach = (action: LimitBreach['action']): LimitBreach => ({ kind: 'DAILY_LOSS', observed: '1000', limit: '500', action, message: 'the day\'s loss 1000 USD is beyond the limit 500' });
const base: DeRiskingInput = {
  weights: new Map([['AAPL', 0.4], ['XOM', 0.2], ['SHORTED', -0.1]]),
  breaches: [breach('HALTED')],
  deRiskingScale: new Decimal('0.5'),
  maxVar95Pct: null,
  var95: null,
  maxPositionPctOfEquity: new Decimal('1'),
};

describe('a de-risking proposal after a breach', () => {
  const table: Array<[string, Partial<DeRiskingInput>, Record<string, string> | null, number | null]> = [
    ['a halting breach and a scale of 0.5', {}, { AAPL: '0.200000', XOM: '0.100000' }, 0.5],
    ['proposals are off', { deRiskingScale: null }, null, null],
    ['the only breach alerts', { breaches: [breach('ALERT')] }, null, null],
    ['VaR 95 is four times its budget (VaR scales with the weights: a quarter of each position)', { maxVar95Pct: new Decimal('0.01'), var95: 0.04 }, { AAPL: '0.100000', XOM: '0.050000' }, 0.25],
    ['VaR is already within the scaled budget', { maxVar95Pct: new Decimal('0.03'), var95: 0.04 }, { AAPL: '0.200000', XOM: '0.100000' }, 0.5],
    ['a position would stay above the concentration cap', { maxPositionPctOfEquity: new Decimal('0.15') }, { AAPL: '0.150000', XOM: '0.100000' }, 0.5],
    ['only shorts are held (a de-risking plan only sells)', { weights: new Map([['SHORTED', -0.3]]) }, null, null],
  ];
  it.each(table)('when %s, then the targets are as expected', (_name, over, targets, scale) => {
    const proposal = deRiskingProposal({ ...base, ...over });
    expect(proposal?.targets ?? null).toEqual(targets);
    expect(proposal?.scale ?? null).toBe(scale);
  });

  it('when VaR sets the scale, then the reasons say so beside the breach', () => {
    const proposal = deRiskingProposal({ ...base, maxVar95Pct: new Decimal('0.01'), var95: 0.04 });
    expect(proposal?.reasons).toEqual(['the day\'s loss 1000 USD is beyond the limit 500', 'positions scaled to 25.0 % to bring VaR 95 within its budget']);
  });
});
