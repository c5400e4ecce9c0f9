import { Decimal } from '../../../../src/domain/values/decimal';
import { CurrencyMismatchError, InvalidCurrencyError, Money, notional } from '../../../../src/domain/values/money';
import { price } from '../../../../src/domain/values/price';
import { NegativeQuantityError, quantity, signedQuantity } from '../../../../src/domain/values/quantity';

const usd = (v: string) => Money.of(v, 'USD');

describe('money, prices and quantities', () => {
  it('when two amounts in one currency are added, then the sum keeps the currency and is exact', () => {
    expect(usd('0.1').plus(usd('0.2')).toString()).toBe('0.3 USD');
  });

  const mixes: Array<[string, (a: Money, b: Money) => unknown]> = [
    ['added', (a, b) => a.plus(b)],
    ['subtracted', (a, b) => a.minus(b)],
    ['compared', (a, b) => a.lt(b)],
    ['divided', (a, b) => a.ratioTo(b)],
  ];
  it.each(mixes)('when amounts in two currencies are %s, then it is a CurrencyMismatchError', (_name, mix) => {
    expect(() => mix(usd('1'), Money.of('1', 'USDT'))).toThrow(CurrencyMismatchError);
  });

  it('when two amounts in different currencies are tested for equality, then they are not equal', () => {
    expect(usd('1').eq(Money.of('1', 'EUR'))).toBe(false);
  });

  it.each(['usd', 'US', '', 'U$D'])('when the currency is %j, then it is refused', (code) => {
    expect(() => Money.of('1', code)).toThrow(InvalidCurrencyError);
  });

  it('when a quantity is valued at a price, then the notional is money in the given currency', () => {
    expect(notional(quantity('0.5'), price('65000.01'), 'USDT').toString()).toBe('32500.005 USDT');
  });

  it('when a quantity is negative, then it is refused: the side gives the direction', () => {
    expect(() => quantity('-1')).toThrow(NegativeQuantityError);
    expect(quantity('0').isZero()).toBe(true);
    expect(signedQuantity('-1').toFixed()).toBe('-1');
  });

  it('when money is rounded, then banker\'s rounding applies unless a mode is given', () => {
    expect(usd('0.125').toDecimalPlaces(2).toWire()).toBe('0.12');
    expect(usd('0.121').toDecimalPlaces(2, Decimal.ROUND_UP).toWire()).toBe('0.13');
  });
});

// Compile-time: the brands keep prices, quantities and plain decimals apart.
export function brandsAreDistinct(p: ReturnType<typeof price>, q: ReturnType<typeof quantity>, plain: Decimal): void {
  // @ts-expect-error a price is not a quantity
  const asQuantity: ReturnType<typeof quantity> = p;
  // @ts-expect-error a plain decimal is not a price
  const asPrice: ReturnType<typeof price> = plain;
  // @ts-expect-error a quantity is not a price
  const qAsPrice: ReturnType<typeof price> = q;
  void [asQuantity, asPrice, qAsPrice];
}
