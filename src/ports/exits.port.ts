import type { ExitStateDto } from '../contracts/exit-contracts';
import type { Instrument } from '../domain/instruments/instrument';
import type { Quote } from '../domain/market/quote';
import type { PositionDirection, PositionLifecycle } from '../domain/portfolio/position-lifecycle';
import type { Decimal } from '../domain/values/decimal';
import type { Price } from '../domain/values/price';

/** A position as its exit needs it: where it stands in its lifecycle and what it trades. */
export interface PositionForExit extends PositionLifecycle {
  readonly positionId: string;
  readonly portfolioId: string;
  readonly symbol: string;
  readonly openedAt: Date;
  readonly closedAt: Date | null;
  readonly instrument: Instrument;
}

/** The levels a quote must cross to wake the exit (see position_exits). */
export interface ExitTriggers {
  readonly lower: Price | null;
  readonly upper: Price | null;
  readonly notAfter: string | null;
}

export interface ExitRecord {
  readonly positionId: string;
  readonly workflowId: string;
  readonly portfolioId: string;
  readonly symbol: string;
  readonly direction: PositionDirection;
  readonly status: 'ACTIVE' | 'PAUSED' | 'CLOSED';
  readonly triggers: ExitTriggers;
  readonly state: ExitStateDto;
  readonly startedBy: string;
}

/** One exit tranche as the books record it: its order and what it did. */
export interface ExitTrancheRecord {
  readonly trancheId: string;
  readonly orderId: string;
  readonly reason: string;
  readonly quantity: Decimal;
  readonly triggerPrice: Price | null;
  readonly filledQuantity: Decimal;
  readonly averagePrice: Price | null;
  readonly realizedPnl: Decimal;
  readonly status: string;
}

/** Exit workflows' state outside Temporal: what wakes them, what they did. */
export interface ExitsStore {
  findPosition(positionId: string): Promise<PositionForExit | null>;
  /** The live position of a portfolio in a symbol, or null. */
  livePositionId(portfolioId: string, symbol: string): Promise<string | null>;
  saveExit(exit: ExitRecord): Promise<void>;
  recordTranche(positionId: string, tranche: ExitTrancheRecord): Promise<void>;
  findExit(positionId: string): Promise<{ readonly exit: ExitRecord; readonly tranches: readonly ExitTrancheRecord[] } | null>;
}

/** Which exit workflows a quote concerns: only those whose trigger it crossed. */
export interface ExitTriggerIndex {
  exitsCrossedBy(quote: Quote): Promise<string[]>;
}
