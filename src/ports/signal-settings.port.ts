import type { SignalCombinationSettings } from '../domain/signals/signal-combination';

/** A portfolio's own signal combination settings, as last replaced. */
export interface StoredSignalSettings {
  readonly settings: SignalCombinationSettings;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

/** Per-portfolio strategy weights and thresholds; a portfolio without them uses the defaults. */
export interface SignalSettingsPort {
  /** The portfolio's own settings, or null when it has none (the defaults apply). */
  find(portfolioId: string): Promise<StoredSignalSettings | null>;
  /**
   * Replaces every weight and threshold, together, audited with the settings before (the
   * defaults when it had none) and after. Strategies not listed weigh nothing afterwards.
   */
  replace(portfolioId: string, settings: SignalCombinationSettings, principal: string): Promise<StoredSignalSettings>;
}
