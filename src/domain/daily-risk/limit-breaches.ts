import type { TradingState } from '../risk/trading-state';

/** The limits the daily run checks, each with its own action on a breach. */
export const DAILY_LIMIT_KINDS = ['DAILY_LOSS', 'MAX_DRAWDOWN', 'VAR_BUDGET', 'CONCENTRATION', 'SECTOR_CAP', 'CORRELATION_CAP', 'RISK_BUDGET'] as const;
export type DailyLimitKind = (typeof DAILY_LIMIT_KINDS)[number];

/** ALERT only raises the alert; REDUCING and HALTED also move the portfolio's trading state (latched). */
export const BREACH_ACTIONS = ['ALERT', 'REDUCING', 'HALTED'] as const;
export type BreachAction = (typeof BREACH_ACTIONS)[number];

/**
 * What a breach does unless the portfolio says otherwise: a day's loss beyond the limit halts; a
 * drawdown beyond the limit locks entries (the freqtrade drawdown protection); VaR over budget
 * reduces; drift above the pre-trade caps (concentration, sector, correlation) and a risk budget's
 * violation alert.
 */
export const DEFAULT_BREACH_ACTIONS: Readonly<Record<DailyLimitKind, BreachAction>> = Object.freeze({
  DAILY_LOSS: 'HALTED',
  MAX_DRAWDOWN: 'REDUCING',
  VAR_BUDGET: 'REDUCING',
  CONCENTRATION: 'ALERT',
  SECTOR_CAP: 'ALERT',
  CORRELATION_CAP: 'ALERT',
  RISK_BUDGET: 'ALERT',
});

/** One limit the day breached: what was observed against what was allowed (decimal strings or fractions). */
export interface LimitBreach {
  readonly kind: DailyLimitKind;
  readonly observed: string;
  readonly limit: string;
  readonly action: BreachAction;
  readonly message: string;
}

const SEVERITY: Readonly<Record<TradingState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

/** The stricter of two states. */
export function stricterState(a: TradingState, b: TradingState): TradingState {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/**
 * Where the breaches take the state: never less strict than it is (a state a breach set is latched;
 * only an admin's reset lowers it), stricter by the strictest action among them.
 */
export function latchedState(current: TradingState, breaches: readonly Pick<LimitBreach, 'action'>[]): TradingState {
  return breaches.reduce<TradingState>((state, b) => (b.action === 'ALERT' ? state : stricterState(state, b.action)), current);
}
