import type { SizingSettings } from '../domain/sizing/sizing-settings';

/** A portfolio's stored sizing settings and their version (1 for the first stored, +1 per change). */
export interface StoredSizingSettings {
  readonly portfolioId: string;
  readonly settings: SizingSettings;
  readonly version: number;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

/** Per-portfolio sizing settings; a portfolio with none sizes with DEFAULT_SIZING_SETTINGS. */
export interface SizingSettingsStore {
  /** The stored settings, or null when the portfolio has none (it uses the defaults). */
  find(portfolioId: string): Promise<StoredSizingSettings | null>;
  /**
   * Replaces every setting (audited with before and after) and answers the stored result. With
   * `expectedVersion` (0: none stored yet), a different current version is a
   * SizingSettingsVersionConflictError and nothing changes.
   */
  replace(portfolioId: string, settings: SizingSettings, principal: string, expectedVersion?: number): Promise<StoredSizingSettings>;
}

export class SizingSettingsVersionConflictError extends Error {
  readonly code = 'SIZING_SETTINGS_VERSION_CONFLICT';
  override readonly name = 'SizingSettingsVersionConflictError';
  constructor(readonly portfolioId: string, readonly expectedVersion: number, readonly currentVersion: number) {
    super(`the sizing settings of portfolio ${portfolioId} are at version ${currentVersion}, not ${expectedVersion}`);
  }
}
