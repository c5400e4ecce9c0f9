import type { Knex } from 'knex';
import type { SizingSettings } from '../../domain/sizing/sizing-settings';
import { toWire } from '../../domain/values/decimal';
import { SizingSettingsVersionConflictError, type SizingSettingsStore, type StoredSizingSettings } from '../../ports/sizing.port';
import { appendAudit } from './audit-log.repository';
import { num } from './row-mappers';

interface SizingSettingsRow {
  portfolio_id: string; max_portfolio_risk: string; max_position_risk: string; base_size: string;
  confidence_multiplier: string; kelly_fraction: string; min_confidence: string; version: number; updated_by: string; updated_at: Date;
}

const toStored = (r: SizingSettingsRow): StoredSizingSettings => ({
  portfolioId: r.portfolio_id,
  settings: {
    maxPortfolioRisk: num(r.max_portfolio_risk), maxPositionRisk: num(r.max_position_risk), baseSize: num(r.base_size),
    confidenceMultiplier: num(r.confidence_multiplier), kellyFraction: num(r.kelly_fraction), minConfidence: num(r.min_confidence),
  },
  version: r.version, updatedBy: r.updated_by, updatedAt: r.updated_at,
});

const fromSettings = (s: SizingSettings) => ({
  max_portfolio_risk: s.maxPortfolioRisk.toFixed(), max_position_risk: s.maxPositionRisk.toFixed(), base_size: s.baseSize.toFixed(),
  confidence_multiplier: s.confidenceMultiplier.toFixed(), kelly_fraction: s.kellyFraction.toFixed(), min_confidence: s.minConfidence.toFixed(),
});

/** What the audit log keeps of a version: the settings as decimal strings, and the version. */
const auditView = (stored: StoredSizingSettings) => ({
  version: stored.version,
  ...Object.fromEntries(Object.entries(stored.settings).map(([k, v]) => [k, toWire(v)])),
});

export function createSizingSettingsRepository(db: Knex): SizingSettingsStore {
  const lockedRow = (trx: Knex.Transaction, portfolioId: string) =>
    trx('sizing_settings').where({ portfolio_id: portfolioId }).forUpdate().first<SizingSettingsRow | undefined>();

  return {
    async find(portfolioId) {
      const row = await db('sizing_settings').where({ portfolio_id: portfolioId }).first<SizingSettingsRow | undefined>();
      return row ? toStored(row) : null;
    },

    async replace(portfolioId, settings, principal, expectedVersion) {
      return db.transaction(async (trx) => {
        const values = { ...fromSettings(settings), updated_by: principal, updated_at: trx.fn.now() };
        let before = await lockedRow(trx, portfolioId);
        if (!before) {
          if (expectedVersion !== undefined && expectedVersion !== 0) throw new SizingSettingsVersionConflictError(portfolioId, expectedVersion, 0);
          // A concurrent first write waits here for the other and inserts nothing; then it replaces that one.
          const inserted = await trx('sizing_settings').insert({ portfolio_id: portfolioId, ...values, version: 1 })
            .onConflict('portfolio_id').ignore().returning<SizingSettingsRow[]>('*');
          if (inserted[0]) {
            const after = toStored(inserted[0]);
            await appendAudit(trx, { principal, action: 'sizing-settings.replaced', entityType: 'portfolio', entityId: portfolioId, details: { before: null, after: auditView(after) } });
            return after;
          }
          before = await lockedRow(trx, portfolioId);
          if (!before) throw new Error(`sizing settings of ${portfolioId} neither inserted nor found`);
          if (expectedVersion !== undefined) throw new SizingSettingsVersionConflictError(portfolioId, expectedVersion, before.version);
        }
        if (expectedVersion !== undefined && expectedVersion !== before.version) throw new SizingSettingsVersionConflictError(portfolioId, expectedVersion, before.version);
        const [updated] = await trx('sizing_settings').where({ portfolio_id: portfolioId })
          .update({ ...values, version: before.version + 1 }).returning<SizingSettingsRow[]>('*');
        const after = toStored(updated!);
        await appendAudit(trx, { principal, action: 'sizing-settings.replaced', entityType: 'portfolio', entityId: portfolioId,
          details: { before: auditView(toStored(before)), after: auditView(after) } });
        return after;
      });
    },
  };
}
