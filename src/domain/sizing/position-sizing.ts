import { Decimal, toWire, ZERO } from '../values/decimal';
import { Money } from '../values/money';
import type { Price } from '../values/price';
import { quantity, type Quantity } from '../values/quantity';
import { optimalF, OptimalFUndefinedError } from './optimal-f';
import type { SizingSettings } from './sizing-settings';

/** The sizing methods, with what each sizes from. */
export const SIZING_METHODS = {
  FIXED_DOLLAR: 'A fixed amount of money: `amount`.',
  FIXED_PERCENT: 'A fixed share of equity: `percent` (0.05 = 5 %).',
  KELLY: 'The Kelly fraction f* = p − (1 − p) / b of equity, from `winProbability` p and `payoffRatio` b, scaled by `fraction` (default: the portfolio\'s kellyFraction, 0.25).',
  RISK_PARITY: 'Inverse volatility within the portfolio: equity × (1/σ) / Σ(1/σ_j), from `assetVolatility` σ and `otherVolatilities` of the other positions.',
  VOLATILITY_ADJUSTED: 'equity × `targetVolatility` / `assetVolatility`.',
  CONFIDENCE_WEIGHTED: 'equity × baseSize × `confidence` × confidenceMultiplier; nothing below minConfidence.',
  OPTIMAL_F: 'Ralph Vince\'s optimal f over `tradeResults` (P&L per unit of past trades): equity × f / largest loss units.',
} as const;
export type SizingMethod = keyof typeof SIZING_METHODS;

export type SizingInput =
  | { readonly method: 'FIXED_DOLLAR'; readonly amount: Decimal }
  | { readonly method: 'FIXED_PERCENT'; readonly percent: Decimal }
  | { readonly method: 'KELLY'; readonly winProbability: Decimal; readonly payoffRatio: Decimal; readonly fraction?: Decimal }
  | { readonly method: 'RISK_PARITY'; readonly assetVolatility: Decimal; readonly otherVolatilities: readonly Decimal[] }
  | { readonly method: 'VOLATILITY_ADJUSTED'; readonly assetVolatility: Decimal; readonly targetVolatility: Decimal }
  | { readonly method: 'CONFIDENCE_WEIGHTED'; readonly confidence: Decimal }
  | { readonly method: 'OPTIMAL_F'; readonly tradeResults: readonly Decimal[] };

/** What sizing is done against. */
export interface SizingContext {
  readonly equity: Money;
  /** The price a unit is bought or sold at. */
  readonly price: Price;
  readonly lotSize: Quantity;
  readonly settings: SizingSettings;
  /** The stop the position will carry: the risk caps need it. */
  readonly stopLoss?: Price;
  /** What the portfolio's open positions may already lose at their stops. */
  readonly openRisk?: Money;
  /** A signal's confidence, for methods that do not size from it: scales the size (below minConfidence: nothing). */
  readonly confidence?: Decimal;
}

export interface SizingAdjustment {
  readonly name: 'CONFIDENCE' | 'MAX_POSITION_RISK' | 'MAX_PORTFOLIO_RISK' | 'LOT_SIZE';
  readonly factor: Decimal;
  readonly note: string;
}

export interface SizingResult {
  readonly method: SizingMethod;
  /** The money the method asks for, before any adjustment. */
  readonly rawNotional: Money;
  readonly rawQuantity: Decimal;
  /** Each adjustment in the order applied, with the factor it multiplied the quantity by. */
  readonly adjustments: readonly SizingAdjustment[];
  readonly quantity: Quantity;
  readonly notional: Money;
  /** The money the position may lose at its stop (null without a stop). */
  readonly riskAtStop: Money | null;
  /** Why the size is what it is, when it is not simply the method's (zero, capped, undefined). */
  readonly notes: readonly string[];
}

export class SizingError extends Error {
  readonly code = 'SIZING_INPUT_INVALID';
  constructor(readonly field: string, rule: string) {
    super(`${field}: ${rule}`);
  }
}

const positive = (value: Decimal, field: string) => {
  if (!value.isFinite() || !value.gt(0)) throw new SizingError(field, 'must be greater than zero');
  return value;
};
const fraction = (value: Decimal, field: string) => {
  if (!value.isFinite() || value.lt(0) || value.gt(1)) throw new SizingError(field, 'must be between 0 and 1');
  return value;
};

