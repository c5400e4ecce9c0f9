import type { Instrument } from '../instruments/instrument';
import type { ExecutionCostEstimate } from '../risk/execution-cost-estimate';
import type { Decimal } from '../values/decimal';
import type { Money } from '../values/money';
import type { Price } from '../values/price';
import type { Quantity, SignedQuantity } from '../values/quantity';

/**
 * Weights are Decimals (fractions of pre-trade equity), not floats: they feed quantities and
 * the plan version, and both must be exact and reproducible. Inputs that are statistics
 * (recent returns, volatilities) are plain numbers; they are checked finite and only tilt weights.
 */
export type Weight = Decimal;

export interface RebalancePosition {
  readonly symbol: string;
  /** Signed: negative is short. */
  readonly quantity: SignedQuantity;
}

export interface RebalanceQuote {
  readonly bid: Price;
  readonly ask: Price;
}

export interface RebalancePortfolio {
  /** Cash in the portfolio's base currency; every instrument must be priced in it. */
  readonly cash: Money;
  readonly positions: readonly RebalancePosition[];
  /** Marks used for valuation and leg notionals. */
  readonly marks: Readonly<Record<string, Price>>;
  /** Optional top of book: a leg then also costs half the spread. */
  readonly quotes?: Readonly<Record<string, RebalanceQuote>>;
  readonly instruments: Readonly<Record<string, Instrument>>;
}

export interface StrategyBand {
  readonly target: Weight;
  readonly min: Weight;
  readonly max: Weight;
  /** |strategy weight − target| beyond this triggers a rebalance of the strategy. */
  readonly threshold: Weight;
}

/** A stored per-asset target: min and max (both or neither) bound where the asset may sit untraded. */
export interface AssetBand {
  readonly target: Weight;
  readonly min?: Weight;
  readonly max?: Weight;
}

/** Where target weights come from. Σ weights ≤ 1; the remainder is cash. */
export type RebalanceTargetSource =
  | { readonly type: 'target-weights'; readonly weights: Readonly<Record<string, Weight>> }
  /** The optimiser's answer: the caller runs the optimiser and passes its weights. */
  | { readonly type: 'optimizer'; readonly weights: Readonly<Record<string, Weight>> }
  /**
   * Per-asset targets with optional bands: an asset inside [min, max] is not traded; one outside
   * its band (or, without a band, drifting beyond the threshold) is brought back to its target.
   */
  | { readonly type: 'asset-bands'; readonly bands: Readonly<Record<string, AssetBand>> }
  | {
      readonly type: 'strategy-bands';
      /** symbol → strategy name; every position must map to a strategy or it is left untouched (noted). */
      readonly strategyOf: Readonly<Record<string, string>>;
      /** Defaults to DEFAULT_STRATEGY_BANDS. */
      readonly bands?: Readonly<Record<string, StrategyBand>>;
    };

/**
 * Optional reshaping of the targets before planning. Tilts multiply each target weight by
 * (1 ± strength × recent return), floor it at 0 and renormalise to the same invested total.
 * Risk parity replaces the weights by inverse-volatility weights over the same symbols and total.
 */
export type TargetAdjustment =
  | { readonly type: 'momentum-tilt'; readonly returns: Readonly<Record<string, number>>; readonly strength: number; readonly basis?: AdjustmentBasis }
  | { readonly type: 'mean-reversion-tilt'; readonly returns: Readonly<Record<string, number>>; readonly strength: number; readonly basis?: AdjustmentBasis }
  | { readonly type: 'risk-parity'; readonly volatilities: Readonly<Record<string, number>>; readonly basis?: AdjustmentBasis };

/** Where measured inputs came from (the closes each symbol's figure spans), stated in the plan. */
export interface AdjustmentBasis {
  readonly lookbackDays: number;
  readonly closes: Readonly<Record<string, { readonly from: string; readonly to: string }>>;
}

/**
 * The adjustment as the plan states it: what reshaped the targets, from which inputs, and the
 * targets before it, so an approver sees why weights moved (and the version covers all of it).
 */
export interface AppliedAdjustment {
  readonly type: TargetAdjustment['type'];
  /** Tilts only. */
  readonly strength: number | null;
  /** Returns (tilts) or annualised volatilities (risk parity) of the symbols that took part. */
  readonly inputs: Readonly<Record<string, number>>;
  readonly basis: AdjustmentBasis | null;
  /** The positive targets that took part, before the adjustment (after it: the assets' targetWeight). */
  readonly targetsBefore: Readonly<Record<string, Weight>>;
}

/**
 * When and how much to trade.
 * - threshold: trade only when some asset drifts beyond the threshold. scope ALL_WHEN_ANY (default)
 *   then brings every asset to target; DRIFTED_ONLY trades only the assets beyond it.
 * - calendar: always bring every asset to target (the schedule is the trigger).
 * - dca: tranche k of N trades 1/(N−k+1) of the remaining move, so that tranches executed in
 *   turn add up to the whole move and the last one closes it.
 */
