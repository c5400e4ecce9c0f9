import type { SignalCombinationSettings } from '../domain/signals/signal-combination';

/** Where the weights of a combination came from. */
export type SignalSettingsSource = 'default' | 'portfolio';
export type WeightsSource = SignalSettingsSource | 'request';

/** `GET /v1/portfolios/:id/strategy-weights`: the effective weights and thresholds. */
export interface StrategyWeightsView {
  readonly portfolioId: string;
  readonly source: SignalSettingsSource;
  /** Relative weight by strategy id, by id; strategies not listed weigh 0 (ignored). */
  readonly weights: Readonly<Record<string, number>>;
  readonly minStrength: number;
  readonly minConfidence: number;
  readonly minAgreement: number;
  /** Null while the defaults apply. */
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

/** Weights as a JSON object, ordered by strategy id. */
export const weightsView = (weights: ReadonlyMap<string, number>): Record<string, number> =>
  Object.fromEntries([...weights].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function toStrategyWeightsView(
  portfolioId: string, source: SignalSettingsSource, settings: SignalCombinationSettings, updatedBy: string | null, updatedAt: Date | null,
): StrategyWeightsView {
  return {
    portfolioId, source, weights: weightsView(settings.weights),
    minStrength: settings.minStrength, minConfidence: settings.minConfidence, minAgreement: settings.minAgreement,
    updatedBy, updatedAt: updatedAt ? updatedAt.toISOString() : null,
  };
}
