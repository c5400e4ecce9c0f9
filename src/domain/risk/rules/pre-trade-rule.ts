import type { RiskContext } from '../risk-context';
import type { RiskReason } from '../risk-decision';

/** One pre-trade control: a pure function of the context, answering the reasons it denies for (none: it passes). */
export type PreTradeRule = (context: RiskContext) => readonly RiskReason[];

export const PASS: readonly RiskReason[] = Object.freeze([]);