export type RebalanceStrategy =
  | { readonly type: 'threshold'; readonly scope?: 'ALL_WHEN_ANY' | 'DRIFTED_ONLY' }
  | { readonly type: 'calendar' }
  | { readonly type: 'dca'; readonly tranches: number; readonly tranche: number };

export interface RebalanceSettings {
  readonly costs: ExecutionCostEstimate;
  /** Absolute weight drift beyond which an asset is out of tolerance (default 0.05). */
  readonly driftThreshold: Weight;
  /** Fraction of pre-trade equity kept in cash after the trades (default 0.02). Buys are scaled to respect it. */
  readonly cashBuffer: Weight;
  /** Expected cost above this fraction of equity flags the plan COST_CAP_EXCEEDED (default 0.005). */
  readonly maxCostFraction: Weight;
  /** Σ|traded notional| / equity at most this; null: no cap. */
  readonly turnoverCap: Weight | null;
  /** Per-symbol minimum leg notional, overriding the instrument's. */
  readonly minNotional: Readonly<Record<string, Money>>;
}

export interface RebalanceInput {
  readonly portfolio: RebalancePortfolio;
  readonly targets: RebalanceTargetSource;
  readonly adjustment?: TargetAdjustment;
  readonly strategy: RebalanceStrategy;
  readonly settings?: Partial<RebalanceSettings>;
}

export type LegSide = 'SELL' | 'BUY';

export interface RebalanceLeg {
  readonly symbol: string;
  readonly side: LegSide;
  /** On the instrument's lot grid, rounded toward less trading. */
  readonly quantity: Quantity;
  /** Mark, plus (buy) or minus (sell) half the spread and the slippage. */
  readonly estimatedPrice: Price;
  /** quantity × mark. */
  readonly notional: Money;
  readonly estimatedFee: Money;
  readonly estimatedSlippage: Money;
  readonly estimatedHalfSpread: Money;
  /** fee + slippage + half spread. */
  readonly estimatedCost: Money;
}

export interface AssetAllocation {
  readonly symbol: string;
  readonly strategy: string | null;
  readonly currentWeight: Weight;
  readonly targetWeight: Weight;
  /** currentWeight − targetWeight. */
  readonly drift: Weight;
  /** True when the asset (or its strategy, for bands) is beyond its threshold. */
  readonly beyondThreshold: boolean;
  readonly postTradeWeight: Weight;
}

export type RebalancePlanStatus = 'READY' | 'NO_ACTION_NEEDED' | 'COST_CAP_EXCEEDED';

export type PlanNoteCode =
  | 'POSITION_UNMAPPED'
  | 'STRATEGY_OUT_OF_BAND'
  | 'STRATEGY_EMPTY'
  | 'TARGETS_ADJUSTED'
  | 'TURNOVER_CAPPED'
  | 'LEG_BELOW_LOT'
  | 'LEG_BELOW_MIN_NOTIONAL'
  | 'BUYS_SCALED_FOR_CASH_BUFFER'
  | 'CASH_BELOW_BUFFER'
  | 'DCA_TRANCHE'
  | 'NO_DRIFT_BEYOND_THRESHOLD'
  | 'NO_LEGS'
  | 'COST_CAP_EXCEEDED';

/** Every adjustment the planner made, with the symbol it concerns where there is one. */
export interface PlanNote {
  readonly code: PlanNoteCode;
  readonly symbol?: string;
  readonly message: string;
}

export interface RebalancePlan {
  readonly status: RebalancePlanStatus;
  readonly currency: string;
  readonly strategy: RebalanceStrategy;
  /** Sells first, then buys; each group by symbol. */
  readonly legs: readonly RebalanceLeg[];
  /** Sorted by symbol: every position and every target. */
  readonly assets: readonly AssetAllocation[];
  readonly maxDrift: Weight;
  readonly preTradeEquity: Money;
  readonly postTradeEquity: Money;
  readonly preTradeCash: Money;
  readonly postTradeCash: Money;
  readonly preTradeCashWeight: Weight;
  readonly postTradeCashWeight: Weight;
  readonly expectedCost: Money;
  /** expectedCost / pre-trade equity. */
  readonly expectedCostFraction: Weight;
  /** Σ|leg notional| / pre-trade equity, i.e. Σ|w − w0| with both weights on pre-trade equity at marks. */
  readonly turnover: Weight;
  readonly notes: readonly PlanNote[];
  /** Present only when targets were adjusted (a plan without one keeps the version it always had). */
  readonly adjustment?: AppliedAdjustment;
  /** `sha256:<hex>` of the plan's canonical content (everything above). */
  readonly version: string;
}
