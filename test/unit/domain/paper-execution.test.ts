import { executeAgainstQuote, isMarketable, type PaperCostModel } from '../../../src/domain/broker/paper-execution';
import type { OrderIntent } from '../../../src/domain/orders/order';
import { Decimal } from '../../../src/domain/values/decimal';

const d = (v: string | number) => new Decimal(v);
const quote = { symbol: 'AAPL', bid: d('99.99'), ask: d('100.01'), last: d(100), asOf: new Date(0) };
const costs: PaperCostModel = { feeBps: d(10), slippageBps: d(0), minFee: d(0) };
const order = (over: Partial<OrderIntent>): OrderIntent => ({ symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: d(10), ...over });

describe('paper execution', () => {
  const marketability: Array<[string, OrderIntent, boolean]> = [
    ['a market order', order({}), true],
    ['a limit buy at the ask', order({ type: 'LIMIT', limitPrice: d('100.01') }), true],
    ['a limit buy below the ask', order({ type: 'LIMIT', limitPrice: d('100.00') }), false],
    ['a limit sell at the bid', order({ side: 'SELL', type: 'LIMIT', limitPrice: d('99.99') }), true],
    ['a limit sell above the bid', order({ side: 'SELL', type: 'LIMIT', limitPrice: d('100.00') }), false],
  ];
  it.each(marketability)('when %s meets the quote, then marketable is %s', (_n, o, expected) => {
    expect(isMarketable(o, quote)).toBe(expected);
  });

  it('when a market buy fills, then it pays the ask and a fee of notional × fee bps rounded to cents', () => {
    const ex = executeAgainstQuote(order({}), quote, costs, d('0.01'));
    expect(ex?.price.toFixed()).toBe('100.01');
    expect(ex?.fee.toFixed()).toBe('1');
  });

  it('when slippage is configured, then a buy pays more and a sell receives less, on the tick grid', () => {
    const slip = { ...costs, slippageBps: d(5) };
    expect(executeAgainstQuote(order({}), quote, slip, d('0.01'))?.price.toFixed()).toBe('100.07');
    expect(executeAgainstQuote(order({ side: 'SELL' }), quote, slip, d('0.01'))?.price.toFixed()).toBe('99.94');
  });

  it('when slippage would cross a limit, then the fill is at the limit', () => {
    const ex = executeAgainstQuote(order({ type: 'LIMIT', limitPrice: d('100.02') }), quote, { ...costs, slippageBps: d(50) }, d('0.01'));
    expect(ex?.price.toFixed()).toBe('100.02');
  });

  it('when the order is not marketable, then nothing fills', () => {
    expect(executeAgainstQuote(order({ type: 'LIMIT', limitPrice: d(90) }), quote, costs, d('0.01'))).toBeNull();
  });
});
