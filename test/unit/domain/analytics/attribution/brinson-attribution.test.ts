import fc from 'fast-check';
import { brinsonAttribution, type AttributionHolding, type AttributionPeriodInput, type BrinsonMethod } from '../../../../../src/domain/analytics/attribution/brinson-attribution';
import { linkedAttribution } from '../../../../../src/domain/analytics/attribution/linked-attribution';
import { compound, linkingMultipliers } from '../../../../../src/domain/analytics/attribution/multi-period-linking';
import { holdingContributions, rankContributions } from '../../../../../src/domain/analytics/attribution/top-contributors';

const h = (id: string, sector: string, weight: number, ret: number, strategy = 'core'): AttributionHolding =>
  ({ id, weight, return: ret, groups: { sector, strategy, instrumentType: 'EQUITY' } });

/**
 * Portfolio: TECH 0.5 at 10 % (AAPL 0.3 at 12 %, MSFT 0.2 at 7 %), FIN 0.3 at 2 %, CRYPTO 0.2 at 30 %.
 * Benchmark: TECH 0.4 at 8 %, FIN 0.4 at 3 %, ENERGY 0.2 at −5 %. R_p = 11.6 %, R_b = 3.4 %.
 * ENERGY is held only by the benchmark, CRYPTO only by the portfolio.
 */
const period: AttributionPeriodInput = {
  portfolio: [h('AAPL', 'TECH', 0.3, 0.12), h('MSFT', 'TECH', 0.2, 0.07), h('JPM', 'FIN', 0.3, 0.02, 'value'), h('BTC', 'CRYPTO', 0.2, 0.3, 'momentum')],
  benchmark: [h('AAPL', 'TECH', 0.25, 0.1), h('MSFT', 'TECH', 0.15, (0.032 - 0.025) / 0.15), h('JPM', 'FIN', 0.4, 0.03), h('XOM', 'ENERGY', 0.2, -0.05)],
};