/** The money the method asks for, and a note when it asks for nothing. */
function rawNotional(input: SizingInput, ctx: SizingContext): { notional: Money; note?: string } {
  const { equity, settings } = ctx;
  switch (input.method) {
    case 'FIXED_DOLLAR':
      return { notional: Money.of(positive(input.amount, 'amount'), equity.currency) };
    case 'FIXED_PERCENT':
      return { notional: equity.times(fraction(input.percent, 'percent')) };
    case 'KELLY': {
      const p = fraction(input.winProbability, 'winProbability');
      const b = positive(input.payoffRatio, 'payoffRatio');
      const kelly = p.minus(Decimal.sub(1, p).div(b));
      const scaled = kelly.times(fraction(input.fraction ?? settings.kellyFraction, 'fraction'));
      if (!kelly.gt(0)) return { notional: Money.zero(equity.currency), note: `Kelly f* = ${toWire(kelly.toSignificantDigits(6))}: no edge, nothing to bet` };
      return { notional: equity.times(scaled) };
    }
    case 'RISK_PARITY': {
      const own = Decimal.div(1, positive(input.assetVolatility, 'assetVolatility'));
      const all = input.otherVolatilities.reduce((acc, v, i) => acc.plus(Decimal.div(1, positive(v, `otherVolatilities.${i}`))), own);
      return { notional: equity.times(own.div(all)) };
    }
    case 'VOLATILITY_ADJUSTED':
      return { notional: equity.times(positive(input.targetVolatility, 'targetVolatility').div(positive(input.assetVolatility, 'assetVolatility'))) };
    case 'CONFIDENCE_WEIGHTED': {
      const confidence = fraction(input.confidence, 'confidence');
      if (confidence.lt(settings.minConfidence)) {
        return { notional: Money.zero(equity.currency), note: `confidence ${toWire(confidence)} is below the minimum ${toWire(settings.minConfidence)}` };
      }
      return { notional: equity.times(settings.baseSize.times(confidence).times(settings.confidenceMultiplier)) };
    }
    case 'OPTIMAL_F': {
      try {
        const { f, largestLoss } = optimalF(input.tradeResults.map((x) => x.toNumber()));
        if (f === 0) return { notional: Money.zero(equity.currency), note: 'the trade results lose on balance: optimal f is 0' };
        const units = equity.amount.times(new Decimal(f.toPrecision(12))).div(new Decimal(largestLoss.toPrecision(15)));
        return { notional: Money.of(units.times(ctx.price), equity.currency) };
      } catch (err) {
        if (err instanceof OptimalFUndefinedError) throw new SizingError('tradeResults', err.message);
        throw err;
      }
    }
  }
}

/**
 * Sizes a position: the method's raw size, then the multi-factor adjustment (a signal's
 * confidence) and the caps (max position risk and max portfolio risk at the stop), then the lot
 * grid, rounded down. Every step that changed the size is reported with its factor.
 */
export function sizePosition(input: SizingInput, ctx: SizingContext): SizingResult {
  const { equity, price, lotSize, settings } = ctx;
  positive(price, 'price');
  positive(lotSize, 'lotSize');
  if (!equity.isPositive()) throw new SizingError('equity', 'must be greater than zero to size a position');
  const notes: string[] = [];
  const raw = rawNotional(input, ctx);
  if (raw.note) notes.push(raw.note);
  const rawQuantity = raw.notional.amount.div(price);
  const adjustments: SizingAdjustment[] = [];
  let qty = rawQuantity;
  const adjust = (name: SizingAdjustment['name'], to: Decimal, note: string) => {
    const capped = Decimal.max(to, ZERO);
    adjustments.push({ name, factor: qty.isZero() ? new Decimal(1) : capped.div(qty), note });
    qty = capped;
  };

  if (ctx.confidence !== undefined && input.method !== 'CONFIDENCE_WEIGHTED') {
    const confidence = fraction(ctx.confidence, 'confidence');
    if (confidence.lt(settings.minConfidence)) adjust('CONFIDENCE', ZERO, `confidence ${toWire(confidence)} is below the minimum ${toWire(settings.minConfidence)}`);
    else adjust('CONFIDENCE', qty.times(confidence), `scaled by the signal's confidence ${toWire(confidence)}`);
  }

  let riskPerUnit: Decimal | null = null;
  if (ctx.stopLoss !== undefined) {
    riskPerUnit = price.minus(ctx.stopLoss).abs();
    if (riskPerUnit.isZero()) throw new SizingError('stopLoss', 'must differ from the price');
    const maxByPosition = equity.amount.times(settings.maxPositionRisk).div(riskPerUnit);
    if (qty.gt(maxByPosition)) adjust('MAX_POSITION_RISK', maxByPosition, `at most ${toWire(settings.maxPositionRisk)} of equity may be lost at the stop`);
    const room = equity.amount.times(settings.maxPortfolioRisk).minus(ctx.openRisk?.amount ?? ZERO);
    const maxByPortfolio = Decimal.max(room, ZERO).div(riskPerUnit);
    if (qty.gt(maxByPortfolio)) adjust('MAX_PORTFOLIO_RISK', maxByPortfolio, `the open positions already risk ${toWire((ctx.openRisk?.amount ?? ZERO))} of the ${toWire(equity.amount.times(settings.maxPortfolioRisk))} allowed`);
  } else {
    notes.push('no stop loss given: the risk caps, which measure the loss at the stop, were not applied');
  }

  const beforeLots = qty;
  const lots = qty.div(lotSize).floor().times(lotSize);
  if (!lots.eq(qty)) adjust('LOT_SIZE', lots, `rounded down to the lot size ${toWire(lotSize)}`);
  const final = quantity(qty);
  if (final.isZero() && beforeLots.gt(0)) notes.push(`${toWire(beforeLots.toSignificantDigits(6))} units round down to zero lots of ${toWire(lotSize)}`);
  return {
    method: input.method,
    rawNotional: raw.notional,
    rawQuantity,
    adjustments,
    quantity: final,
    notional: Money.of(final.times(price), equity.currency),
    riskAtStop: riskPerUnit === null ? null : Money.of(final.times(riskPerUnit), equity.currency),
    notes,
  };
}
