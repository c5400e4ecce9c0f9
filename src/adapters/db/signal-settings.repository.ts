import type { Knex } from 'knex';
import { DEFAULT_SIGNAL_COMBINATION_SETTINGS, type SignalCombinationSettings } from '../../domain/signals/signal-combination';
import type { SignalSettingsPort, StoredSignalSettings } from '../../ports/signal-settings.port';
import { appendAudit } from './audit-log.repository';

interface SettingsRow { min_strength: string; min_confidence: string; min_agreement: string; updated_by: string; updated_at: Date }
interface WeightRow { strategy_id: string; weight: string }

/** Numeric columns come back as exact decimal strings; statistics are plain numbers. */
const toNumber = (value: string) => Number(value);

async function read(db: Knex | Knex.Transaction, portfolioId: string): Promise<StoredSignalSettings | null> {
  const row = await db('signal_settings').where({ portfolio_id: portfolioId }).first<SettingsRow | undefined>();
  if (!row) return null;
  const weights = await db('strategy_weights').where({ portfolio_id: portfolioId }).orderBy('strategy_id').select<WeightRow[]>('strategy_id', 'weight');
  return {
    settings: {
      weights: new Map(weights.map((w) => [w.strategy_id, toNumber(w.weight)])),
      minStrength: toNumber(row.min_strength), minConfidence: toNumber(row.min_confidence), minAgreement: toNumber(row.min_agreement),
    },
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/** The settings as the audit log keeps them: plain JSON. */
export const auditedSettings = (source: 'default' | 'portfolio', s: SignalCombinationSettings) => ({
  source, weights: Object.fromEntries([...s.weights].sort(([a], [b]) => (a < b ? -1 : 1))), minStrength: s.minStrength, minConfidence: s.minConfidence, minAgreement: s.minAgreement,
});

export function createSignalSettingsRepository(db: Knex): SignalSettingsPort {
  return {
    find: (portfolioId) => read(db, portfolioId),

    async replace(portfolioId, settings, principal) {
      return db.transaction(async (trx) => {
        // One replacement per portfolio at a time, also while it has no row yet to lock.
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`signal-settings:${portfolioId}`]);
        const before = await read(trx, portfolioId);
        const row = {
          min_strength: String(settings.minStrength), min_confidence: String(settings.minConfidence), min_agreement: String(settings.minAgreement),
          updated_by: principal, updated_at: trx.fn.now(),
        };
        await trx('signal_settings').insert({ portfolio_id: portfolioId, ...row }).onConflict('portfolio_id').merge(row);
        await trx('strategy_weights').where({ portfolio_id: portfolioId }).delete();
        const weights = [...settings.weights].map(([strategyId, weight]) => ({
          portfolio_id: portfolioId, strategy_id: strategyId, weight: String(weight), updated_by: principal, updated_at: trx.fn.now(),
        }));
        if (weights.length > 0) await trx('strategy_weights').insert(weights);
        await appendAudit(trx, {
          principal, action: 'strategy-weights.replaced', entityType: 'portfolio', entityId: portfolioId,
          details: {
            before: before ? auditedSettings('portfolio', before.settings) : auditedSettings('default', DEFAULT_SIGNAL_COMBINATION_SETTINGS),
            after: auditedSettings('portfolio', settings),
          },
        });
        const after = await read(trx, portfolioId);
        if (!after) throw new Error(`signal settings of portfolio ${portfolioId} vanished inside their own transaction`);
        return after;
      });
    },
  };
}