describe('Brinson attribution, one period', () => {
  it.each([
    // group, allocation, selection, interaction (BHB: allocation = (wp − wb)·rb)
    ['brinson-hood-beebower', 'TECH', 0.008, 0.008, 0.002],
    ['brinson-hood-beebower', 'FIN', -0.003, -0.004, 0.001],
    ['brinson-hood-beebower', 'ENERGY', 0.01, 0, 0],
    ['brinson-hood-beebower', 'CRYPTO', 0.2 * 0.034, 0, 0.2 * (0.3 - 0.034)],
    // BF: allocation = (wp − wb)·(rb − R_b)
    ['brinson-fachler', 'TECH', 0.1 * (0.08 - 0.034), 0.008, 0.002],
    ['brinson-fachler', 'FIN', -0.1 * (0.03 - 0.034), -0.004, 0.001],
    ['brinson-fachler', 'ENERGY', -0.2 * (-0.05 - 0.034), 0, 0],
    ['brinson-fachler', 'CRYPTO', 0, 0, 0.2 * (0.3 - 0.034)],
  ] as const)('when %s attributes by sector, then %s has the hand-computed effects', (method, group, allocation, selection, interaction) => {
    const result = brinsonAttribution(period, { groupBy: 'sector', method: method as BrinsonMethod });
    const row = result.groups.find((g) => g.group === group)!;
    expect(row.allocation).toBeCloseTo(allocation, 14);
    expect(row.selection).toBeCloseTo(selection, 14);
    expect(row.interaction).toBeCloseTo(interaction, 14);
    expect(row.total).toBeCloseTo(allocation + selection + interaction, 14);
  });

  it.each(['brinson-hood-beebower', 'brinson-fachler'] as const)('when %s is used, then the effects sum to the active return 8.2 %%', (method) => {
    const result = brinsonAttribution(period, { groupBy: 'sector', method });
    expect(result.portfolioReturn).toBeCloseTo(0.116, 14);
    expect(result.benchmarkReturn).toBeCloseTo(0.034, 14);
    expect(result.allocation + result.selection + result.interaction).toBeCloseTo(0.082, 14);
    expect(result.total).toBeCloseTo(result.activeReturn, 14);
  });

  it('when one side does not hold a group, then its return is null and the substitute is reported', () => {
    const result = brinsonAttribution(period, { groupBy: 'sector' });
    expect(result.groups.find((g) => g.group === 'ENERGY')).toMatchObject({ portfolioReturn: null, portfolioWeight: 0, effectiveBenchmarkReturn: expect.closeTo(-0.05, 14) as number });
    expect(result.groups.find((g) => g.group === 'CRYPTO')).toMatchObject({ benchmarkReturn: null, benchmarkWeight: 0, effectiveBenchmarkReturn: expect.closeTo(0.034, 14) as number });
  });

  it('when a benchmark return is given for a group the benchmark does not hold, then the effects use it', () => {
    const result = brinsonAttribution(period, { groupBy: 'sector', method: 'brinson-hood-beebower', unheldGroupBenchmarkReturns: { CRYPTO: 0.25 } });
    const crypto = result.groups.find((g) => g.group === 'CRYPTO')!;
    expect(crypto.allocation).toBeCloseTo(0.05, 14);
    expect(crypto.interaction).toBeCloseTo(0.01, 14);
    expect(result.total).toBeCloseTo(0.082, 14);
  });

  it.each(['symbol', 'strategy', 'instrumentType'])('when grouped by %s, then the effects still sum to the active return', (groupBy) => {
    const result = brinsonAttribution(period, { groupBy });
    expect(result.total).toBeCloseTo(0.082, 14);
    if (groupBy === 'symbol') expect(result.groups.map((g) => g.group)).toEqual(['AAPL', 'BTC', 'JPM', 'MSFT', 'XOM']);
  });

  it('when Brinson-Fachler is asked for with weights that sum differently, then it is refused naming the portfolio', () => {
    const lopsided = { ...period, portfolio: period.portfolio.slice(0, 3) };
    expect(() => brinsonAttribution(lopsided, { groupBy: 'sector' })).toThrow(expect.objectContaining({ code: 'ANALYTICS_WEIGHTS_MISMATCH', field: 'portfolio' }));
    expect(brinsonAttribution(lopsided, { groupBy: 'sector', method: 'brinson-hood-beebower' }).total).toBeCloseTo(0.056 - 0.034, 14);
  });

  it('when a group nets to zero weight yet earns a return, then it is refused by name', () => {
    const hedged = { portfolio: [h('A', 'X', 0.5, 0.1), h('B', 'X', -0.5, 0.05), h('C', 'Y', 1, 0)], benchmark: [h('C', 'Y', 1, 0)] };
    expect(() => brinsonAttribution(hedged, { groupBy: 'sector' })).toThrow(expect.objectContaining({ code: 'ANALYTICS_GROUP_NET_WEIGHT_ZERO', field: 'portfolio.X' }));
  });
});

/** A second period, to link: portfolio −2 %, benchmark +1 %. */
const second: AttributionPeriodInput = {
  portfolio: [h('AAPL', 'TECH', 0.6, -0.05), h('JPM', 'FIN', 0.4, 0.025)],
  benchmark: [h('AAPL', 'TECH', 0.5, 0.01), h('JPM', 'FIN', 0.5, 0.01)],
};

