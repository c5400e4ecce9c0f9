import { executeAgainstQuote, isMarketable, type PaperCostModel } from '../../../../src/domain/broker/paper-execution';
import type { OrderIntent } from '../../../../src/domain/orders/order';
import { Decimal } from '../../../../src/domain/values/decimal';
import { price } from '../../../../src/domain/values/price';
import { quantity } from '../../../../src/domain/values/quantity';

const d = (v: string | number) => new Decimal(v);
const quote = { symbol: 'AAPL', bid: price('99.99'), ask: price('100.01'), last: price('100'), asOf: new Date(0) };
const costs: PaperCostModel = { feeBps: d(10), slippageBps: d(0), minFee: d(0) };
const instrument = { tickSize: price('0.01'), currency: 'USD' };
const order = (over: Partial<Omit<OrderIntent, 'limitPrice'>> & { limitPrice?: string } = {}): OrderIntent => {
  const { limitPrice, ...rest } = over;
  return { symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: quantity('10'), ...rest, ...(limitPrice !== undefined && { limitPrice: price(limitPrice) }) };
};

describe('paper execution', () => {
  const marketability: Array<[string, OrderIntent, boolean]> = [
    ['a market order', order(), true],
    ['a limit buy at the ask', order({ type: 'LIMIT', limitPrice: '100.01' }), true],
    ['a limit buy below the ask', order({ type: 'LIMIT', limitPrice: '100.00' }), false],
    ['a limit sell at the bid', order({ side: 'SELL', type: 'LIMIT', limitPrice: '99.99' }), true],
    ['a limit sell above the bid', order({ side: 'SELL', type: 'LIMIT', limitPrice: '100.00' }), false],
  ];
  it.each(marketability)('when %s meets the quote, then marketable is %s', (_n, o, expected) => {
    expect(isMarketable(o, quote)).toBe(expected);
  });

  it('when a market buy fills, then it pays the ask and a fee of notional × fee bps rounded to cents, in the instrument currency', () => {
    const ex = executeAgainstQuote(order(), quote, costs, instrument);
    expect(ex?.price.toFixed()).toBe('100.01');
    expect(ex?.fee.toString()).toBe('1 USD');
  });

  it('when the minimum fee is above the rate, then the minimum is charged', () => {
    expect(executeAgainstQuote(order({ quantity: quantity('1') }), quote, { ...costs, minFee: d('2.5') }, instrument)?.fee.toString()).toBe('2.5 USD');
  });

  it('when slippage is configured, then a buy pays more and a sell receives less, on the tick grid', () => {
    const slip = { ...costs, slippageBps: d(5) };
    expect(executeAgainstQuote(order(), quote, slip, instrument)?.price.toFixed()).toBe('100.07');
    expect(executeAgainstQuote(order({ side: 'SELL' }), quote, slip, instrument)?.price.toFixed()).toBe('99.94');
  });

  it('when slippage would cross a limit, then the fill is at the limit', () => {
    expect(executeAgainstQuote(order({ type: 'LIMIT', limitPrice: '100.02' }), quote, { ...costs, slippageBps: d(50) }, instrument)?.price.toFixed()).toBe('100.02');
  });

  it('when the order is not marketable, then nothing fills', () => {
    expect(executeAgainstQuote(order({ type: 'LIMIT', limitPrice: '90' }), quote, costs, instrument)).toBeNull();
  });
});
