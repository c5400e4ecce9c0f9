import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** Only an ACTIVE account trades; a SUSPENDED or CLOSED one denies every order, reducing ones too. */
export const accountActive: PreTradeRule = ({ account }) =>
  account.status === 'ACTIVE' ? PASS
    : [riskReason('ACCOUNT_NOT_ACTIVE', `account ${account.id} is ${account.status}`, 'ACTIVE', account.status, 'account')];
