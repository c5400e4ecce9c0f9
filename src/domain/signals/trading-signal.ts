/**
 * A strategy's view of a trade, as it may accompany an order. Confidence and probabilities are
 * statistics, not money: plain numbers in [0, 1]. Expected return and max loss are fractions of
 * the order's value (0.012 = 1.2 %).
 */
export interface TradingSignal {
  readonly strategyId: string;
  /** How sure the strategy is of its call, in [0, 1]. */
  readonly confidence: number;
  /** The strategy's probabilities that the price goes up, down or stays flat (they sum to 1). */
  readonly probabilities?: { readonly up: number; readonly down: number; readonly flat: number };
  /** The return the strategy expects from the trade, as a fraction of its value. */
  readonly expectedReturn?: number;
  /** The most the strategy expects to lose, as a fraction of the trade's value. */
  readonly maxLoss?: number;
}