describe('multi-period linking', () => {
  it.each(['carino', 'grap'] as const)('when two periods are linked by %s, then the linked effects sum to the compounded active return', (linking) => {
    const linked = linkedAttribution([period, second], { groupBy: 'sector', linking });
    const rp = 1.116 * (1 + linked.periods[1]!.portfolioReturn) - 1;
    const rb = 1.034 * 1.01 - 1;
    expect(linked.portfolioReturn).toBeCloseTo(rp, 14);
    expect(linked.benchmarkReturn).toBeCloseTo(rb, 14);
    expect(linked.allocation + linked.selection + linked.interaction).toBeCloseTo(rp - rb, 14);
    expect(linked.groups.reduce((s, g) => s + g.total, 0)).toBeCloseTo(rp - rb, 14);
  });

  it('when GRAP links two periods, then period 1 is scaled by (1 + R_b,2) and period 2 by (1 + R_p,1)', () => {
    expect(linkingMultipliers([0.116, -0.02], [0.034, 0.01], 'grap')).toEqual([1.01, 1.116]);
  });

  it('when Carino links, then m_t = k_t / k with k = ln((1+R_P)/(1+R_B)) / (R_P − R_B)', () => {
    const [rp1, rp2, rb1, rb2] = [0.116, -0.02, 0.034, 0.01];
    const RP = (1 + rp1) * (1 + rp2) - 1;
    const RB = (1 + rb1) * (1 + rb2) - 1;
    const k = (Math.log1p(RP) - Math.log1p(RB)) / (RP - RB);
    const k1 = (Math.log1p(rp1) - Math.log1p(rb1)) / (rp1 - rb1);
    expect(linkingMultipliers([rp1, rp2], [rb1, rb2], 'carino')[0]).toBeCloseTo(k1 / k, 14);
  });

  it('when one period is linked, then the result is the single-period attribution', () => {
    const linked = linkedAttribution([period], { groupBy: 'sector' });
    const single = brinsonAttribution(period, { groupBy: 'sector' });
    expect(linked.allocation).toBeCloseTo(single.allocation, 14);
    expect(linked.selection).toBeCloseTo(single.selection, 14);
  });

  it('when the linked groups are ranked, then CRYPTO leads the contributors', () => {
    const linked = linkedAttribution([period], { groupBy: 'sector', top: 2 });
    expect(linked.topContributors.map((c) => c.id)).toEqual(['CRYPTO', 'ENERGY']);
    expect(linked.topDetractors.map((c) => c.id)).toEqual(['FIN']);
  });
});

describe('top contributors and detractors', () => {
  it('when contributions are ranked, then the biggest gains and the biggest losses come first, up to the count', () => {
    const ranked = rankContributions([{ id: 'a', contribution: 0.01 }, { id: 'b', contribution: -0.03 }, { id: 'c', contribution: 0.02 }, { id: 'd', contribution: -0.01 }, { id: 'e', contribution: 0 }], 1);
    expect(ranked).toEqual({ contributors: [{ id: 'c', contribution: 0.02 }], detractors: [{ id: 'b', contribution: -0.03 }] });
  });

  it('when holdings are followed over two periods, then their linked contributions sum to the compounded return', () => {
    const result = holdingContributions([period.portfolio, second.portfolio], { top: 3 });
    expect(result.portfolioReturn).toBeCloseTo(1.116 * (1 + (0.6 * -0.05 + 0.4 * 0.025)) - 1, 14);
    expect(result.all.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(result.portfolioReturn, 14);
    expect(result.contributors[0]!.id).toBe('BTC');
  });
});

describe('attribution properties', () => {
  const holdingArb = fc.record({
    id: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
    weight: fc.double({ min: 0.01, max: 1, noNaN: true }),
    return: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    sector: fc.constantFrom('S1', 'S2', 'S3', 'S4'),
  });
  const side = fc.array(holdingArb, { minLength: 1, maxLength: 8 }).map((hs) => {
    const total = hs.reduce((s, x) => s + x.weight, 0);
    return hs.map((x) => ({ id: x.id, weight: x.weight / total, return: x.return, groups: { sector: x.sector } }));
  });
  const periodArb = fc.record({ portfolio: side, benchmark: side });

  it('when any two sides are drawn, then each method\'s effects sum to the active return', () => {
    fc.assert(fc.property(periodArb, fc.constantFrom('sector', 'symbol'), fc.constantFrom<BrinsonMethod>('brinson-hood-beebower', 'brinson-fachler'), (p, groupBy, method) => {
      const r = brinsonAttribution(p, { groupBy, method });
      expect(r.allocation + r.selection + r.interaction).toBeCloseTo(r.activeReturn, 12);
    }));
  });

  it('when any periods are drawn and linked, then the linked effects sum to the compounded active return', () => {
    fc.assert(fc.property(fc.array(periodArb, { minLength: 1, maxLength: 6 }), fc.constantFrom('carino' as const, 'grap' as const), (ps, linking) => {
      const r = linkedAttribution(ps, { groupBy: 'sector', linking });
      const active = compound(r.periods.map((x) => x.portfolioReturn)) - compound(r.periods.map((x) => x.benchmarkReturn));
      expect(r.allocation + r.selection + r.interaction).toBeCloseTo(active, 12);
      expect(r.groups.reduce((s, g) => s + g.total, 0)).toBeCloseTo(active, 12);
    }));
  });
});
