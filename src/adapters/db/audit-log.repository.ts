import type { Knex } from 'knex';
import type { AuditEntry, AuditLog, AuditRecord } from '../../ports/audit.port';

/** Appends to the audit log inside the caller's transaction, so the record and the change commit together. */
export async function appendAudit(trx: Knex | Knex.Transaction, entry: AuditEntry): Promise<void> {
  await trx('audit_log').insert({
    principal: entry.principal,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    details: JSON.stringify(entry.details ?? {}),
  });
}

export function createAuditLog(db: Knex): AuditLog {
  return {
    record: (entry) => appendAudit(db, entry),

    async entriesFor(entityType, entityId): Promise<AuditRecord[]> {
      const rows = await db('audit_log').where({ entity_type: entityType, entity_id: entityId }).orderBy('id')
        .select<{ principal: string; action: string; entity_type: string; entity_id: string; details: Record<string, unknown>; occurred_at: Date }[]>('*');
      return rows.map((r) => ({ principal: r.principal, action: r.action, entityType: r.entity_type, entityId: r.entity_id, details: r.details, occurredAt: r.occurred_at }));
    },
  };
}
