/** What the kill switch halts: one portfolio, one account (every portfolio on it), or every account. */
export type KillSwitchScope = { readonly portfolioId: string } | { readonly accountId: string } | { readonly all: true };

/** An admin's kill switch, signed by the gateway: the workflow halts the scope and cancels its open orders. */
export interface KillSwitchCommand {
  /** Names the workflow (`kill-switch-<killId>`). */
  readonly killId: string;
  readonly scope: KillSwitchScope;
  /** Why, as the admin gave it (the states' reason is `kill switch: <reason>`). */
  readonly reason: string;
  readonly requestedBy: string;
  readonly issuedAt: string;
  readonly signature: string;
}

export interface HaltedScope {
  readonly portfolioId?: string;
  readonly accountId?: string;
  readonly state: string;
  readonly reason: string | null;
  readonly changedBy: string | null;
  readonly changedAt: string | null;
}

/** The scope halted, and the open orders it must cancel (oldest first). */
export interface KillSwitchEngaged {
  readonly halted: { readonly portfolios: readonly HaltedScope[]; readonly accounts: readonly HaltedScope[] };
  readonly openOrders: ReadonlyArray<{ readonly orderId: string; readonly portfolioId: string }>;
  /** Webhook deliveries announcing the state changes. */
  readonly deliveryIds: readonly string[];
}

export type KillSwitchCancelOutcome = 'cancelled' | 'requested' | 'already-closed' | 'failed';

export interface KillSwitchReport {
  readonly scope: KillSwitchScope;
  readonly reason: string;
  readonly halted: KillSwitchEngaged['halted'];
  readonly orders: ReadonlyArray<{ readonly orderId: string; readonly portfolioId: string; readonly outcome: KillSwitchCancelOutcome; readonly error?: string }>;
}

export const killSwitchWorkflowId = (killId: string) => `kill-switch-${killId}`;
