import type { Knex } from 'knex';

export interface AuditEntry {
  readonly principal: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly details?: Record<string, unknown>;
}

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
