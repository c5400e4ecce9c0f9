import type { PortfolioSummaryView, PortfolioView } from '../contracts/portfolio-views';
import type { RiskLimits } from '../domain/risk/risk-limits';
import type { Money } from '../domain/values/money';

export interface NewPortfolio {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  /** Its currency is the portfolio's base currency. */
  readonly initialCash: Money;
  readonly createdBy: string;
}

export interface PortfoliosPort {
  /** Creates the portfolio, its opening deposit in the ledger and its default risk limits, together (audited). */
  createPortfolio(input: NewPortfolio): Promise<void>;
  /** Portfolios without their positions, newest first. */
  listPortfolios(limit: number): Promise<PortfolioSummaryView[]>;
  exists(portfolioId: string): Promise<boolean>;
  /** Cash, positions marked to the latest quotes, and equity. */
  findPortfolio(portfolioId: string): Promise<PortfolioView | null>;
  findRiskLimits(portfolioId: string): Promise<RiskLimits | null>;
  /** Replaces every limit (audited). */
  replaceRiskLimits(portfolioId: string, limits: RiskLimits, principal: string): Promise<void>;
}

export class AccountNotFoundError extends Error {
  readonly code = 'ACCOUNT_NOT_FOUND';
  override readonly name = 'AccountNotFoundError';
  constructor(readonly accountId: string) {
    super(`account ${accountId} does not exist`);
  }
}
