import type { SignalSettingsSource, WeightsSource } from '../contracts/signal-views';
import type { OrderSide } from '../domain/orders/order';
import {
  combineSignals, DEFAULT_SIGNAL_COMBINATION_SETTINGS, SignalCombinationError,
  type SignalCombination, type SignalCombinationSettings, type StrategySignal,
} from '../domain/signals/signal-combination';
import type { TradingSignal } from '../domain/signals/trading-signal';
import type { SignalSettingsPort } from '../ports/signal-settings.port';
import { badRequest } from './http-errors';

/** What signal evaluation needs of the gateway's dependencies. */
export interface SignalEvaluationDeps {
  readonly signalSettings: SignalSettingsPort;
}

export interface EffectiveSignalSettings {
  readonly settings: SignalCombinationSettings;
  readonly source: SignalSettingsSource;
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
}

/** The portfolio's own weights and thresholds, or the defaults when it has none. */
export async function effectiveSignalSettings(deps: SignalEvaluationDeps, portfolioId: string): Promise<EffectiveSignalSettings> {
  const stored = await deps.signalSettings.find(portfolioId);
  return stored
    ? { settings: stored.settings, source: 'portfolio', updatedBy: stored.updatedBy, updatedAt: stored.updatedAt }
    : { settings: DEFAULT_SIGNAL_COMBINATION_SETTINGS, source: 'default', updatedBy: null, updatedAt: null };
}

export interface SignalEvaluationInput {
  readonly portfolioId: string;
  /** One signal per strategy (1 to 50; validated again here). */
  readonly signals: readonly StrategySignal[];
  /** Replaces the portfolio's weights for this evaluation only; its thresholds still apply. */
  readonly weights?: Readonly<Record<string, number>>;
}

export interface SignalEvaluation {
  /** The side to trade: null when the combination is HOLD or does not pass its thresholds. */
  readonly side: OrderSide | null;
  /** The combined signal, attachable to an order (strategyId "combined"). */
  readonly signal: TradingSignal;
  /** Every number, each strategy's contribution, and why it executes or not. */
  readonly evaluation: SignalCombination;
  readonly weightsSource: WeightsSource;
}

/**
 * Combines strategy signals for a portfolio by its weights (or the request's) and decides whether
 * to trade: `POST /v1/signals/evaluate` answers with it, and an order placed from a combined signal
 * takes its `side` and `signal`. The caller has already checked that the principal may see the
 * portfolio. Bad input is a 400 naming the field, prefixed by `fieldPrefix` (such as
 * "combinedSignal.") when the signals sit deeper in the caller's body.
 */
export async function evaluateStrategySignals(
  deps: SignalEvaluationDeps, input: SignalEvaluationInput, options: { readonly fieldPrefix?: string } = {},
): Promise<SignalEvaluation> {
  const effective = await effectiveSignalSettings(deps, input.portfolioId);
  const settings: SignalCombinationSettings = input.weights === undefined
    ? effective.settings
    : { ...effective.settings, weights: new Map(Object.entries(input.weights)) };
  let evaluation: SignalCombination;
  try {
    evaluation = combineSignals(input.signals, settings);
  } catch (err) {
    if (err instanceof SignalCombinationError) throw badRequest([{ field: `${options.fieldPrefix ?? ''}${err.field}`, rule: err.rule }]);
    throw err;
  }
  return { side: evaluation.side, signal: evaluation.signal, evaluation, weightsSource: input.weights === undefined ? effective.source : 'request' };
}
