/**
 * Commands that enter a workflow from outside are signed by the gateway and verified by an
 * activity before anything is recorded, so raw access to Temporal cannot forge one.
 */
export type CommandKind = 'place-order' | 'cancel-order' | 'reconcile-orders' | 'analytics' | 'start-rebalance' | 'decide-rebalance' | 'start-exit' | 'exit-command' | 'daily-risk' | 'scheduled-rebalance' | 'kill-switch';

/** The fields of a command that its signature covers (every field but the signature itself). */
export type SignedFields = Readonly<Record<string, string | number | boolean | null>>;

export interface CommandSigner {
  sign(kind: CommandKind, fields: SignedFields): string;
}

export interface CommandVerifier {
  /** True only for a signature made with the same key over the same kind and fields. */
  verify(kind: CommandKind, fields: SignedFields, signature: unknown): boolean;
}
