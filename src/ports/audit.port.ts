/** One audited action: who did what to which entity. Details never hold secrets. */
export interface AuditEntry {
  readonly principal: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly details?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  readonly occurredAt: Date;
}

/** The append-only audit log. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** An entity's history, oldest first. */
  entriesFor(entityType: string, entityId: string): Promise<AuditRecord[]>;
}
